/**
 * Step 6 of `sentries docs`: deliver the checked patch without ever opening a duplicate. The bot PR is keyed
 * on (repository, source PR, head sha). The facts (open bot docs PRs for the same source PR, their metadata,
 * commits others pushed to them) are read first, read-only; planDelivery decides (an open bot PR with the
 * same patch is left alone, one for the same head is updated, older ones are superseded, a fork PR gets
 * the patch as a comment); executeDelivery carries it out.
 */
import type { GitHubReader } from "../../delivery/github_reader.ts";
import { metadataComment } from "../../delivery/deliver.ts";
import { type DeliveryResult, executeDelivery } from "../../delivery/execute.ts";
import { botBranchName, BRANCH_PREFIXES, type SentriesMetadata, stableKey } from "../../delivery/metadata.ts";
import type { DeliveryPlan, DocsDeliveryFacts, OpenDocsPull } from "../../delivery/plan.ts";
import type { Git, Identity } from "../../git/git.ts";
import type { Worktree } from "../../git/worktree.ts";
import { COMMIT_LOG_FORMAT, describeCommit, isForeignCommit, parseCommitLog } from "../../lifecycle/proof.ts";
import { parseMetadataMarker, type PullRequestInfo } from "../../github/mod.ts";
import { writeChanges } from "../../patch/mod.ts";
import type { AcceptedPatch } from "../patch_step.ts";
import { botIdentity, runMetadata } from "../run_metadata.ts";
import type { RunState } from "../run_state.ts";
import type { ChangeRange } from "./change.ts";
import type { DocSentryOptions } from "./options.ts";
import { type DocsPrBodyFacts, renderDocsPrBody } from "./report.ts";

export function sourceMarker(repository: string, prNumber: number): string {
  return `<!-- sentries-docs-source: ${repository}#${prNumber} -->`;
}

/**
 * Only a bot docs branch in this repository may be updated (force-pushed) or superseded (closed):
 * anyone can paste the markers into a PR body, and a fork's head branch name (say `main`) means
 * nothing in origin.
 */
function isBotDocsPull(pr: PullRequestInfo): boolean {
  return !pr.isFork && pr.headRef.startsWith(BRANCH_PREFIXES.docsentry);
}

function metadataOf(pr: PullRequestInfo): Partial<SentriesMetadata> {
  const meta = parseMetadataMarker(pr.body);
  return typeof meta === "object" && meta !== null ? meta as Partial<SentriesMetadata> : {};
}

/** The facts delivery is planned from; GitHub is only read. */
export async function docsDeliveryFacts(input: {
  github?: GitHubReader;
  repository: string;
  range: ChangeRange;
  worktree: Worktree;
  bot: Identity;
  fix: AcceptedPatch;
  now: Date;
}): Promise<DocsDeliveryFacts> {
  const { github, range } = input;
  const pr = range.pullRequest;
  const patchHash = await stableKey(input.fix.diff);
  const open = github && pr
    ? (await github.findPullRequestsByMarker(sourceMarker(input.repository, pr.number), "open")).filter(isBotDocsPull)
    : [];
  const openDocsPulls: OpenDocsPull[] = open.map((p) => ({
    number: p.number,
    url: p.url,
    headRef: p.headRef,
    headSha: p.headSha,
    forHeadSha: metadataOf(p).head_sha,
    patchHash: metadataOf(p).patch_hash,
  }));
  const sameHead = openDocsPulls.find((p) => p.forHeadSha === range.headSha && p.patchHash !== patchHash);
  return {
    sentry: "docsentry",
    branch: botBranchName("docsentry", range.headSha, input.now),
    github: github !== undefined,
    base: range.headRef,
    sourcePr: pr ? { number: pr.number, isFork: pr.isFork } : undefined,
    patchHash,
    headSha: range.headSha,
    openDocsPulls,
    othersCommitsOnSameHead: sameHead && range.headRef
      ? await othersCommits(input.worktree.git, sameHead.headRef, range.headSha, input.bot)
      : undefined,
  };
}

export function docsTitle(range: ChangeRange): string {
  const pr = range.pullRequest;
  return pr
    ? `docs: update for #${pr.number}${pr.title ? ` (${pr.title.slice(0, 60)})` : ""}`
    : "docs: keep docs in step with the code";
}

/** The PR body, with the hidden marker that finds this source PR's docs PRs again. */
export function docsPrBody(facts: DocsPrBodyFacts, repository: string, range: ChangeRange): string {
  const body = renderDocsPrBody(facts);
  return range.pullRequest ? `${body}\n\n${sourceMarker(repository, range.pullRequest.number)}` : body;
}

export async function deliverDocs(input: {
  options: DocSentryOptions;
  state: RunState;
  worktree: Worktree;
  range: ChangeRange;
  fix: AcceptedPatch;
  facts: DocsDeliveryFacts;
  plan: DeliveryPlan;
  body: string;
  /** The planner's plan, for the commit message and a fork's comment. */
  planText: string;
  attempts: number;
  now: Date;
}): Promise<DeliveryResult> {
  const { options, range, fix } = input;
  const { config } = options;
  const repository = config.githubRepository ?? "local";
  const pr = range.pullRequest;
  const metadata = runMetadata({ ...options, state: input.state, now: input.now, attempts: input.attempts }, {
    sentry: "docsentry",
    base_sha: range.headSha,
    base_branch: range.headRef,
    key: await stableKey("docsentry", repository, String(pr?.number ?? ""), range.headSha),
    source_pr: pr?.number,
    head_sha: range.headSha,
    patch_hash: input.facts.patchHash,
  });
  return executeDelivery(input.plan, {
    worktree: input.worktree.git,
    identity: botIdentity(config),
    github: options.github,
    metadata,
    title: docsTitle(range),
    body: input.body,
    commitBody: `Plan:\n${input.planText}`,
    paths: fix.changes.map((c) => c.path),
    writeChange: () => writeChanges(input.worktree.dir, fix.changes),
    forkComment: forkCommentText(input.planText, fix.diff, metadata),
  });
}

/** The comment a fork's PR gets instead of a branch: the plan and the patch. */
export function forkCommentText(plan: string, diff: string, metadata: SentriesMetadata): string {
  return `### DocSentry suggests this docs update\n\n${plan}\n\n\`\`\`diff\n${diff}\n\`\`\`\n\n` +
    `Apply it with \`git apply\`, or copy the changes. (This PR comes from a fork, so Sentries cannot push a branch.)\n\n` +
    metadataComment(metadata);
}

/** Commits on the bot's PR branch (after `base`) that someone other than the bot made. */
async function othersCommits(git: Git, ref: string, base: string, bot: Identity): Promise<string[]> {
  const fetched = await git.run(["fetch", "--quiet", "--no-tags", "origin", `refs/heads/${ref}`], {
    allowFail: true,
    timeoutMs: 300_000,
  });
  if (fetched.code !== 0) return [`could not read ${ref} from origin`];
  const log = await git.text(["log", `--format=${COMMIT_LOG_FORMAT}`, `${base}..FETCH_HEAD`]);
  return parseCommitLog(log).filter((c) => isForeignCommit(c, bot)).map(describeCommit);
}
