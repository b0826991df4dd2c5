/**
 * Removes a leftover `.sentries-metadata.json` the way the bot delivers any
 * change: a commit in a temporary worktree (the user's checkout is never
 * touched) on a new bot branch, pushed with a pull request when a token is
 * set. Never a push to the branch that holds the file.
 */
import type { Git, Identity } from "../git/git.ts";
import { createWorktree } from "../git/worktree.ts";
import type { GitHub } from "../github/mod.ts";
import { renderMetadataMarker } from "../github/mod.ts";
import { dedupeMarker, labelSpec } from "../delivery/deliver.ts";
import { METADATA_FILE, TRAILER_BASE, TRAILER_KEY, TRAILER_SENTRY, TRAILER_VERSION } from "../delivery/metadata.ts";
import { VERSION } from "../version.ts";
import type { Action } from "./types.ts";

export type RemoveOrphanAction = Extract<Action, { kind: "remove-orphan-metadata" }>;

export interface OrphanDeps {
  git: Git;
  github?: GitHub;
  bot: Identity;
  remote: string;
  signal?: AbortSignal;
  /** The `worktree_dir` setting. */
  worktreeDir?: string;
}

function commitMessage(action: RemoveOrphanAction): string {
  return `chore(sentries): remove leftover ${METADATA_FILE} from ${action.branch}\n\n` +
    `A Sentries branch was merged into ${action.branch} together with its metadata file, which only\n` +
    `identifies the bot's own branches. \`sentries cleanup\` removes it.\n\n` +
    [
      `${TRAILER_SENTRY}: ${action.sentry}`,
      `${TRAILER_VERSION}: ${VERSION}`,
      `${TRAILER_BASE}: ${action.commit}`,
      `${TRAILER_KEY}: ${action.key}`,
    ].join("\n") + "\n";
}

function pullRequestBody(action: RemoveOrphanAction): string {
  const marker = {
    tool: "sentries",
    version: VERSION,
    sentry: action.sentry,
    kind: "cleanup",
    base_sha: action.commit,
    base_branch: action.branch,
    created_at: new Date().toISOString(),
    key: action.key,
  };
  return `\`${METADATA_FILE}\` was merged into \`${action.branch}\` from a Sentries branch. It only marks the ` +
    `bot's own branches, so \`sentries cleanup\` proposes removing it. Nothing else changes.\n\n` +
    `${dedupeMarker(action.key)}\n${renderMetadataMarker(marker)}\n`;
}

/** Commits the removal on `action.newBranch`; returns what was done, for the outcome. */
export async function removeOrphanedMetadata(action: RemoveOrphanAction, deps: OrphanDeps): Promise<string> {
  const worktree = await createWorktree(deps.git, action.commit, deps.signal, deps.worktreeDir);
  let commit: string;
  try {
    await worktree.git.run(["rm", "--quiet", "--", METADATA_FILE]);
    commit = await worktree.git.commit(commitMessage(action), deps.bot);
  } finally {
    await worktree.remove();
  }
  // An empty old value: create the branch only if nobody made one by that name meanwhile.
  await deps.git.run(["update-ref", `refs/heads/${action.newBranch}`, commit, ""]);
  if (!action.openPr || !deps.github) {
    return `committed ${commit.slice(0, 7)} on local branch ${action.newBranch}; merge it into ${action.branch}`;
  }
  const existing = await deps.github.findPullRequestsByMarker(dedupeMarker(action.key), "open");
  if (existing[0]) return `committed on ${action.newBranch}; #${existing[0].number} already proposes this`;
  await deps.git.run(
    ["push", "--quiet", deps.remote, `refs/heads/${action.newBranch}:refs/heads/${action.newBranch}`],
    { timeoutMs: 300_000 },
  );
  const labels = ["sentries", `sentry-${action.sentry}`];
  await deps.github.ensureLabels(labels.map(labelSpec));
  const pr = await deps.github.createPullRequest({
    title: `chore(sentries): remove leftover ${METADATA_FILE} from ${action.branch}`,
    body: pullRequestBody(action),
    head: action.newBranch,
    base: action.branch,
  });
  await deps.github.addLabels(pr.number, labels);
  return `opened #${pr.number} (${pr.url}) from ${action.newBranch}`;
}
