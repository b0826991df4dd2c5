/**
 * Plan: decides, as plain data, what `cleanup` does with each artifact and
 * why, and what it leaves alone and why. Pure; dry-run prints exactly this.
 *
 * Never planned: the current branch, a branch checked out in a worktree, a
 * branch without a bot prefix, anything under `sentries:keep`, anything
 * newer than the age limit; unverified branches and branches with others'
 * commits only with the flags that lift those rules.
 */
import { METADATA_FILE } from "../delivery/metadata.ts";
import { orphanCleanupBranch } from "./orphan_names.ts";
import { buildLineages, isPullVerified } from "./lineage.ts";
import { ABANDONED_SUFFIX, ageInDays, ageText, KEEP_LABEL, limitText } from "./proof.ts";
import type {
  BranchEvidence,
  CleanupOptions,
  Inventory,
  Lineage,
  OrphanEvidence,
  Plan,
  PlannedAction,
  PullEvidence,
  RepoContext,
  Skipped,
} from "./types.ts";

const DAY_MS = 86_400_000;

/** Why an artifact is (or is not) old enough: "3 days old, older than 1 day", "less than a day old; no age limit". */
function ageReason(ageDays: number, maxAgeDays: number | null, old: boolean, source?: string): string {
  const age = `${ageText(ageDays)}${source ? ` (by ${source})` : ""}`;
  if (maxAgeDays === null) return `${age}; no age limit`;
  // With no limit (0 days) only a date after the clock's now is not old enough.
  if (maxAgeDays <= 0) return old ? `${age}; no age limit` : `${age}, dated after now`;
  return `${age}, ${old ? "" : "not "}${limitText(maxAgeDays)}`;
}

/** Older than the limit, to the millisecond; undefined when the age is not known. With no limit, anything is. */
function oldEnough(createdAt: string | undefined, maxAgeDays: number | null, now: Date): boolean | undefined {
  if (maxAgeDays === null) return true;
  if (!createdAt) return undefined;
  const at = Date.parse(createdAt);
  if (Number.isNaN(at)) return undefined;
  return now.getTime() - at > maxAgeDays * DAY_MS;
}

function artifactNames(lineage: Lineage): string[] {
  return [
    ...lineage.pulls.filter((p) => p.state === "open").map((p) => `PR #${p.number}`),
    ...(lineage.remote ? [`remote branch ${lineage.branch}`] : []),
    ...(lineage.local ? [`local branch ${lineage.branch}`] : []),
  ];
}

function foreignReason(copies: BranchEvidence[]): string {
  const commits = copies.flatMap((c) => c.foreignCommits);
  if (commits.length > 0) return `has commits by someone other than the bot: ${[...new Set(commits)].join(", ")}`;
  return "cannot tell who made its commits";
}

interface Buckets {
  pulls: PlannedAction[];
  remote: PlannedAction[];
  local: PlannedAction[];
  orphans: PlannedAction[];
  skipped: Skipped[];
}

function planPull(lineage: Lineage, pr: PullEvidence, ageDays: number, opts: CleanupOptions, out: Buckets): void {
  const artifact = `PR #${pr.number}`;
  const verified = isPullVerified(lineage, pr);
  if (!verified && !opts.includeUnverified) {
    out.skipped.push({ artifact, reason: "unverified: no bot proof on its branch and no sentry label with metadata" });
    return;
  }
  const copies = [lineage.remote, lineage.local].filter((c): c is BranchEvidence => c !== undefined);
  const unread = copies.find((c) => !c.available);
  if (unread) {
    // Who committed to the branch is unknown: neither close nor mark the PR on a guess.
    out.skipped.push({ artifact, reason: `its branch's ${unread.note ?? "tip is not in this clone"}` });
    return;
  }
  if (lineage.foreign !== "none" && !opts.includeForeignCommits) {
    if (pr.title.endsWith(ABANDONED_SUFFIX)) {
      out.skipped.push({ artifact, reason: `already marked abandoned; its branch ${foreignReason(copies)}` });
      return;
    }
    out.pulls.push({
      action: {
        kind: "mark-abandoned",
        number: pr.number,
        branch: lineage.branch,
        title: pr.title + ABANDONED_SUFFIX,
        comment: `\`sentries cleanup\` is leaving this pull request and its branch \`${lineage.branch}\` alone: ` +
          `the branch ${foreignReason(copies)}, so it is not deleted. The bot no longer manages it; close it or ` +
          `take it over. Add the \`${KEEP_LABEL}\` label to keep a Sentries pull request as it is.`,
      },
      reason: `${ageText(ageDays)}, but its branch ${foreignReason(copies)}`,
    });
    return;
  }
  out.pulls.push({
    action: {
      kind: "close-pr",
      number: pr.number,
      branch: lineage.branch,
      comment: `Closed by \`sentries cleanup\`: this Sentries pull request is ${ageText(ageDays)}, ` +
        (opts.maxAgeDays !== null && opts.maxAgeDays > 0
          ? `older than the ${opts.maxAgeDays}-day limit`
          : "and the cleanup had no age limit") +
        `, and its branch \`${lineage.branch}\` is removed with it. ` +
        `Add the \`${KEEP_LABEL}\` label to keep a Sentries pull request.`,
    },
    reason: ageReason(ageDays, opts.maxAgeDays, true),
    override: !verified ? "include-unverified" : lineage.foreign !== "none" ? "include-foreign-commits" : undefined,
  });
}

