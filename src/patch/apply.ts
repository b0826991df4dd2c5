/**
 * Applies hunks to a file's content in memory. Every hunk is located in the original file by
 * its old side; all of them must be found exactly once and must not overlap, or nothing is
 * applied. A hunk that merges several distant edits is split at its change groups as a fallback.
 */
import { FileIndex, locateHunk, type LocateOutcome, type Match } from "./locate.ts";
import { keepIndent, learnReindent, type Reindent } from "./indent_map.ts";
import { type FileLines, joinFileLines, quote, splitFileLines } from "./text.ts";
import { type Hunk, type HunkLine, type PatchProblem, problem } from "./types.ts";

export type ApplyResult = { ok: true; content: string } | { ok: false; problems: PatchProblem[] };

interface Placed {
  lines: HunkLine[];
  match: Match;
  newSideNoNewline: boolean;
  label: string;
}

function oldSide(lines: readonly HunkLine[]): { before: string[]; removed: boolean[] } {
  const kept = lines.filter((l) => l.op !== "+");
  return { before: kept.map((l) => l.text), removed: kept.map((l) => l.op === "-") };
}

function hasChanges(lines: readonly HunkLine[]): boolean {
  return lines.some((l) => l.op !== " ");
}

/** Drops hunks that repeat an earlier one line for line (models sometimes send a hunk twice). */
function withoutDuplicates(hunks: readonly Hunk[]): Hunk[] {
  const seen = new Set<string>();
  return hunks.filter((hunk) => {
    const key = JSON.stringify(hunk.lines);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Context runs and change groups: C0 G1 C1 G2 … Gk Ck. */
function changeGroups(lines: readonly HunkLine[]): { contexts: HunkLine[][]; groups: HunkLine[][] } {
  const contexts: HunkLine[][] = [[]];
  const groups: HunkLine[][] = [];
  let lastWasChange = false;
  for (const line of lines) {
    if (line.op === " ") {
      if (lastWasChange) contexts.push([]);
      contexts[contexts.length - 1].push(line);
      lastWasChange = false;
    } else {
      if (!lastWasChange) groups.push([]);
      groups[groups.length - 1].push(line);
      lastWasChange = true;
    }
  }
  if (lastWasChange) contexts.push([]);
  return { contexts, groups };
}

/**
 * Locates each change group on its own. Only context *between* groups may be shortened (the
 * model may have left out file lines there); outer context and removed lines stay complete.
 */
function locateGroups(file: FileIndex, lines: readonly HunkLine[]): HunkLine[][] | undefined {
  const { contexts, groups } = changeGroups(lines);
  if (groups.length < 2) return undefined;
  const pieces: HunkLine[][] = [];
  let previousEnd = 0;
  for (let g = 0; g < groups.length; g++) {
    const pre = contexts[g];
    const post = contexts[g + 1];
    const preLengths = g === 0 ? [pre.length] : range(pre.length);
    const postLengths = g === groups.length - 1 ? [post.length] : range(post.length);
    const variants = preLengths.flatMap((a) => postLengths.map((b) => [a, b] as const))
      .sort((x, y) => (y[0] + y[1]) - (x[0] + x[1]));
    let chosen: HunkLine[] | undefined;
    for (const [a, b] of variants) {
      const piece = [...pre.slice(pre.length - a), ...groups[g], ...post.slice(0, b)];
      const { before, removed } = oldSide(piece);
      if (before.length === 0) continue;
      const outcome = locateHunk(file, before, removed);
      if (outcome.kind === "ambiguous") return undefined;
      if (outcome.kind === "found") {
        if (outcome.match.start < previousEnd) return undefined;
        previousEnd = outcome.match.end;
        chosen = piece;
        break;
      }
    }
    if (!chosen) return undefined;
    pieces.push(chosen);
  }
  return pieces;
}

function range(max: number): number[] {
  return Array.from({ length: max + 1 }, (_, i) => max - i);
}

function notFoundMessage(
  path: string,
  label: string,
  before: readonly string[],
  outcome: LocateOutcome,
  file: FileIndex,
): string {
  if (outcome.kind === "ambiguous") {
    const lines = outcome.starts.slice(0, 5).map((s) => s + 1).join(", ");
    return `${label} for ${path} matches ${
      outcome.starts.length > 5 ? "more than 5" : outcome.starts.length
    } places (lines ${lines}); include more unchanged lines around the change so it matches one place`;
  }
  const closest = outcome.kind === "not_found" ? outcome.closest : undefined;
  if (!closest) {
    return `${label} for ${path} does not match the file: no line ${
      quote(before[0] ?? "")
    } exists; copy the lines exactly from the file`;
  }
  const missing = before[closest.hunkIndex];
  const found = file.lines[closest.fileIndex];
  const after = before[closest.hunkIndex - 1];
  return `${label} for ${path} does not match the file: after ${quote(after)} the hunk expects ${
    quote(missing)
  } but the file has ${found === undefined ? "no more lines" : quote(found)}`;
}

/** The replacement for a matched span: file lines for context, hunk lines for additions. */
function replacementFor(file: FileLines, placed: Placed): string[] {
  const { match, lines } = placed;
  const pairs: Array<readonly [string, string]> = [];
  let k = 0;
  for (const line of lines) {
    if (line.op === "+") continue;
    const f = match.fileIndexOf[k++];
    if (f >= 0) pairs.push([line.text, file.lines[f]]);
  }
  const tolerant = match.stage !== "exact" && match.stage !== "trailing-whitespace";
  const reindent: Reindent = tolerant ? learnReindent(pairs) : keepIndent;
  const out: string[] = [];
  let cursor = match.start;
  k = 0;
  for (const line of lines) {
    if (line.op === "+") {
      out.push(reindent(line.text));
      continue;
    }
    const f = match.fileIndexOf[k++];
    if (f < 0) continue; // a blank context line the file does not have
    while (cursor < f) out.push(file.lines[cursor++]); // blank file lines the hunk skipped
    if (line.op === " ") out.push(file.lines[f]);
    cursor = f + 1;
  }
  while (cursor < match.end) out.push(file.lines[cursor++]);
  return out;
}

export function applyHunks(path: string, content: string, hunks: readonly Hunk[]): ApplyResult {
  const file = splitFileLines(content);
  const index = new FileIndex(file.lines);
  const problems: PatchProblem[] = [];
  const placed: Placed[] = [];
  const unique = withoutDuplicates(hunks).filter((h) => hasChanges(h.lines));
  unique.forEach((hunk, n) => {
    const label = unique.length > 1 ? `hunk ${n + 1}` : "the hunk";
    const { before, removed } = oldSide(hunk.lines);
    const noNewline = hunk.newSideNoNewline === true;
    if (before.length === 0) {
      if (file.lines.length === 0) {
        placed.push({
          lines: hunk.lines,
          match: { start: 0, end: 0, fileIndexOf: [], stage: "exact" },
          newSideNoNewline: noNewline,
          label,
        });
      } else {
        problems.push(
          problem(
            "apply.hunk_no_context",
            `${label} for ${path} only adds lines and has no unchanged lines to show where they go; include 2–3 lines around the insertion`,
            path,
          ),
        );
      }
      return;
    }
    const outcome = locateHunk(index, before, removed);
    if (outcome.kind === "found") {
      placed.push({ lines: hunk.lines, match: outcome.match, newSideNoNewline: noNewline, label });
      return;
    }
    const pieces = outcome.kind === "not_found" ? locateGroups(index, hunk.lines) : undefined;
    if (pieces) {
      for (const piece of pieces) {
        const side = oldSide(piece);
        const found = locateHunk(index, side.before, side.removed);
        if (found.kind === "found") placed.push({ lines: piece, match: found.match, newSideNoNewline: false, label });
      }
      return;
    }
    const code = outcome.kind === "ambiguous" ? "apply.hunk_ambiguous" : "apply.hunk_not_found";
    problems.push(problem(code, notFoundMessage(path, label, before, outcome, index), path));
  });
  if (problems.length > 0) return { ok: false, problems };

  placed.sort((a, b) => a.match.start - b.match.start || a.match.end - b.match.end);
  for (let k = 1; k < placed.length; k++) {
    if (placed[k].match.start < placed[k - 1].match.end) {
      return {
        ok: false,
        problems: [
          problem(
            "apply.hunks_overlap",
            `${placed[k - 1].label} and ${placed[k].label} for ${path} change the same lines (around line ${
              placed[k].match.start + 1
            }); send one hunk per place`,
            path,
          ),
        ],
      };
    }
  }

  const out: string[] = [];
  let cursor = 0;
  let finalNewline = file.lines.length === 0 ? true : file.finalNewline;
  for (const piece of placed) {
    while (cursor < piece.match.start) out.push(file.lines[cursor++]);
    out.push(...replacementFor(file, piece));
    cursor = piece.match.end;
    if (piece.match.end === file.lines.length && piece.newSideNoNewline) finalNewline = false;
  }
  while (cursor < file.lines.length) out.push(file.lines[cursor++]);
  return { ok: true, content: joinFileLines({ lines: out, eol: file.eol, finalNewline }) };
}

/** A new file: its added lines, whatever the hunk header claimed about their number. */
export function newFileContent(path: string, hunks: readonly Hunk[]): ApplyResult {
  const lines: string[] = [];
  let finalNewline = true;
  for (const hunk of withoutDuplicates(hunks)) {
    if (hunk.lines.some((l) => l.op === "-")) {
      return {
        ok: false,
        problems: [
          problem(
            "apply.new_file_removes_lines",
            `the diff creates ${path} (--- /dev/null) but also removes lines from it; a new file has only + lines`,
            path,
          ),
        ],
      };
    }
    lines.push(...hunk.lines.map((l) => l.text));
    if (hunk.newSideNoNewline) finalNewline = false;
  }
  return { ok: true, content: joinFileLines({ lines, eol: "\n", finalNewline }) };
}

/** A deletion must remove what the file holds (when the diff lists lines at all). */
export function checkDeletion(path: string, content: string, hunks: readonly Hunk[]): PatchProblem[] {
  const removed = hunks.flatMap((h) => h.lines.filter((l) => l.op === "-").map((l) => l.text.trim()));
  if (removed.length === 0) return [];
  const fileLines = splitFileLines(content).lines.map((l) => l.trim()).filter((l) => l !== "");
  const listed = removed.filter((l) => l !== "");
  const same = listed.length === fileLines.length && listed.every((l, i) => l === fileLines[i]);
  return same ? [] : [
    problem(
      "apply.delete_mismatch",
      `the diff deletes ${path} but its removed lines do not match the file's content`,
      path,
    ),
  ];
}
