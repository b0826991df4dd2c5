/**
 * Without GitHub, the open-PR check that stops a second run for the same fix has no PR to find: the fix is
 * on a local bot branch instead (issue 15.11). This finds such a branch by the run key its
 * `.sentries-metadata.json` carries (same sentry, same base commit, same failures), so the run can say so
 * and stop before asking any model. Reads only.
 */
import { BRANCH_PREFIXES, METADATA_FILE, type SentryName } from "../delivery/metadata.ts";
import type { Git } from "../git/git.ts";
import { listLocalHeads } from "../lifecycle/git_facts.ts";
import { parseMetadataFile } from "../lifecycle/proof.ts";

/** A local bot branch whose tip carries the bot's metadata for this run's key. */
export interface LocalFix {
  branch: string;
  /** The branch's tip. */
  commit: string;
  /** The metadata's `created_at`. */
  createdAt: string;
}

/** The newest local bot branch of `sentry` with a verified fix for `key`, if any. */
export async function findLocalFix(git: Git, sentry: SentryName, key: string): Promise<LocalFix | undefined> {
  const found: LocalFix[] = [];
  for (const head of await listLocalHeads(git)) {
    if (!head.name.startsWith(BRANCH_PREFIXES[sentry])) continue;
    const file = await git.run(["show", `${head.sha}:${METADATA_FILE}`], { allowFail: true });
    const metadata = file.code === 0 ? parseMetadataFile(file.stdout) : undefined;
    if (metadata?.sentry !== sentry || metadata.key !== key) continue;
    found.push({ branch: head.name, commit: head.sha, createdAt: metadata.created_at });
  }
  return found.sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt))[0];
}
