/**
 * Reads what git knows about the bot's branches and leftovers: local heads,
 * heads on origin (`git ls-remote`, which needs no token), the metadata file
 * and trailers at each tip, and who authored the commits since the fork.
 * Reads only: nothing here fetches, writes a ref or touches a working tree.
 */
import type { Git, Identity } from "../git/git.ts";
import { METADATA_FILE, type SentryName } from "../delivery/metadata.ts";
import {
  COMMIT_LOG_FORMAT,
  describeCommit,
  hasBotTrailers,
  isForeignCommit,
  parseCommitLog,
  parseMetadataFile,
  trailerBase,
} from "./proof.ts";
import type { BranchEvidence, CommitInfo, OrphanEvidence } from "./types.ts";

export interface Head {
  name: string;
  sha: string;
}

/** How many commits back from a tip to look for the bot's trailers. */
const TRAILER_SCAN_DEPTH = 50;

export async function listLocalHeads(git: Git): Promise<Head[]> {
  const out = await git.text(["for-each-ref", "--format=%(objectname) %(refname)", "refs/heads/"]);
  return parseRefLines(out, " ");
}

export interface RemoteHeads {
  heads: Head[];
  defaultBranch?: string;
}

/** Branches on origin and its default branch, straight from the remote. */
export async function listRemoteHeads(git: Git, remote = "origin"): Promise<RemoteHeads> {
  const out = await git.text(["ls-remote", "--symref", remote, "HEAD", "refs/heads/*"]);
  const symref = /^ref: refs\/heads\/(\S+)\s+HEAD$/m.exec(out);
  return { heads: parseRefLines(out, "\t"), defaultBranch: symref?.[1] };
}

function parseRefLines(out: string, separator: string): Head[] {
  const heads: Head[] = [];
  for (const line of out.split("\n")) {
    const [sha, ref] = line.split(separator);
    if (!ref?.startsWith("refs/heads/") || !/^[0-9a-f]{40,64}$/.test(sha)) continue;
    heads.push({ name: ref.slice("refs/heads/".length), sha });
  }
  return heads;
}

export async function hasCommit(git: Git, sha: string): Promise<boolean> {
  return (await git.run(["cat-file", "-e", `${sha}^{commit}`], { allowFail: true })).code === 0;
}

async function isAncestor(git: Git, ancestor: string, tip: string): Promise<boolean> {
  return (await git.run(["merge-base", "--is-ancestor", ancestor, tip], { allowFail: true })).code === 0;
}

async function commitsIn(git: Git, args: string[]): Promise<CommitInfo[]> {
  return parseCommitLog((await git.run(["log", `--format=${COMMIT_LOG_FORMAT}`, ...args])).stdout);
}

/**
 * The commits a branch added: since its base when that is known and an ancestor; otherwise the
 * commits no other branch (local or on origin) has.
 */
async function commitsSinceFork(git: Git, head: Head, base: string | undefined): Promise<CommitInfo[]> {
  if (base && await hasCommit(git, base) && await isAncestor(git, base, head.sha)) {
    return await commitsIn(git, [`${base}..${head.sha}`]);
  }
  return await commitsIn(git, [
    head.sha,
    "--not",
    `--exclude=${head.name}`,
    "--branches",
    `--exclude=origin/${head.name}`,
    "--remotes",
  ]);
}

export async function inspectBotBranch(
  git: Git,
  head: Head,
  location: "local" | "remote",
  sentry: SentryName,
  bot: Identity,
): Promise<BranchEvidence> {
  const evidence: BranchEvidence = {
    name: head.name,
    location,
    sha: head.sha,
    sentry,
    available: await hasCommit(git, head.sha),
    foreign: "unknown",
    foreignCommits: [],
  };
  if (!evidence.available) {
    evidence.note = "tip not fetched (run `git fetch origin`)";
    return evidence;
  }
  const file = await git.run(["show", `${head.sha}:${METADATA_FILE}`], { allowFail: true });
  const metadata = file.code === 0 ? parseMetadataFile(file.stdout) : undefined;
  const recent = await commitsIn(git, ["-n", String(TRAILER_SCAN_DEPTH), head.sha]);
  const trailerCommit = recent.find(hasBotTrailers);
  evidence.tipDate = recent[0]?.date;
  if (metadata && metadata.sentry !== sentry) {
    evidence.note = `metadata names ${metadata.sentry}, the branch name ${sentry}`;
  } else if (metadata) {
    evidence.metadata = metadata;
    evidence.proof = "metadata";
    evidence.baseSha = metadata.base_sha;
  } else if (trailerCommit) {
    evidence.proof = "trailers";
    evidence.baseSha = trailerBase(trailerCommit);
  } else {
    evidence.note = `no ${METADATA_FILE} and no Sentries trailers`;
  }
  const commits = await commitsSinceFork(git, head, evidence.baseSha);
  const foreign = commits.filter((c) => isForeignCommit(c, bot));
  evidence.foreign = foreign.length > 0 ? "some" : "none";
  evidence.foreignCommits = foreign.map(describeCommit);
  return evidence;
}

export interface BranchCopy extends Head {
  location: "local" | "remote";
}

/**
 * `.sentries-metadata.json` files on branches that are not the bot's. One
 * `git cat-file --batch-check` asks about every tip at once.
 */
export async function findOrphanedMetadata(
  git: Git,
  copies: BranchCopy[],
  defaultBranch: string | undefined,
): Promise<OrphanEvidence[]> {
  if (copies.length === 0) return [];
  const query = copies.map((c) => `${c.sha}:${METADATA_FILE}`).join("\n") + "\n";
  const answers = (await git.run(["cat-file", "--batch-check"], { stdin: query })).stdout.trimEnd().split("\n");
  const byBranch = new Map<string, OrphanEvidence>();
  for (const [i, copy] of copies.entries()) {
    const m = /^([0-9a-f]{40,64}) blob \d+$/.exec(answers[i] ?? "");
    if (!m) continue;
    const blob = m[1];
    const existing = byBranch.get(copy.name);
    if (existing) {
      existing.locations.push(copy.location);
      if (copy.location === "remote") {
        existing.commit = copy.sha;
        existing.onRemote = true;
        existing.blob = blob;
      }
      continue;
    }
    const metadata = parseMetadataFile(await git.text(["cat-file", "blob", blob]));
    byBranch.set(copy.name, {
      branch: copy.name,
      locations: [copy.location],
      commit: copy.sha,
      onRemote: copy.location === "remote",
      blob,
      metadata,
      sentry: metadata?.sentry ?? "testsentry",
      createdAt: metadata?.created_at,
      isDefaultBranch: copy.name === defaultBranch,
    });
  }
  return [...byBranch.values()];
}
