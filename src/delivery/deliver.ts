/**
 * Delivery's building blocks: the labels, the hidden markers, the metadata
 * comment, and the commit on a new bot branch (with the metadata file and
 * trailers). What is done with them is planned in plan.ts and carried out in
 * execute.ts.
 */
import { GitError } from "../errors.ts";
import type { Git, Identity } from "../git/git.ts";
import type { GitHub, LabelSpec } from "../github/mod.ts";
import { renderMetadataMarker, truncateBody } from "../github/mod.ts";
import { commitTrailers, METADATA_FILE, type SentriesMetadata } from "./metadata.ts";

export const LABEL_SPECS: Record<string, LabelSpec> = {
  "ai-generated": { name: "ai-generated", color: "6f42c1", description: "Change proposed by an AI model" },
  "sentries": { name: "sentries", color: "0e8a16", description: "Opened by Sentries" },
  "sentry-testsentry": { name: "sentry-testsentry", color: "1d76db", description: "TestSentry: test-only fix" },
  "sentry-docsentry": { name: "sentry-docsentry", color: "1d76db", description: "DocSentry: docs-only update" },
  "tests-sentry:done": { name: "tests-sentry:done", color: "c2e0c6", description: "TestSentry proposed a fix" },
  "tests-sentry:noop": { name: "tests-sentry:noop", color: "ededed", description: "TestSentry had nothing to do" },
  "docs-sentry:done": { name: "docs-sentry:done", color: "c2e0c6", description: "DocSentry proposed a docs update" },
  "docs-sentry:noop": { name: "docs-sentry:noop", color: "ededed", description: "DocSentry had nothing to do" },
  "sentries:keep": { name: "sentries:keep", color: "fbca04", description: "Sentries cleanup never touches this" },
};

export function labelSpec(name: string): LabelSpec {
  return LABEL_SPECS[name] ?? { name };
}

/** Says on the pull request that the sentry had nothing to do (`tests-sentry:noop`, `docs-sentry:noop`). */
export async function labelNoop(
  github: Pick<GitHub, "ensureLabels" | "addLabels">,
  pullRequestNumber: number,
  label: "tests-sentry:noop" | "docs-sentry:noop",
): Promise<void> {
  await github.ensureLabels([labelSpec(label)]);
  await github.addLabels(pullRequestNumber, [label]);
}

/** The hidden line other runs search for to avoid duplicate PRs. */
export function dedupeMarker(key: string): string {
  return `<!-- sentries-key: ${key} -->`;
}

export interface CommitRequest {
  worktree: Git;
  branch: string;
  paths: string[];
  metadata: SentriesMetadata;
  subject: string;
  body: string;
  identity: Identity;
}

/**
 * Creates a branch at `at` with a name not taken yet: two runs in the same second get `-2`, `-3`, … (git
 * refuses a name that exists; asking first would cost a git process every time).
 */
export async function createNewBranch(git: Git, wanted: string, at: string): Promise<string> {
  for (let n = 1;; n++) {
    const name = n === 1 ? wanted : `${wanted}-${n}`;
    const created = await git.run(["branch", "--no-track", name, at], { allowFail: true });
    if (created.code === 0) return name;
    if (!/already exists/.test(created.stderr)) {
      throw new GitError(`git branch failed: ${created.stderr.trim().split("\n").slice(-3).join(" ")}`);
    }
  }
}

/**
 * Commits the changed paths plus the metadata file on the worktree's (detached) HEAD, then puts the branch on
 * that commit. Returns the commit and the branch name actually used.
 */
export async function commitOnBotBranch(req: CommitRequest): Promise<{ commit: string; branch: string }> {
  const metadataPath = `${req.worktree.dir}/${METADATA_FILE}`;
  // The commit may hold a symlink by that name (pointing anywhere): remove the entry, never write through it.
  await Deno.remove(metadataPath).catch((err) => {
    if (!(err instanceof Deno.errors.NotFound)) throw err;
  });
  await Deno.writeTextFile(metadataPath, JSON.stringify(req.metadata, null, 2) + "\n", { createNew: true });
  await req.worktree.run(["add", "--", ...req.paths, METADATA_FILE]);
  const message = `${req.subject}\n\n${req.body.trim()}\n\n${commitTrailers(req.metadata)}\n`;
  await req.worktree.commitIndex(message, req.identity);
  const [commit, branch] = await Promise.all([
    req.worktree.headSha(),
    createNewBranch(req.worktree, req.branch, "HEAD"),
  ]);
  return { commit, branch };
}

export interface OpenedPullRequest {
  number: number;
  url: string;
}

export async function findOpenDuplicate(
  github: Pick<GitHub, "findPullRequestsByMarker">,
  key: string,
): Promise<OpenedPullRequest | undefined> {
  const found = await github.findPullRequestsByMarker(dedupeMarker(key), "open");
  return found[0] ? { number: found[0].number, url: found[0].url } : undefined;
}

export function prBodyWithMarkers(body: string, metadata: SentriesMetadata): string {
  return truncateBody(`${body.trimEnd()}\n\n${dedupeMarker(metadata.key)}\n${renderMetadataMarker(metadata)}\n`);
}

export function metadataComment(meta: SentriesMetadata): string {
  const rows: Array<[string, string]> = [
    ["Sentry", meta.sentry],
    ["Version", meta.version],
    ["Planner model", meta.models.plan],
    ["Patcher model", meta.models.patch],
    ["Base", `\`${meta.base_sha.slice(0, 12)}\``],
    ["Created", meta.created_at],
    ["Attempts", String(meta.attempts)],
    ["Prompt tokens", String(meta.tokens.prompt || meta.tokens.estimated_prompt)],
    ["Duration", `${(meta.duration_ms / 1000).toFixed(1)} s`],
  ];
  const table = ["| | |", "|---|---|", ...rows.map(([k, v]) => `| ${k} | ${v} |`)].join("\n");
  return `### Sentries metadata\n\n${table}\n\n${renderMetadataMarker(meta)}\n`;
}
