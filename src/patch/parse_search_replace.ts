/**
 * SEARCH/REPLACE blocks (Aider's edit format) → FileEdits. The file path is the last path-like
 * line (or fence info) above the block; several blocks may follow one path.
 */
import { pathFromFenceInfo, pathFromLine } from "./paths.ts";
import { type FileEdit, type Hunk, type PatchProblem, problem } from "./types.ts";
import { mergeEditsByPath } from "./parse_udiff.ts";

export const SEARCH_MARKER = /^<{5,9} ?SEARCH\s*$/;
const DIVIDER = /^={5,9}\s*$/;
const REPLACE_MARKER = /^>{5,9} ?REPLACE\s*$/;
const FENCE = /^ {0,3}(`{3,}|~{3,})(.*)$/;

export interface ParsedSearchReplace {
  edits: FileEdit[];
  problems: PatchProblem[];
}

export function parseSearchReplace(lines: readonly string[]): ParsedSearchReplace {
  const edits: FileEdit[] = [];
  const problems: PatchProblem[] = [];
  let path: string | undefined;
  let i = 0;
  let blockNumber = 0;
  while (i < lines.length) {
    const line = lines[i];
    if (!SEARCH_MARKER.test(line)) {
      const fence = FENCE.exec(line);
      const candidate = fence ? pathFromFenceInfo(fence[2]) : pathFromLine(line);
      if (candidate) path = candidate;
      i++;
      continue;
    }
    blockNumber++;
    const search: string[] = [];
    const replace: string[] = [];
    let j = i + 1;
    while (j < lines.length && !DIVIDER.test(lines[j])) search.push(lines[j++]);
    const hasDivider = j < lines.length;
    j++;
    while (j < lines.length && !REPLACE_MARKER.test(lines[j])) replace.push(lines[j++]);
    if (!hasDivider || j >= lines.length) {
      problems.push(problem(
        "extract.truncated",
        `SEARCH/REPLACE block ${blockNumber} has no ${
          hasDivider ? ">>>>>>> REPLACE" : "======="
        } line; the answer looks cut off — send the complete block`,
        path,
      ));
      break;
    }
    i = j + 1;
    if (!path) {
      problems.push(problem(
        "parse.missing_path",
        `SEARCH/REPLACE block ${blockNumber} has no file path; put the path alone on the line before the block`,
      ));
      continue;
    }
    const hunk: Hunk = {
      lines: [
        ...search.map((text) => ({ op: "-" as const, text })),
        ...replace.map((text) => ({ op: "+" as const, text })),
      ],
    };
    const isCreate = search.every((l) => l.trim() === "");
    edits.push({ operation: isCreate ? "create" : "modify", path, hunks: [hunk] });
  }
  return { edits: mergeEditsByPath(edits), problems };
}
