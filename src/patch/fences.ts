/**
 * Finds Markdown code fences in a model's answer. Fences may nest when the inner opening line
 * carries an info string (a whole Markdown file with its own ```python examples inside).
 */

export interface Fence {
  /** The info string after the backticks, e.g. `diff` or `python tests/test_x.py`. */
  info: string;
  /** Lines between the opening and the closing fence. */
  lines: string[];
  /** Index of the opening line in the answer. */
  start: number;
  closed: boolean;
}

const OPENING = /^( {0,3})(`{3,}|~{3,})(.*)$/;

export function findFences(lines: readonly string[]): Fence[] {
  const fences: Fence[] = [];
  let i = 0;
  while (i < lines.length) {
    const open = OPENING.exec(lines[i]);
    if (!open || (open[2][0] === "`" && open[3].includes("`"))) {
      i++;
      continue;
    }
    // Closing (and nested) fences must be indented like the opening one: a diff context line
    // " ```" of a Markdown file is content, not the end of the block.
    const indent = open[1];
    const marker = open[2];
    const char = marker[0] === "`" ? "`" : "~";
    const closing = new RegExp(`^${indent}${char}{${marker.length},}\\s*$`);
    const nestedOpening = new RegExp(`^${indent}${char}{${marker.length},}\\s*\\S`);
    const body: string[] = [];
    let depth = 0;
    let closed = false;
    let j = i + 1;
    for (; j < lines.length; j++) {
      if (closing.test(lines[j])) {
        if (depth === 0) {
          closed = true;
          break;
        }
        depth--;
      } else if (nestedOpening.test(lines[j])) {
        depth++;
      }
      body.push(lines[j]);
    }
    fences.push({ info: open[3].trim(), lines: body, start: i, closed });
    i = j + 1;
  }
  return fences;
}
