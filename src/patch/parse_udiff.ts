/**
 * Unified diffs as local models write them → FileEdits. Tolerates missing, bare or wrong `@@`
 * headers (counts are only hints), blank context lines without their space, hunks with no file
 * header (they belong to the last file) and `diff --git` or bare `---`/`+++` headers.
 */
import { DEV_NULL, gitHeaderPaths, headerPath, normalizeHeaderPaths } from "./paths.ts";
import { type FileEdit, type Hunk, type HunkHeader, type PatchProblem, problem } from "./types.ts";

export interface DiffSegment {
  lines: string[];
  /** Inside a ``` block: every line is meant as diff. Outside: prose may follow the diff. */
  fenced: boolean;
}

interface RawFile {
  fromGitHeader?: boolean;
  oldRaw?: string;
  newRaw?: string;
  gitOld?: string;
  gitNew?: string;
  hunks: Hunk[];
  renameFrom?: string;
  renameTo?: string;
  copyFrom?: string;
  copyTo?: string;
  modeChange?: string;
  newFile?: boolean;
  deletedFile?: boolean;
  binary?: boolean;
}

const HUNK_HEADER = /^@@+\s*-(\d+)(?:,(\d+))?\s+\+(\d+)(?:,(\d+))?\s*@@/;
const EXTENDED_HEADER =
  /^(old mode|new mode|deleted file mode|new file mode|similarity index|dissimilarity index|rename from|rename to|copy from|copy to|index) ?(.*)$/;

export function parseHunkHeader(line: string): HunkHeader | undefined {
  const match = HUNK_HEADER.exec(line);
  if (!match) return undefined;
  return {
    oldStart: Number(match[1]),
    oldLines: match[2] === undefined ? 1 : Number(match[2]),
    newStart: Number(match[3]),
    newLines: match[4] === undefined ? 1 : Number(match[4]),
  };
}

function isFileHeaderAt(lines: readonly string[], i: number): boolean {
  return lines[i]?.startsWith("--- ") === true && lines[i + 1]?.startsWith("+++ ") === true;
}

function isBodyLine(line: string): boolean {
  return line.startsWith(" ") || line.startsWith("+") || line.startsWith("-") || line.startsWith("\\");
}

function countsSatisfied(hunk: Hunk): boolean {
  if (!hunk.header) return false;
  const old = hunk.lines.filter((l) => l.op !== "+").length;
  const added = hunk.lines.filter((l) => l.op !== "-").length;
  return old === hunk.header.oldLines && added === hunk.header.newLines;
}

/** Reads hunk body lines from `start`; returns the index of the first line after the hunk. */
function readHunkBody(lines: readonly string[], start: number, hunk: Hunk): number {
  let i = start;
  while (i < lines.length) {
    const line = lines[i];
    if (line.startsWith("\\")) {
      const last = hunk.lines[hunk.lines.length - 1];
      if (last && last.op !== "-") hunk.newSideNoNewline = true;
      i++;
      continue;
    }
    if (line === "") {
      // A bare empty line is a blank context line whose space got lost, unless it separates the
      // diff from what follows (nothing more of this hunk after it, or the counts are complete).
      let next = i;
      while (next < lines.length && lines[next] === "") next++;
      const continues = next < lines.length && isBodyLine(lines[next]) && !isFileHeaderAt(lines, next);
      if (!continues || countsSatisfied(hunk)) return i;
      for (; i < next; i++) hunk.lines.push({ op: " ", text: "" });
      continue;
    }
    if (isFileHeaderAt(lines, i) || line.startsWith("@@") || line.startsWith("diff --git ")) return i;
    if (line[0] === " " || line[0] === "+" || line[0] === "-") {
      hunk.lines.push({ op: line[0], text: line.slice(1) });
      i++;
      continue;
    }
    return i;
  }
  return i;
}

export interface ParsedDiff {
  edits: FileEdit[];
  problems: PatchProblem[];
}

