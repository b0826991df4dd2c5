/**
 * Step 2 of `sentries tests`: run the suite once, then re-run only what failed,
 * by node id, so that a test that passes on its own is reported as flaky or
 * order-dependent instead of being handed to a model.
 */
import { SentriesError } from "../errors.ts";
import { log } from "../log.ts";
import { compareText, type TestFailure } from "./results.ts";
import { describeInterpreter, type Interpreter, interpreterOf, type InterpreterSource } from "./environment.ts";
import { narrowRunConfig } from "./xdist.ts";
import type { PytestForkServer } from "./fork_server.ts";
import {
  DEFAULT_PYTEST_TIMEOUT_MS,
  type PytestConfig,
  type PytestRun,
  runPytest,
  sameCommand,
  unusableRunReason,
} from "./run.ts";

export interface Discovery {
  run: PytestRun;
  /** Failed again when re-run by node id. */
  confirmed: TestFailure[];
  /** Passed when re-run by node id: flaky or order-dependent. */
  flaky: TestFailure[];
  /** The narrow re-run, when there was one. */
  rerun?: PytestRun;
  /** Which Python and pytest ran the suite. */
  interpreter?: Interpreter;
}

export async function discoverFailures(repoDir: string, config: PytestConfig): Promise<Discovery> {
  // The full run starts pytest itself: a fork server warms up meanwhile, for the re-runs.
  const run = await runPytest(repoDir, { ...config, forkServer: undefined });
  const problem = unusableRunReason(run);
  if (problem) {
    throw new SentriesError(problem, {
      hint: run.timedOut
        ? `the suite took longer than ${
          Math.round((config.timeoutMs ?? DEFAULT_PYTEST_TIMEOUT_MS) / 1000)
        }s: raise SENTRIES_PYTEST_TIMEOUT (seconds; or pytest_timeout in [tool.sentries])`
        : `run \`${run.command.join(" ")}\` yourself to see why; ${settingsHint(config)}`,
      code: run.timedOut ? "pytest.timeout" : "pytest.unusable",
    });
  }
  // A module that fails to import fails the same way every time: only tests are re-run.
  const broken = run.failures.filter((f) => f.kind === "collection_error");
  const tests = run.failures.filter((f) => f.kind !== "collection_error");
  // With tests to re-run, the re-run waits for the warming-up server anyway, so this may too (the answer is sure).
  const interpreter = interpreterOfRun(repoDir, config, run, tests.length > 0 ? "wait" : "if-ready");
  if (run.failures.length === 0) return { run, confirmed: [], flaky: [], interpreter: await interpreter };
  if (tests.length === 0) return { run, confirmed: run.failures, flaky: [], interpreter: await interpreter };
  const rerun = await rerunFailures(
    repoDir,
    await narrowRunConfig({ ...config, command: run.command }, repoDir),
    tests,
  );
  const { confirmed, flaky } = classifyRerun(tests, rerun);
  const sorted = [...broken, ...confirmed].sort((a, b) => compareText(a.nodeId, b.nodeId));
  return { run, confirmed: sorted, flaky, rerun, interpreter: await interpreter };
}

/**
 * Which Python and pytest ran `run`: what the fork server that ran it says about itself (PytestRun.ranWith), or
 * the server warmed up for the same command (a full run is never forked: it runs that same interpreter) — waited
 * for, or only if its warm-up is over by now — else asked of the command (`describeInterpreter`: a process of its
 * own, and for a `pytest` script no Python path).
 */
export async function interpreterOfRun(
  repoDir: string,
  config: PytestConfig,
  run: PytestRun,
  warming: "wait" | "if-ready" = "wait",
): Promise<Interpreter | undefined> {
  const source = interpreterSourceOf(config);
  const warmed = run.ranWith || !config.forkServer
    ? undefined
    : await (warming === "wait" ? config.forkServer.catch(() => undefined) : readyNow(config.forkServer));
  const facts = run.ranWith ?? (warmed && sameCommand(warmed.command, run.command) ? warmed.facts : undefined);
  if (facts?.pytestVersion) return interpreterOf(run.command, source, facts);
  return await describeInterpreter(run.command, source, repoDir, config.env).catch(() => undefined);
}

/** The server if its warm-up is over by now; never waits for one under way (no re-run will need it). */
function readyNow(server: Promise<PytestForkServer | undefined>): Promise<PytestForkServer | undefined> {
  const now = new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 0));
  return Promise.race([server.catch(() => undefined), now]);
}

/** Where the command came from: a virtualenv the pipeline found, the configured command, or PATH. */
function interpreterSourceOf(config: PytestConfig): InterpreterSource {
  const from = config.sources?.command;
  if (from === "VIRTUAL_ENV" || from === ".venv" || from === "venv") return from;
  return config.command && config.command.length > 0 ? "SENTRIES_PYTEST_COMMAND" : "PATH";
}

/** Names the setting that gave the command and the arguments, where one did. */
export function settingsHint(config: PytestConfig): string {
  const set = (source: string | undefined) => source !== undefined && source !== "default";
  const named = [
    set(config.sources?.command) ? `the pytest command (from ${config.sources?.command})` : undefined,
    set(config.sources?.args) ? `the pytest arguments (from ${config.sources?.args})` : undefined,
  ].filter((s) => s !== undefined);
  return named.length > 0
    ? `check ${named.join(" and ")}`
    : "check SENTRIES_PYTEST_COMMAND and SENTRIES_PYTEST_ARGS (or pytest_command and pytest_args in [tool.sentries])";
}

/** Re-runs exactly the given failures (node ids; collection errors by module). */
export function rerunFailures(repoDir: string, config: PytestConfig, failures: TestFailure[]): Promise<PytestRun> {
  return runPytest(repoDir, config, selectionOf(failures));
}

export function selectionOf(failures: TestFailure[]): string[] {
  return [...new Set(failures.map((f) => f.nodeId))].sort();
}

/**
 * A failure is flaky only when the re-run reports it as run and not failing;
 * when the re-run says nothing about it (or could not run), it stays confirmed.
 */
export function classifyRerun(
  failures: TestFailure[],
  rerun: PytestRun,
): { confirmed: TestFailure[]; flaky: TestFailure[] } {
  const problem = unusableRunReason(rerun);
  if (problem) {
    log.warn(`re-running the failing tests told nothing (${problem.split("\n")[0]}); treating all as real failures`);
    return { confirmed: [...failures], flaky: [] };
  }
  const reported = new Set(rerun.collected);
  const failing = new Set(rerun.failures.map((f) => f.nodeId));
  const confirmed: TestFailure[] = [];
  const flaky: TestFailure[] = [];
  for (const failure of failures) {
    if (reported.has(failure.nodeId) && !failing.has(failure.nodeId)) flaky.push(failure);
    else confirmed.push(failure);
  }
  return { confirmed, flaky };
}
