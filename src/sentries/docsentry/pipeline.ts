/**
 * `sentries docs`, as the story it tells:
 * which change → what changed → which docs → plan → patch → guard → check → deliver → report.
 * Every step returns its result; buildDocsReport makes the report from them (no step writes into it).
 */
import { Git } from "../../git/git.ts";
import { createWorktree } from "../../git/worktree.ts";
import type { PullRequestEvent } from "../../github/mod.ts";
import { resolvePolicy } from "../../patch/mod.ts";
import { renderSections } from "../../context/budget.ts";
import { labelNoop } from "../../delivery/deliver.ts";
import { planDelivery } from "../../delivery/plan.ts";
import { writeJobSummary } from "../../delivery/summary.ts";
import { askModel } from "../ask.ts";
import { parsePlannerAnswer } from "../prompts_common.ts";
import { botIdentity } from "../run_metadata.ts";
import { RunState } from "../run_state.ts";
import { requireRepository, runPullRequest } from "../target.ts";
import { patchDocs } from "./attempts.ts";
import { type ChangeRange, resolveChange } from "./change.ts";
import { afterDocsPlan, buildDocsReport, type DocsConclusion, type DocsSteps } from "./build_report.ts";
import { deliverDocs, docsDeliveryFacts, docsPrBody, docsTitle } from "./deliver.ts";
import { readCodeChange, readDocsAt, renderChange } from "./material.ts";
import { docsPlannerMessages } from "./prompts.ts";
import { type DocsReport, renderDocsJobSummary } from "./report.ts";
import { selectDocSections } from "./select.ts";
import { mentionedNames, removedNames } from "./surface.ts";
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
  await requireRepository(repo);
  const pullRequest = await runPullRequest(options.eventPath);
  const range = await state.step("change", "resolving the change", async () =>
    resolveChange(repo, {
      base: options.base,
      head: options.head,
      pullRequest,
      currentBranch: await repo.currentBranch(),
    }));
  const steps = await documentChange(options, state, repo, range, pullRequest);
  const report = buildDocsReport({
    ...steps,
    dryRun: options.dryRun,
    range,
    usage: state.usage(options.llm),
  });
  await writeJobSummary(renderDocsJobSummary(report));
  return report;
}

type StepResults = Omit<DocsSteps, "dryRun" | "range" | "usage">;

const stop = (outcome: DocsConclusion["outcome"], message: string): { stopped: DocsConclusion } => ({
  stopped: { outcome, exitCode: 0, message },
});

async function documentChange(
  options: DocSentryOptions,
  state: RunState,
  repo: Git,
  range: ChangeRange,
  pullRequest: PullRequestEvent | undefined,
): Promise<StepResults> {
  const { config, signal } = options;
  const skip = pullRequest ? isBotPullRequest(pullRequest) : undefined;
  if (skip) return stop("skipped", `Skipped pull request #${pullRequest?.number}: ${skip}.`);

  const policy = resolvePolicy("docs", config.guards.docs);
  const code = await state.step("diff", "reading the code change", () => readCodeChange(repo, range, policy.allow));
  if (code.paths.length === 0) return { code, ...stop("skipped", emptyChangeMessage(range, options)) };
  if (code.codePaths.length === 0) {
    return {
      code,
      ...stop("skipped", "The change touches only docs, lock, generated or vendored files: nothing to do."),
    };
  }

  const docs = await readDocsAt(repo, range.headSha, policy.allow);
  if (docs.length === 0) {
    return {
      code,
      ...stop("no_docs", `No documentation files (${policy.allow.join(", ")}) exist: nothing to update.`),
    };
  }
  const budget = config.contextTokens;
  const change = renderChange(code, Math.floor(budget * 0.35));
  const selection = selectDocSections(docs, mentionedNames(code.surface), Math.floor(budget * 0.3));
  const docsConsidered = selection.ranked;
  const sectionsText = renderSections(selection.sections, "banner");

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
  if (afterDocsPlan(plan)) {
    await labelNoopPullRequest(options, pullRequest);
    return { code, docsConsidered, plan };
  }

  const worktree = await state.step(
    "isolate",
    `temporary worktree at ${range.headSha.slice(0, 7)}`,
    () => createWorktree(repo, range.headSha, signal, config.worktreeDir),
  );
  try {
    const patching = await patchDocs(options, state, worktree, {
      plan: plan.plan,
      changeText: change.text,
      sectionsText,
      docs: selection.ranked.filter((d) => d.mentions > 0).map((d) => d.path),
      removed: removedNames(code.surface),
    });
    const fix = patching.fix;
    if (!fix) return { code, docsConsidered, plan, patching };

    // deliver: the facts read (GitHub read-only), the plan made (pure), then carried out
    const now = options.now?.() ?? new Date();
    const repository = config.githubRepository ?? "local";
    const facts = await docsDeliveryFacts({
      github: options.github ?? options.githubReader,
      repository,
      range,
      worktree,
      bot: botIdentity(config),
      fix,
      now,
    });
    const deliveryPlan = planDelivery(facts);
    if (options.dryRun) return { code, docsConsidered, plan, patching, deliveryPlan };
    const body = docsPrBody(
      {
        sourcePr: range.pullRequest?.number,
        baseSha: range.baseSha,
        headSha: range.headSha,
        surface: code.surface,
        plan: plan.plan,
        changedFiles: fix.changes.map((c) => c.path),
        linesAdded: fix.linesAdded,
        linesRemoved: fix.linesRemoved,
        diff: fix.diff,
      },
      repository,
      range,
    );
    const delivered = await state.step(
      "deliver",
      "committing on a new branch",
      () =>
        deliverDocs({
          options,
          state,
          worktree,
          range,
          fix,
          facts,
          plan: deliveryPlan,
          body,
          planText: plan.plan,
          attempts: patching.attempts.length,
          now,
        }),
    );
    const prPreview = { title: docsTitle(range), body };
    return { code, docsConsidered, plan, patching, deliveryPlan, delivered, prPreview };
  } finally {
    await worktree.remove();
  }
}

/** A pull request the planner found nothing to document for: say so with `docs-sentry:noop`. */
async function labelNoopPullRequest(options: DocSentryOptions, pullRequest: PullRequestEvent | undefined) {
  if (!options.github || !pullRequest || options.dryRun) return;
  await labelNoop(options.github, pullRequest.number, "docs-sentry:noop");
}

/** On the default branch itself the default range is empty: say how to name one. */
function emptyChangeMessage(range: ChangeRange, options: DocSentryOptions): string {
  if (range.baseSha !== range.headSha || options.base || range.pullRequest) {
    return "The change is empty: nothing to document.";
  }
  return `HEAD adds no commits to ${range.baseRef} (it is ${range.baseRef}, or already merged into it), so there is ` +
    "no change to document; pass --base REF (e.g. --base HEAD~1) to document recent commits.";
}
