/**
 * Starting a virtualenv's interpreter within the permission set: `python3` is allowed by name only (Deno
 * resolves it on PATH when it starts), so `/repo/.venv/bin/python` is started through it — a tiny `-c` script
 * replaces the permitted python3 with the venv's interpreter (`os.execv`), which then runs with its own
 * arguments, standard library and site-packages. README "Which Python runs the tests" says why that widens
 * nothing.
 */

/** The `-c` script: `python3 -c EXEC_SHIM /path/to/python ARGS…` becomes `/path/to/python ARGS…`. */
export const EXEC_SHIM = "import os, sys; os.execv(sys.argv[1], sys.argv[1:])";

// -I -S for the permitted python3: nothing of its own environment runs before the exec (and `site` is a good
// part of a Python start). The interpreter it becomes reads its environment (PYTHONPATH, …) as usual.
const SHIM_PREFIX = ["python3", "-I", "-S", "-c", EXEC_SHIM];

/** Names started as they are (permitted, found on PATH); anything else is an interpreter's path. */
const BY_NAME = new Set(["python3", "python"]);

/** The program and arguments that run `python` (a name on PATH, or a venv's interpreter) with `args`. */
export function pythonInvocation(python: string, args: readonly string[]): { program: string; args: string[] } {
  if (BY_NAME.has(python)) return { program: python, args: [...args] };
  return { program: "python3", args: [...SHIM_PREFIX.slice(1), python, ...args] };
}

/** A command pythonInvocation made for an interpreter's path, as a person would type it; else undefined. */
export function execedCommand(command: readonly string[]): string[] | undefined {
  const prefixed = command.length > SHIM_PREFIX.length && SHIM_PREFIX.every((word, i) => command[i] === word);
  return prefixed ? command.slice(SHIM_PREFIX.length) : undefined;
}
