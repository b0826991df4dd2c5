/**
 * The one seam through which Sentries starts programs (git, pytest, python3,
 * ollama). Never a shell string: a program name and an argument list.
 *
 * Children get a cleared, explicitly built environment: Deno refuses to spawn
 * with a scoped --allow-run while any LD_* / DYLD_* variable is inherited, and
 * a clean environment also keeps GIT_DIR and friends from leaking in.
 */
import { SentriesError } from "../errors.ts";
import { readEnv } from "../env.ts";

/** Variables passed through to children when set. Keep in sync with deno.json's env permission. */
export const PASS_THROUGH_ENV = [
  "PATH",
  "HOME",
  "USER",
  "LOGNAME",
  "LANG",
  "LC_ALL",
  "LC_CTYPE",
  "TZ",
  "TMPDIR",
  "TEMP",
  "TMP",
  "SYSTEMROOT",
  "VIRTUAL_ENV",
  "CONDA_PREFIX",
  "PYENV_ROOT",
  "PYENV_VERSION",
  "PYENV_DIR",
  "PYTHONPATH",
  "PYTHONHOME",
  // Lets users switch off pytest's plugin auto-loading (faster starts); pytest reads it itself.
  "PYTEST_DISABLE_PLUGIN_AUTOLOAD",
  "PYTEST_ADDOPTS",
  "OLLAMA_HOST",
  "OLLAMA_MODELS",
  "SSH_AUTH_SOCK",
  "GIT_SSH_COMMAND",
] as const;

/** The base environment for a child: the pass-through variables that are set. */
export function childEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of PASS_THROUGH_ENV) {
    const value = readEnv(name);
    if (value !== undefined) env[name] = value;
  }
  return { ...env, ...extra };
}

export interface RunOptions {
  cwd?: string;
  /** Added to (and overriding) the pass-through environment. */
  env?: Record<string, string>;
  /** Kill the child after this many milliseconds (SIGTERM, then SIGKILL). */
  timeoutMs?: number;
  stdin?: string;
  signal?: AbortSignal;
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  durationMs: number;
}

/** Thrown when the program itself cannot be started (missing or not permitted). */
export class ProgramNotFoundError extends SentriesError {
  constructor(readonly program: string, cause?: unknown) {
    const path = program.includes("/");
    super(path ? `\`${program}\` does not exist` : `\`${program}\` was not found on PATH`, {
      hint: path ? "check the path, or recreate the virtualenv it belongs to" : `install ${program} or add it to PATH`,
      code: "proc.not_found",
      cause,
    });
    this.name = "ProgramNotFoundError";
  }
}

export class ProgramNotPermittedError extends SentriesError {
  constructor(readonly program: string, cause?: unknown) {
    super(
      `sentries is not permitted to run \`${program}\`: its permission set allows only git, pytest, python3, python and ollama`,
      { hint: "this is a safety limit of the sentries binary, not a setup problem", code: "proc.not_permitted", cause },
    );
    this.name = "ProgramNotPermittedError";
  }
}

/**
 * Starts a long-lived child (all three streams piped) with the same environment rules and
 * error translation as runProgram; the caller owns its lifetime.
 */
export function spawnProgram(
  program: string,
  args: string[],
  options: { cwd?: string; env?: Record<string, string>; stdin?: "piped" | "null"; stderr?: "piped" | "null" } = {},
): Deno.ChildProcess {
  try {
    return new Deno.Command(program, {
      args,
      cwd: options.cwd,
      env: childEnv(options.env),
      clearEnv: true,
      stdin: options.stdin ?? "piped",
      stdout: "piped",
      stderr: options.stderr ?? "piped",
    }).spawn();
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) throw new ProgramNotFoundError(program, err);
    if (err instanceof Deno.errors.NotCapable || err instanceof Deno.errors.PermissionDenied) {
      throw new ProgramNotPermittedError(program, err);
    }
    throw err;
  }
}

export async function runProgram(program: string, args: string[], options: RunOptions = {}): Promise<RunResult> {
  const started = performance.now();
  const child = spawnProgram(program, args, {
    cwd: options.cwd,
    env: options.env,
    stdin: options.stdin === undefined ? "null" : "piped",
  });

  if (options.stdin !== undefined) {
    const writer = child.stdin.getWriter();
    await writer.write(new TextEncoder().encode(options.stdin));
    await writer.close();
  }

  let timedOut = false;
  const kill = (sig: Deno.Signal) => {
    try {
      child.kill(sig);
    } catch {
      // already exited
    }
  };
  let hardKill: ReturnType<typeof setTimeout> | undefined;
  const onTimeout = () => {
    timedOut = true;
    kill("SIGTERM");
    hardKill = setTimeout(() => kill("SIGKILL"), 2000);
  };
  const timer = options.timeoutMs ? setTimeout(onTimeout, options.timeoutMs) : undefined;
  const onAbort = () => {
    kill("SIGTERM");
    hardKill = setTimeout(() => kill("SIGKILL"), 2000);
  };
  options.signal?.addEventListener("abort", onAbort, { once: true });
  try {
    const output = await child.output();
    const decoder = new TextDecoder();
    return {
      code: output.code,
      stdout: decoder.decode(output.stdout),
      stderr: decoder.decode(output.stderr),
      timedOut,
      durationMs: performance.now() - started,
    };
  } finally {
    if (timer !== undefined) clearTimeout(timer);
    if (hardKill !== undefined) clearTimeout(hardKill);
    options.signal?.removeEventListener("abort", onAbort);
  }
}
