/**
 * Helpers for re-testing after a patch (step 6): which tests to run, and how
 * the run after compares with the run before. Pure.
 */
import type { TestFailure } from "./results.ts";
import { compareText } from "./results.ts";
import type { PytestRun } from "./run.ts";

export interface RetestPlan {
  scope: "full" | "narrow";
  /** For a narrow run: the test files to run (changed test modules plus the modules that failed), sorted. */
  select?: string[];
  /** One line for the report. */
  reason: string;
}

/** A pytest test module by pytest's default `python_files` patterns. */
export function isTestModule(file: string): boolean {
  const base = file.slice(file.lastIndexOf("/") + 1);
  return /^test_.*\.py$/.test(base) || /_test\.py$/.test(base);
}

/**
 * A narrow run when the patch touched only test modules (no conftest.py, no
 * helper, no source): those modules plus the modules that failed. Modules, not
 * node ids: a patch may rename a test, and a vanished node id must show up as
 * a lost test rather than as a pytest usage error.
 */
export function planRetest(changedFiles: string[], failures: TestFailure[]): RetestPlan {
  const notTestModules = changedFiles.filter((f) => !isTestModule(f));
  if (notTestModules.length > 0) {
    return {
      scope: "full",
      reason: `the full suite, because the patch changed ${notTestModules.sort(compareText).join(", ")}`,
    };
  }
  const select = [...new Set([...changedFiles, ...failures.map((f) => f.file)])].sort(compareText);
  return { scope: "narrow", select, reason: `only ${select.join(", ")}, because the patch changed only test modules` };
}

export interface RunComparison {
  /** Failed before and after. */
  stillFailing: TestFailure[];
  /** Fail after, did not fail before. */
  newFailures: TestFailure[];
  /** Node ids (or modules, for collection errors) that failed before and pass now. */
  fixed: string[];
  /** Collected before (within the re-run's scope) and no longer collected: deleted or renamed tests. */
  lost: string[];
}

export function compareRuns(before: PytestRun, after: PytestRun, plan: RetestPlan): RunComparison {
  const inScope = (nodeId: string) => plan.scope === "full" || plan.select!.includes(moduleOf(nodeId));
  const failedBefore = new Map(before.failures.filter((f) => inScope(f.nodeId)).map((f) => [f.nodeId, f]));
  const failingAfter = new Set(after.failures.map((f) => f.nodeId));
  const collectedAfter = new Set(after.collected);
  const modulesCollectedAfter = new Set(after.collected.filter((id) => !failingAfter.has(id)).map(moduleOf));

  const collectionErrorsBefore = new Set(
    before.failures.filter((f) => f.kind === "collection_error").map((f) => f.nodeId),
  );
  // A module that failed to collect hid its tests: their failures now are the same problem, not new ones.
  const wasFailing = (f: TestFailure) => failedBefore.has(f.nodeId) || collectionErrorsBefore.has(moduleOf(f.nodeId));
  const fixed = [...failedBefore.values()].filter((f) =>
    !failingAfter.has(f.nodeId) &&
    (f.kind === "collection_error" ? modulesCollectedAfter.has(f.file) : collectedAfter.has(f.nodeId))
  ).map((f) => f.nodeId);
  return {
    stillFailing: after.failures.filter(wasFailing),
    newFailures: after.failures.filter((f) => !wasFailing(f)),
    fixed,
    lost: lostTests(before.collected.filter((id) => inScope(id) && !collectionErrorsBefore.has(id)), after.collected),
  };
}

/**
 * Tests collected before and gone after. Parametrized cases are compared by count per test
 * function, since a fix may rightly change parameter values (and so the case ids).
 */
export function lostTests(before: string[], after: string[]): string[] {
  const after_ = new Set(after);
  const countBy = (ids: string[]) => {
    const counts = new Map<string, string[]>();
    for (const id of ids) {
      const base = id.replace(/\[.*\]$/, "");
      counts.set(base, [...(counts.get(base) ?? []), id]);
    }
    return counts;
  };
  const now = countBy(after);
  const lost: string[] = [];
  for (const [base, ids] of countBy(before)) {
    const left = now.get(base)?.length ?? 0;
    if (left >= ids.length) continue;
    lost.push(...ids.filter((id) => !after_.has(id)).slice(0, ids.length - left));
  }
  return lost.sort(compareText);
}

/** The module part of a node id: `tests/test_a.py::T::test_x` → tests/test_a.py. */
export function moduleOf(nodeId: string): string {
  const cut = nodeId.indexOf("::");
  return cut === -1 ? nodeId : nodeId.slice(0, cut);
}
