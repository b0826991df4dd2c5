/** File content ⇄ lines, remembering the line ending and whether the last line ends with one. */

export interface FileLines {
  lines: string[];
  eol: "\n" | "\r\n";
  finalNewline: boolean;
}

export function splitFileLines(content: string): FileLines {
  if (content === "") return { lines: [], eol: "\n", finalNewline: false };
  const finalNewline = content.endsWith("\n");
  const body = finalNewline ? content.slice(0, -1) : content;
  const raw = body.split("\n");
  // A file counts as CRLF when most of its line breaks are: edits then keep its style.
  const crlf = raw.filter((line, i) => line.endsWith("\r") && (i < raw.length - 1 || finalNewline)).length;
  const breaks = finalNewline ? raw.length : raw.length - 1;
  const eol = breaks > 0 && crlf * 2 > breaks ? "\r\n" : "\n";
  const lines = eol === "\r\n" ? raw.map((line) => line.endsWith("\r") ? line.slice(0, -1) : line) : raw;
  return { lines, eol, finalNewline };
}

export function joinFileLines(file: FileLines): string {
  if (file.lines.length === 0) return "";
  return file.lines.join(file.eol) + (file.finalNewline ? file.eol : "");
}

/** Leading spaces and tabs. */
export function indentOf(line: string): string {
  const match = /^[ \t]*/.exec(line);
  return match ? match[0] : "";
}

export function isBlank(line: string): boolean {
  return line.trim() === "";
}

/** Quotes a line for a one-line message, shortened. */
export function quote(line: string, max = 80): string {
  const shown = line.length > max ? `${line.slice(0, max - 1)}…` : line;
  return `\`${shown}\``;
}
