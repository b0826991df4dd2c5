/**
 * Snapshots of what people read: the human report, the pull request body and the job summary of both
 * sentries, from fixed reports (a dry run shows its delivery plan). After an intended change:
 * UPDATE_GOLDEN=1 deno test -A tests/sentries/report_golden_test.ts
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { planDelivery } from "../../src/delivery/plan.ts";
import { renderDocsHuman, renderDocsJobSummary, renderDocsPrBody } from "../../src/sentries/docsentry/report.ts";
import type { DocsReport } from "../../src/sentries/docsentry/report.ts";
import { renderHuman, renderJobSummary, renderPrBody, type TestsReport } from "../../src/sentries/testsentry/report.ts";
import { goldenTests } from "../support/golden.ts";

const GOLDEN = fileURLToPath(new URL("./golden/", import.meta.url));
const DIFF =
  "--- a/tests/test_calc.py\n+++ b/tests/test_calc.py\n@@ -1,2 +1,2 @@\n def test_add():\n-    assert add(1, 2) == 4\n+    assert add(1, 2) == 3\n";
const LLM = { calls: 2, promptTokens: 1200, completionTokens: 300, estimatedPromptTokens: 1100, ms: 2500 };

const TESTS: TestsReport = {
  outcome: "fixed",
  exitCode: 0,
  dryRun: true,
  message: "Found a verified test-only fix (dry run: no branch, commit or PR created).",
  repoPath: "/repo",
  baseSha: "abc1234def5678abc1234def5678abc1234def56",
  baseBranch: "main",
  dirtyWorkingTree: false,
  pytestCommand: ["pytest"],
  interpreter: {
    source: ".venv",
    command: "/repo/.venv/bin/python -m pytest",
    python: "/repo/.venv/bin/python",
    pythonVersion: "3.12.4",
    pytestVersion: "8.3.2",
  },
  before: { passed: 3, failed: 1, errors: 0, skipped: 0, collected: 4 },
  failures: [{
    nodeId: "tests/test_calc.py::test_add",
    file: "tests/test_calc.py",
    kind: "failed",
    message: "assert 3 == 4",
    traceback: "",
  }],
  flaky: [],
  verdict: "update",
  reason: "add() is right; the test expects the old result.",
  plan: "1. tests/test_calc.py: expect 3.",
  attempts: [{ attempt: 1, result: "applied_and_passed", diff: DIFF }],
  diff: DIFF,
  changedFiles: ["tests/test_calc.py"],
  linesAdded: 1,
  linesRemoved: 1,
  verification: {
    scope: "narrow",
    selection: ["tests/test_calc.py"],
    reason: "the changed test files",
    passed: 4,
    failed: 0,
  },
  deliveryPlan: planDelivery({
    sentry: "testsentry",
    branch: "ai-test-fixes/abc1234-20240101000000",
    github: true,
    base: "main",
  }),
  llm: LLM,
  timings: [{ step: "discover", ms: 800 }, { step: "plan", ms: 1200 }, { step: "patch", ms: 900 }],
  totalMs: 3400,
};

const DOCS: DocsReport = {
  outcome: "updated",
  exitCode: 0,
  dryRun: true,
  message: "Found a checked docs-only update (dry run: no branch, commit or PR created).",
  baseSha: "1111111aaaaaaa",
  headSha: "2222222bbbbbbb",
  headRef: "feature",
  sourcePr: 7,
  changedCodeFiles: ["calc.py"],
  surface: [{ kind: "function", old: "add", new: "plus", file: "calc.py" }],
  docsConsidered: [{ path: "README.md", mentions: 2 }],
  reason: "README names add().",
  plan: "1. README.md: add → plus.",
  attempts: [{ attempt: 1, result: "applied_and_passed" }],
  diff: "--- a/README.md\n+++ b/README.md\n@@ -1 +1 @@\n-Call add(1, 2).\n+Call plus(1, 2).\n",
  changedFiles: ["README.md"],
  linesAdded: 1,
  linesRemoved: 1,
  closedPullRequests: [],
  deliveryPlan: planDelivery({
    sentry: "docsentry",
    branch: "ai-doc-updates/2222222-20240101000000",
    github: true,
    base: "feature",
    sourcePr: { number: 7, isFork: false },
    patchHash: "p",
    headSha: "2222222bbbbbbb",
    openDocsPulls: [{ number: 5, url: "u", headRef: "ai-doc-updates/x", headSha: "5555555", forHeadSha: "old" }],
  }),
  llm: LLM,
  timings: [],
  totalMs: 3400,
};

const SNAPSHOTS: Record<string, () => string> = {
  "tests_human.txt": () => renderHuman(TESTS),
  "tests_pr_body.txt": () => renderPrBody(TESTS),
  "tests_job_summary.txt": () => renderJobSummary(TESTS),
  "docs_human.txt": () => renderDocsHuman(DOCS),
  "docs_pr_body.txt": () => renderDocsPrBody(DOCS),
  "docs_job_summary.txt": () => renderDocsJobSummary(DOCS),
};

goldenTests(GOLDEN, SNAPSHOTS);

Deno.test("a dry run's human report says what delivery would do", () => {
  assert.match(renderHuman(TESTS), /delivery: would open a pull request against main/);
  assert.match(renderDocsHuman(DOCS), /delivery: would close superseded #5/);
  assert.doesNotMatch(renderHuman({ ...TESTS, dryRun: false }), /delivery:/);
});
