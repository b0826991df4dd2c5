/** The name of the bot branch that removes an orphaned metadata file. Pure. */
import { BRANCH_PREFIXES } from "../delivery/metadata.ts";
import type { OrphanEvidence } from "./types.ts";

/** `ai-test-fixes/cleanup-metadata-main-1a2b3c4`: one name per branch and file, so a rerun finds it. */
export function orphanCleanupBranch(orphan: Pick<OrphanEvidence, "branch" | "sentry" | "blob">): string {
  const slug = orphan.branch.replace(/[^A-Za-z0-9._-]+/g, "-").replace(/^-+|-+$/g, "");
  return `${BRANCH_PREFIXES[orphan.sentry]}cleanup-metadata-${slug}-${orphan.blob.slice(0, 7)}`;
}
