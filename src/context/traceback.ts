/**
 * Reading pytest's failure reports: where the traceback passes through, and a
 * trimmed copy without frames from the standard library or site-packages. Pure.
 */

export interface TraceLocation {
  /** As printed: repository-relative, or absolute for files outside the repository. */
  file: string;
  line: number;
}

const LOCATION = /^(\S[^:\n]*\.py):(\d+):/;
const OUTSIDE = /(site-packages|dist-packages|\/lib\/python\d|<frozen |\/_pytest\/|\/pluggy\/)/;

/** Every `file.py:N:` location line of a report, in order, duplicates removed. */
export function traceLocations(report: string): TraceLocation[] {
  const seen = new Set<string>();
  const locations: TraceLocation[] = [];
  for (const text of report.split("\n")) {
    const match = LOCATION.exec(text);
    if (!match || seen.has(match[0])) continue;
    seen.add(match[0]);
    locations.push({ file: match[1], line: Number(match[2]) });
  }
  return locations;
}

/**
 * Drops short-style frames (`path:N: in func` and their indented code lines)
 * that lie outside the repository, then keeps the head and the tail (where the
 * `E` lines are) when the report is still longer than `maxLines`.
 */
export function trimTraceback(report: string, maxLines = 40): string {
  const kept: string[] = [];
  let skippingFrame = false;
  for (const text of report.replace(/\s+$/, "").split("\n")) {
    const location = LOCATION.exec(text);
    if (location) {
      skippingFrame = OUTSIDE.test(location[1]) && / in \S+\s*$/.test(text);
      if (skippingFrame) continue;
    } else if (skippingFrame && /^\s+\S/.test(text) && !/^E\s/.test(text)) {
      continue;
    } else {
      skippingFrame = false;
    }
    if (text.startsWith("Hint: make sure your test modules/packages have valid Python names.")) continue;
    kept.push(text.length > 300 ? text.slice(0, 300) + " …" : text);
  }
  if (kept.length <= maxLines) return kept.join("\n");
  const head = Math.floor(maxLines / 3);
  const tail = maxLines - head - 1;
  return [
    ...kept.slice(0, head),
    `... (${kept.length - head - tail} lines of the traceback cut)`,
    ...kept.slice(kept.length - tail),
  ].join("\n");
}

export interface MissingImport {
  /** `No module named 'pkg.old'` → pkg.old */
  missingModule?: string;
  /** `cannot import name 'old_name' from 'pkg.mod'` → old_name */
  missingName?: string;
  /** The module the name was expected in. */
  fromModule?: string;
}

/** What an import error says is missing, when the report is one. */
export function missingImportOf(report: string): MissingImport | undefined {
  const module = /No module named '([\w.]+)'/.exec(report);
  if (module) return { missingModule: module[1] };
  const name = /cannot import name '(\w+)' from '([\w.]+)'/.exec(report);
  if (name) return { missingName: name[1], fromModule: name[2] };
  return undefined;
}
