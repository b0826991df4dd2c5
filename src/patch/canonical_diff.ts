/** The canonical unified diff (git style, a/ b/ prefixes) regenerated from computed changes. */
import { structuredPatch } from "diff";
import type { FileChange } from "./types.ts";

export interface CanonicalDiff {
  diff: string;
  linesAdded: number;
  linesRemoved: number;
  /** Per path: added + removed lines. */
  perFile: Map<string, number>;
}

function quotePath(path: string): string {
  return /[\s"\\]/.test(path) ? JSON.stringify(path) : path;
}

export function canonicalDiff(changes: readonly FileChange[]): CanonicalDiff {
  const parts: string[] = [];
  let linesAdded = 0;
  let linesRemoved = 0;
  const perFile = new Map<string, number>();
  for (const change of changes) {
    const a = quotePath(`a/${change.path}`);
    const b = quotePath(`b/${change.path}`);
    const header = [`diff --git ${a} ${b}`];
    if (change.oldContent === null) header.push("new file mode 100644");
    if (change.newContent === null) header.push("deleted file mode 100644");
    const patch = structuredPatch("a", "b", change.oldContent ?? "", change.newContent ?? "", undefined, undefined, {
      context: 3,
    });
    if (patch.hunks.length > 0) {
      header.push(`--- ${change.oldContent === null ? "/dev/null" : a}`);
      header.push(`+++ ${change.newContent === null ? "/dev/null" : b}`);
    }
    let fileCount = 0;
    for (const hunk of patch.hunks) {
      const oldStart = hunk.oldLines === 0 ? hunk.oldStart - 1 : hunk.oldStart;
      const newStart = hunk.newLines === 0 ? hunk.newStart - 1 : hunk.newStart;
      header.push(`@@ -${oldStart},${hunk.oldLines} +${newStart},${hunk.newLines} @@`);
      for (const line of hunk.lines) {
        header.push(line);
        if (line.startsWith("+")) fileCount++, linesAdded++;
        else if (line.startsWith("-")) fileCount++, linesRemoved++;
      }
    }
    perFile.set(change.path, fileCount);
    parts.push(header.join("\n") + "\n");
  }
  return { diff: parts.join(""), linesAdded, linesRemoved, perFile };
}
