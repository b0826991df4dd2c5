/**
 * What the bot leaves behind so that it (and `status`/`cleanup`) can prove a
 * branch or PR is its own: `.sentries-metadata.json` on the branch, trailers
 * on the commit, and a hidden marker in the PR body.
 */
import { VERSION } from "../version.ts";

export const METADATA_FILE = ".sentries-metadata.json";
export const BRANCH_PREFIXES = { testsentry: "ai-test-fixes/", docsentry: "ai-doc-updates/" } as const;
export type SentryName = keyof typeof BRANCH_PREFIXES;

export const TRAILER_SENTRY = "Sentries-Sentry";
export const TRAILER_VERSION = "Sentries-Version";
export const TRAILER_BASE = "Sentries-Base";
export const TRAILER_KEY = "Sentries-Key";

export interface SentriesMetadata {
  tool: "sentries";
  version: string;
  sentry: SentryName;
  models: { plan: string; patch: string };
  base_sha: string;
  base_branch?: string;
  created_at: string;
  /** Identifies "the same problem" so no duplicate PR is opened for it. */
  key: string;
  failing_tests?: string[];
  source_pr?: number;
  head_sha?: string;
  patch_hash?: string;
  attempts: number;
  tokens: { prompt: number; completion: number; estimated_prompt: number };
  duration_ms: number;
}

export function newMetadata(fields: Omit<SentriesMetadata, "tool" | "version">): SentriesMetadata {
  return { tool: "sentries", version: VERSION, ...fields };
}

/** `ai-test-fixes/<shortsha>-<UTC yyyymmddHHMMSS>`. */
export function botBranchName(sentry: SentryName, sha: string, now: Date): string {
  const stamp = now.toISOString().replace(/[-:T]/g, "").slice(0, 14);
  return `${BRANCH_PREFIXES[sentry]}${sha.slice(0, 7)}-${stamp}`;
}

export function commitTrailers(meta: SentriesMetadata): string {
  return [
    `${TRAILER_SENTRY}: ${meta.sentry}`,
    `${TRAILER_VERSION}: ${meta.version}`,
    `${TRAILER_BASE}: ${meta.base_sha}`,
    `${TRAILER_KEY}: ${meta.key}`,
  ].join("\n");
}

/** A short stable hash (hex SHA-256 prefix) of the given parts. */
export async function stableKey(...parts: string[]): Promise<string> {
  const data = new TextEncoder().encode(parts.join("\u0000"));
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", data));
  return Array.from(digest.slice(0, 8), (b) => b.toString(16).padStart(2, "0")).join("");
}
