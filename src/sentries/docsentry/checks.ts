/**
 * Step 5 of `sentries docs`: the updated docs must still be sound. Markdown
 * fences balance, relative links and anchors in changed files resolve,
 * openapi.yaml parses and keeps its required keys, and no name the change
 * removed is left in the sections the patch touched. Pure: files come in.
 */
import { dirname, join, normalize } from "node:path";
import YAML from "yaml";
import type { FileChange, PatchProblem } from "../../patch/mod.ts";

export interface DocsCheckInput {
  changes: FileChange[];
  /** Reads a repo-relative file after the change (undefined when missing). */
  readFile: (path: string) => string | undefined;
  removedNames: string[];
}

/** GitHub's heading anchors: lower-case, punctuation dropped, spaces to dashes, duplicates numbered. */
export function headingAnchors(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const counts = new Map<string, number>();
  let inFence = false;
  for (const line of markdown.split("\n")) {
    if (/^\s*(```|~~~)/.test(line)) inFence = !inFence;
    if (inFence) continue;
    const m = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!m) continue;
    const base = m[1].toLowerCase().replace(/<[^>]+>/g, "").replace(/[^\p{L}\p{N}\s_-]/gu, "").trim().replace(
      /\s/g,
      "-",
    );
    const n = counts.get(base) ?? 0;
    counts.set(base, n + 1);
    anchors.add(n === 0 ? base : `${base}-${n}`);
  }
  for (const m of markdown.matchAll(/<a\s+(?:name|id)=["']([^"']+)["']/g)) anchors.add(m[1]);
  return anchors;
}

function linksOf(markdown: string): Array<{ target: string; line: number }> {
  const out: Array<{ target: string; line: number }> = [];
  let inFence = false;
  markdown.split("\n").forEach((line, i) => {
    if (/^\s*(```|~~~)/.test(line)) inFence = !inFence;
    if (inFence) return;
    const withoutCode = line.replace(/`[^`]*`/g, "");
    for (const m of withoutCode.matchAll(/!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) {
      out.push({ target: m[1], line: i + 1 });
    }
    const ref = /^\s*\[[^\]]+\]:\s*(\S+)/.exec(withoutCode);
    if (ref) out.push({ target: ref[1], line: i + 1 });
  });
  return out;
}

function checkMarkdown(change: FileChange, input: DocsCheckInput): PatchProblem[] {
  const problems: PatchProblem[] = [];
  const text = change.newContent ?? "";
  const fences = text.split("\n").filter((l) => /^\s*(```|~~~)/.test(l)).length;
  if (fences % 2 !== 0) {
    problems.push({
      code: "docs.unclosed_fence",
      path: change.path,
      message: `${change.path}: a code fence (\`\`\`) is not closed`,
    });
  }
  if (/^(<<<<<<<|>>>>>>>) /m.test(text)) {
    problems.push({
      code: "docs.conflict_marker",
      path: change.path,
      message: `${change.path}: contains merge conflict markers`,
    });
  }
  for (const link of linksOf(text)) {
    const target = link.target;
    if (/^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith("//")) continue; // http:, mailto:, …
    const [pathPart, anchor] = target.split("#", 2);
    const file = pathPart === ""
      ? change.path
      : normalize(join(dirname(change.path), decodeURI(pathPart.split("?")[0])));
    const content = pathPart === "" ? text : input.readFile(file);
    if (content === undefined) {
      // A link to a folder is fine when the folder exists (readFile answers "" for folders).
      problems.push({
        code: "docs.broken_link",
        path: change.path,
        message: `${change.path}:${link.line}: link target ${target} does not exist`,
      });
      continue;
    }
    if (anchor && /\.(md|markdown)$/i.test(file) && !headingAnchors(content).has(anchor.toLowerCase())) {
      problems.push({
        code: "docs.broken_anchor",
        path: change.path,
        message: `${change.path}:${link.line}: anchor #${anchor} is not a heading in ${file}`,
      });
    }
  }
  return problems;
}

function checkOpenApi(change: FileChange): PatchProblem[] {
  let doc: unknown;
  try {
    doc = YAML.parse(change.newContent ?? "");
  } catch (err) {
    const first = (err as Error).message.split("\n")[0];
    return [{
      code: "docs.openapi_invalid_yaml",
      path: change.path,
      message: `${change.path} is no longer valid YAML: ${first}`,
    }];
  }
  const missing = ["openapi", "info", "paths"].filter((k) =>
    typeof doc !== "object" || doc === null || !(k in (doc as Record<string, unknown>))
  );
  return missing.length
    ? [{
      code: "docs.openapi_missing_keys",
      path: change.path,
      message: `${change.path} lost its required top-level key(s): ${missing.join(", ")}`,
    }]
    : [];
}

/** Lines of the new file that belong to a section the patch changed (markdown headings, or ±10 lines). */
function touchedRegions(change: FileChange): string[] {
  const oldLines = (change.oldContent ?? "").split("\n");
  const newLines = (change.newContent ?? "").split("\n");
  const oldSet = new Set(oldLines);
  const changedIdx = newLines.map((l, i) => (oldSet.has(l) ? -1 : i)).filter((i) => i >= 0);
  if (changedIdx.length === 0) return [];
  const regions = new Set<number>();
  const isMd = /\.(md|markdown)$/i.test(change.path);
  for (const idx of changedIdx) {
    let start = idx;
    let end = idx;
    if (isMd) {
      while (start > 0 && !/^#{1,6}\s/.test(newLines[start])) start--;
      while (end + 1 < newLines.length && !/^#{1,6}\s/.test(newLines[end + 1])) end++;
    } else {
      start = Math.max(0, idx - 10);
      end = Math.min(newLines.length - 1, idx + 10);
    }
    for (let i = start; i <= end; i++) regions.add(i);
  }
  return [...regions].sort((a, b) => a - b).map((i) => newLines[i]);
}

function checkStaleNames(change: FileChange, removed: string[]): PatchProblem[] {
  if (/(^|\/)CHANGELOG\.md$/i.test(change.path)) return []; // a changelog rightly names what was removed
  const problems: PatchProblem[] = [];
  const lines = touchedRegions(change);
  for (const name of removed) {
    if (name.length < 3) continue;
    const pattern = new RegExp(`(^|[^\\w-])${name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}(?![\\w-])`);
    const stale = lines.find((l) =>
      pattern.test(l) && !/renamed|replaced|removed|deprecated|formerly|instead of/i.test(l)
    );
    if (stale) {
      problems.push({
        code: "docs.stale_name",
        path: change.path,
        message: `${change.path} still mentions \`${name}\`, which the change removed: "${stale.trim().slice(0, 120)}"`,
      });
    }
  }
  return problems;
}

export function checkDocs(input: DocsCheckInput): PatchProblem[] {
  const problems: PatchProblem[] = [];
  for (const change of input.changes) {
    if (change.newContent === null) continue;
    if (/\.(md|markdown)$/i.test(change.path)) problems.push(...checkMarkdown(change, input));
    if (/(^|\/)openapi\.ya?ml$/i.test(change.path)) problems.push(...checkOpenApi(change));
    problems.push(...checkStaleNames(change, input.removedNames));
  }
  return problems;
}
