/**
 * Step 6 of `sentries tests`: prove a patch. Re-run what failed, then the
 * narrowest suite that can still show a regression: the changed test files
 * plus the failing ones when only test modules changed, else the full suite.
 * The collected test ids must not shrink and a collection error is a failure.
 */
import { type PytestConfig, type PytestRun, runPytest, selectionOf, type TestFailure } from "../../pytest/mod.ts";

export type VerifyScope = "narrow" | "full";

export interface Verification {
  ok: boolean;
  scope: VerifyScope;
  /** What ran, for the report: node ids / files, or "full suite". */
  selection: string[];
  runs: PytestRun[];
  /** Why it is not ok, written for the patcher model. */
  feedback?: string;
  stillFailing: TestFailure[];
  newFailures: TestFailure[];
  missingTests: string[];
}

/** Narrow verification is safe only when no conftest.py and nothing outside test modules changed. */
export function chooseScope(changedPaths: string[]): VerifyScope {
  const onlyTestModules = changedPaths.every((p) => {
    const base = p.split("/").pop() ?? p;
    return p.endsWith(".py") && base !== "conftest.py" && /^(test_.*|.*_test)\.py$/.test(base);
  });
  return onlyTestModules && changedPaths.length > 0 ? "narrow" : "full";
}

function fileOf(nodeId: string): string {
  return nodeId.split("::")[0];
}

function describeFailures(title: string, failures: TestFailure[], limit = 5): string {
  const lines = failures.slice(0, limit).map((f) => {
    const tb = f.traceback.split("\n").filter((l) => l.trim()).slice(-12).join("\n");
    return `- ${f.nodeId}: ${f.message.split("\n")[0]}\n${tb ? indent(tb) : ""}`;
  });
  const more = failures.length > limit ? `\n(and ${failures.length - limit} more)` : "";
  return `${title}\n${lines.join("\n")}${more}`;
}

function indent(text: string): string {
  return text.split("\n").map((l) => `    ${l}`).join("\n");
}

export async function verifyFix(
  dir: string,
  pytest: PytestConfig,
  original: { run: PytestRun; failures: TestFailure[] },
  changedPaths: string[],
  scopeRule: "auto" | "full" = "auto",
): Promise<Verification> {
  const scope = scopeRule === "full" ? "full" : chooseScope(changedPaths);
  const runs: PytestRun[] = [];
  const failingIds = selectionOf(original.failures);
  const failingFiles = new Set(original.failures.map((f) => f.file || fileOf(f.nodeId)));

  let selection: string[];
  if (scope === "narrow") {
    // One run covers both the failing ids and everything else in the touched files.
    selection = [...new Set([...changedPaths, ...failingFiles])].sort();
  } else {
    // Fail fast on the failing ids before paying for the full suite.
    const first = await runPytest(dir, pytest, failingIds);
    runs.push(first);
    const still = original.failures.filter((f) => stillFails(f, first));
    if (still.length > 0 || first.failures.length > 0) {
      return result(false, scope, failingIds, runs, original, first);
    }
    selection = [];
  }
  const run = await runPytest(dir, pytest, scope === "narrow" ? selection : undefined);
  runs.push(run);
  return result(run.failures.length === 0, scope, scope === "narrow" ? selection : ["full suite"], runs, original, run);
}

function stillFails(failure: TestFailure, run: PytestRun): boolean {
  return run.failures.some((f) => f.nodeId === failure.nodeId || f.file === failure.nodeId) ||
    !run.collected.some((id) => id === failure.nodeId || id.startsWith(`${failure.nodeId}::`));
}

function result(
  passed: boolean,
  scope: VerifyScope,
  selection: string[],
  runs: PytestRun[],
  original: { run: PytestRun; failures: TestFailure[] },
  last: PytestRun,
): Verification {
  // A module that failed to collect hid its tests: their failures now are the same problem, not new ones.
  const originalIds = new Set(original.failures.map((f) => f.nodeId));
  const brokenModules = new Set(original.failures.filter((f) => f.kind === "collection_error").map((f) => f.file));
  const wasFailing = (f: TestFailure) => originalIds.has(f.nodeId) || brokenModules.has(fileOf(f.nodeId));
  const stillFailing = last.failures.filter(wasFailing);
  const newFailures = last.failures.filter((f) => !wasFailing(f));
  const missingTests = missingIds(original.run, last, scope, selection);
  const ok = passed && missingTests.length === 0 && last.failures.length === 0 && !last.timedOut;
  const parts: string[] = [];
  if (stillFailing.length) parts.push(describeFailures("These tests still fail:", stillFailing));
  if (newFailures.length) parts.push(describeFailures("These tests fail now (they did not before):", newFailures));
  if (missingTests.length) {
    parts.push(
      `These tests disappeared (deleting or renaming tests is not allowed):\n${
        missingTests.slice(0, 10).map((id) => `- ${id}`).join("\n")
      }`,
    );
  }
  if (last.timedOut) parts.push("pytest timed out while verifying the change.");
  return {
    ok,
    scope,
    selection,
    runs,
    feedback: ok ? undefined : parts.join("\n\n") || "The tests did not pass.",
    stillFailing,
    newFailures,
    missingTests,
  };
}

/**
 * Tests collected before (within the verified selection) that are gone after. Parametrized
 * ids are compared by count per test function, since a fix may rightly change parameter values.
 */
function missingIds(before: PytestRun, after: PytestRun, scope: VerifyScope, selection: string[]): string[] {
  const inScope = (id: string) =>
    scope === "full" || selection.some((s) => id === s || id.startsWith(`${s}::`) || fileOf(id) === s);
  const countBy = (ids: string[]) => {
    const counts = new Map<string, number>();
    for (const id of ids) {
      if (id.endsWith(".py")) continue; // a module that failed to collect is not a test
      const base = id.replace(/\[.*\]$/, "");
      counts.set(base, (counts.get(base) ?? 0) + 1);
    }
    return counts;
  };
  const was = countBy(before.collected.filter(inScope));
  const now = countBy(after.collected);
  const missing: string[] = [];
  for (const [base, count] of was) {
    const left = now.get(base) ?? 0;
    if (left < count) missing.push(count > 1 ? `${base} (${count - left} of ${count} cases)` : base);
  }
  return missing.sort();
}
