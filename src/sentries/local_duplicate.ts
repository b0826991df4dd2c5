/**
 * Without GitHub, the open-PR check that stops a second run for the same fix has no PR to find: the fix is
 * on a local bot branch instead (issue 15.11). This finds such a branch by the run key its
 * `.sentries-metadata.json` carries (same sentry, same base commit, same failures), so the run can say so
 * and stop before asking any model. Reads only.
 *
 * "Already fixed" stops the run with exit 0, so a branch counts only when it still is the fix the bot
 * verified: exactly one commit on the run's base, the bot's own (author and committer, its trailers naming
 * this base and key), and never pushed. A commit by anyone else on top, an amended or re-committed tip, a
 * metadata file copied or edited onto another commit, or a branch that went to origin (its pull request may
 * have been closed; only the token's PR check can tell) does not count, and the run makes a new fix.
 */
import { BRANCH_PREFIXES, METADATA_FILE, type SentryName, TRAILER_BASE, TRAILER_KEY } from "../delivery/metadata.ts";
import type { Git, Identity } from "../git/git.ts";
import { listLocalHeads } from "../lifecycle/git_facts.ts";
import { COMMIT_LOG_FORMAT, isForeignCommit, parseCommitLog, parseMetadataFile } from "../lifecycle/proof.ts";
import { log } from "../log.ts";

/** A local bot branch whose tip carries the bot's metadata for this run's key. */
export interface LocalFix {
  branch: string;
  /** The branch's tip. */
  commit: string;
  /** The metadata's `created_at`. */
  createdAt: string;
}

export interface LocalFixQuery {
  sentry: SentryName;
  key: string;
  /** The commit this run fixes: the bot's commit must sit directly on it. */
  baseSha: string;
  /** Who the bot commits as (config author). */
  bot: Identity;
}

/** The newest local bot branch of `sentry` with a verified fix for `key`, if any. */
export async function findLocalFix(git: Git, q: LocalFixQuery): Promise<LocalFix | undefined> {
  const found: LocalFix[] = [];
  const [pushed, heads] = await Promise.all([remoteBranchNames(git), listLocalHeads(git)]);
  for (const head of heads) {
    if (!head.name.startsWith(BRANCH_PREFIXES[q.sentry])) continue;
    const file = await git.run(["show", `${head.sha}:${METADATA_FILE}`], { allowFail: true });
    const metadata = file.code === 0 ? parseMetadataFile(file.stdout) : undefined;
    if (metadata?.sentry !== q.sentry || metadata.key !== q.key) continue;
    const why = pushed.has(head.name)
      ? "it was pushed to a remote, where its pull request may have been closed"
      : await notTheBotsFix(git, head.sha, q);
    if (why) {
      log.debug(`duplicate check: ${head.name} carries this run's key but does not count: ${why}`);
      continue;
    }
    found.push({ branch: head.name, commit: head.sha, createdAt: metadata.created_at });
  }
  return found.sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt))[0];
}

/** Why the branch's tip is not the bot's one commit on the base for this key; undefined when it is. */
async function notTheBotsFix(git: Git, tip: string, q: LocalFixQuery): Promise<string | undefined> {
  const shown = await git.run(["log", "-n", "1", `--format=${COMMIT_LOG_FORMAT}`, tip], { allowFail: true });
  const parent = await git.run(["rev-parse", "--verify", "--quiet", `${tip}^`], { allowFail: true });
  const [commit] = shown.code === 0 ? parseCommitLog(shown.stdout) : [];
  if (!commit) return "its tip cannot be read";
  if (parent.code !== 0 || parent.stdout.trim() !== q.baseSha) return "its tip is not one commit on this base";
  const byBot = commit.authorName === q.bot.name && commit.authorEmail.toLowerCase() === q.bot.email.toLowerCase();
  if (!byBot || isForeignCommit(commit, q.bot)) return "its tip was made or re-committed by someone else";
  if (commit.trailers[TRAILER_BASE] !== q.baseSha || commit.trailers[TRAILER_KEY] !== q.key) {
    return "its commit's Sentries trailers name another base or key";
  }
  return undefined;
}

/** Branch names that have a remote-tracking copy (`refs/remotes/<remote>/<name>`). */
async function remoteBranchNames(git: Git): Promise<Set<string>> {
  const refs = await git.run(["for-each-ref", "--format=%(refname)", "refs/remotes/"], { allowFail: true });
  const names = refs.stdout.split("\n").map((r) => r.replace(/^refs\/remotes\/[^/]+\//, "")).filter(Boolean);
  return new Set(names);
}
