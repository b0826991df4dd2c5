/**
 * Starts a long-running program (only `ollama serve` today) detached from
 * Sentries, with its output appended to a log file, so it keeps running after
 * `sentries setup` exits. runProgram waits for its child, so it cannot do
 * this; Deno.Command cannot send output to a file, so this uses
 * node:child_process, which can. Like runProgram: an argument list, never a
 * shell string, and a cleared environment built by childEnv().
 */
import { spawn } from "node:child_process";
import { closeSync, mkdirSync, openSync } from "node:fs";
import { dirname } from "node:path";
import { childEnv, ProgramNotFoundError, ProgramNotPermittedError } from "../proc/run.ts";

export interface DetachedOptions {
  /** Output (stdout and stderr) is appended here; the directory is created. */
  logFile: string;
  /** Added to (and overriding) the pass-through environment. */
  env?: Record<string, string>;
  cwd?: string;
}

/** Resolves with the child's pid once it has started; rejects when it cannot start. */
export function startDetached(program: string, args: string[], options: DetachedOptions): Promise<number | undefined> {
  mkdirSync(dirname(options.logFile), { recursive: true });
  const fd = openSync(options.logFile, "a");
  let closed = false;
  const closeLog = () => {
    if (!closed) closeSync(fd);
    closed = true;
  };
  return new Promise((resolve, reject) => {
    let child;
    try {
      child = spawn(program, args, {
        cwd: options.cwd,
        env: childEnv(options.env),
        stdio: ["ignore", fd, fd],
        // Its own session: Ctrl-C in this terminal or Sentries exiting does not stop it.
        detached: true,
      });
    } catch (err) {
      closeLog();
      reject(translate(program, err));
      return;
    }
    child.once("spawn", () => {
      closeLog();
      child.unref();
      resolve(child.pid);
    });
    child.once("error", (err) => {
      closeLog();
      reject(translate(program, err));
    });
  });
}

function translate(program: string, err: unknown): unknown {
  if (err instanceof Deno.errors.NotCapable || err instanceof Deno.errors.PermissionDenied) {
    return new ProgramNotPermittedError(program, err);
  }
  const code = (err as { code?: unknown }).code;
  if (err instanceof Deno.errors.NotFound || code === "ENOENT") return new ProgramNotFoundError(program, err);
  return err;
}
