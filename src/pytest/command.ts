/**
 * Which program runs pytest: the configured command, or the first of `pytest`,
 * `python3 -m pytest`, `python -m pytest` that exists and has pytest installed.
 */
import { SentriesError } from "../errors.ts";
import { ProgramNotFoundError, type RunOptions, runProgram, type RunResult } from "../proc/run.ts";
import { displayCommand } from "./environment.ts";

export const AUTO_PYTEST_COMMANDS: readonly (readonly string[])[] = [
  ["pytest"],
  ["python3", "-m", "pytest"],
  ["python", "-m", "pytest"],
];

export class PytestNotInstalledError extends SentriesError {
  /** `pyenv`: what a pyenv shim said (its first line) when it had no pytest for the checkout's Python. */
  constructor(tried: readonly (readonly string[])[], cause?: unknown, pyenv?: string) {
    super(`pytest is not installed (tried ${tried.map((c) => "`" + displayCommand(c) + "`").join(", ")})`, {
      hint: pyenv
        ? `pyenv picks this checkout's Python, and it has no pytest (${JSON.stringify(pyenv)}): \`pyenv version\` ` +
          "in the checkout says which it is (and which .python-version chose it); pip install pytest there, or " +
          "pick another version"
        : "pip install pytest (in the environment the tests run in)",
      code: "pytest.missing",
      cause,
    });
    this.name = "PytestNotInstalledError";
  }
}

/**
 * A program that started but is not pytest: a pyenv shim without a backing
 * executable (exit 127), or a Python without the pytest module.
 */
export function looksLikeMissingPytest(result: RunResult, wroteReport: boolean): boolean {
  if (wroteReport) return false;
  const output = result.stderr + result.stdout;
  if (result.code === 127) return true;
  return result.code !== 0 && /No module named '?pytest'?\s*$/m.test(output);
}

export interface CommandRun {
  command: string[];
  result: RunResult;
}

/**
 * Runs pytest with `args` using the first working command. `reportExists` tells
 * whether the run produced its JUnit file (then it certainly was pytest).
 */
export async function runFirstAvailablePytest(
  configured: string[] | undefined,
  args: string[],
  options: RunOptions,
  reportExists: () => Promise<boolean>,
): Promise<CommandRun> {
  const candidates = configured && configured.length > 0 ? [configured] : AUTO_PYTEST_COMMANDS;
  let lastCause: unknown;
  let pyenv: string | undefined;
  for (const candidate of candidates) {
    const [program, ...prefix] = candidate;
    let result: RunResult;
    try {
      result = await runProgram(program, [...prefix, ...args], options);
    } catch (err) {
      if (err instanceof ProgramNotFoundError) {
        lastCause = err;
        continue;
      }
      throw err;
    }
    if (!result.timedOut && looksLikeMissingPytest(result, await reportExists())) {
      lastCause = new Error((result.stderr || result.stdout).trim().split("\n").slice(-3).join("\n"));
      pyenv ??= /^pyenv: .+$/m.exec(result.stderr)?.[0];
      continue;
    }
    return { command: [...candidate], result };
  }
  throw new PytestNotInstalledError(candidates, lastCause, pyenv);
}
