/**
 * Finds where a hunk's old side (context + removed lines) sits in a file, in stages from strict
 * to tolerant, Aider-style: exact → trailing whitespace ignored → indentation-relative →
 * whitespace-insensitive → blank lines ignored. The first stage with any match decides: one
 * match is used, several are ambiguous (never guessed). Removed lines always have to be there.
 */
import { indentOf, isBlank } from "./text.ts";

export type MatchStage =
  | "exact"
  | "trailing-whitespace"
  | "indentation-relative"
  | "whitespace-insensitive"
  | "blank-lines";

export interface Match {
  /** First file line covered. */
  start: number;
  /** One past the last file line covered. */
  end: number;
  /** For each old-side line of the hunk: the file line it matched, or -1 (a blank context line the file lacks). */
  fileIndexOf: number[];
  stage: MatchStage;
}

export type LocateOutcome =
  | { kind: "found"; match: Match }
  | { kind: "ambiguous"; stage: MatchStage; starts: number[] }
  | { kind: "not_found"; closest: ClosestMiss | undefined };

/** How far the hunk matched at its best place, to quote the line that broke it. */
export interface ClosestMiss {
  /** Index into the old-side lines of the first line that did not match. */
  hunkIndex: number;
  /** The file line found there instead (undefined past the end of the file). */
  fileIndex: number;
  matchedBefore: number;
}

/** A file's lines with the normalized forms the stages compare, computed once per file. */
export class FileIndex {
  readonly lines: readonly string[];
  #trimmedEnd?: string[];
  #trimmed?: string[];
  #positions = new Map<string[] | readonly string[], Map<string, number[]>>();
  constructor(lines: readonly string[]) {
    this.lines = lines;
  }
  /** Where `line` occurs in one of the line views: a hash lookup instead of a scan per hunk. */
  positionsOf(view: readonly string[], line: string): readonly number[] {
    let index = this.#positions.get(view);
    if (!index) {
      index = new Map();
      view.forEach((l, i) => {
        const list = index!.get(l);
        if (list) list.push(i);
        else index!.set(l, [i]);
      });
      this.#positions.set(view, index);
    }
    return index.get(line) ?? [];
  }
  get trimmedEnd(): string[] {
    return this.#trimmedEnd ??= this.lines.map((l) => l.trimEnd());
  }
  get trimmed(): string[] {
    return this.#trimmed ??= this.lines.map((l) => l.trim());
  }
}

const MAX_REPORTED = 5;

function contiguousMatches(
  candidates: readonly number[],
  windowSize: number,
  count: number,
  matchesAt: (start: number) => boolean,
): number[] {
  const starts: number[] = [];
  for (const p of candidates) {
    if (p + windowSize <= count && matchesAt(p)) {
      starts.push(p);
      if (starts.length > MAX_REPORTED) break;
    }
  }
  return starts;
}

function identity(size: number, start: number): number[] {
  return Array.from({ length: size }, (_, i) => start + i);
}

function minIndentWidth(lines: readonly string[]): number {
  let min = Infinity;
  for (const line of lines) if (!isBlank(line)) min = Math.min(min, indentOf(line).length);
  return min === Infinity ? 0 : min;
}

function stageStarts(file: FileIndex, before: readonly string[], stage: MatchStage): number[] {
  const m = before.length;
  const n = file.lines.length;
  switch (stage) {
    case "exact": {
      const lines = file.lines;
      return contiguousMatches(file.positionsOf(lines, before[0]), m, n, (p) => {
        for (let i = 0; i < m; i++) if (lines[p + i] !== before[i]) return false;
        return true;
      });
    }
    case "trailing-whitespace": {
      const lines = file.trimmedEnd;
      const wanted = before.map((l) => l.trimEnd());
      return contiguousMatches(file.positionsOf(lines, wanted[0]), m, n, (p) => {
        for (let i = 0; i < m; i++) if (lines[p + i] !== wanted[i]) return false;
        return true;
      });
    }
    case "indentation-relative": {
      const hunkIndent = minIndentWidth(before);
      const wanted = before.map((l) => isBlank(l) ? "" : l.slice(hunkIndent).trimEnd());
      const trimmed = file.trimmed;
      return contiguousMatches(file.positionsOf(trimmed, before[0].trim()), m, n, (p) => {
        const window = file.lines.slice(p, p + m);
        const fileIndent = minIndentWidth(window);
        for (let i = 0; i < m; i++) {
          const got = isBlank(window[i]) ? "" : window[i].slice(fileIndent).trimEnd();
          if (got !== wanted[i]) return false;
        }
        return true;
      });
    }
    case "whitespace-insensitive": {
      const lines = file.trimmed;
      const wanted = before.map((l) => l.trim());
      return contiguousMatches(file.positionsOf(lines, wanted[0]), m, n, (p) => {
        for (let i = 0; i < m; i++) if (lines[p + i] !== wanted[i]) return false;
        return true;
      });
    }
    case "blank-lines":
      return [];
  }
}

