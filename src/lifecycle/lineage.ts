/**
 * Groups the evidence by branch name (local copy, copy on origin, pull
 * requests) and turns it into the rows and counts `status` shows. Pure.
 */
import { orphanCleanupBranch } from "./orphan_names.ts";
import { type DuplicateFixes, duplicatesByBranch, findDuplicateFixes } from "./duplicates.ts";
import { ageInDays, KEEP_LABEL, sentryForBranch } from "./proof.ts";
import type {
  BranchEvidence,
  ForeignCommits,
  Inventory,
  Lineage,
  LineageState,
  OrphanEvidence,
  PullEvidence,
  StatusItem,
} from "./types.ts";

function combineForeign(copies: BranchEvidence[]): ForeignCommits {
  if (copies.some((c) => c.foreign === "some")) return "some";
  if (copies.some((c) => c.foreign === "unknown")) return "unknown";
  return "none";
}

function lineageState(local: BranchEvidence | undefined, remote: BranchEvidence | undefined, pulls: PullEvidence[]) {
  for (const state of ["open", "merged", "closed"] as const) {
    if (pulls.some((p) => p.state === state)) return state;
  }
  return (local && !remote ? "local-only" : "pushed") satisfies LineageState;
}

/** Age comes from the metadata's `created_at`, else the newest tip commit, else the pull request. */
function lineageAge(copies: BranchEvidence[], pulls: PullEvidence[]): Pick<Lineage, "createdAt" | "ageSource"> {
  const fromMetadata = copies.find((c) => c.metadata)?.metadata?.created_at ??
    pulls.find((p) => p.markerCreatedAt)?.markerCreatedAt;
  if (fromMetadata) return { createdAt: fromMetadata, ageSource: "metadata" };
  const tipDates = copies.map((c) => c.tipDate).filter((d): d is string => d !== undefined);
  if (tipDates.length > 0) {
    return { createdAt: tipDates.sort((a, b) => Date.parse(b) - Date.parse(a))[0], ageSource: "commit" };
  }
  if (pulls.length > 0) return { createdAt: pulls[0].createdAt, ageSource: "pull request" };
  return {};
}

export function buildLineages(inventory: Inventory): Lineage[] {
  const names = new Set<string>();
  for (const b of inventory.branches) names.add(b.name);
  for (const p of inventory.pulls) names.add(p.headRef);
  return [...names].sort().map((branch) => {
    const local = inventory.branches.find((b) => b.name === branch && b.location === "local");
    const remote = inventory.branches.find((b) => b.name === branch && b.location === "remote");
    const copies = [local, remote].filter((c): c is BranchEvidence => c !== undefined);
    const pulls = inventory.pulls.filter((p) => p.headRef === branch).sort((a, b) => a.number - b.number);
    return {
      branch,
      sentry: copies[0]?.sentry ?? sentryForBranch(branch),
      local,
      remote,
      pulls,
      verified: copies.some((c) => c.proof !== undefined) || pulls.some((p) => p.labelAndMarker),
      foreign: combineForeign(copies),
      keptBy: pulls.find((p) => p.labels.includes(KEEP_LABEL))?.number,
      ...lineageAge(copies, pulls),
      state: lineageState(local, remote, pulls),
    };
  });
}

function branchItem(lineage: Lineage, copy: BranchEvidence, now: Date, duplicateOf?: string[]): StatusItem {
  const notes = [
    copy.foreignCommits.length > 0 ? `commits by others: ${copy.foreignCommits.join(", ")}` : copy.note,
    duplicateOf ? `duplicate: the same fix as ${duplicateOf.join(", ")}` : undefined,
  ].filter((n) => n !== undefined);
  return {
    kind: "branch",
    location: copy.location,
    name: copy.name,
    branch: copy.name,
    sentry: copy.sentry,
    baseSha: copy.baseSha,
    createdAt: lineage.createdAt,
    ageDays: ageInDays(lineage.createdAt, now),
    ageSource: lineage.ageSource,
    state: lineage.state,
    verified: copy.proof !== undefined,
    proof: copy.proof,
    foreignCommits: copy.foreign,
    keep: lineage.keptBy !== undefined,
    duplicateOf,
    note: notes.length > 0 ? notes.join("; ") : undefined,
  };
}

