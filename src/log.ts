/**
 * Logging to stderr with levels from LOG_LEVEL. Results go to stdout elsewhere;
 * nothing here ever writes to stdout. Lines go through the terminal seam
 * (src/term.ts), which keeps them from breaking a spinner's line.
 */
import { writeLogLine } from "./term.ts";

export type LogLevel = "debug" | "info" | "warn" | "error" | "silent";

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

export function isLogLevel(value: string): value is LogLevel {
  return value in ORDER;
}

export interface LogSink {
  write(line: string): void;
}

const stderrSink: LogSink = { write: writeLogLine };

export class Logger {
  constructor(public level: LogLevel = "info", private sink: LogSink = stderrSink) {}

  enabled(level: LogLevel): boolean {
    return ORDER[level] >= ORDER[this.level];
  }

  debug(message: string): void {
    if (this.enabled("debug")) this.sink.write(`debug: ${message}`);
  }
  info(message: string): void {
    if (this.enabled("info")) this.sink.write(message);
  }
  warn(message: string): void {
    if (this.enabled("warn")) this.sink.write(`warning: ${message}`);
  }
  error(message: string): void {
    if (this.enabled("error")) this.sink.write(`error: ${message}`);
  }
}

/** The process-wide logger; the CLI sets its level once from config. */
export const log = new Logger();