/**
 * Blank-line tolerant walk from file line `p`: blank context lines of the hunk may be missing
 * from the file and blank file lines may be missing from the hunk. Removed lines must match.
 */
function walkIgnoringBlankLines(
  file: FileIndex,
  before: readonly string[],
  removed: readonly boolean[],
  p: number,
): number[] | undefined {
  const trimmed = file.trimmed;
  const fileIndexOf: number[] = new Array(before.length).fill(-1);
  let j = p;
  for (let i = 0; i < before.length; i++) {
    const wanted = before[i].trim();
    if (wanted === "") {
      if (j < trimmed.length && trimmed[j] === "") fileIndexOf[i] = j++;
      else if (removed[i]) return undefined;
      continue;
    }
    while (j < trimmed.length && trimmed[j] === "") j++;
    if (j >= trimmed.length || trimmed[j] !== wanted) return undefined;
    fileIndexOf[i] = j++;
  }
  return fileIndexOf;
}

function locateIgnoringBlankLines(
  file: FileIndex,
  before: readonly string[],
  removed: readonly boolean[],
): Match[] {
  // Leading and trailing blank context lines are dropped: they carry no position information.
  let first = 0;
  while (first < before.length && isBlank(before[first]) && !removed[first]) first++;
  let last = before.length - 1;
  while (last > first && isBlank(before[last]) && !removed[last]) last--;
  if (first > last) return [];
  const core = before.slice(first, last + 1);
  const coreRemoved = removed.slice(first, last + 1);
  const anchor = core[0].trim();
  const matches: Match[] = [];
  for (const p of file.positionsOf(file.trimmed, anchor)) {
    const coreIndex = walkIgnoringBlankLines(file, core, coreRemoved, p);
    if (!coreIndex) continue;
    const fileIndexOf = new Array(before.length).fill(-1);
    coreIndex.forEach((f, k) => fileIndexOf[first + k] = f);
    const used = coreIndex.filter((f) => f >= 0);
    matches.push({ start: used[0], end: used[used.length - 1] + 1, fileIndexOf, stage: "blank-lines" });
    if (matches.length > MAX_REPORTED) break;
  }
  return matches;
}

const CONTIGUOUS_STAGES: MatchStage[] = [
  "exact",
  "trailing-whitespace",
  "indentation-relative",
  "whitespace-insensitive",
];

export function locateHunk(file: FileIndex, before: readonly string[], removed: readonly boolean[]): LocateOutcome {
  if (before.length === 0) return { kind: "not_found", closest: undefined };
  for (const stage of CONTIGUOUS_STAGES) {
    const starts = stageStarts(file, before, stage);
    if (starts.length === 1) {
      const start = starts[0];
      return {
        kind: "found",
        match: { start, end: start + before.length, fileIndexOf: identity(before.length, start), stage },
      };
    }
    if (starts.length > 1) return { kind: "ambiguous", stage, starts };
  }
  const tolerant = locateIgnoringBlankLines(file, before, removed);
  if (tolerant.length === 1) return { kind: "found", match: tolerant[0] };
  if (tolerant.length > 1) return { kind: "ambiguous", stage: "blank-lines", starts: tolerant.map((m) => m.start) };
  return { kind: "not_found", closest: closestMiss(file, before) };
}

/** The place where the most leading old-side lines match (whitespace-insensitively). */
export function closestMiss(file: FileIndex, before: readonly string[]): ClosestMiss | undefined {
  const wanted = before.map((l) => l.trim());
  let best: ClosestMiss | undefined;
  for (let p = 0; p < file.lines.length; p++) {
    let i = 0;
    while (i < wanted.length && p + i < file.lines.length && file.trimmed[p + i] === wanted[i]) i++;
    if (i > 0 && (!best || i > best.matchedBefore)) best = { hunkIndex: i, fileIndex: p + i, matchedBefore: i };
  }
  return best;
}
