/**
 * Telling the bot's work from everyone else's, as pure functions: the branch
 * name prefix, the metadata file, the commit trailers and the author identity.
 */
import type { Identity } from "../git/git.ts";
import { parseTrailers } from "../git/git.ts";
import {
  BRANCH_PREFIXES,
  type SentriesMetadata,
  type SentryName,
  TRAILER_BASE,
  TRAILER_SENTRY,
} from "../delivery/metadata.ts";
import type { CommitInfo } from "./types.ts";

export const KEEP_LABEL = "sentries:keep";
export const ABANDONED_SUFFIX = " — abandoned";

function isSentryName(value: unknown): value is SentryName {
  return typeof value === "string" && Object.hasOwn(BRANCH_PREFIXES, value);
}

/** The sentry whose prefix the branch name carries, e.g. `ai-test-fixes/…` → testsentry. */
export function sentryForBranch(name: string): SentryName | undefined {
  for (const [sentry, prefix] of Object.entries(BRANCH_PREFIXES)) {
    if (name.startsWith(prefix) && name.length > prefix.length) return sentry as SentryName;
  }
  return undefined;
}

/** The metadata file's content when it is the bot's (right tool, known sentry, a base and a date). */
export function parseMetadataFile(text: string): SentriesMetadata | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== "object" || value === null) return undefined;
  const meta = value as Partial<SentriesMetadata>;
  if (meta.tool !== "sentries" || !isSentryName(meta.sentry)) return undefined;
  if (typeof meta.base_sha !== "string" || !/^[0-9a-f]{7,64}$/.test(meta.base_sha)) return undefined;
  if (typeof meta.created_at !== "string" || Number.isNaN(Date.parse(meta.created_at))) return undefined;
  return meta as SentriesMetadata;
}

/** The `created_at` of a PR-body metadata marker's value, when it has one. */
export function markerCreatedAt(marker: unknown): string | undefined {
  if (typeof marker !== "object" || marker === null) return undefined;
  const at = (marker as { created_at?: unknown }).created_at;
  return typeof at === "string" && !Number.isNaN(Date.parse(at)) ? at : undefined;
}

export function hasBotTrailers(commit: CommitInfo): boolean {
  return isSentryName(commit.trailers[TRAILER_SENTRY]);
}

/** The `Sentries-Base` trailer of a bot commit. */
export function trailerBase(commit: CommitInfo): string | undefined {
  const base = commit.trailers[TRAILER_BASE];
  return base && /^[0-9a-f]{7,64}$/.test(base) ? base : undefined;
}

function isBotAuthor(commit: CommitInfo, bot: Identity): boolean {
  return commit.authorName === bot.name && commit.authorEmail.toLowerCase() === bot.email.toLowerCase();
}

/** The bot always commits with author = committer; anything else was re-committed by someone. */
function isRecommitted(commit: CommitInfo): boolean {
  return commit.committerName !== commit.authorName ||
    commit.committerEmail.toLowerCase() !== commit.authorEmail.toLowerCase();
}

/**
 * Someone else's commit: not authored as the bot and without the bot's trailers, or a bot commit that
 * someone re-committed (`git commit --amend` keeps the bot's author and trailers, not its committer).
 */
export function isForeignCommit(commit: CommitInfo, bot: Identity): boolean {
  return isRecommitted(commit) || (!isBotAuthor(commit, bot) && !hasBotTrailers(commit));
}

export function describeCommit(commit: CommitInfo): string {
  const by = `${commit.authorName} <${commit.authorEmail}>`;
  return isRecommitted(commit)
    ? `${commit.sha.slice(0, 7)} ${by}, committed by ${commit.committerName} <${commit.committerEmail}>`
    : `${commit.sha.slice(0, 7)} ${by}`;
}

const FIELD = "\x1f";
const RECORD = "\x1e";

/** The `git log --format=` that parseCommitLog reads. */
export const COMMIT_LOG_FORMAT = ["%H", "%an", "%ae", "%cn", "%ce", "%cI", "%B"].join("%x1f") + "%x1e";

export function parseCommitLog(output: string): CommitInfo[] {
  return output.split(RECORD).map((r) => r.replace(/^\n/, "")).filter((r) => r.length > 0).map((record) => {
    const [sha, authorName, authorEmail, committerName, committerEmail, date, body] = record.split(FIELD);
    return { sha, authorName, authorEmail, committerName, committerEmail, date, trailers: parseTrailers(body ?? "") };
  });
}

/** "less than a day old", "1 day old", "12 days old" (`days` as ageInDays gives it: whole days, rounded down). */
export function ageText(days: number): string {
  if (days < 1) return "less than a day old";
  return days === 1 ? "1 day old" : `${days} days old`;
}

/** Which artifacts an age limit takes: "older than 30 days", "older than 1 day"; 0 or none takes them all. */
export function limitText(maxAgeDays: number | null): string {
  if (maxAgeDays === null || maxAgeDays <= 0) return "of any age";
  return maxAgeDays === 1 ? "older than 1 day" : `older than ${maxAgeDays} days`;
}

/** Whole days between `from` and `now`, rounded down; undefined for a missing or bad date. */
export function ageInDays(from: string | undefined, now: Date): number | undefined {
  if (!from) return undefined;
  const at = Date.parse(from);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, Math.floor((now.getTime() - at) / 86_400_000));
}
