/**
 * What setup and `models` need from the terminal, as one object: the report
 * (stdout), notes and progress (stderr), whether a person is there, and a
 * yes/no question. The CLI passes the real terminal; tests pass a recorder.
 */
import { confirm, isInteractive, LiveLines, writeErr, writeOut } from "../term.ts";

export interface SetupConsole {
  /** The report: stdout (or, with --json, notes on stderr instead). */
  out(text: string): void;
  /** Progress and notes: stderr. */
  err(text: string): void;
  /** A person at a terminal who can answer questions and watch progress bars. */
  interactive: boolean;
  /** Asks a yes/no question; only called when `interactive`. */
  confirm(question: string): boolean;
  /** A redrawn block for progress bars (plain lines off a terminal). */
  liveLines(): LiveLines;
}

export function terminalConsole(): SetupConsole {
  const interactive = isInteractive();
  return {
    out: writeOut,
    err: writeErr,
    interactive,
    confirm,
    liveLines: () => new LiveLines({ interactive, write: writeErr }),
  };
}

/** What a consent question came to: yes, no, or nobody to ask (no terminal and no --yes). */
export type Consent = "yes" | "no" | "cannot-ask";

export function askConsent(console: SetupConsole, assumeYes: boolean, question: string): Consent {
  if (assumeYes) return "yes";
  if (!console.interactive) return "cannot-ask";
  return console.confirm(question) ? "yes" : "no";
}
