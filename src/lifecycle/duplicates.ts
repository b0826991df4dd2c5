/**
 * Two bot branches (by name; a branch's local copy and its copy on origin are one) whose metadata carries
 * the same run key hold fixes for the same problem: same sentry, same base commit, same failures (issue
 * 15.11). `status` flags them so a person keeps one. Pure.
 */
import type { SentryName } from "../delivery/metadata.ts";
import type { Lineage } from "./types.ts";

export interface DuplicateFixes {
  sentry: SentryName;
  /** The run key the branches share (`key` in `.sentries-metadata.json`). */
  key: string;
  baseSha: string;
  /** The branch names, oldest first (by the metadata's `created_at`). */
  branches: string[];
}

export function findDuplicateFixes(lineages: Lineage[]): DuplicateFixes[] {
  const groups = new Map<string, { group: DuplicateFixes; made: Map<string, number> }>();
  for (const lineage of lineages) {
    const metadata = lineage.local?.metadata ?? lineage.remote?.metadata;
    if (!metadata?.key) continue;
    const id = `${metadata.sentry}\u0000${metadata.key}`;
    const group: DuplicateFixes = {
      sentry: metadata.sentry,
      key: metadata.key,
      baseSha: metadata.base_sha,
      branches: [],
    };
    const entry = groups.get(id) ?? { group, made: new Map<string, number>() };
    entry.group.branches.push(lineage.branch);
    entry.made.set(lineage.branch, Date.parse(metadata.created_at));
    groups.set(id, entry);
  }
  return [...groups.values()]
    .filter((e) => e.group.branches.length > 1)
    .map(({ group, made }) => ({
      ...group,
      branches: group.branches.sort((a, b) => (made.get(a) ?? 0) - (made.get(b) ?? 0) || a.localeCompare(b)),
    }));
}

/** For each branch in a duplicate group, the other branches of its group. */
export function duplicatesByBranch(groups: DuplicateFixes[]): Map<string, string[]> {
  const others = new Map<string, string[]>();
  for (const g of groups) for (const b of g.branches) others.set(b, g.branches.filter((o) => o !== b));
  return others;
}
