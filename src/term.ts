/**
 * The one module that owns the terminal. Everything that draws (spinners,
 * progress bars, prompts) asks `isInteractive()`; off a TTY (CI) it degrades
 * to plain, rate-limited lines on stderr so output is the same in CI logs.
 * Log lines come through here too (`writeLogLine`), so one never lands in the
 * middle of a spinner's line; what is redrawn in place is cut to the terminal's
 * width, since a wrapped line cannot be redrawn in place.
 */

export function isInteractive(): boolean {
  try {
    return Deno.stderr.isTerminal() && Deno.stdin.isTerminal();
  } catch {
    return false;
  }
}

const encoder = new TextEncoder();

export function writeErr(text: string): void {
  Deno.stderr.writeSync(encoder.encode(text));
}

export function writeOut(text: string): void {
  // writeSync may write partially for large outputs; loop until done.
  const data = encoder.encode(text);
  let offset = 0;
  while (offset < data.length) offset += Deno.stdout.writeSync(data.subarray(offset));
}

/**
 * What status lines and log lines draw on: stderr in the CLI, a recorder of a given width in tests
 * (`useTerminal`), so a test sees every byte a person's terminal would get.
 */
export interface Terminal {
  /** Lines are redrawn in place (a person's terminal), not written as plain lines (a CI log). */
  interactive(): boolean;
  /** The width in columns; read at every redraw, since a pane can be resized while a model writes. */
  columns(): number;
  write(text: string): void;
}

/** Columns of the terminal stderr is on; 80 off a terminal, or where the size cannot be read. */
export function stderrColumns(): number {
  try {
    if (Deno.stderr.isTerminal()) {
      const { columns } = Deno.consoleSize();
      if (columns > 0) return columns;
    }
  } catch {
    // Some pseudo-terminals (and a detached stdin/stdout) report no size; a standard width is a safe guess.
  }
  return 80;
}

const stderrTerminal: Terminal = { interactive: isInteractive, columns: stderrColumns, write: writeErr };
let terminal: Terminal = stderrTerminal;

/** Draws on `fake` until the returned function is called (tests only). */
export function useTerminal(fake: Terminal): () => void {
  terminal = fake;
  return () => void (terminal = stderrTerminal);
}

/** Columns a character takes: 0 for combining marks, 2 for wide East Asian characters and emoji, else 1. */
function charWidth(codePoint: number): number {
  if (codePoint >= 0x300 && codePoint <= 0x36f) return 0;
  if (codePoint === 0x200d || (codePoint >= 0xfe00 && codePoint <= 0xfe0f)) return 0;
  const wide = (codePoint >= 0x1100 && codePoint <= 0x115f) || (codePoint >= 0x2e80 && codePoint <= 0xa4cf) ||
    (codePoint >= 0xac00 && codePoint <= 0xd7a3) || (codePoint >= 0xf900 && codePoint <= 0xfaff) ||
    (codePoint >= 0xfe30 && codePoint <= 0xfe4f) || (codePoint >= 0xff00 && codePoint <= 0xff60) ||
    (codePoint >= 0xffe0 && codePoint <= 0xffe6) || (codePoint >= 0x1f300 && codePoint <= 0x1faff) ||
    (codePoint >= 0x20000 && codePoint <= 0x3fffd);
  return wide ? 2 : 1;
}

/** The columns `text` takes on a terminal (by code point, never by UTF-16 unit). */
export function displayWidth(text: string): number {
  let width = 0;
  for (const ch of text) width += charWidth(ch.codePointAt(0) ?? 0);
  return width;
}

/**
 * `text` cut to fit one row of a terminal `columns` wide, with "…" where it was cut. The last column stays
 * empty: a line that reaches it wraps on many terminals, and `\r` then returns only to the start of the new
 * row, so every redraw would leave a row behind.
 */
export function fitToWidth(text: string, columns: number): string {
  const room = Math.max(1, columns - 1);
  if (displayWidth(text) <= room) return text;
  let out = "";
  let width = 0;
  for (const ch of text) {
    const w = charWidth(ch.codePointAt(0) ?? 0);
    if (width + w > room - 1) break;
    out += ch;
    width += w;
  }
  return `${out}…`;
}

/** What is drawn in place right now (at most one): how to erase it and how to draw it again. */
interface LiveRegion {
  erase: string;
  redraw: string;
}
let liveRegion: LiveRegion | undefined;

/**
 * Writes the lines a command ends with (its error and hint) to stderr: a spinner or progress block still on
 * screen is erased first and not drawn again, since nothing will update it any more.
 */
export function writeFinalLines(lines: string[]): void {
  const erase = liveRegion?.erase ?? "";
  liveRegion = undefined;
  terminal.write(`${erase}${lines.map((line) => `${line}\n`).join("")}`);
}

/** Writes one log line to stderr; a spinner or progress block on screen is erased first and redrawn after it. */
export function writeLogLine(line: string): void {
  terminal.write(liveRegion ? `${liveRegion.erase}${line}\n${liveRegion.redraw}` : `${line}\n`);
}

