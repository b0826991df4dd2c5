/**
 * Step 2 of `sentries tests --junit-xml PATH`: the failures come from the JUnit report the CI's own pytest
 * step wrote (`pytest --junitxml=PATH`), so Sentries never runs the whole suite to find them. The report must
 * fit the checkout (its test files exist here; the failing ids resolve when re-run), else the run stops with
 * exit 2 saying so. The failures are re-run by node id, without pytest-xdist, to tell real ones from flaky.
 *
 * The report's test cases are the run's collected set: verification's "no test may be lost" check compares
 * against them exactly as it compares against Sentries' own full run (the report is pytest's account of the
 * same commit's suite; its files are checked to exist). A report of a subset (`-k`, a test path) makes that
 * check cover only the subset, and a full re-test then flags nothing the report did not list.
 */
import { join } from "node:path";
import { SentriesError, UsageError } from "../errors.ts";
import { classifyRerun, type Discovery, interpreterOfRun, rerunFailures } from "./discover.ts";
import { type JunitCase, parseJunitCases } from "./junit.ts";
import { compareText, summarizeCases, type TestFailure } from "./results.ts";
import { type PytestConfig, type PytestRun, unusableRunReason } from "./run.ts";
import { narrowRunConfig } from "./xdist.ts";

const HINT = "pass the report your pytest step wrote at this commit (`pytest --junitxml=PATH` run from the " +
  "repository root), or drop --junit-xml to let Sentries run the suite itself";

export async function discoverFromCiReport(
  repoDir: string,
  config: PytestConfig,
  reportPath: string,
): Promise<Discovery> {
  const cases = await readCiReport(repoDir, reportPath);
  const summary = summarizeCases(cases);
  checkFilesExist(repoDir, reportPath, summary.collected, cases);

  const run: PytestRun = {
    ...summary,
    exitCode: summary.failures.length > 0 ? 1 : 0,
    durationMs: 0,
    timedOut: false,
    noTests: summary.collected.length === 0,
    command: config.command ?? [],
    outputTail: "",
    reportWritten: true,
  };
  if (summary.failures.length === 0) return { run, confirmed: [], flaky: [] };

  // A module that fails to import fails the same way every time: only tests are re-run (as without a report).
  const broken = summary.failures.filter((f) => f.kind === "collection_error");
  const tests = summary.failures.filter((f) => f.kind !== "collection_error");
  if (tests.length === 0) return { run, confirmed: summary.failures, flaky: [] };

  const rerun = await rerunFailures(repoDir, await narrowRunConfig(await onForkServer(config), repoDir), tests);
  checkIdsResolve(reportPath, tests, rerun);
  const { confirmed, flaky } = classifyRerun(tests, rerun);
  return {
    run: { ...run, command: rerun.command },
    confirmed: [...broken, ...confirmed].sort((a, b) => compareText(a.nodeId, b.nodeId)),
    flaky,
    rerun,
    interpreter: await interpreterOfRun(repoDir, config, rerun),
  };
}

/**
 * The re-run goes to the fork server that warms up meanwhile (run.ts uses it when it runs the same command):
 * waiting for its warm-up costs about what a plain start costs, and one pytest start instead of two at once
 * leaves the other core free. Without a configured command, the server's (the first automatic command that
 * serves, in the order a plain start tries them) is the run's. No server (off, or it did not start): a plain start.
 */
async function onForkServer(config: PytestConfig): Promise<PytestConfig> {
  if (config.command && config.command.length > 0) return config;
  const server = config.forkServer ? await config.forkServer : undefined;
  return server ? { ...config, command: [...server.command] } : config;
}

async function readCiReport(repoDir: string, reportPath: string): Promise<JunitCase[]> {
  let xml: string;
  try {
    xml = await Deno.readTextFile(reportPath);
  } catch (err) {
    throw new UsageError(`--junit-xml ${reportPath}: cannot read it (${(err as Error).message})`, {
      hint: HINT,
      code: "junit.unreadable",
    });
  }
  let cases: JunitCase[];
  try {
    cases = parseJunitCases(xml, (relative) => existsSync(join(repoDir, relative)));
  } catch (err) {
    throw new UsageError(`--junit-xml ${reportPath}: not a JUnit XML report (${(err as Error).message})`, {
      hint: HINT,
      code: "junit.invalid",
    });
  }
  if (cases.length === 0) {
    throw new UsageError(`--junit-xml ${reportPath}: the report has no test cases`, {
      hint: "did the pytest step collect anything? " + HINT,
      code: "junit.empty",
    });
  }
  return cases;
}

/** Every test file the report names must be in this checkout. */
function checkFilesExist(repoDir: string, reportPath: string, collected: string[], cases: JunitCase[]): void {
  const files = [...new Set(cases.map((c) => c.file))].sort(compareText);
  const missing = files.filter((file) => !existsSync(join(repoDir, file)));
  if (missing.length === 0) return;
  const shown = missing.slice(0, 3).join(", ") + (missing.length > 3 ? ` and ${missing.length - 3} more` : "");
  throw new UsageError(
    `--junit-xml ${reportPath} does not fit this checkout: ${missing.length} of the ${files.length} test files ` +
      `it names are not here (${shown}; ${collected.length} test cases in the report)`,
    { hint: HINT, code: "junit.mismatch" },
  );
}

/** The failing ids must resolve: pytest finds each one (a renamed or deleted test means another commit). */
function checkIdsResolve(reportPath: string, tests: TestFailure[], rerun: PytestRun): void {
  const notFound = [...rerun.outputTail.matchAll(/^ERROR: not found: (.+?)(?: \(no match|$)/gm)].map((m) => m[1]);
  const problem = unusableRunReason(rerun);
  let unresolved: string[] = [];
  // pytest names them by absolute path: show the report's node id instead.
  if (problem && notFound.length > 0) {
    unresolved = notFound.map((path) => tests.find((t) => path.endsWith("/" + t.nodeId))?.nodeId ?? path);
  } else if (!problem) {
    const reported = new Set(rerun.collected);
    unresolved = tests.map((t) => t.nodeId).filter((id) => !reported.has(id));
  }
  if (unresolved.length === 0) return;
  const shown = unresolved.slice(0, 3).join(", ") + (unresolved.length > 3 ? ` and ${unresolved.length - 3} more` : "");
  throw new SentriesError(
    `--junit-xml ${reportPath} does not fit this checkout: pytest finds no test ${shown} (the report's failures)`,
    { hint: HINT, code: "junit.mismatch", exitCode: 2 },
  );
}

function existsSync(path: string): boolean {
  try {
    Deno.statSync(path);
    return true;
  } catch {
    return false;
  }
}
