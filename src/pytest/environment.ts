/**
 * Which Python environment runs the tests (issue 14.3), in this order: SENTRIES_PYTEST_COMMAND, an active
 * VIRTUAL_ENV, `.venv/` then `venv/` in the repository root, then pytest on PATH.
 *
 * The permission set allows `python3` by name only (Deno resolves the name on PATH when it starts, so
 * `<repo>/.venv/bin/python` is not allowed). A virtualenv's interpreter is therefore started through the
 * allowed `python3`, which replaces itself with it (`os.execv`): the tests run in the venv's own
 * interpreter, with its site-packages, exactly as `.venv/bin/python -m pytest` would. This widens nothing:
 * a permitted Python can already run any program, and running the tests runs the project's code anyway.
 */
import { join } from "node:path";
import { readEnv } from "../env.ts";
import { ProgramNotPermittedError, runProgram } from "../proc/run.ts";
import { execedCommand, pythonInvocation } from "../proc/python_exec.ts";

export type InterpreterSource = "SENTRIES_PYTEST_COMMAND" | "VIRTUAL_ENV" | ".venv" | "venv" | "PATH";

export interface ProjectEnvironment {
  source: InterpreterSource;
  /** The venv's interpreter, for VIRTUAL_ENV, .venv and venv. */
  python?: string;
  /** The pytest command to run; undefined: the automatic PATH candidates. */
  command?: string[];
}

/** `<python> -m pytest` for a venv's interpreter, started through the permitted python3 (pythonInvocation). */
export function venvPytestCommand(python: string): string[] {
  const { program, args } = pythonInvocation(python, ["-m", "pytest"]);
  return [program, ...args];
}

/** The command as a person would type it (the exec shim shown as the interpreter it starts). */
export function displayCommand(command: readonly string[]): string {
  return (execedCommand(command) ?? command).join(" ");
}

function interpreterIn(venv: string): string | undefined {
  for (const name of ["bin/python", "bin/python3", "Scripts/python.exe"]) {
    const path = join(venv, name);
    try {
      if (Deno.statSync(path).isFile) return path;
    } catch {
      // not this one
    }
  }
  return undefined;
}

export function findProjectEnvironment(
  repoRoot: string,
  configured: string[] | undefined,
  env: (name: string) => string | undefined = readEnv,
): ProjectEnvironment {
  if (configured && configured.length > 0) return { source: "SENTRIES_PYTEST_COMMAND", command: configured };
  const active = env("VIRTUAL_ENV");
  const activePython = active ? interpreterIn(active) : undefined;
  if (activePython) return { source: "VIRTUAL_ENV", python: activePython, command: venvPytestCommand(activePython) };
  for (const dir of [".venv", "venv"] as const) {
    const python = interpreterIn(join(repoRoot, dir));
    if (python) return { source: dir, python, command: venvPytestCommand(python) };
  }
  return { source: "PATH" };
}

/** What a Python says about itself: its path (sys.executable) and versions. */
export interface InterpreterFacts {
  /** The interpreter's path (sys.executable): when the command is a Python, or the run told it. */
  python?: string;
  pythonVersion?: string;
  pytestVersion?: string;
}

/** Which Python and pytest a run used, for doctor and the report. */
export interface Interpreter extends InterpreterFacts {
  source: InterpreterSource;
  /** The command, as displayCommand shows it. */
  command: string;
}

const PROBE = "import sys, platform, pytest; print(sys.executable); print(platform.python_version()); " +
  "print(pytest.__version__)";

/**
 * Asks the command's own Python for its path and versions (`<python> -c …` in place of `-m pytest`); for a
 * `pytest` script, `pytest --version`. Throws only ProgramNotPermittedError: what cannot be found stays undefined.
 */
export async function describeInterpreter(
  command: readonly string[],
  source: InterpreterSource,
  cwd: string,
  /** The runs' extra environment (a pyenv shim picks its Python by PYENV_DIR). */
  env: Record<string, string> = {},
): Promise<Interpreter> {
  const shown = interpreterOf(command, source, {});
  const m = command.indexOf("-m");
  try {
    if (m > 0 && command[m + 1] === "pytest") {
      const prefix = command.slice(0, m);
      const r = await runProgram(prefix[0], [...prefix.slice(1), "-c", PROBE], { cwd, env, timeoutMs: 30_000 });
      const [python, pythonVersion, pytestVersion] = r.stdout.trim().split("\n");
      return r.code === 0 ? { ...shown, python, pythonVersion, pytestVersion } : shown;
    }
    const r = await runProgram(command[0], [...command.slice(1), "--version"], { cwd, env, timeoutMs: 30_000 });
    const version = /pytest (\S+)/.exec(r.stdout + r.stderr)?.[1];
    return { ...shown, pytestVersion: version };
  } catch (err) {
    if (err instanceof ProgramNotPermittedError) throw err; // doctor says so; anything else: not known
    return shown;
  }
}

/** The Interpreter for facts a run told (a fork server's, run.ts), as describeInterpreter would give them. */
export function interpreterOf(
  command: readonly string[],
  source: InterpreterSource,
  facts: InterpreterFacts,
): Interpreter {
  return { source, command: displayCommand(command), ...facts };
}

/** "pytest 9.0.1 with Python 3.11.2 (/repo/.venv/bin/python, from .venv)" or "pytest 9.0.1 (`pytest`, from PATH)". */
export function interpreterLine(i: Interpreter): string {
  const pytest = `pytest ${i.pytestVersion ?? "(version unknown)"}`;
  return i.python
    ? `${pytest} with Python ${i.pythonVersion ?? "?"} (${i.python}, from ${i.source})`
    : `${pytest} (\`${i.command}\`, from ${i.source})`;
}

/**
 * The run's options with the project's environment (findProjectEnvironment for the run's root) filled in: a
 * virtualenv found there becomes the pytest command, and its source ("VIRTUAL_ENV", ".venv", "venv") the
 * command's source, for hints and the report.
 */
export function withProjectEnvironment<
  T extends { config: { pytestCommand?: string[]; sources: Record<string, string> } },
>(options: T, found: ProjectEnvironment): T {
  if (!found.python || !found.command) return options;
  const config = {
    ...options.config,
    pytestCommand: found.command,
    sources: { ...options.config.sources, pytestCommand: found.source },
  };
  return { ...options, config };
}
