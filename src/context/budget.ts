/**
 * Rendering context sections and fitting them into a token budget. Pure and
 * deterministic: the same sections and budget always give the same text.
 */
import { estimateTokens } from "../llm/tokens.ts";

/**
 * What a prompt shows of one excerpt: a heading and its text. Both sentries' sections have this shape
 * (ContextSection here, DocSection in docsentry/select.ts), and renderSections renders either.
 */
export interface Section {
  title: string;
  text: string;
}

/**
 * How sections are laid out in a prompt. "fenced": a `## title` heading and the text in a code fence (code,
 * tracebacks, history). "banner": a `--- title ---` line above the bare text, for Markdown docs, whose own
 * code fences would close a surrounding fence early.
 */
export type SectionLayout = "fenced" | "banner";

export interface ContextSection extends Section {
  /** The file the section shows, when it shows one. */
  path?: string;
  /** The first line number of the excerpt, when it is one contiguous excerpt. */
  startLine?: number;
  text: string;
  /** Higher is kept longer; ties: the earlier section is kept longer. */
  priority: number;
}

export interface FittedContext {
  sections: ContextSection[];
  text: string;
  estimatedTokens: number;
  truncated: boolean;
}

export function renderSection(section: Section, layout: SectionLayout = "fenced"): string {
  if (layout === "banner") return `--- ${section.title} ---\n${section.text}`;
  return `## ${section.title}\n\`\`\`\n${section.text}\n\`\`\`\n`;
}

/** The sections in order, one renderer for both sentries' prompts. */
export function renderSections(sections: readonly Section[], layout: SectionLayout = "fenced"): string {
  return sections.map((section) => renderSection(section, layout)).join(layout === "banner" ? "\n\n" : "\n");
}

/** Sections shorter than this after truncation are dropped instead: a stub helps nobody. */
const MIN_TRUNCATED_CHARS = 240;

/**
 * Drops or cuts the lowest-priority sections (the later one first among
 * equals) until the rendered text fits `tokenBudget`. Sections keep their order.
 */
export function fitToBudget(sections: ContextSection[], tokenBudget: number): FittedContext {
  const maxChars = Math.max(0, Math.floor(tokenBudget) * 4);
  const kept: (ContextSection | undefined)[] = [...sections];
  const byImportance = sections
    .map((section, index) => ({ section, index }))
    .sort((a, b) => b.section.priority - a.section.priority || a.index - b.index);
  let truncated = false;
  let length = renderSections(sections).length;
  for (let i = byImportance.length - 1; i >= 0 && length > maxChars; i--) {
    const { section, index } = byImportance[i];
    const excess = length - maxChars;
    const cut = truncateText(section.text, section.text.length - excess);
    truncated = true;
    if (cut !== undefined && cut.length >= MIN_TRUNCATED_CHARS) {
      kept[index] = { ...section, text: cut };
    } else {
      kept[index] = undefined;
    }
    length = renderSections(kept.filter((s): s is ContextSection => s !== undefined)).length;
  }
  const fitted = kept.filter((s): s is ContextSection => s !== undefined);
  const text = renderSections(fitted);
  return { sections: fitted, text, estimatedTokens: estimateTokens(text), truncated };
}

/** The head of `text` in whole lines plus a note, in at most `maxChars` characters; undefined if nothing fits. */
export function truncateText(text: string, maxChars: number): string | undefined {
  if (text.length <= maxChars) return text;
  const lines = text.split("\n");
  let keptLines = lines.length;
  let length = text.length;
  const note = (cut: number) => `... (${cut} more lines cut to fit the token budget)`;
  while (keptLines > 0) {
    length -= lines[keptLines - 1].length + (keptLines > 1 ? 1 : 0);
    keptLines--;
    const candidateLength = length + (keptLines > 0 ? 1 : 0) + note(lines.length - keptLines).length;
    if (candidateLength <= maxChars) {
      return [...lines.slice(0, keptLines), note(lines.length - keptLines)].join("\n");
    }
  }
  return undefined;
}
