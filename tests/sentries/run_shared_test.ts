/**
 * The checks both sentries start with and the accounting both end with exist once (issue 12): these are the
 * functions TestSentry (target.ts, testsentry/build_report.ts) and DocSentry (docsentry/pipeline.ts, change.ts,
 * docsentry/build_report.ts) call. Real git repositories and real event files.
 */
import assert from "node:assert/strict";
import { Git } from "../../src/git/git.ts";
import { SentriesError } from "../../src/errors.ts";
import { describeDeliveryPlan, planDelivery } from "../../src/delivery/plan.ts";
import {
  deliveryLines,
  jobSummaryTail,
  patchSummary,
  RunState,
  type RunSummary,
  withoutUndefined,
} from "../../src/sentries/run_state.ts";
import { requireHeadCommit, requireRepository, resolveTarget, runPullRequest } from "../../src/sentries/target.ts";
import { resolveChange } from "../../src/sentries/docsentry/change.ts";
import { createPyRepo, runGitIn } from "../support/pyrepo.ts";
import { writePullRequestEvent } from "../support/pr_event.ts";

async function rejectsWith(promise: Promise<unknown>, code: string, exitCode: number, message: RegExp) {
  await assert.rejects(promise, (err: unknown) => {
    assert.ok(err instanceof SentriesError, String(err));
    assert.equal(err.code, code);
    assert.equal(err.exitCode, exitCode);
    assert.match(err.message, message);
    return true;
  });
}

