/**
 * Gathers DocSentry's inputs from git: the code diff (docs, lock files,
 * generated and vendored files and binaries left out), its public surface,
 * and the allowlisted docs at the head commit (those the docs guard refuses marked read-only).
 */
import type { Git } from "../../git/git.ts";
import { estimateTokens } from "../../llm/mod.ts";
import { matchesGlob } from "../../patch/glob.ts";
import { notDocsTextReason } from "../../patch/guard_docs_text.ts";
import type { ChangeRange } from "./change.ts";
import { changedPaths } from "./change.ts";
import { describeSurface, type FileDiff, publicSurface, splitDiff, type SurfaceChange } from "./surface.ts";
import type { DocFile } from "./select.ts";

const LOCK_FILES =
  /(^|\/)(package-lock\.json|yarn\.lock|pnpm-lock\.yaml|poetry\.lock|uv\.lock|Pipfile\.lock|Cargo\.lock|go\.sum|deno\.lock|composer\.lock|Gemfile\.lock|[^/]+\.lock)$/;
const VENDORED = /(^|\/)(vendor|third_party|node_modules|\.venv|venv|site-packages)\//;
const GENERATED =
  /(^|\/)(dist|build|out|__pycache__)\/|\.min\.(js|css)$|_pb2(_grpc)?\.py$|\.generated\.|\.pb\.go$|\.snap$/;

export function isDocPath(path: string, allow: string[]): boolean {
  return allow.some((glob) => matchesGlob(path, glob));
}

export function isCodePath(path: string, allow: string[]): boolean {
  if (isDocPath(path, allow) || /\.(md|rst|txt|adoc)$/i.test(path)) return false;
  return !LOCK_FILES.test(path) && !VENDORED.test(path) && !GENERATED.test(path) && !path.startsWith(".sentries");
}

export interface CodeChange {
  paths: Array<{ status: string; path: string; oldPath?: string }>;
  codePaths: string[];
  files: FileDiff[];
  surface: SurfaceChange[];
}

export async function readCodeChange(git: Git, range: ChangeRange, allow: string[]): Promise<CodeChange> {
  const paths = await changedPaths(git, range);
  const candidates = paths.filter((p) => isCodePath(p.path, allow)).map((p) => p.path);
  // Binary files show as "-\t-" in numstat.
  const numstat = candidates.length
    ? (await git.text(["diff", "--numstat", `${range.baseSha}..${range.headSha}`, "--", ...candidates])).split("\n")
    : [];
  const binary = new Set(numstat.filter((l) => l.startsWith("-\t-\t")).map((l) => l.split("\t")[2]));
  const codePaths = candidates.filter((p) => !binary.has(p));
  const diff = codePaths.length
    ? (await git.run([
      "diff",
      "--no-color",
      "--no-ext-diff",
      "-M",
      "-U3",
      `${range.baseSha}..${range.headSha}`,
      "--",
      ...codePaths,
    ]))
      .stdout
    : "";
  const files = splitDiff(diff);
  return { paths, codePaths, files, surface: publicSurface(files) };
}

/** The surface summary, then the diffs of the files with the most surface changes, under a budget. */
export function renderChange(change: CodeChange, tokenBudget: number): { text: string; truncated: boolean } {
  const header = `Public surface changes:\n${describeSurface(change.surface)}\n\nDiff (code only):\n`;
  let used = estimateTokens(header);
  const weight = (f: FileDiff) => change.surface.filter((s) => s.file === f.path).length;
  const ordered = [...change.files].sort((a, b) => weight(b) - weight(a) || a.path.localeCompare(b.path));
  const parts: string[] = [];
  let truncated = false;
  for (const file of ordered) {
    let text = file.text;
    const cost = estimateTokens(text);
    if (used + cost > tokenBudget) {
      const room = (tokenBudget - used) * 4;
      if (room < 400) {
        truncated = true;
        parts.push(`(diff of ${file.path} left out: over the budget)`);
        continue;
      }
      text = text.slice(0, room).replace(/\n[^\n]*$/, "\n") + `… (diff of ${file.path} cut to fit the budget)\n`;
      truncated = true;
    }
    used += estimateTokens(text);
    parts.push(text);
  }
  return { text: header + parts.join(""), truncated };
}

/**
 * Why the docs guard would refuse an edit to this allowlisted file (issue 15.2): it is not documentation text
 * (`docs/conf.py`, a Makefile, `docs/requirements.txt`) or it is executable. Undefined: the patcher may edit it.
 */
export function readOnlyReason(path: string, mode: string): string | undefined {
  const notText = notDocsTextReason(path);
  if (notText) return `it ${notText}`;
  if (mode === "100755") return "it is executable";
  return undefined;
}

/**
 * The allowlisted text files at `sha`. Those the docs guard would refuse come with `readOnly` (why): they may
 * tell the planner something, but they are shown as read-only context and never offered for editing.
 */
export async function readDocsAt(git: Git, sha: string, allow: string[]): Promise<DocFile[]> {
  const listing = await git.text(["ls-tree", "-r", "-z", sha]);
  const entries = listing.split("\0").filter((e) => e.includes("\t")).map((e) => {
    const tab = e.indexOf("\t");
    return { mode: e.slice(0, e.indexOf(" ")), path: e.slice(tab + 1) };
  }).filter((e) => isDocPath(e.path, allow)).sort((a, b) => a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
  const docs: DocFile[] = [];
  for (const { path, mode } of entries) {
    const content = await git.run(["show", `${sha}:${path}`]);
    if (content.stdout.includes("\0")) continue;
    const readOnly = readOnlyReason(path, mode);
    docs.push(readOnly ? { path, content: content.stdout, readOnly } : { path, content: content.stdout });
  }
  return docs;
}
