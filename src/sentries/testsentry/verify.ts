/**
 * Step 6 of `sentries tests`: prove a patch. When only test modules changed,
 * one narrow run of the changed and failing modules; otherwise the failing
 * modules first (fail fast), then the full suite. The collected tests must not
 * shrink, and a collection error is a failure.
 */
import {
  compareRuns,
  moduleOf,
  narrowRunConfig,
  planRetest,
  type PytestConfig,
  type PytestRun,
  type RetestPlan,
  runPytest,
  type TestFailure,
  unusableRunReason,
} from "../../pytest/mod.ts";
import { describeUnrepaired, repairedOutcomes, type RepairedTest } from "../../pytest/repaired.ts";

export type VerifyScope = "narrow" | "full";

export interface Verification {
  ok: boolean;
  scope: VerifyScope;
  /** What ran, for the report: test modules, or "full suite". */
  selection: string[];
  /** Which tests were re-run and why, in one line for the report. */
  reason: string;
  runs: PytestRun[];
  /** What became of each test that failed before; every one must have passed for `ok`. */
  repaired: RepairedTest[];
  /** Why it is not ok, written for the patcher model. */
  feedback?: string;
}

function describeFailures(title: string, failures: TestFailure[], limit = 5): string {
  const lines = failures.slice(0, limit).map((f) => {
    const tb = f.traceback.split("\n").filter((l) => l.trim()).slice(-12).map((l) => `    ${l}`).join("\n");
    return `- ${f.nodeId}: ${f.message.split("\n")[0]}\n${tb}`;
  });
  const more = failures.length > limit ? `\n(and ${failures.length - limit} more)` : "";
  return `${title}\n${lines.join("\n")}${more}`;
}

export async function verifyFix(
  dir: string,
  pytest: PytestConfig,
  original: { run: PytestRun; failures: TestFailure[] },
  changedPaths: string[],
  scopeRule: "auto" | "full" = "auto",
): Promise<Verification> {
  const plan: RetestPlan = scopeRule === "full"
    ? { scope: "full", reason: "the full suite (configured)" }
    : planRetest(changedPaths, original.failures);
  const runs: PytestRun[] = [];
  // A few modules run in one process even when the suite's own run is distributed (pytest-xdist).
  const narrow = await narrowRunConfig(pytest, dir);
  if (plan.scope === "full") {
    // Fail fast on the failing modules before paying for the full suite.
    const modules = [...new Set(original.failures.map((f) => moduleOf(f.nodeId)))].sort();
    const first = await runPytest(dir, narrow, modules);
    runs.push(first);
    const quick = verdict(original, first, { scope: "narrow", select: modules, reason: "" }, runs, plan);
    if (!quick.ok) return quick;
  }
  const run = await runPytest(dir, plan.scope === "full" ? pytest : narrow, plan.select);
  runs.push(run);
  return verdict(original, run, plan, runs, plan);
}

function verdict(
  original: { run: PytestRun; failures: TestFailure[] },
  after: PytestRun,
  compareWith: RetestPlan,
  runs: PytestRun[],
  plan: RetestPlan,
): Verification {
  const cmp = compareRuns(original.run, after, compareWith);
  const unusable = unusableRunReason(after);
  const repaired = repairedOutcomes(original.failures, after, original.run.collected);
  const ok = !unusable && after.failures.length === 0 && cmp.lost.length === 0 &&
    repaired.every((t) => t.after === "passed");
  const parts: string[] = [];
  if (cmp.stillFailing.length) parts.push(describeFailures("These tests still fail:", cmp.stillFailing));
  if (cmp.newFailures.length) {
    parts.push(describeFailures("These tests fail now (they did not before):", cmp.newFailures));
  }
  if (cmp.lost.length) {
    parts.push(
      `These tests disappeared (deleting or renaming tests is not allowed):\n${
        cmp.lost.slice(0, 10).map((id) => `- ${id}`).join("\n")
      }`,
    );
  }
  // Still failing and lost tests are said above; a skip, an xfail or a test that is gone only here.
  const notRunKinds = cmp.lost.length ? ["skipped", "xfailed"] : ["skipped", "xfailed", "missing"];
  const notRun = describeUnrepaired(repaired.filter((t) => notRunKinds.includes(t.after)));
  if (notRun) parts.push(notRun);
  if (unusable) parts.push(`pytest could not verify the change: ${unusable}`);
  return {
    ok,
    scope: plan.scope,
    selection: plan.select ?? ["full suite"],
    reason: plan.reason,
    runs,
    repaired,
    feedback: ok ? undefined : parts.join("\n\n") || "The tests did not pass.",
  };
}
