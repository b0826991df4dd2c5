/**
 * Lines a model writes in place of code it left out (`# ... existing code ...`, a lone `...`).
 * Applying them would delete the omitted code, so such answers are refused.
 */

const COMMENT_ELLIPSIS = /^\s*(#|\/\/|<!--|\/\*|--|;)\s*(\.\.\.|…|\[\.\.\.\])/;
const COMMENT_OMISSION =
  /^\s*(#|\/\/|<!--|\/\*)\s*\(?\s*(rest of|remaining|existing|unchanged|other|previous|same as)\b.*\b(code|tests?|file|content|functions?|lines?|unchanged|before|above|below)\b/i;
const LONE_ELLIPSIS = /^\s*(\.\.\.|…|\[\.\.\.\]|\.\.\. ?\(.*\) ?\.\.\.)\s*$/;

/**
 * The first placeholder among the given new lines, or undefined. A lone `...` directly under a
 * line ending in `:` is Python's Ellipsis body (`def f(): ...`), not a placeholder.
 */
export function findPlaceholder(
  lines: readonly string[],
  isNewLine: (index: number) => boolean = () => true,
): string | undefined {
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (!isNewLine(i)) continue;
    if (COMMENT_ELLIPSIS.test(line) || COMMENT_OMISSION.test(line)) return line;
    if (LONE_ELLIPSIS.test(line)) {
      let previous = i - 1;
      while (previous >= 0 && lines[previous].trim() === "") previous--;
      const isEllipsisBody = previous >= 0 && lines[previous].trimEnd().endsWith(":") &&
        line.trim() === "...";
      if (!isEllipsisBody) return line;
    }
  }
  return undefined;
}
