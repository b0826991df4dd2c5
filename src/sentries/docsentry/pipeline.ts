/**
 * `sentries docs`, as the story it tells:
 * which change → what changed → which docs → plan → patch → guard → check → deliver → report.
 */
import { SentriesError } from "../../errors.ts";
import { Git } from "../../git/git.ts";
import { createWorktree } from "../../git/worktree.ts";
import { type PullRequestEvent, readPullRequestEvent } from "../../github/mod.ts";
import { resolvePolicy } from "../../patch/mod.ts";
import { writeJobSummary } from "../../delivery/summary.ts";
import { askModel } from "../ask.ts";
import { parsePlannerAnswer } from "../prompts_common.ts";
import { finish, llmUsage, RunState } from "../run_state.ts";
import { patchDocs } from "./attempts.ts";
import { type ChangeRange, resolveChange } from "./change.ts";
import { deliverDocs } from "./deliver.ts";
import { readCodeChange, readDocsAt, renderChange } from "./material.ts";
import { docsPlannerMessages } from "./prompts.ts";
import { type DocsReport, renderDocsJobSummary } from "./report.ts";
import { renderSections, selectDocSections } from "./select.ts";
import { mentionedNames, removedNames } from "./surface.ts";
import { readEnv } from "../../env.ts";
import type { DocSentryOptions } from "./options.ts";

function isBotPullRequest(pr: PullRequestEvent): string | undefined {
  if (/^ai-(doc-updates|test-fixes)\//.test(pr.headRef)) return "it was opened by Sentries itself";
  if (pr.authorType === "Bot" || /\[bot\]$/.test(pr.author)) return `it was opened by a bot (${pr.author})`;
  return undefined;
}

export async function runDocSentry(options: DocSentryOptions): Promise<DocsReport> {
  const { config, signal } = options;
  const state = new RunState("docs", signal);
  const repo = new Git(config.repoPath, signal);
  if (!(await repo.isRepository())) {
    throw new SentriesError(`${config.repoPath} is not a git repository`, {
      hint: "run sentries inside a git checkout, or pass --repo-path",
      exitCode: 2,
      code: "git.not_a_repo",
    });
  }
  const eventPath = options.eventPath ?? (readEnv("GITHUB_EVENT_PATH") || undefined);
  const pullRequest = eventPath ? await readPullRequestEvent(eventPath) : undefined;
  const range = await state.step("change", "resolving the change", async () =>
    resolveChange(repo, {
      base: options.base,
      head: options.head,
      pullRequest,
      currentBranch: await repo.currentBranch(),
    }));
  const report = emptyReport(options, range.baseSha, range.headSha, range.headRef, pullRequest?.number);
  const done = async () => {
    report.llm = llmUsage(options.llm);
    report.timings = state.timings;
    report.totalMs = state.totalMs();
    await writeJobSummary(renderDocsJobSummary(report));
    return report;
  };

  const skip = pullRequest ? isBotPullRequest(pullRequest) : undefined;
  if (skip) return finish(report, "skipped", 0, `Skipped pull request #${pullRequest?.number}: ${skip}.`), done();

  const policy = resolvePolicy("docs", config.guards.docs);
  const code = await state.step("diff", "reading the code change", () => readCodeChange(repo, range, policy.allow));
  report.changedCodeFiles = code.codePaths;
  report.surface = code.surface;
  if (code.paths.length === 0) return finish(report, "skipped", 0, emptyChangeMessage(range, options)), done();
  if (code.codePaths.length === 0) {
    return finish(
      report,
      "skipped",
      0,
      "The change touches only docs, lock, generated or vendored files: nothing to do.",
    ),
      done();
  }

  const docs = await readDocsAt(repo, range.headSha, policy.allow);
  if (docs.length === 0) {
    return finish(
      report,
      "no_docs",
      0,
      `No documentation files (${policy.allow.join(", ")}) exist: nothing to update.`,
    ),
      done();
  }
  const budget = config.contextTokens;
  const change = renderChange(code, Math.floor(budget * 0.35));
  const selection = selectDocSections(docs, mentionedNames(code.surface), Math.floor(budget * 0.3));
  report.docsConsidered = selection.ranked;
  const sectionsText = renderSections(selection.sections);

  const planReply = await state.step(
    "plan",
    `asking ${config.modelPlan}`,
    () =>
      askModel(options.llm, config.modelPlan, docsPlannerMessages(change.text, sectionsText, pullRequest?.title), {
        purpose: "plan",
        numPredict: 600,
        signal,
      }),
  );
  const plan = parsePlannerAnswer(planReply.content, "UPDATE");
  report.reason = plan.reason;
  report.plan = plan.plan;
  if (plan.verdict !== "update") {
    if (options.github && pullRequest && !options.dryRun) {
      await options.github.ensureLabels([{ name: "docs-sentry:noop" }]);
      await options.github.addLabels(pullRequest.number, ["docs-sentry:noop"]);
    }
    return finish(
      report,
      "no_changes",
      0,
      `No docs change needed: ${plan.reason || "the planner answered NO_CHANGES"}.`,
    ),
      done();
  }

  const worktree = await state.step(
    "isolate",
    `temporary worktree at ${range.headSha.slice(0, 7)}`,
    () => createWorktree(repo, range.headSha, signal),
  );
  try {
    const patched = await patchDocs(options, state, worktree, {
      plan: plan.plan,
      changeText: change.text,
      sectionsText,
      docs: selection.ranked.filter((d) => d.mentions > 0).map((d) => d.path),
      removed: removedNames(code.surface),
    });
    report.attempts = patched.attempts;
    const fix = patched.fix;
    if (!fix) return finish(report, "not_updated", 1, patched.reason), done();
    report.diff = fix.diff;
    report.changedFiles = fix.changes.map((c) => c.path);
    report.linesAdded = fix.linesAdded;
    report.linesRemoved = fix.linesRemoved;
    if (options.dryRun) {
      finish(report, "updated", 0, "Found a checked docs-only update (dry run: no branch, commit or PR created).");
      return done();
    }
    await state.step(
      "deliver",
      "committing on a new branch",
      () => deliverDocs({ options, state, worktree, range, report, fix }),
    );
  } finally {
    await worktree.remove();
  }
  return done();
}

/** On the default branch itself the default range is empty: say how to name one. */
function emptyChangeMessage(range: ChangeRange, options: DocSentryOptions): string {
  if (range.baseSha !== range.headSha || options.base || range.pullRequest) {
    return "The change is empty: nothing to document.";
  }
  return `HEAD adds no commits to ${range.baseRef} (it is ${range.baseRef}, or already merged into it), so there is ` +
    "no change to document; pass --base REF (e.g. --base HEAD~1) to document recent commits.";
}

function emptyReport(
  options: DocSentryOptions,
  baseSha: string,
  headSha: string,
  headRef: string | undefined,
  sourcePr: number | undefined,
): DocsReport {
  return {
    outcome: "not_updated",
    exitCode: 1,
    dryRun: options.dryRun,
    baseSha,
    headSha,
    headRef,
    sourcePr,
    changedCodeFiles: [],
    surface: [],
    docsConsidered: [],
    attempts: [],
    changedFiles: [],
    linesAdded: 0,
    linesRemoved: 0,
    closedPullRequests: [],
    message: "",
    llm: { calls: 0, promptTokens: 0, completionTokens: 0, estimatedPromptTokens: 0, ms: 0 },
    timings: [],
    totalMs: 0,
  };
}
