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

const OPENING = /^ {0,3}(`{3,}|~{3,})(.*)$/;

export function findFences(lines: readonly string[]): Fence[] {
  const fences: Fence[] = [];
  let i = 0;
  while (i < lines.length) {
    const open = OPENING.exec(lines[i]);
    if (!open || (open[1][0] === "`" && open[2].includes("`"))) {
      i++;
      continue;
    }
    const marker = open[1];
    const closing = new RegExp(`^ {0,3}${marker[0] === "`" ? "`" : "~"}{${marker.length},}\\s*$`);
    const nestedOpening = new RegExp(`^ {0,3}${marker[0] === "`" ? "`" : "~"}{${marker.length},}\\s*\\S`);
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
    fences.push({ info: open[2].trim(), lines: body, start: i, closed });
    i = j + 1;
  }
  return fences;
}
