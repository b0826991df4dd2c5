/** Whole-file blocks (a fenced file preceded by, or labelled with, its path) → FileEdits. */
import type { Fence } from "./fences.ts";
import { pathFromFenceInfo, pathFromLine } from "./paths.ts";
import type { FileEdit } from "./types.ts";

/** The path a fenced block belongs to: in its info string, or alone on a line just above it. */
export function fencePath(answerLines: readonly string[], fence: Fence): string | undefined {
  const fromInfo = pathFromFenceInfo(fence.info);
  if (fromInfo) return fromInfo;
  for (let k = fence.start - 1; k >= 0 && k >= fence.start - 3; k--) {
    if (answerLines[k].trim() === "") continue;
    return pathFromLine(answerLines[k]);
  }
  return undefined;
}

export function parseWholeFiles(answerLines: readonly string[], fences: readonly Fence[]): FileEdit[] {
  const edits: FileEdit[] = [];
  for (const fence of fences) {
    const path = fencePath(answerLines, fence);
    if (!path) continue;
    const content = fence.lines.length === 0 ? "" : fence.lines.join("\n") + "\n";
    const earlier = edits.findIndex((e) => e.path === path);
    const edit: FileEdit = { operation: "write", path, hunks: [], content };
    if (earlier >= 0) edits[earlier] = edit; // a later version of the same file wins
    else edits.push(edit);
  }
  return edits;
}