function planBranch(
  copy: BranchEvidence,
  ageDays: number,
  opts: CleanupOptions,
  context: RepoContext,
  out: Buckets,
): void {
  const artifact = `${copy.location} branch ${copy.name}`;
  const skip = (reason: string): void => void out.skipped.push({ artifact, reason });
  if (!copy.available) return skip(copy.note ?? "tip not fetched");
  if (!copy.proof && !opts.includeUnverified) {
    return skip(`unverified: name matches but ${copy.note ?? "no bot proof"} (--include-unverified removes it)`);
  }
  if (copy.location === "local") {
    if (copy.name === context.currentBranch) return skip("it is the current branch");
    if (context.checkedOut.includes(copy.name)) return skip("it is checked out in a worktree");
  }
  if (copy.foreign !== "none" && !opts.includeForeignCommits) {
    return skip(`${foreignReason([copy])} (only --force --include-foreign-commits removes it)`);
  }
  const planned: PlannedAction = {
    action: {
      kind: copy.location === "local" ? "delete-local-branch" : "delete-remote-branch",
      branch: copy.name,
      sha: copy.sha,
    },
    reason: ageReason(ageDays, opts.maxAgeDays, true),
    override: !copy.proof ? "include-unverified" : copy.foreign !== "none" ? "include-foreign-commits" : undefined,
  };
  (copy.location === "local" ? out.local : out.remote).push(planned);
}

function planLineage(lineage: Lineage, opts: CleanupOptions, context: RepoContext, now: Date, out: Buckets): void {
  const names = artifactNames(lineage);
  if (lineage.keptBy !== undefined) {
    for (const artifact of names) {
      out.skipped.push({ artifact, reason: `labelled ${KEEP_LABEL} (PR #${lineage.keptBy})` });
    }
    return;
  }
  const old = oldEnough(lineage.createdAt, opts.maxAgeDays, now);
  const ageDays = ageInDays(lineage.createdAt, now) ?? 0;
  if (old !== true) {
    const reason = old === undefined ? "age unknown" : ageReason(ageDays, opts.maxAgeDays, false, lineage.ageSource);
    for (const artifact of names) out.skipped.push({ artifact, reason });
    return;
  }
  for (const pr of lineage.pulls) if (pr.state === "open") planPull(lineage, pr, ageDays, opts, out);
  if (lineage.remote) planBranch(lineage.remote, ageDays, opts, context, out);
  if (lineage.local) planBranch(lineage.local, ageDays, opts, context, out);
}

function planOrphan(
  orphan: OrphanEvidence,
  inventory: Inventory,
  opts: CleanupOptions,
  now: Date,
  out: Buckets,
): void {
  const artifact = `${METADATA_FILE} on ${orphan.branch}`;
  const skip = (reason: string): void => void out.skipped.push({ artifact, reason });
  if (!orphan.metadata) return skip("the file is not the bot's metadata (it does not parse as such)");
  const old = oldEnough(orphan.createdAt, opts.maxAgeDays, now);
  const ageDays = ageInDays(orphan.createdAt, now) ?? 0;
  if (!old) return skip(ageReason(ageDays, opts.maxAgeDays, false));
  const onDefault = inventory.orphans.find((o) => o.isDefaultBranch && o.blob === orphan.blob);
  if (onDefault && onDefault !== orphan) {
    return skip(`the same file is on ${onDefault.branch}; removing it there covers this branch`);
  }
  const newBranch = orphanCleanupBranch(orphan);
  if (inventory.context.existingBranches.includes(newBranch)) return skip(`already proposed on branch ${newBranch}`);
  const openPr = opts.canOpenPullRequests && orphan.onRemote;
  out.orphans.push({
    action: {
      kind: "remove-orphan-metadata",
      branch: orphan.branch,
      commit: orphan.commit,
      newBranch,
      sentry: orphan.sentry,
      openPr,
      key: `cleanup-metadata-${orphan.blob}`,
    },
    reason: `left on ${orphan.branch} by a bot branch merged into it (${ageText(ageDays)}); ` +
      `removed by a commit on ${newBranch}` +
      (openPr ? ` and a pull request into ${orphan.branch}` : " (a local branch: no token or not on origin)"),
  });
}

export function planCleanup(inventory: Inventory, opts: CleanupOptions, now: Date): Plan {
  const out: Buckets = { pulls: [], remote: [], local: [], orphans: [], skipped: [] };
  for (const lineage of buildLineages(inventory)) planLineage(lineage, opts, inventory.context, now, out);
  for (const orphan of inventory.orphans) planOrphan(orphan, inventory, opts, now, out);
  // Pull requests first: deleting a head branch on GitHub closes its PR without our comment.
  return { options: opts, actions: [...out.pulls, ...out.remote, ...out.local, ...out.orphans], skipped: out.skipped };
}
