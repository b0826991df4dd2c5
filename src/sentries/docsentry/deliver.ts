/**
 * Step 6 of `sentries docs`: deliver the checked patch without ever opening
 * a duplicate. The bot PR is keyed on (repository, source PR, head sha);
 * an open bot PR with the same patch is left alone, one for the same head is
 * updated, and older ones are closed with a link to the new one. A fork PR
 * (no push rights) gets the patch as a comment instead.
 */
import { botIdentity, runMetadata } from "../run_metadata.ts";
import {
  commitOnBotBranch,
  labelSpec,
  metadataComment,
  prBodyWithMarkers,
  pushAndOpenPullRequest,
} from "../../delivery/deliver.ts";
import { botBranchName, BRANCH_PREFIXES, type SentriesMetadata, stableKey } from "../../delivery/metadata.ts";
import type { Git, Identity } from "../../git/git.ts";
import type { Worktree } from "../../git/worktree.ts";
import { COMMIT_LOG_FORMAT, describeCommit, isForeignCommit, parseCommitLog } from "../../lifecycle/proof.ts";
import { type GitHub, parseMetadataMarker, type PullRequestInfo } from "../../github/mod.ts";
import { log } from "../../log.ts";
import { type PreparedPatch, writeChanges } from "../../patch/mod.ts";
import { finish, type RunState } from "../run_state.ts";
import type { ChangeRange } from "./change.ts";
import { DOCS_LABELS, type DocSentryOptions } from "./options.ts";
import { type DocsReport, renderDocsPrBody } from "./report.ts";

export interface DeliverDocsInput {
  options: DocSentryOptions;
  state: RunState;
  worktree: Worktree;
  range: ChangeRange;
  report: DocsReport;
  fix: Extract<PreparedPatch, { kind: "ok" }>;
}

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

export async function deliverDocs(input: DeliverDocsInput): Promise<void> {
  const { options, worktree, range, report, fix } = input;
  const { config } = options;
  const repository = config.githubRepository ?? "local";
  const pr = range.pullRequest;
  const now = options.now?.() ?? new Date();
  const patchHash = await stableKey(fix.diff);
  const metadata = runMetadata({ ...options, state: input.state, now, attempts: report.attempts.length }, {
    sentry: "docsentry",
    base_sha: range.headSha,
    base_branch: range.headRef,
    key: await stableKey("docsentry", repository, String(pr?.number ?? ""), range.headSha),
    source_pr: pr?.number,
    head_sha: range.headSha,
    patch_hash: patchHash,
  });
  const title = pr
    ? `docs: update for #${pr.number}${pr.title ? ` (${pr.title.slice(0, 60)})` : ""}`
    : "docs: keep docs in step with the code";
  let body = renderDocsPrBody(report);
  if (pr) body += `\n\n${sourceMarker(repository, pr.number)}`;
  const github = options.github;

  if (github && pr?.isFork) {
    // No push rights to a fork's branch: suggest the patch in a comment.
    const comment = await github.comment(
      pr.number,
      `### DocSentry suggests this docs update\n\n${report.plan ?? ""}\n\n\`\`\`diff\n${fix.diff}\n\`\`\`\n\n` +
        `Apply it with \`git apply\`, or copy the changes. (This PR comes from a fork, so Sentries cannot push a branch.)\n\n` +
        metadataComment(metadata),
    );
    await labelSource(github, pr.number, "docs-sentry:done");
    report.forkComment = { url: comment.url };
    finish(report, "updated", 0, `Posted the suggested docs patch as a comment on fork PR #${pr.number}.`);
    return;
  }

  const existing = github && pr
    ? (await github.findPullRequestsByMarker(sourceMarker(repository, pr.number), "open")).filter(isBotDocsPull)
    : [];
  const same = existing.find((p) => metadataOf(p).patch_hash === patchHash);
  if (same) {
    report.pullRequest = { number: same.number, url: same.url, action: "unchanged" };
    finish(report, "unchanged", 0, `The open docs PR #${same.number} already carries this exact patch; left it alone.`);
    return;
  }

  await writeChanges(worktree.dir, fix.changes);
  const wantedBranch = botBranchName("docsentry", range.headSha, now);
  const committed = await commitOnBotBranch({
    worktree: worktree.git,
    branch: wantedBranch,
    paths: fix.changes.map((c) => c.path),
    metadata,
    subject: title,
    body: `Plan:\n${report.plan ?? ""}`,
    identity: botIdentity(config),
  });
  const branch = committed.branch;
  report.commit = committed.commit;
  report.branch = branch;

  const base = range.headRef;
  if (!github || !base) {
    if (github && !base) log.warn("no branch to open a docs PR against (detached head); the branch stays local");
    report.prPreview = { title, body };
    finish(report, "updated", 0, `Committed a checked docs-only update on local branch ${branch}.`);
    return;
  }

  const sameHead = existing.find((p) => metadataOf(p).head_sha === range.headSha);
  if (sameHead) {
    const foreign = await othersCommits(worktree.git, sameHead.headRef, range.headSha, botIdentity(config));
    if (foreign.length > 0) {
      report.pullRequest = { number: sameHead.number, url: sameHead.url, action: "unchanged" };
      finish(
        report,
        "unchanged",
        0,
        `Docs PR #${sameHead.number} has commits from someone else (${foreign.join("; ")}); left it alone ` +
          `rather than overwrite them. The new patch is on local branch ${branch}.`,
      );
      return;
    }
    await worktree.git.run([
      "push",
      "--quiet",
      // Only over the commit the PR showed: never over something pushed to it since.
      `--force-with-lease=refs/heads/${sameHead.headRef}:${sameHead.headSha}`,
      "origin",
      `refs/heads/${branch}:refs/heads/${sameHead.headRef}`,
    ], {
      timeoutMs: 300_000,
    });
    await github.updatePullRequest(sameHead.number, { body: prBodyWithMarkers(body, metadata) });
    await github.comment(sameHead.number, metadataComment(metadata));
    report.pullRequest = { number: sameHead.number, url: sameHead.url, action: "updated" };
    if (pr) await labelSource(github, pr.number, "docs-sentry:done");
    finish(report, "updated", 0, `Updated docs PR #${sameHead.number} with a changed patch.`);
    return;
  }

  const opened = await pushAndOpenPullRequest({
    github,
    worktree: worktree.git,
    branch,
    base,
    title,
    body,
    labels: DOCS_LABELS,
    metadata,
    sourcePr: pr ? { number: pr.number, label: "docs-sentry:done" } : undefined,
  });
  report.pullRequest = { ...opened, action: "created" };
  for (const old of existing) {
    if (old.number === opened.number) continue;
    await github.comment(old.number, `Superseded by #${opened.number} for a newer head of the pull request.`);
    await github.updatePullRequest(old.number, { state: "closed" });
    report.closedPullRequests.push(old.number);
  }
  finish(report, "updated", 0, `Opened docs PR #${opened.number} against ${base}.`);
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

async function labelSource(github: GitHub, number: number, label: string): Promise<void> {
  await github.ensureLabels([labelSpec(label)]);
  await github.addLabels(number, [label]);
}
