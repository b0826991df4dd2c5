/**
 * Model answer → FileEdits, whatever edit format the model actually used. Recognises the
 * `NO_CHANGES` answer, fenced or bare diffs with prose around them, SEARCH/REPLACE blocks and
 * whole-file blocks; refuses cut-off answers and placeholder lines standing for omitted code.
 */
import { type Fence, findFences } from "./fences.ts";
import { type DiffSegment, parseUnifiedDiff } from "./parse_udiff.ts";
import { parseSearchReplace, SEARCH_MARKER } from "./parse_search_replace.ts";
import { fencePath, parseWholeFiles } from "./parse_whole.ts";
import { findPlaceholder } from "./placeholders.ts";
import { quote } from "./text.ts";
import { type EditFormat, type FileEdit, type PatchProblem, problem } from "./types.ts";

export type Extraction =
  | { kind: "no_changes" }
  | { kind: "edits"; format: EditFormat; edits: FileEdit[]; problems: PatchProblem[] };

export const NO_CHANGES = "NO_CHANGES";

function isNoChangesLine(line: string): boolean {
  return line.trim().replace(/^[`*_"'\s>]+|[`*"'.!\s]+$/g, "").toUpperCase() === NO_CHANGES;
}

/** The whole answer is NO_CHANGES (possibly fenced, quoted or in bold). */
export function isNoChangesAnswer(lines: readonly string[]): boolean {
  const meaningful = lines.filter((l) => l.trim() !== "" && !/^ {0,3}(`{3,}|~{3,})\s*\w*\s*$/.test(l));
  return meaningful.length === 1 && isNoChangesLine(meaningful[0]);
}

function isDiffFileHeader(lines: readonly string[], i: number): boolean {
  return lines[i].startsWith("--- ") && lines[i + 1]?.startsWith("+++ ") === true;
}

export function hasDiffMarkers(lines: readonly string[]): boolean {
  return lines.some((line, i) => line.startsWith("diff --git ") || line.startsWith("@@") || isDiffFileHeader(lines, i));
}

const DIFF_INFO = /^(diff|patch|udiff)\b/i;

function isDiffFence(fence: Fence): boolean {
  return DIFF_INFO.test(fence.info) || hasDiffMarkers(fence.lines);
}

function truncatedFenceProblems(fences: readonly Fence[]): PatchProblem[] {
  return fences.filter((f) => !f.closed).map(() =>
    problem(
      "extract.truncated",
      "the answer ends inside an unclosed ``` block; it looks cut off — send the complete edit",
    )
  );
}

function placeholderProblems(edits: readonly FileEdit[]): PatchProblem[] {
  const problems: PatchProblem[] = [];
  for (const edit of edits) {
    let found: string | undefined;
    if (edit.content !== undefined) found = findPlaceholder(edit.content.split("\n"));
    for (const hunk of edit.hunks) {
      if (found !== undefined) break;
      const newSide = hunk.lines.filter((l) => l.op !== "-");
      found = findPlaceholder(newSide.map((l) => l.text), (i) => newSide[i].op === "+");
    }
    if (found !== undefined) {
      problems.push(problem(
        "extract.placeholder",
        `the edit for ${edit.path} contains the placeholder line ${
          quote(found.trim())
        }; write out every line instead of leaving code out`,
        edit.path,
      ));
    }
  }
  return problems;
}

function extractUnifiedDiff(lines: string[], fences: Fence[]): Extraction {
  const diffFences = fences.filter(isDiffFence);
  const segments: DiffSegment[] = diffFences.length > 0
    ? diffFences.map((f) => ({ lines: f.lines, fenced: true }))
    : [{ lines, fenced: false }];
  const parsed = parseUnifiedDiff(segments);
  const problems = [...truncatedFenceProblems(diffFences), ...parsed.problems, ...placeholderProblems(parsed.edits)];
  return { kind: "edits", format: "udiff", edits: parsed.edits, problems };
}

function extractSearchReplace(lines: string[]): Extraction {
  const parsed = parseSearchReplace(lines);
  return {
    kind: "edits",
    format: "search-replace",
    edits: parsed.edits,
    problems: [...parsed.problems, ...placeholderProblems(parsed.edits)],
  };
}

function extractWholeFiles(lines: string[], fences: Fence[]): Extraction {
  const edits = parseWholeFiles(lines, fences);
  const problems = [...truncatedFenceProblems(fences), ...placeholderProblems(edits)];
  return { kind: "edits", format: "whole", edits, problems };
}

const ORDER: Record<EditFormat, EditFormat[]> = {
  udiff: ["udiff", "search-replace"],
  "search-replace": ["search-replace", "udiff"],
  whole: ["whole", "search-replace", "udiff"],
};

/** Reads the edits out of a model's answer, preferring the requested format. Pure. */
export function extractEdits(modelText: string, requested: EditFormat = "udiff"): Extraction {
  // CRLF from the model becomes LF; nothing else is trimmed (a lone " " can be a context line).
  const text = modelText.replace(/\r\n/g, "\n");
  const lines = text.split("\n");
  if (isNoChangesAnswer(lines)) return { kind: "no_changes" };
  const nulProblems = text.includes("\0")
    ? [problem("guard.binary_patch", "the answer contains NUL bytes; only text edits are accepted")]
    : [];
  const fences = findFences(lines);
  const wholeFences = fences.filter((f) =>
    !isDiffFence(f) && !f.lines.some((l) => SEARCH_MARKER.test(l)) && fencePath(lines, f) !== undefined
  );
  const available: Record<EditFormat, boolean> = {
    udiff: hasDiffMarkers(lines),
    "search-replace": lines.some((l) => SEARCH_MARKER.test(l)),
    whole: wholeFences.length > 0,
  };
  const format = ORDER[requested].find((f) => available[f]);
  if (format === undefined) {
    if (lines.some(isNoChangesLine)) return { kind: "no_changes" };
    return {
      kind: "edits",
      format: requested,
      edits: [],
      problems: [...nulProblems, ...truncatedFenceProblems(fences), noEditProblem(requested)],
    };
  }
  const extraction = format === "udiff"
    ? extractUnifiedDiff(lines, fences)
    : format === "search-replace"
    ? extractSearchReplace(lines)
    : extractWholeFiles(lines, wholeFences);
  if (extraction.kind === "edits") {
    extraction.problems.unshift(...nulProblems);
    if (extraction.edits.length === 0 && extraction.problems.length === 0) {
      extraction.problems.push(noEditProblem(requested));
    }
  }
  return extraction;
}

function noEditProblem(requested: EditFormat): PatchProblem {
  const what = requested === "udiff"
    ? "a unified diff (--- a/path, +++ b/path, @@ hunks)"
    : requested === "search-replace"
    ? "SEARCH/REPLACE blocks under a file path"
    : "a fenced block holding the whole file, with its path on the line above";
  return problem(
    "extract.no_diff",
    `no edit found in the answer; send ${what}, or answer exactly ${NO_CHANGES} if nothing should change`,
  );
}