function pullItem(lineage: Lineage, pr: PullEvidence, now: Date): StatusItem {
  const byBranch = lineage.local?.proof !== undefined || lineage.remote?.proof !== undefined;
  const verified = isPullVerified(lineage, pr);
  return {
    kind: "pr",
    name: `#${pr.number}`,
    number: pr.number,
    branch: pr.headRef,
    sentry: lineage.sentry,
    baseSha: lineage.local?.baseSha ?? lineage.remote?.baseSha,
    createdAt: lineage.createdAt,
    ageDays: ageInDays(lineage.createdAt, now),
    ageSource: lineage.ageSource,
    state: pr.state,
    verified,
    proof: byBranch ? "branch" : pr.labelAndMarker ? "label+marker" : undefined,
    foreignCommits: lineage.foreign,
    keep: pr.labels.includes(KEEP_LABEL),
    note: pr.title,
  };
}

export function isPullVerified(lineage: Lineage, pr: PullEvidence): boolean {
  return lineage.local?.proof !== undefined || lineage.remote?.proof !== undefined || pr.labelAndMarker;
}

export interface StatusReport {
  items: StatusItem[];
  /** `proposedOn`: the cleanup branch that removes the file, when one exists already. */
  orphans: Array<OrphanEvidence & { ageDays?: number; proposedOn?: string }>;
  /** Bot branches that hold the same fix (same sentry, base and failures): keep one. */
  duplicates: DuplicateFixes[];
  summary: {
    branches: number;
    localBranches: number;
    remoteBranches: number;
    /** Null when the pull requests were not listed (no token, or GitHub failed): unknown, not zero. */
    pullRequests: number | null;
    openPullRequests: number | null;
    /** Why `pullRequests` is null; absent when they were listed. */
    pullRequestsUnknownReason?: string;
    verified: number;
    unverified: number;
    withForeignCommits: number;
    kept: number;
    orphanedMetadata: number;
  };
  context: Inventory["context"];
  warnings: string[];
}

/** Why the pull requests are unknown (`context.github` other than "checked"), or undefined when they were listed. */
function pullsUnknownReason(github: Inventory["context"]["github"]): string | undefined {
  if (github === "checked") return undefined;
  if (github === "no token") return "not listed without GITHUB_TOKEN and GITHUB_REPOSITORY";
  return `GitHub could not be read: ${github.replace(/^failed: /, "")}`;
}

export function statusReport(inventory: Inventory, now: Date): StatusReport {
  const items: StatusItem[] = [];
  const lineages = buildLineages(inventory);
  const duplicates = findDuplicateFixes(lineages);
  const duplicateOf = duplicatesByBranch(duplicates);
  for (const lineage of lineages) {
    for (const copy of [lineage.local, lineage.remote]) {
      if (copy) items.push(branchItem(lineage, copy, now, duplicateOf.get(lineage.branch)));
    }
    for (const pr of lineage.pulls) items.push(pullItem(lineage, pr, now));
  }
  const branches = items.filter((i) => i.kind === "branch");
  const pulls = items.filter((i) => i.kind === "pr");
  const unknownPulls = pullsUnknownReason(inventory.context.github);
  return {
    items,
    orphans: inventory.orphans.map((o) => {
      const cleanupBranch = orphanCleanupBranch(o);
      const proposed = inventory.context.existingBranches.includes(cleanupBranch);
      return { ...o, ageDays: ageInDays(o.createdAt, now), proposedOn: proposed ? cleanupBranch : undefined };
    }),
    duplicates,
    summary: {
      branches: branches.length,
      localBranches: branches.filter((b) => b.location === "local").length,
      remoteBranches: branches.filter((b) => b.location === "remote").length,
      pullRequests: unknownPulls ? null : pulls.length,
      openPullRequests: unknownPulls ? null : pulls.filter((p) => p.state === "open").length,
      pullRequestsUnknownReason: unknownPulls,
      verified: items.filter((i) => i.verified).length,
      unverified: items.filter((i) => !i.verified).length,
      withForeignCommits: branches.filter((b) => b.foreignCommits === "some").length,
      kept: items.filter((i) => i.keep).length,
      orphanedMetadata: inventory.orphans.length,
    },
    context: inventory.context,
    warnings: inventory.warnings,
  };
}
