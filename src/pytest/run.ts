/**
 * Runs pytest once in a repository and reads its JUnit report. The report goes
 * to a temporary file outside the repository; `-p no:cacheprovider` and
 * PYTHONDONTWRITEBYTECODE keep the working tree free of pytest's own files.
 */
import { join, resolve } from "node:path";
import { type CommandRun, runFirstAvailablePytest } from "./command.ts";
import type { PytestForkServer } from "./fork_server.ts";
import type { InterpreterFacts } from "./environment.ts";
import { type JunitCase, parseJunitCases } from "./junit.ts";
import { type CaseSummary, conftestFailureFrom, summarizeCases } from "./results.ts";
import { log } from "../log.ts";

export interface PytestConfig {
  /** e.g. `["pytest"]`; when undefined: `pytest`, else `python3 -m pytest`, else `python -m pytest`. */
  command?: string[];
  /** Passed on every run (options such as `-x`, `-k expr`, `-m "not slow"`). */
  extraArgs?: string[];
  /** Test paths for a full run; a narrow run passes its selection instead. */
  paths?: string[];
  /** Kill pytest after this long; default 10 minutes. */
  timeoutMs?: number;
  /** Stops pytest (SIGTERM, then SIGKILL) when the run is interrupted. */
  signal?: AbortSignal;
  /**
   * A warmed-up pytest that forks a child per run (fork_server.ts); used when it runs the same
   * command as `command`, otherwise (or when it fails) pytest starts normally.
   */
  forkServer?: Promise<PytestForkServer | undefined>;
  /** A "still running" line while pytest runs; default every 30 s to the log (stderr). */
  heartbeat?: Heartbeat;
  /** Where `command` and `extraArgs` were set (e.g. "flag --pytest-args"), for hints; "default" when not set. */
  sources?: { command?: string; args?: string };
  /** Added to PYTEST_ENV for every run (the worktree's PYTHONPATH, isolation.ts); the fork server gets the same. */
  env?: Record<string, string>;
}

export interface Heartbeat {
  everyMs: number;
  write: (line: string) => void;
}

// CI runners kill jobs that print nothing for ~10 minutes, and people wonder whether it hangs.
const DEFAULT_HEARTBEAT: Heartbeat = { everyMs: 30_000, write: (line) => log.info(line) };

/** A run's counts, collected node ids and failures (CaseSummary), and how the run itself went. */
export interface PytestRun extends CaseSummary {
  exitCode: number;
  durationMs: number;
  timedOut: boolean;
  /** pytest exit code 5: nothing was collected. */
  noTests: boolean;
  /** The command that ran, without the arguments Sentries added. */
  command: string[];
  /** The last lines of pytest's stdout and stderr, for messages when a run is unusable. */
  outputTail: string;
  /** Whether the JUnit report was written; pytest always writes one, so without it pytest never ran. */
  reportWritten: boolean;
  /** Which Python and pytest ran it, where the run itself told (a fork server's run: what the server said). */
  ranWith?: InterpreterFacts;
}

export const DEFAULT_PYTEST_TIMEOUT_MS = 10 * 60 * 1000;
const OUTPUT_TAIL_LINES = 30;

/** Runs pytest on the whole suite, or on `select` (node ids or files) when given. */
export async function runPytest(repoDir: string, config: PytestConfig, select?: string[]): Promise<PytestRun> {
  const reportDir = await Deno.makeTempDir({ prefix: "sentries-pytest-" });
  const reportPath = join(reportDir, "junit.xml");
  try {
    const args = [
      "-p",
      "no:cacheprovider",
      "-q",
      "--color=no",
      `--junitxml=${reportPath}`,
      // xunit1 keeps each test's file and line, which node ids and context need.
      "-o",
      "junit_family=xunit1",
      `--rootdir=${resolve(repoDir)}`,
      // One broken test module must not hide the rest of the suite.
      "--continue-on-collection-errors",
      ...(config.extraArgs ?? []),
      ...(select ?? config.paths ?? []),
    ];
    const timeoutMs = config.timeoutMs ?? DEFAULT_PYTEST_TIMEOUT_MS;
    const stopHeartbeat = startHeartbeat(config.heartbeat ?? DEFAULT_HEARTBEAT, timeoutMs);
    const { command, result, ranWith } = await runOnServerOrStart(
      config,
      args,
      repoDir,
      timeoutMs,
      () => exists(reportPath),
    )
      .finally(stopHeartbeat);
    const output = [result.stdout, result.stderr].filter((s) => s.trim() !== "").join("\n");
    const cases = await readReport(reportPath, repoDir);
    const summary = summarizeCases(cases ?? []);
    if (!cases?.length) {
      const conftest = conftestFailureFrom(output, repoDir) ??
        conftestFailureFrom(output, await Deno.realPath(repoDir).catch(() => repoDir));
      if (conftest) {
        summary.errors = 1;
        summary.collected = [conftest.nodeId];
        summary.failures = [conftest];
      }
    }
    return {
      exitCode: result.code,
      ...summary,
      durationMs: Math.round(result.durationMs),
      timedOut: result.timedOut,
      noTests: result.code === 5,
      command,
      outputTail: output.trimEnd().split("\n").slice(-OUTPUT_TAIL_LINES).join("\n"),
      reportWritten: cases !== undefined,
      ...(ranWith ? { ranWith } : {}),
    };
  } finally {
    await Deno.remove(reportDir, { recursive: true }).catch(() => {});
  }
}

