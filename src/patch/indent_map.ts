/**
 * When a hunk matched with different indentation than the file has (uniformly shifted, or 2
 * spaces where the file uses 4, or spaces where it uses tabs), its added lines are re-indented
 * the same way, learned from the lines that matched.
 */
import { indentOf, isBlank } from "./text.ts";

export type Reindent = (line: string) => string;

export const keepIndent: Reindent = (line) => line;

export function learnReindent(pairs: ReadonlyArray<readonly [hunkLine: string, fileLine: string]>): Reindent {
  const samples = pairs.filter(([h, f]) => !isBlank(h) && !isBlank(f)).map(([h, f]) => [indentOf(h), indentOf(f)]);
  if (samples.length === 0 || samples.every(([h, f]) => h === f)) return keepIndent;
  const direct = new Map<string, string | null>();
  for (const [h, f] of samples) {
    const known = direct.get(h);
    direct.set(h, known === undefined || known === f ? f : null);
  }
  const fileIndents = samples.map(([, f]) => f).filter((f) => f.length > 0);
  const unit = fileIndents.length > 0 && fileIndents.every((f) => /^\t+$/.test(f)) ? "\t" : " ";
  const shifts = new Set(samples.map(([h, f]) => f.length - h.length));
  const scaled = samples.filter(([h]) => h.length > 0);
  const ratios = new Set(scaled.map(([h, f]) => f.length / h.length));
  const zeroStaysZero = samples.every(([h, f]) => h.length > 0 || f.length === 0);

  // Same indent character on both sides: a shift explains the change best; spaces against tabs: a ratio.
  const sameUnit = samples.every(([h]) => [...h].every((c) => c === unit));
  const byShift = (w: number) => shifts.size === 1 ? Math.max(0, w + [...shifts][0]) : undefined;
  const byRatio = (w: number) => ratios.size === 1 && zeroStaysZero ? Math.round(w * [...ratios][0]) : undefined;
  const width = (hunkIndent: string): number | undefined =>
    sameUnit
      ? byShift(hunkIndent.length) ?? byRatio(hunkIndent.length)
      : byRatio(hunkIndent.length) ?? byShift(hunkIndent.length);

  return (line: string) => {
    if (isBlank(line)) return line;
    const hunkIndent = indentOf(line);
    const body = line.slice(hunkIndent.length);
    const known = direct.get(hunkIndent);
    if (known !== undefined && known !== null) return known + body;
    const target = width(hunkIndent);
    return target === undefined ? line : unit.repeat(target) + body;
  };
}