Deno.test("requireRepository: a plain folder is exit 2 git.not_a_repo, for both sentries", async () => {
  const dir = await Deno.makeTempDir({ prefix: "sentries-notrepo-" });
  try {
    const repo = new Git(dir);
    await rejectsWith(requireRepository(repo), "git.not_a_repo", 2, /is not a git repository$/);
    // TestSentry's target resolution stops with the same error, before anything else.
    await rejectsWith(resolveTarget(repo, undefined), "git.not_a_repo", 2, /is not a git repository$/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("requireHeadCommit: a repository with no commit is git.empty; with one, HEAD's sha", async () => {
  const dir = await Deno.realPath(await Deno.makeTempDir({ prefix: "sentries-empty-" }));
  try {
    await runGitIn(dir, ["init", "-q", "-b", "main"]);
    const repo = new Git(dir);
    await requireRepository(repo);
    await rejectsWith(requireHeadCommit(repo), "git.empty", 1, /^the repository has no commits yet$/);
    await rejectsWith(resolveTarget(repo, undefined), "git.empty", 1, /no commits yet/);
    // DocSentry's change resolution too (without --head: HEAD is the head).
    await rejectsWith(resolveChange(repo, { base: "main" }), "git.empty", 1, /no commits yet/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
  const made = await createPyRepo({ files: { "a.py": "x = 1\n" } });
  try {
    const head = (await runGitIn(made.dir, ["rev-parse", "HEAD"])).trim();
    assert.equal(await requireHeadCommit(new Git(made.dir)), head);
  } finally {
    await made.cleanup();
  }
});

Deno.test("runPullRequest: the event file's pull request, or none without an event", async () => {
  const dir = await Deno.makeTempDir({ prefix: "sentries-event-" });
  try {
    const path = await writePullRequestEvent({
      number: 7,
      title: "Rename total",
      headSha: "a".repeat(40),
      headRef: "feature",
      baseSha: "b".repeat(40),
      repo: "owner/name",
    }, dir);
    const pr = await runPullRequest(path);
    assert.equal(pr?.number, 7);
    assert.equal(pr?.headRef, "feature");
    assert.equal(pr?.baseSha, "b".repeat(40));
    assert.equal(pr?.isFork, false);
    assert.equal(await runPullRequest(""), undefined);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("RunState.usage: no model calls, the steps' times in order, a total no shorter than the steps", async () => {
  const state = new RunState("tests");
  await state.step("discover", "x", () => Deno.readTextFile(import.meta.filename ?? ""));
  await state.step("plan", "y", () => Promise.resolve());
  await state.step("discover", "again", () => Promise.resolve());
  const usage = state.usage(undefined);
  assert.deepEqual(usage.timings.map((t) => t.step), ["discover", "plan"]);
  assert.ok(usage.totalMs + 1 >= usage.timings[0].ms + usage.timings[1].ms); // each is rounded on its own
  assert.deepEqual(
    { ...usage.llm, perCall: usage.llm.perCall?.length },
    { calls: 0, promptTokens: 0, completionTokens: 0, estimatedPromptTokens: 0, ms: 0, perCall: 0 },
  );
});

Deno.test("patchSummary: no patch is no change; a patch gives its diff, files and size", () => {
  assert.deepEqual(patchSummary(undefined, undefined), {
    attempts: [],
    diff: undefined,
    changedFiles: [],
    linesAdded: 0,
    linesRemoved: 0,
  });
  const attempts = [{ attempt: 1, result: "applied_and_passed" as const }];
  assert.deepEqual(
    patchSummary(attempts, {
      diff: "--- a/x\n+++ b/x\n",
      changes: [{ path: "tests/test_a.py" }, { path: "tests/conftest.py" }],
      linesAdded: 3,
      linesRemoved: 1,
    }),
    {
      attempts,
      diff: "--- a/x\n+++ b/x\n",
      changedFiles: ["tests/test_a.py", "tests/conftest.py"],
      linesAdded: 3,
      linesRemoved: 1,
    },
  );
});

Deno.test("withoutUndefined drops only undefined fields, keeping their order", () => {
  const value = withoutUndefined({ a: 1, b: undefined, c: 0, d: "", e: null, f: false });
  assert.deepEqual(Object.keys(value), ["a", "c", "d", "e", "f"]);
});

function summary(over: Partial<RunSummary & { pullRequest: { url: string } }>): RunSummary & {
  pullRequest?: { url: string };
} {
  return {
    exitCode: 0,
    dryRun: false,
    message: "",
    attempts: [],
    changedFiles: [],
    linesAdded: 0,
    linesRemoved: 0,
    llm: { calls: 2, promptTokens: 10, completionTokens: 5, estimatedPromptTokens: 9, ms: 3 },
    timings: [],
    totalMs: 12_340,
    ...over,
  };
}

Deno.test("jobSummaryTail: the pull request, else the branch, then the model calls and the total time", () => {
  assert.deepEqual(jobSummaryTail(summary({ pullRequest: { url: "https://x/pull/3" }, branch: "ai-test-fixes/b" })), [
    "Pull request: https://x/pull/3",
    "",
    "Model calls: 2; total time 12.3 s.",
  ]);
  assert.deepEqual(jobSummaryTail(summary({ branch: "ai-test-fixes/b" })), [
    "Branch: `ai-test-fixes/b`",
    "",
    "Model calls: 2; total time 12.3 s.",
  ]);
  assert.deepEqual(jobSummaryTail(summary({})), ["Model calls: 2; total time 12.3 s."]);
});

Deno.test("deliveryLines: the branch with its commit; the delivery plan only on a dry run", () => {
  assert.deepEqual(deliveryLines(summary({ branch: "ai-doc-updates/x", commit: "0123456789abcdef" })), [
    "  branch: ai-doc-updates/x (0123456)",
  ]);
  const deliveryPlan = planDelivery({ sentry: "testsentry", branch: "ai-test-fixes/x", github: false, base: "main" });
  const planned = describeDeliveryPlan(deliveryPlan).map((l) => `  delivery: ${l}`);
  assert.ok(planned.length > 0);
  assert.deepEqual(deliveryLines(summary({ dryRun: true, deliveryPlan })), planned);
  assert.deepEqual(deliveryLines(summary({ dryRun: false, deliveryPlan, branch: "ai-test-fixes/x" })), [
    "  branch: ai-test-fixes/x",
  ]);
});
