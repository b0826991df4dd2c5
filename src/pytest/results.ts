/**
 * Turns parsed JUnit cases (and pytest's own output, for errors that never
 * reach the JUnit file) into the counts, collected ids and failures of a run. Pure.
 */
import { type CaseOutcome, errorLinesOf, type JunitCase } from "./junit.ts";

export type FailureKind = "failed" | "error" | "collection_error";

export interface TestFailure {
  /** pytest node id, e.g. `tests/test_calc.py::TestAdd::test_two[1]`; a module path for collection errors. */
  nodeId: string;
  /** Repository-relative path of the test module (or conftest.py) at fault. */
  file: string;
  /** 1-based line in `file` closest to the failure (from the traceback), else the test's definition line. */
  line?: number;
  kind: FailureKind;
  message: string;
  /** pytest's report of the failure, untrimmed. */
  traceback: string;
}

export interface CaseSummary {
  passed: number;
  failed: number;
  errors: number;
  skipped: number;
  /** Every node id pytest reported, collection errors included; sorted, unique. */
  collected: string[];
  /** Sorted by node id. */
  failures: TestFailure[];
  /** Tests collected but not run to a pass or failure (skipped, xfailed), sorted by node id. */
  notRun?: NotRunTest[];
}

export interface NotRunTest {
  nodeId: string;
  outcome: "skipped" | "xfailed";
  /** pytest's reason, e.g. the skip or xfail reason. */
  message: string;
}

const SEVERITY: Record<CaseOutcome, number> = { passed: 0, skipped: 1, error: 2, failed: 3, collection_error: 4 };

/** One outcome per node id: a test reported twice (e.g. failed, then a teardown error) keeps its worst report. */
export function summarizeCases(cases: JunitCase[]): CaseSummary {
  const byNodeId = new Map<string, JunitCase>();
  for (const testCase of cases) {
    const seen = byNodeId.get(testCase.nodeId);
    if (!seen || SEVERITY[testCase.outcome] > SEVERITY[seen.outcome]) byNodeId.set(testCase.nodeId, testCase);
  }
  const collected = [...byNodeId.keys()].sort(compareText);
  const summary: CaseSummary = { passed: 0, failed: 0, errors: 0, skipped: 0, collected, failures: [], notRun: [] };
  for (const nodeId of collected) {
    const testCase = byNodeId.get(nodeId)!;
    switch (testCase.outcome) {
      case "passed":
        summary.passed++;
        break;
      case "skipped":
        summary.skipped++;
        summary.notRun!.push({ nodeId, outcome: testCase.xfail ? "xfailed" : "skipped", message: testCase.message });
        break;
      case "failed":
        summary.failed++;
        summary.failures.push(failureOf(testCase, "failed"));
        break;
      case "error":
      case "collection_error":
        summary.errors++;
        summary.failures.push(failureOf(testCase, testCase.outcome));
        break;
    }
  }
  return summary;
}

function failureOf(testCase: JunitCase, kind: FailureKind): TestFailure {
  return {
    nodeId: testCase.nodeId,
    file: testCase.file,
    line: lastLineIn(testCase.detail, testCase.file) ?? testCase.defLine,
    kind,
    message: testCase.message,
    traceback: testCase.detail,
  };
}

/** The last `file:N:` location of `file` in a pytest report: the line of the test that led to the error. */
export function lastLineIn(report: string, file: string): number | undefined {
  let line: number | undefined;
  const prefix = file + ":";
  for (const text of report.split("\n")) {
    if (!text.startsWith(prefix)) continue;
    const match = /^(\d+):/.exec(text.slice(prefix.length));
    if (match) line = Number(match[1]);
  }
  return line;
}

/**
 * pytest stops before writing any JUnit when a conftest.py cannot be imported
 * (`ImportError while loading conftest '/abs/tests/conftest.py'.`, exit 4).
 * That is a collection error of the conftest: report it as one.
 */
export function conftestFailureFrom(output: string, repoDir: string): TestFailure | undefined {
  const match = /ImportError while loading conftest '([^']+)'\.\n([\s\S]*)/.exec(output);
  if (!match) return undefined;
  const file = relativeTo(repoDir, match[1]);
  const traceback = match[2].trimEnd();
  return {
    nodeId: file,
    file,
    line: lastLineIn(traceback, file),
    kind: "collection_error",
    message: errorLinesOf(traceback) || "conftest.py could not be imported",
    traceback,
  };
}

function relativeTo(repoDir: string, absolute: string): string {
  const base = repoDir.endsWith("/") ? repoDir : repoDir + "/";
  return absolute.startsWith(base) ? absolute.slice(base.length) : absolute;
}

/** Code-unit order: the same on every machine and locale. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
