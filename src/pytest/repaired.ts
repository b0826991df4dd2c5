/**
 * What became of each test that failed before a patch: a test is repaired only when it is collected and
 * passes. Skipped, xfailed, errored, still failing or gone is not a repair. Pure.
 */
import type { FailureKind, TestFailure } from "./results.ts";
import { compareText } from "./results.ts";
import type { PytestRun } from "./run.ts";
import { moduleOf } from "./verify.ts";

export type AfterOutcome = "passed" | "failed" | "skipped" | "xfailed" | "error" | "missing";

export interface RepairedTest {
  /** pytest node id (a module path for a module that failed to collect before). */
  nodeId: string;
  before: FailureKind;
  after: AfterOutcome;
  /** pytest's reason for a skip, xfail or failure after the patch; absent for a pass. */
  detail?: string;
  /** A parametrized case whose id changed with its parameters (a fix may rightly change them): the new ids. */
  nowAs?: string[];
}

/**
 * The outcome after the patch of each test that failed before. `after` must have run every failing test
 * (a narrow re-run selects their modules). A module that failed to collect before counts as passed when its
 * tests are collected now and none of them fails or is skipped.
 */
export function repairedOutcomes(
  failedBefore: TestFailure[],
  after: PytestRun,
  collectedBefore: string[] = [],
): RepairedTest[] {
  const failing = new Map(after.failures.map((f) => [f.nodeId, f]));
  const notRun = new Map((after.notRun ?? []).map((t) => [t.nodeId, t]));
  const collected = new Set(after.collected);
  const outcomes = failedBefore.map((f): RepairedTest => {
    if (f.kind === "collection_error") return moduleOutcome(f, after, failing, notRun);
    const failure = failing.get(f.nodeId);
    if (failure) {
      return {
        nodeId: f.nodeId,
        before: f.kind,
        after: failure.kind === "failed" ? "failed" : "error",
        detail: line(failure.message),
      };
    }
    const skipped = notRun.get(f.nodeId);
    if (skipped) return { nodeId: f.nodeId, before: f.kind, after: skipped.outcome, detail: line(skipped.message) };
    if (!collected.has(f.nodeId)) return renamedCase(f, after, collectedBefore, failing, notRun);
    return { nodeId: f.nodeId, before: f.kind, after: "passed" };
  });
  return outcomes.sort((a, b) => compareText(a.nodeId, b.nodeId));
}

function moduleOutcome(
  f: TestFailure,
  after: PytestRun,
  failing: Map<string, TestFailure>,
  notRun: Map<string, { outcome: "skipped" | "xfailed"; message: string }>,
): RepairedTest {
  const base = { nodeId: f.nodeId, before: f.kind };
  const own = failing.get(f.nodeId);
  if (own) return { ...base, after: "error", detail: line(own.message) };
  const tests = after.collected.filter((id) => id !== f.nodeId && moduleOf(id) === f.file);
  if (tests.length === 0) return { ...base, after: "missing" };
  const failed = tests.find((id) => failing.has(id));
  if (failed) return { ...base, after: "failed", detail: `${failed}: ${line(failing.get(failed)!.message)}` };
  const skipped = tests.find((id) => notRun.has(id));
  if (skipped) {
    return {
      ...base,
      after: notRun.get(skipped)!.outcome,
      detail: `${skipped}: ${line(notRun.get(skipped)!.message)}`,
    };
  }
  return { ...base, after: "passed" };
}

/** A missing `test_x[old-params]`: judged by the cases of `test_x` that are new after the patch. */
function renamedCase(
  f: TestFailure,
  after: PytestRun,
  collectedBefore: string[],
  failing: Map<string, TestFailure>,
  notRun: Map<string, { outcome: "skipped" | "xfailed"; message: string }>,
): RepairedTest {
  const base = { nodeId: f.nodeId, before: f.kind };
  const fn = f.nodeId.replace(/\[.*\]$/, "");
  const before = new Set(collectedBefore);
  const nowAs = fn === f.nodeId
    ? []
    : after.collected.filter((id) => id.startsWith(fn + "[") && !before.has(id)).sort(compareText);
  if (nowAs.length === 0) return { ...base, after: "missing" };
  const failed = nowAs.find((id) => failing.has(id));
  if (failed) return { ...base, nowAs, after: "failed", detail: `${failed}: ${line(failing.get(failed)!.message)}` };
  const skipped = nowAs.find((id) => notRun.has(id));
  if (skipped) {
    return {
      ...base,
      nowAs,
      after: notRun.get(skipped)!.outcome,
      detail: `${skipped}: ${notRun.get(skipped)!.message}`,
    };
  }
  return { ...base, nowAs, after: "passed" };
}

function line(text: string): string {
  return text.split("\n")[0].slice(0, 200);
}

const WHY: Record<Exclude<AfterOutcome, "passed">, string> = {
  failed: "still fails",
  error: "errors",
  skipped: "is skipped now (a skipped test is not a fixed test)",
  xfailed: "is marked xfail now (an expected failure is not a fixed test)",
  missing: "was not collected (a test that no longer runs is not a fixed test)",
};

/** One line for the patcher per repaired test that did not pass, or undefined when all passed. */
export function describeUnrepaired(tests: RepairedTest[]): string | undefined {
  const bad = tests.filter((t) => t.after !== "passed");
  if (bad.length === 0) return undefined;
  const lines = bad.map((t) => {
    const why = WHY[t.after as Exclude<AfterOutcome, "passed">];
    return `- ${t.nodeId} failed before and ${why}${t.detail ? `: ${t.detail}` : ""}`;
  });
  return `Every test that failed must be collected and pass:\n${lines.join("\n")}`;
}
