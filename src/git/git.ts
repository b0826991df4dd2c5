/**
 * A thin adapter over the `git` program: every call is `git <args>` through
 * runProgram, with the repository given explicitly (`-C`) and a fixed locale.
 */
import { GitError } from "../errors.ts";
import { type RunOptions, runProgram } from "../proc/run.ts";

export interface Identity {
  name: string;
  email: string;
}

export interface GitResult {
  code: number;
  stdout: string;
  stderr: string;
}

export class Git {
  constructor(readonly dir: string, private readonly signal?: AbortSignal) {}

  /** Runs git; throws GitError (with git's own message) on a non-zero exit unless `allowFail`. */
  async run(
    args: string[],
    options: { allowFail?: boolean; env?: Record<string, string>; stdin?: string; timeoutMs?: number } = {},
  ): Promise<GitResult> {
    const runOptions: RunOptions = {
      cwd: this.dir,
      env: { LC_ALL: "C", GIT_TERMINAL_PROMPT: "0", ...options.env },
      stdin: options.stdin,
      timeoutMs: options.timeoutMs ?? 120_000,
      signal: this.signal,
    };
    // No repository hook runs for the bot: --no-verify still runs prepare-commit-msg (which can rewrite
    // the trailers cleanup relies on), post-commit, post-checkout and reference-transaction.
    const result = await runProgram("git", ["-c", "core.hooksPath=/dev/null", ...args], runOptions);
    if (result.code !== 0 && !options.allowFail) {
      const detail = (result.stderr || result.stdout).trim().split("\n").slice(-3).join(" ");
      throw new GitError(`git ${args.slice(0, 2).join(" ")} failed: ${detail || `exit code ${result.code}`}`);
    }
    return result;
  }

  async text(args: string[]): Promise<string> {
    return (await this.run(args)).stdout.trim();
  }

  async isRepository(): Promise<boolean> {
    return (await this.run(["rev-parse", "--git-dir"], { allowFail: true })).code === 0;
  }

  toplevel(): Promise<string> {
    return this.text(["rev-parse", "--show-toplevel"]);
  }

  headSha(): Promise<string> {
    return this.text(["rev-parse", "HEAD"]);
  }

  async revParse(ref: string): Promise<string | undefined> {
    const r = await this.run(["rev-parse", "--verify", "--quiet", `${ref}^{commit}`], { allowFail: true });
    return r.code === 0 ? r.stdout.trim() : undefined;
  }

  /** The current branch name, or undefined on a detached HEAD. */
  async currentBranch(): Promise<string | undefined> {
    const r = await this.run(["symbolic-ref", "--quiet", "--short", "HEAD"], { allowFail: true });
    return r.code === 0 ? r.stdout.trim() : undefined;
  }

  /** `git status --porcelain` lines (tracked changes and untracked files). */
  async statusLines(): Promise<string[]> {
    const out = (await this.run(["status", "--porcelain=v1", "--untracked-files=normal"])).stdout;
    return out.split("\n").filter((l) => l.length > 0);
  }

  async isShallow(): Promise<boolean> {
    return (await this.text(["rev-parse", "--is-shallow-repository"])) === "true";
  }

  /** Commits with an explicit identity (a CI runner often has none configured); returns the new commit. */
  async commit(message: string, identity: Identity, date?: string): Promise<string> {
    await this.commitIndex(message, identity, date);
    return this.headSha();
  }

  /** {@link commit} without asking for the commit afterwards (the caller reads HEAD alongside other work). */
  async commitIndex(message: string, identity: Identity, date?: string): Promise<void> {
    const env: Record<string, string> = {
      GIT_AUTHOR_NAME: identity.name,
      GIT_AUTHOR_EMAIL: identity.email,
      GIT_COMMITTER_NAME: identity.name,
      GIT_COMMITTER_EMAIL: identity.email,
    };
    if (date) {
      env.GIT_AUTHOR_DATE = date;
      env.GIT_COMMITTER_DATE = date;
    }
    await this.run(["-c", "commit.gpgsign=false", "commit", "--no-verify", "--quiet", "-F", "-"], {
      env,
      stdin: message,
    });
  }

  async remoteUrl(remote = "origin"): Promise<string | undefined> {
    const r = await this.run(["remote", "get-url", remote], { allowFail: true });
    return r.code === 0 ? r.stdout.trim() : undefined;
  }

  /** Branches checked out in any worktree of this repository (they must never be deleted). */
  async checkedOutBranches(): Promise<string[]> {
    const out = (await this.run(["worktree", "list", "--porcelain"])).stdout;
    return out.split("\n").filter((l) => l.startsWith("branch refs/heads/")).map((l) =>
      l.slice("branch refs/heads/".length)
    );
  }
}

/** Parses `Key: value` trailers at the end of a commit message. */
export function parseTrailers(message: string): Record<string, string> {
  const paragraphs = message.trimEnd().split(/\n\s*\n/);
  const last = paragraphs[paragraphs.length - 1] ?? "";
  const trailers: Record<string, string> = {};
  for (const line of last.split("\n")) {
    const m = /^([A-Za-z][A-Za-z0-9-]*):\s*(.*)$/.exec(line);
    if (m) trailers[m[1]] = m[2];
  }
  return trailers;
}
