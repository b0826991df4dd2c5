/**
 * Step 1 of `sentries docs`: which change. In GitHub Actions the
 * `pull_request` event names it; locally `--base`/`--head` (default: the
 * merge-base with the default branch, and HEAD). Every way this can go wrong
 * (unknown ref, shallow clone, empty diff) is one clear message.
 */
import { SentriesError, UsageError } from "../../errors.ts";
import type { Git } from "../../git/git.ts";
import type { PullRequestEvent } from "../../github/mod.ts";
import { requireHeadCommit } from "../target.ts";

export interface ChangeRange {
  baseSha: string;
  headSha: string;
  baseRef: string;
  /** The branch a docs PR targets: the PR's head branch, or the current branch locally. */
  headRef?: string;
  pullRequest?: PullRequestEvent;
}

async function defaultBranchRef(git: Git): Promise<string | undefined> {
  const originHead = await git.run(["symbolic-ref", "--quiet", "--short", "refs/remotes/origin/HEAD"], {
    allowFail: true,
  });
  if (originHead.code === 0 && originHead.stdout.trim()) return originHead.stdout.trim();
  for (const candidate of ["origin/main", "origin/master", "main", "master"]) {
    if (await git.revParse(candidate)) return candidate;
  }
  return undefined;
}

async function resolveRef(git: Git, ref: string, what: string): Promise<string> {
  const sha = await git.revParse(ref);
  if (sha) return sha;
  if (await git.isShallow()) {
    throw new SentriesError(`the ${what} ${ref} is not in this shallow clone`, {
      hint: "fetch the full history: actions/checkout with `fetch-depth: 0`, or `git fetch --unshallow`",
      code: "git.shallow",
    });
  }
  throw new UsageError(`unknown ${what} ref "${ref}"`, {
    hint: "pass an existing branch, tag or commit (git fetch first if it is remote)",
    code: "git.unknown_ref",
  });
}

export async function resolveChange(
  git: Git,
  options: { base?: string; head?: string; pullRequest?: PullRequestEvent; currentBranch?: string },
): Promise<ChangeRange> {
  const pr = options.pullRequest;
  if (pr) {
    const headSha = await resolveRef(git, options.head ?? pr.headSha, "pull request head");
    const baseSha = await resolveRef(git, options.base ?? pr.baseSha, "pull request base");
    return { baseSha, headSha, baseRef: pr.baseRef, headRef: pr.headRef, pullRequest: pr };
  }
  const headRef = options.head ?? "HEAD";
  if (!options.head) await requireHeadCommit(git);
  const headSha = await resolveRef(git, headRef, "head");
  let baseRef = options.base;
  let baseSha: string;
  if (baseRef) {
    baseSha = await resolveRef(git, baseRef, "base");
  } else {
    const branch = await defaultBranchRef(git);
    if (!branch) {
      throw new UsageError("cannot tell the default branch to compare with", {
        hint: "pass --base REF (for example --base main)",
        code: "git.no_default_branch",
      });
    }
    baseRef = branch;
    const mergeBase = await git.run(["merge-base", branch, headSha], { allowFail: true });
    if (mergeBase.code !== 0) {
      if (await git.isShallow()) {
        throw new SentriesError(`no common ancestor of ${branch} and ${headRef} in this shallow clone`, {
          hint: "fetch the full history: actions/checkout with `fetch-depth: 0`",
          code: "git.shallow",
        });
      }
      throw new UsageError(`${branch} and ${headRef} share no history`, { hint: "pass --base REF" });
    }
    baseSha = mergeBase.stdout.trim();
  }
  const currentHead = options.head ? undefined : options.currentBranch;
  return {
    baseSha,
    headSha,
    baseRef,
    headRef: currentHead ?? (options.head && !/^[0-9a-f]{7,40}$/.test(options.head) ? options.head : undefined),
  };
}

/** Paths changed between base and head, with their status (A, M, D, R…). */
export async function changedPaths(
  git: Git,
  range: ChangeRange,
): Promise<Array<{ status: string; path: string; oldPath?: string }>> {
  const out = await git.text(["diff", "--name-status", "-M", "-z", `${range.baseSha}..${range.headSha}`]);
  const parts = out.split("\0").filter((p) => p.length > 0);
  const result: Array<{ status: string; path: string; oldPath?: string }> = [];
  for (let i = 0; i < parts.length;) {
    const status = parts[i++];
    if (status.startsWith("R") || status.startsWith("C")) {
      const oldPath = parts[i++];
      const path = parts[i++];
      result.push({ status: status[0], path, oldPath });
    } else {
      result.push({ status: status[0], path: parts[i++] });
    }
  }
  return result;
}
