/**
 * Typed errors that carry an exit code and a fix hint. The CLI prints
 * `error: <message>` (and `hint: <hint>`) for these and never a stack trace.
 */

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

export interface SentriesErrorOptions {
  /** What the user can do about it, one line. */
  hint?: string;
  /** Process exit code; defaults to 1. */
  exitCode?: number;
  /** Machine-readable code, e.g. `llm.unreachable`. */
  code?: string;
  cause?: unknown;
}

/** An expected failure: printed as one clear line, exit code 1 unless said otherwise. */
export class SentriesError extends Error {
  readonly hint?: string;
  readonly exitCode: number;
  readonly code: string;

  constructor(message: string, options: SentriesErrorOptions = {}) {
    super(message, { cause: options.cause });
    this.name = "SentriesError";
    this.hint = options.hint;
    this.exitCode = options.exitCode ?? EXIT_FAILURE;
    this.code = options.code ?? "error";
  }
}

/** Bad command-line usage or invalid configuration: exit code 2. */
export class UsageError extends SentriesError {
  constructor(message: string, options: Omit<SentriesErrorOptions, "exitCode"> = {}) {
    super(message, { ...options, exitCode: EXIT_USAGE, code: options.code ?? "usage" });
    this.name = "UsageError";
  }
}

/**
 * A change needs a yes and nobody can give it: no terminal to ask on, and no --yes/--force. Nothing was
 * changed; the command has shown what it would do. Exit code 2 (the invocation lacks a flag). `report`
 * holds that plan for `--json`.
 */
export class ConfirmationNeededError extends UsageError {
  readonly report?: object;

  constructor(message: string, options: Omit<SentriesErrorOptions, "exitCode" | "code"> & { report?: object } = {}) {
    super(message, { hint: options.hint, cause: options.cause, code: "usage.confirmation_needed" });
    this.name = "ConfirmationNeededError";
    this.report = options.report;
  }
}

/** Invalid configuration value; names the source (file and key). Exit code 2. */
export class ConfigError extends SentriesError {
  constructor(message: string, options: Omit<SentriesErrorOptions, "exitCode"> = {}) {
    super(message, { ...options, exitCode: EXIT_USAGE, code: options.code ?? "config" });
    this.name = "ConfigError";
  }
}

/** A git command failed. */
export class GitError extends SentriesError {
  constructor(message: string, options: SentriesErrorOptions = {}) {
    super(message, { ...options, code: options.code ?? "git" });
    this.name = "GitError";
  }
}

/** The run was interrupted by SIGINT/SIGTERM. Exit code 130. */
export class InterruptedError extends SentriesError {
  constructor(signal: string) {
    super(`interrupted by ${signal}; cleaned up and stopped`, { exitCode: 130, code: "interrupted" });
    this.name = "InterruptedError";
  }
}

/** One-line description of an error and its cause chain, for people. */
export function describeError(err: unknown): string {
  const parts: string[] = [];
  let current: unknown = err;
  const seen = new Set<unknown>();
  while (current !== undefined && current !== null && !seen.has(current)) {
    seen.add(current);
    const message = current instanceof Error ? current.message : String(current);
    if (message && !parts.some((p) => p.includes(message))) parts.push(message);
    current = current instanceof Error ? current.cause : undefined;
  }
  return parts.join(": ");
}
