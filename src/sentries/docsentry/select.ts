/**
 * Step 3 of `sentries docs`: which docs. The allowlisted doc files that
 * exist, ranked by how often they mention the changed names (old and new),
 * cut to the relevant sections under a token budget, with paths and lines.
 */
import type { Section } from "../../context/budget.ts";
import { estimateTokens } from "../../llm/mod.ts";

export interface DocFile {
  path: string;
  content: string;
  /** Set when the docs guard would refuse an edit to it, and why: shown as read-only context, labelled so. */
  readOnly?: string;
}

/**
 * An excerpt of one doc; its title is "path (lines a-b)", plus why it is read-only for a file the docs guard
 * refuses, and renderSections (context/budget.ts) renders it.
 */
export interface DocSection extends Section {
  path: string;
  startLine: number;
  endLine: number;
  text: string;
  mentions: number;
}

export interface DocSelection {
  sections: DocSection[];
  /** Docs ranked by mentions, most first. */
  ranked: Array<{ path: string; mentions: number }>;
  estimatedTokens: number;
  truncated: boolean;
}

function countMentions(text: string, names: string[]): number {
  let n = 0;
  for (const name of names) {
    if (name.length < 3) continue;
    let from = 0;
    for (;;) {
      const i = text.indexOf(name, from);
      if (i < 0) break;
      n++;
      from = i + name.length;
    }
  }
  return n;
}

/** Markdown split at headings; other files in windows of 40 lines. */
export function splitSections(doc: DocFile): Array<{ startLine: number; lines: string[] }> {
  const lines = doc.content.split("\n");
  const out: Array<{ startLine: number; lines: string[] }> = [];
  const isMarkdown = /\.(md|markdown|mdx)$/i.test(doc.path);
  let start = 0;
  let inFence = false;
  for (let i = 0; i < lines.length; i++) {
    if (/^\s*(```|~~~)/.test(lines[i])) inFence = !inFence;
    const boundary = isMarkdown ? (!inFence && i > start && /^#{1,6}\s/.test(lines[i])) : i - start >= 40;
    if (boundary) {
      out.push({ startLine: start + 1, lines: lines.slice(start, i) });
      start = i;
    }
  }
  out.push({ startLine: start + 1, lines: lines.slice(start) });
  return out.filter((s) => s.lines.some((l) => l.trim() !== ""));
}

/** The Keep a Changelog "Unreleased" part, or the top of the file. */
function changelogHead(doc: DocFile): { startLine: number; lines: string[] } {
  const lines = doc.content.split("\n");
  const unreleased = lines.findIndex((l) => /^##\s*\[?unreleased\]?/i.test(l));
  if (unreleased >= 0) {
    let end = lines.findIndex((l, i) => i > unreleased && /^##\s/.test(l));
    if (end < 0) end = lines.length;
    return { startLine: 1, lines: lines.slice(0, Math.min(end + 3, lines.length)) };
  }
  return { startLine: 1, lines: lines.slice(0, 25) };
}

export function selectDocSections(docs: DocFile[], names: string[], tokenBudget: number): DocSelection {
  const ranked = docs.map((d) => ({ path: d.path, mentions: countMentions(d.content, names) }))
    .sort((a, b) => b.mentions - a.mentions || a.path.localeCompare(b.path));
  const candidates: DocSection[] = [];
  for (const doc of docs) {
    if (/(^|\/)CHANGELOG\.md$/i.test(doc.path)) {
      const head = changelogHead(doc);
      candidates.push(toSection(doc, head, Math.max(1, countMentions(head.lines.join("\n"), names))));
      continue;
    }
    for (const section of splitSections(doc)) {
      const mentions = countMentions(section.lines.join("\n"), names);
      if (mentions > 0) candidates.push(toSection(doc, section, mentions));
    }
  }
  // Without any mention, the README's opening still tells the model what the docs cover.
  if (!candidates.some((c) => c.mentions > 0 && !/CHANGELOG/i.test(c.path))) {
    const readme = docs.find((d) => /^README\.md$/i.test(d.path));
    if (readme) {
      const first = splitSections(readme).slice(0, 2);
      for (const s of first) candidates.push(toSection(readme, s, 0));
    }
  }
  candidates.sort((a, b) => b.mentions - a.mentions || a.path.localeCompare(b.path) || a.startLine - b.startLine);
  const chosen: DocSection[] = [];
  let used = 0;
  let truncated = false;
  for (const c of candidates) {
    const cost = estimateTokens(c.text) + 20;
    if (used + cost > tokenBudget) {
      truncated = true;
      continue;
    }
    used += cost;
    chosen.push(c);
  }
  chosen.sort((a, b) => a.path.localeCompare(b.path) || a.startLine - b.startLine);
  return { sections: chosen, ranked, estimatedTokens: used, truncated };
}

function toSection(doc: DocFile, s: { startLine: number; lines: string[] }, mentions: number): DocSection {
  const endLine = s.startLine + s.lines.length - 1;
  const readOnly = doc.readOnly ? `; read-only context, never edited: ${doc.readOnly}` : "";
  return {
    title: `${doc.path} (lines ${s.startLine}-${endLine}${readOnly})`,
    path: doc.path,
    startLine: s.startLine,
    endLine,
    text: s.lines.join("\n"),
    mentions,
  };
}
