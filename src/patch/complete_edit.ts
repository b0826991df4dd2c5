/**
 * When a streamed patcher answer already holds a complete edit, so nothing the model writes next can become
 * part of it: the client then stops reading (and the server stops generating). Pure.
 *
 * A complete edit unit is a closed fence holding, in the requested format, a diff that parses cleanly, one or
 * more whole SEARCH/REPLACE blocks (or, unfenced, a block up to its `>>>>>>> REPLACE` line), or a whole file
 * under its path. The answer counts as complete:
 * - at once, when the units cover every file the patcher may edit, in the formats where a unit holds all of a
 *   file's changes (a unified diff's file section, a whole file) — never for SEARCH/REPLACE, where a second
 *   block may follow for the same file;
 * - when the first line written after the last unit plainly starts no further edit (prose such as "This
 *   updates the expected value."): not a fence, a diff header, a SEARCH marker, a path, a line ending in ":"
 *   that introduces one, or a line naming a file the patcher may edit that has no edit yet. An answer that
 *   goes on with another block for another file is read on;
 * - when a unit repeats an earlier one word for word (a model looping over its own edit).
 * Nothing is decided while a fence or a SEARCH/REPLACE block is still open, or on a line not yet ended.
 */
import { type Fence, findFences } from "./fences.ts";
import { parseUnifiedDiff } from "./parse_udiff.ts";
import { parseSearchReplace, SEARCH_MARKER } from "./parse_search_replace.ts";
import { fencePath } from "./parse_whole.ts";
import { hasDiffMarkers } from "./extract.ts";
import type { EditFormat } from "./types.ts";

interface EditUnit {
  /** Index of the unit's first line (the opening fence, or the SEARCH marker). */
  start: number;
  /** Index of the unit's last line (the closing fence, or the REPLACE marker). */
  end: number;
  paths: string[];
}

const REPLACE_MARKER = /^>{5,9} ?REPLACE\s*$/;
const FENCE_LINE = /^ {0,3}(`{3,}|~{3,})/;
const EDIT_START = /^(--- |\+\+\+ |diff --git |@@)/;
const PATH_LINE = /^[\s*_`"'#>-]*[\w.-]*[\w-]+(\/[\w.-]+)*\.\w+[\s*_`"':]*$/;

/** A stop check for the patcher's stream: the reason to stop reading, or undefined to read on. */
export function completeEditCheck(
  format: EditFormat,
  editable: readonly string[],
): (text: string) => string | undefined {
  return (text) => completeEditReason(text, format, editable);
}

export function completeEditReason(text: string, format: EditFormat, editable: readonly string[]): string | undefined {
  const all = text.replace(/\r\n/g, "\n").split("\n");
  // The last piece has no newline yet: it may still grow into a fence or a marker.
  const lines = all.slice(0, -1);
  const fences = findFences(lines);
  if (fences.some((f) => !f.closed)) return undefined;
  const units = format === "udiff"
    ? diffUnits(fences)
    : format === "search-replace"
    ? searchReplaceUnits(lines, fences)
    : wholeUnits(lines, fences);
  if (units === undefined || units.length === 0) return undefined;
  const seen = new Set<string>();
  for (const unit of units) {
    // The unit with the path line above it, for the formats that put the path there.
    let above = unit.start - 1;
    while (above >= 0 && lines[above].trim() === "") above--;
    const label = above >= 0 && PATH_LINE.test(lines[above]) ? lines[above] : "";
    const key = [label, ...lines.slice(unit.start, unit.end + 1)].join("\n");
    if (seen.has(key)) return `complete_edit: the edit for ${unit.paths.join(", ")} was sent again`;
    seen.add(key);
  }
  const covered = new Set(units.flatMap((u) => u.paths));
  const paths = [...covered].join(", ");
  if (format !== "search-replace" && editable.length > 0 && editable.every((p) => covered.has(p))) {
    return `complete_edit: ${format} for every editable file (${paths})`;
  }
  const last = units[units.length - 1];
  const next = lines.slice(last.end + 1).find((l) => l.trim() !== "");
  if (next === undefined || mayStartAnotherEdit(next, editable.filter((p) => !covered.has(p)))) return undefined;
  return `complete_edit: ${format} for ${paths}, then text that is no edit`;
}

function mayStartAnotherEdit(line: string, notYetEdited: readonly string[]): boolean {
  if (FENCE_LINE.test(line) || EDIT_START.test(line) || SEARCH_MARKER.test(line) || PATH_LINE.test(line)) return true;
  if (/:\s*[*_`]*\s*$/.test(line)) return true;
  return notYetEdited.some((p) => line.includes(p));
}

function diffUnits(fences: readonly Fence[]): EditUnit[] {
  const units: EditUnit[] = [];
  for (const fence of fences) {
    if (!hasDiffMarkers(fence.lines)) continue;
    const parsed = parseUnifiedDiff([{ lines: fence.lines, fenced: true }]);
    // A broken diff is no complete edit: the model may still send a corrected one.
    if (parsed.problems.length > 0 || parsed.edits.length === 0) continue;
    units.push({ start: fence.start, end: fenceEnd(fence), paths: parsed.edits.map((e) => e.path) });
  }
  return units;
}

/** Undefined while a SEARCH/REPLACE block is still open. */
function searchReplaceUnits(lines: readonly string[], fences: readonly Fence[]): EditUnit[] | undefined {
  const spans: Array<{ start: number; end: number }> = [];
  const fenceOf = (i: number) => fences.find((f) => i > f.start && i < fenceEnd(f));
  let open = -1;
  for (let i = 0; i < lines.length; i++) {
    if (SEARCH_MARKER.test(lines[i])) open = i;
    if (REPLACE_MARKER.test(lines[i]) && open >= 0) {
      const fence = fenceOf(i);
      if (fence === undefined) spans.push({ start: open, end: i });
      else if (!spans.some((s) => s.start === fence.start)) spans.push({ start: fence.start, end: fenceEnd(fence) });
      open = -1;
    }
  }
  if (open >= 0) return undefined;
  const units: EditUnit[] = [];
  for (const span of spans) {
    // Parsed with every path line above it: a block's path is the last one before it.
    const parsed = parseSearchReplace(lines.slice(0, span.end + 1));
    if (parsed.problems.length > 0 || parsed.edits.length === 0) continue;
    units.push({ ...span, paths: parsed.edits.map((e) => e.path) });
  }
  return units;
}

function wholeUnits(lines: readonly string[], fences: readonly Fence[]): EditUnit[] {
  return fences.flatMap((fence) => {
    if (hasDiffMarkers(fence.lines) || fence.lines.some((l) => SEARCH_MARKER.test(l))) return [];
    const path = fencePath(lines, fence);
    return path ? [{ start: fence.start, end: fenceEnd(fence), paths: [path] }] : [];
  });
}

function fenceEnd(fence: Fence): number {
  return fence.start + fence.lines.length + 1;
}