export function parseUnifiedDiff(segments: readonly DiffSegment[]): ParsedDiff {
  const files: RawFile[] = [];
  const problems: PatchProblem[] = [];
  let current: RawFile | undefined;
  // Whether lines with hunk prefixes may start a header-less hunk in the current file.
  let inFileSection = false;
  const lastSegment = segments.length - 1;

  segments.forEach((segment, segmentIndex) => {
    const lines = segment.lines;
    let i = 0;
    while (i < lines.length) {
      const line = lines[i];
      if (line.startsWith("diff --git ")) {
        const paths = gitHeaderPaths(line.slice("diff --git ".length));
        current = { fromGitHeader: true, gitOld: paths?.oldRaw, gitNew: paths?.newRaw, hunks: [] };
        files.push(current);
        inFileSection = true;
        i++;
        continue;
      }
      if (isFileHeaderAt(lines, i)) {
        const reuse = current?.fromGitHeader === true && current.oldRaw === undefined &&
          current.hunks.length === 0;
        if (!reuse) {
          current = { hunks: [] };
          files.push(current);
        }
        current!.oldRaw = headerPath(lines[i].slice(4));
        current!.newRaw = headerPath(lines[i + 1].slice(4));
        inFileSection = true;
        i += 2;
        continue;
      }
      const extended = current && current.hunks.length === 0 ? EXTENDED_HEADER.exec(line) : null;
      if (current && extended) {
        recordExtendedHeader(current, extended[1], extended[2]);
        i++;
        continue;
      }
      if (current && (line.startsWith("GIT binary patch") || /^Binary files .* differ$/.test(line))) {
        current.binary = true;
        i++;
        continue;
      }
      const startsHunk = line.startsWith("@@") ||
        (inFileSection && current !== undefined && (line[0] === " " || line[0] === "+" || line[0] === "-"));
      if (startsHunk) {
        if (!current) {
          problems.push(
            problem("parse.hunk_without_file", `a hunk (${line.slice(0, 40)}) comes before any ---/+++ file header`),
          );
          i = readHunkBody(lines, i + 1, { lines: [] });
          continue;
        }
        const hunk: Hunk = { lines: [], header: line.startsWith("@@") ? parseHunkHeader(line) : undefined };
        const bodyStart = line.startsWith("@@") ? i + 1 : i;
        i = readHunkBody(lines, bodyStart, hunk);
        const truncatedAtEnd = !segment.fenced && segmentIndex === lastSegment && i >= lines.length &&
          hunk.header !== undefined && isShortOnBothSides(hunk);
        if (hunk.lines.length === 0 || truncatedAtEnd) {
          problems.push(problem(
            "extract.truncated",
            `a hunk for ${displayPath(current)} ends early (${
              line.slice(0, 40)
            }); the answer looks cut off — send the complete diff`,
            displayPath(current),
          ));
        }
        current.hunks.push(hunk);
        inFileSection = true;
        continue;
      }
      // Prose outside a fence ends the file section; inside a fence it is ignored.
      if (!segment.fenced && line.trim() !== "") inFileSection = false;
      i++;
    }
  });

  const edits: FileEdit[] = [];
  for (const file of files) {
    const edit = toFileEdit(file, problems);
    if (edit) edits.push(edit);
  }
  return { edits: mergeEditsByPath(edits), problems };
}

function isShortOnBothSides(hunk: Hunk): boolean {
  const header = hunk.header!;
  const old = hunk.lines.filter((l) => l.op !== "+").length;
  const added = hunk.lines.filter((l) => l.op !== "-").length;
  return old < header.oldLines && added < header.newLines;
}

function recordExtendedHeader(file: RawFile, key: string, value: string): void {
  switch (key) {
    case "old mode":
    case "new mode":
      file.modeChange = `${key} ${value}`;
      break;
    case "new file mode":
      file.newFile = true;
      if (value.trim() !== "100644") file.modeChange = `new file mode ${value}`;
      break;
    case "deleted file mode":
      file.deletedFile = true;
      break;
    case "rename from":
      file.renameFrom = headerPath(value);
      break;
    case "rename to":
      file.renameTo = headerPath(value);
      break;
    case "copy from":
      file.copyFrom = headerPath(value);
      break;
    case "copy to":
      file.copyTo = headerPath(value);
      break;
  }
}

function displayPath(file: RawFile): string {
  return file.newRaw ?? file.gitNew ?? file.oldRaw ?? file.gitOld ?? "(unknown file)";
}

function toFileEdit(file: RawFile, problems: PatchProblem[]): FileEdit | undefined {
  const oldRaw = file.oldRaw ?? file.gitOld ?? (file.newFile ? DEV_NULL : undefined);
  const newRaw = file.newRaw ?? file.gitNew ?? (file.deletedFile ? DEV_NULL : undefined);
  if (oldRaw === undefined || newRaw === undefined) {
    problems.push(problem("parse.missing_file_header", "a diff section has no ---/+++ file header naming its file"));
    return undefined;
  }
  const { oldPath, newPath } = normalizeHeaderPaths(oldRaw, newRaw);
  const facts = { hunks: file.hunks, modeChange: file.modeChange, binary: file.binary };
  if (file.renameFrom !== undefined || file.copyFrom !== undefined) {
    const source = (file.renameFrom ?? file.copyFrom)!.replace(/^\.\//, "");
    const target = (file.renameTo ?? file.copyTo ?? newPath ?? "").replace(/^\.\//, "");
    return { operation: file.renameFrom !== undefined ? "rename" : "copy", path: target, sourcePath: source, ...facts };
  }
  if (oldPath === null && newPath === null) {
    problems.push(problem("parse.missing_file_header", "a diff section names /dev/null on both sides"));
    return undefined;
  }
  if (oldPath === null) return { operation: "create", path: newPath!, ...facts };
  if (newPath === null) return { operation: "delete", path: oldPath, ...facts };
  if (oldPath !== newPath) {
    problems.push(problem(
      "parse.path_mismatch",
      `the diff header says --- ${oldPath} but +++ ${newPath}; use the same path on both lines (renames are not needed)`,
      newPath,
    ));
    return undefined;
  }
  if (file.hunks.length === 0 && !file.modeChange && !file.binary) {
    problems.push(problem(
      "parse.no_hunks",
      `the diff for ${newPath} has a file header but no hunks; the answer may be cut off`,
      newPath,
    ));
    return undefined;
  }
  return { operation: file.newFile ? "create" : "modify", path: newPath, ...facts };
}

/** Several sections for the same file (e.g. one per fenced block) become one edit. */
export function mergeEditsByPath(edits: FileEdit[]): FileEdit[] {
  const merged: FileEdit[] = [];
  const byPath = new Map<string, FileEdit>();
  for (const edit of edits) {
    const earlier = byPath.get(edit.path);
    if (earlier && earlier.operation === "modify" && edit.operation === "modify") {
      earlier.hunks.push(...edit.hunks);
      earlier.modeChange ??= edit.modeChange;
      earlier.binary ||= edit.binary;
      continue;
    }
    byPath.set(edit.path, edit);
    merged.push(edit);
  }
  return merged;
}
