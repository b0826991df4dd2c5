/**
 * Splits a command line into words the way a POSIX shell does, without expanding anything:
 * `-k 'receipt or pricing'` → ["-k", "receipt or pricing"]. Single quotes keep everything literal;
 * double quotes keep spaces and honour \" \\ \$ \` escapes; a backslash outside quotes escapes the
 * next character. `$VAR`, globs and operators stay literal text (no shell runs). Pure.
 *
 * No npm package fits: `shell-quote` turns `*`, `|`, `>` and `$X` into operator and variable objects
 * (a pytest `-k "a or b"` would be fine, `-m 'not slow'` too, but `--deselect 'x[1|2]'` would not),
 * and `string-argv` does not handle backslash escapes.
 */
export class ShellWordsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ShellWordsError";
  }
}

export function splitShellWords(line: string): string[] {
  const words: string[] = [];
  let word = "";
  let inWord = false;
  let quote: "'" | '"' | undefined;
  let quoteStart = 0;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote === "'") {
      if (c === "'") quote = undefined;
      else word += c;
      continue;
    }
    if (quote === '"') {
      if (c === '"') quote = undefined;
      else if (c === "\\" && i + 1 < line.length && '"\\$`\n'.includes(line[i + 1])) {
        if (line[i + 1] !== "\n") word += line[i + 1];
        i++;
      } else word += c;
      continue;
    }
    if (c === "'" || c === '"') {
      quote = c;
      quoteStart = i;
      inWord = true;
    } else if (c === "\\") {
      if (i + 1 >= line.length) throw new ShellWordsError("it ends with a lone backslash");
      if (line[i + 1] !== "\n") {
        word += line[i + 1];
        inWord = true;
      }
      i++;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(word);
      word = "";
      inWord = false;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (quote) {
    throw new ShellWordsError(
      `the ${quote === "'" ? "single" : "double"} quote at character ${quoteStart + 1} is never closed`,
    );
  }
  if (inWord) words.push(word);
  return words;
}
