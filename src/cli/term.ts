/**
 * The one module that owns the terminal. Everything that draws (spinners,
 * progress bars, prompts) asks `isInteractive()`; off a TTY (CI) it degrades
 * to plain, rate-limited lines on stderr so output is the same in CI logs.
 */

let ttyOverride: boolean | undefined;

/** Tests force either mode. */
export function setInteractiveForTests(value: boolean | undefined): void {
  ttyOverride = value;
}

export function isInteractive(): boolean {
  if (ttyOverride !== undefined) return ttyOverride;
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

const FRAMES = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

/** A status line: a spinner on a terminal; off a terminal, a line at most every `plainEveryMs`. */
export class StatusLine {
  private frame = 0;
  private lastPlain = 0;
  private active = false;
  constructor(private readonly plainEveryMs = 5000, private readonly quiet = false) {}

  update(text: string): void {
    if (this.quiet) return;
    if (isInteractive()) {
      this.active = true;
      writeErr(`\r\x1b[2K${FRAMES[this.frame++ % FRAMES.length]} ${text}`);
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
    this.active = false;
    if (text && !this.quiet) writeErr(`${text}\n`);
  }
}

/** Asks a yes/no question on the terminal; never called off a TTY. */
export function confirm(question: string): boolean {
  const answer = prompt(`${question} [y/N]`);
  return answer !== null && /^y(es)?$/i.test(answer.trim());
}