const CLEAR_LINE = "\r\x1b[2K";
const FRAMES = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

/** A status line: a spinner on a terminal, cut to its width; off a terminal, a line at most every `plainEveryMs`. */
export class StatusLine {
  private frame = 0;
  private lastPlain = -Infinity;
  private lastDraw = -Infinity;
  private region: LiveRegion | undefined;
  constructor(
    private readonly plainEveryMs = 5000,
    private readonly quiet = false,
    private readonly now: () => number = Date.now,
  ) {}

  update(text: string): void {
    if (this.quiet) return;
    const now = this.now();
    if (terminal.interactive()) {
      // At most 10 redraws a second: a fast model streams far more tokens than a terminal needs.
      if (now - this.lastDraw < 100) return;
      this.lastDraw = now;
      const line = fitToWidth(`${FRAMES[this.frame++ % FRAMES.length]} ${text}`, terminal.columns());
      this.region = { erase: CLEAR_LINE, redraw: line };
      liveRegion = this.region;
      terminal.write(`${CLEAR_LINE}${line}`);
      return;
    }
    if (now - this.lastPlain >= this.plainEveryMs) {
      this.lastPlain = now;
      terminal.write(`… ${text}\n`);
    }
  }

  done(text?: string): void {
    if (this.region) {
      terminal.write(CLEAR_LINE);
      if (liveRegion === this.region) liveRegion = undefined;
      this.region = undefined;
    }
    if (text && !this.quiet) terminal.write(`${text}\n`);
  }
}

/** Asks a yes/no question on the terminal; never called off a TTY. */
export function confirm(question: string): boolean {
  const answer = prompt(`${question} [y/N]`);
  return answer !== null && /^y(es)?$/i.test(answer.trim());
}

export interface LiveLinesOptions {
  /** Default: isInteractive() when the block is created. */
  interactive?: boolean;
  /** Default: writeErr. */
  write?: (text: string) => void;
  /** Off a terminal, the plain line is written at most this often. */
  plainEveryMs?: number;
  /** The clock, for tests. */
  now?: () => number;
  /** The width each line is cut to on a terminal. Default: the terminal's (see useTerminal). */
  columns?: () => number;
}

/**
 * A block of lines redrawn in place on a terminal (e.g. one progress bar per
 * layer); off a terminal, one plain summary line at most every few seconds, so
 * CI logs stay short and readable.
 */
export class LiveLines {
  private drawn = 0;
  private lastPlain = -Infinity;
  private lastDraw = -Infinity;
  private readonly interactive: boolean;
  private readonly write: (text: string) => void;
  private readonly plainEveryMs: number;
  private readonly now: () => number;
  private readonly columns: () => number;
  /** Set while the block is on the terminal's stderr, so log lines are written above it, not into it. */
  private region: LiveRegion | undefined;
  private readonly onStderr: boolean;

  constructor(options: LiveLinesOptions = {}) {
    this.interactive = options.interactive ?? isInteractive();
    this.write = options.write ?? writeErr;
    this.plainEveryMs = options.plainEveryMs ?? 5000;
    this.now = options.now ?? Date.now;
    this.columns = options.columns ?? (() => terminal.columns());
    this.onStderr = this.write === writeErr || this.write === terminal.write;
  }

  update(lines: string[], plainLine: string): void {
    if (!this.interactive) {
      const now = this.now();
      if (now - this.lastPlain >= this.plainEveryMs) {
        this.lastPlain = now;
        this.write(`… ${plainLine}\n`);
      }
      return;
    }
    // Redraw at most ten times a second: Ollama reports progress far more often than eyes can read.
    const now = this.now();
    if (this.drawn > 0 && now - this.lastDraw < 100) return;
    this.lastDraw = now;
    // Move up over the previous block, clear to the end of the screen, draw the new one. Each line is cut to
    // the width: a wrapped line takes two rows, and moving up by the line count would then leave rows behind.
    const up = this.drawn > 0 ? `\x1b[${this.drawn}A\r\x1b[J` : "";
    const columns = this.columns();
    const block = lines.map((l) => `${fitToWidth(l, columns)}\n`).join("");
    this.write(up + block);
    this.drawn = lines.length;
    if (this.onStderr) {
      this.region = { erase: lines.length > 0 ? `\x1b[${lines.length}A\r\x1b[J` : "", redraw: block };
      liveRegion = this.region;
    }
  }

  /** Clears the block (on a terminal) and writes a final line, if any. */
  done(finalLine?: string): void {
    if (this.interactive && this.drawn > 0) this.write(`\x1b[${this.drawn}A\r\x1b[J`);
    this.drawn = 0;
    if (this.region && liveRegion === this.region) liveRegion = undefined;
    this.region = undefined;
    if (finalLine) this.write(`${finalLine}\n`);
  }
}