/** The environment every pytest run gets: no bytecode files in the worktree, no colours in reports. */
export const PYTEST_ENV: Record<string, string> = { PYTHONDONTWRITEBYTECODE: "1", PY_COLORS: "0" };

async function runOnServerOrStart(
  config: PytestConfig,
  args: string[],
  repoDir: string,
  timeoutMs: number,
  reportExists: () => Promise<boolean>,
): Promise<CommandRun & { ranWith?: InterpreterFacts }> {
  const server = config.forkServer ? await config.forkServer : undefined;
  const command = config.command;
  if (server?.alive && command && sameCommand(server.command, command)) {
    try {
      const result = await server.run(args, { cwd: repoDir, timeoutMs, signal: config.signal });
      return { command: [...command], result, ranWith: server.facts };
    } catch (err) {
      log.debug(`pytest fork server failed (${(err as Error).message}); starting pytest normally`);
    }
  }
  return await runFirstAvailablePytest(
    command,
    args,
    { cwd: repoDir, env: { ...PYTEST_ENV, ...config.env }, timeoutMs, signal: config.signal },
    reportExists,
  );
}

export function sameCommand(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((part, i) => part === b[i]);
}

/**
 * Why a run tells nothing about the tests (pytest itself failed: usage error,
 * internal error, interruption, timeout), or undefined when it is usable.
 */
export function unusableRunReason(run: PytestRun): string | undefined {
  if (run.timedOut) return "pytest did not finish in time";
  const tail = run.outputTail.split("\n").slice(-8).join("\n");
  const shown = tail ? ":\n" + tail : "";
  if (run.failures.length > 0) return undefined;
  // Exit 0 or 1 without a report is a command that is not pytest (`python3 -m typo`), not a green suite.
  if (!run.reportWritten) {
    return `pytest wrote no test report (\`${run.command.join(" ")}\` stopped with exit code ${run.exitCode})${shown}`;
  }
  if ([0, 1, 5].includes(run.exitCode)) return undefined;
  return `pytest stopped with exit code ${run.exitCode} without test results${shown}`;
}

/** Writes a "still running" line every `everyMs`; returns the function that stops it. */
function startHeartbeat(heartbeat: Heartbeat, timeoutMs: number): () => void {
  const started = Date.now();
  const timer = setInterval(() => {
    const elapsed = minutes(Date.now() - started);
    heartbeat.write(`… pytest still running (${elapsed} of at most ${minutes(timeoutMs)}; SENTRIES_PYTEST_TIMEOUT)`);
  }, heartbeat.everyMs);
  return () => clearInterval(timer);
}

function minutes(ms: number): string {
  const s = Math.floor(ms / 1000);
  return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s`;
}

/** The report's cases, or undefined when there is no report (killed, or not pytest at all). */
async function readReport(reportPath: string, repoDir: string): Promise<JunitCase[] | undefined> {
  let xml: string;
  try {
    xml = await Deno.readTextFile(reportPath);
  } catch {
    return undefined;
  }
  try {
    return parseJunitCases(xml, (relative) => existsSync(join(repoDir, relative)));
  } catch (err) {
    log.warn(`could not read pytest's JUnit report: ${err instanceof Error ? err.message : String(err)}`);
    return [];
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch {
    return false;
  }
}

function existsSync(path: string): boolean {
  try {
    Deno.statSync(path);
    return true;
  } catch {
    return false;
  }
}
