/**
 * Identify: gathers every bot branch (local and on origin), the bot's pull
 * requests and orphaned metadata files, with the evidence for each. Reads
 * only; a remote or API that cannot be reached becomes a warning.
 */
import { UsageError } from "../errors.ts";
import type { Git, Identity } from "../git/git.ts";
import type { GitHub } from "../github/mod.ts";
import { describeError } from "../errors.ts";
import { log } from "../log.ts";
import {
  type BranchCopy,
  findOrphanedMetadata,
  type Head,
  inspectBotBranch,
  listLocalHeads,
  listRemoteHeads,
} from "./git_facts.ts";
import { listBotPulls } from "./github_facts.ts";
import { sentryForBranch } from "./proof.ts";
import type { BranchEvidence, Inventory, RepoContext } from "./types.ts";

export interface InventoryDeps {
  git: Git;
  /** Undefined without a token: pull requests are then not listed. */
  github?: GitHub;
  /** The identity the bot commits as (config authorName/authorEmail). */
  bot: Identity;
  remote?: string;
}

export async function takeInventory(deps: InventoryDeps): Promise<Inventory> {
  const { git, bot } = deps;
  const remote = deps.remote ?? "origin";
  if (!await git.isRepository()) {
    throw new UsageError(`${git.dir} is not a git repository`, { hint: "pass a repository with --repo-path" });
  }
  const warnings: string[] = [];
  const warn = (message: string) => {
    warnings.push(message);
    log.warn(message);
  };
  const localHeads = await listLocalHeads(git);
  const hasOrigin = (await git.remoteUrl(remote)) !== undefined;
  let remoteHeads: Head[] = [];
  let defaultBranch: string | undefined;
  if (hasOrigin) {
    try {
      const listed = await listRemoteHeads(git, remote);
      remoteHeads = listed.heads;
      defaultBranch = listed.defaultBranch;
    } catch (err) {
      warn(`could not list the branches on ${remote}: ${describeError(err)}`);
    }
  }
  defaultBranch ??= ["main", "master"].find((name) => localHeads.some((h) => h.name === name));

  const branches: BranchEvidence[] = [];
  const nonBot: BranchCopy[] = [];
  for (const [location, heads] of [["local", localHeads], ["remote", remoteHeads]] as const) {
    for (const head of heads) {
      const sentry = sentryForBranch(head.name);
      if (sentry) branches.push(await inspectBotBranch(git, head, location, sentry, bot));
      else nonBot.push({ ...head, location });
    }
  }
  const orphans = await findOrphanedMetadata(git, nonBot, defaultBranch);

  const context: RepoContext = {
    currentBranch: await git.currentBranch(),
    checkedOut: await git.checkedOutBranches(),
    hasOrigin,
    defaultBranch,
    github: "no token",
    existingBranches: [...new Set(branches.map((b) => b.name))],
  };
  let pulls: Inventory["pulls"] = [];
  if (deps.github) {
    try {
      pulls = await listBotPulls(deps.github);
      context.github = "checked";
    } catch (err) {
      context.github = `failed: ${describeError(err)}`;
      warn(`could not list pull requests: ${describeError(err)}`);
    }
  }
  return { branches, pulls, orphans, context, warnings };
}
