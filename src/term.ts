/**
 * The one module that owns the terminal. Everything that draws (spinners,
 * progress bars, prompts) asks `isInteractive()`; off a TTY (CI) it degrades
 * to plain, rate-limited lines on stderr so output is the same in CI logs.
 * Log lines come through here too (`writeLogLine`), so one never lands in the
 * middle of a spinner's line.
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

/** The spinner line now on screen (at most one), so a log line can clear it and draw it again below. */
let drawnStatus: { text: string } | undefined;

/** Writes one log line to stderr; a spinner on screen is cleared first and redrawn after it. */
export function writeLogLine(line: string): void {
  writeErr(logLineOver(line, drawnStatus?.text));
}

/** The bytes for a log line written while `spinner` (if any) is the terminal's current line. */
export function logLineOver(line: string, spinner?: string): string {
  return spinner === undefined ? `${line}\n` : `\r\x1b[2K${line}\n${spinner}`;
}

const FRAMES = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

/** A status line: a spinner on a terminal; off a terminal, a line at most every `plainEveryMs`. */
export class StatusLine {
  private frame = 0;
  private lastPlain = 0;
  private lastDraw = 0;
  private active = false;
  constructor(private readonly plainEveryMs = 5000, private readonly quiet = false) {}

  update(text: string): void {
    if (this.quiet) return;
    if (isInteractive()) {
      // At most 10 redraws a second: a fast model streams far more tokens than a terminal needs.
      const now = Date.now();
      if (now - this.lastDraw < 100) return;
      this.lastDraw = now;
      this.active = true;
      const line = `${FRAMES[this.frame++ % FRAMES.length]} ${text}`;
      drawnStatus = { text: line };
      writeErr(`\r\x1b[2K${line}`);
      return;
    }
    const now = Date.now();
    if (now - this.lastPlain >= this.plainEveryMs) {
      this.lastPlain = now;
      writeErr(`… ${text}\n`);
    }
  }

  done(text?: string): void {
    if (this.active && isInteractive()) writeErr("\r\x1b[2K");
    if (this.active) drawnStatus = undefined;
    this.active = false;
    if (text && !this.quiet) writeErr(`${text}\n`);
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

  constructor(options: LiveLinesOptions = {}) {
    this.interactive = options.interactive ?? isInteractive();
    this.write = options.write ?? writeErr;
    this.plainEveryMs = options.plainEveryMs ?? 5000;
    this.now = options.now ?? Date.now;
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
    // Move up over the previous block, clear to the end of the screen, draw the new one.
    const up = this.drawn > 0 ? `\x1b[${this.drawn}A\r\x1b[J` : "";
    this.write(up + lines.map((l) => `${l}\n`).join(""));
    this.drawn = lines.length;
  }

  /** Clears the block (on a terminal) and writes a final line, if any. */
  done(finalLine?: string): void {
    if (this.interactive && this.drawn > 0) this.write(`\x1b[${this.drawn}A\r\x1b[J`);
    this.drawn = 0;
    if (finalLine) this.write(`${finalLine}\n`);
  }
}
