/**
 * Where a run starts from: the repository root, the commit the fix is based
 * on, the branch a PR would target, whether the user has uncommitted work,
 * and — in GitHub Actions — the pull request the run was made for. The checks
 * both sentries start with (a git repository, a first commit, the pull request
 * event) live here once.
 */
import { SentriesError } from "../errors.ts";
import type { Git } from "../git/git.ts";
import { type PullRequestEvent, readPullRequestEvent } from "../github/mod.ts";
import { log } from "../log.ts";
import { readEnv } from "../env.ts";

export interface RunTarget {
  root: string;
  baseSha: string;
  /** The branch the run started from (or the PR's head branch); undefined on a detached HEAD. */
  baseBranch?: string;
  /** The user has uncommitted work (Sentries' own untracked `.env`/`.env.example` do not count). */
  dirty: boolean;
  pullRequest?: PullRequestEvent;
}

/** The repository check both sentries start with (exit 2: the user pointed at the wrong folder). */
export async function requireRepository(repo: Git): Promise<void> {
  if (await repo.isRepository()) return;
  throw new SentriesError(`${repo.dir} is not a git repository`, {
    hint: "run sentries inside a git checkout, or pass --repo-path",
    exitCode: 2,
    code: "git.not_a_repo",
  });
}

/** HEAD's commit; a repository without one has nothing to fix or document. */
export async function requireHeadCommit(repo: Git): Promise<string> {
  const head = await repo.revParse("HEAD");
  if (head) return head;
  throw new SentriesError("the repository has no commits yet", { hint: "commit your code first", code: "git.empty" });
}

/** In GitHub Actions, the pull request the run was made for (from GITHUB_EVENT_PATH unless a path is given). */
export function runPullRequest(
  eventPath = (readEnv("GITHUB_EVENT_PATH") || undefined),
): Promise<PullRequestEvent | undefined> {
  return eventPath ? readPullRequestEvent(eventPath) : Promise.resolve(undefined);
}

/**
 * The files `sentries setup` writes at the repository root. Left untracked they are Sentries' configuration,
 * not the user's work: `.env` must never be committed (setup warns while git does not ignore it), and
 * `.env.example` is the user's to commit or not. Tracked and changed, they count like any other file.
 */
const OWN_UNTRACKED = new Set(["?? .env", "?? .env.example"]);

/** Whether `git status --porcelain=v1` lines (paths from the root) show work of the user's that is not committed. */
export function hasUncommittedWork(statusLines: string[]): boolean {
  return statusLines.some((line) => !OWN_UNTRACKED.has(line));
}

export async function resolveTarget(
  repo: Git,
  eventPath = (readEnv("GITHUB_EVENT_PATH") || undefined),
): Promise<RunTarget> {
  // Independent reads, started together (each git start costs more than its work); their errors are
  // reported in the order the reads are listed, after the one that says the folder is not a repository.
  const [root, head, status, current] = await inOrder(
    repo.toplevel(),
    requireHeadCommit(repo),
    repo.statusLines(),
    repo.currentBranch(),
  ).catch(async (err) => {
    await requireRepository(repo);
    throw err;
  });
  const dirty = hasUncommittedWork(status);
  const pullRequest = await runPullRequest(eventPath);
  if (pullRequest) {
    const headSha = await repo.revParse(pullRequest.headSha);
    if (!headSha) {
      throw new SentriesError(
        `the pull request's head commit ${pullRequest.headSha.slice(0, 7)} is not in this clone`,
        {
          hint: "check out with `fetch-depth: 0` (actions/checkout) so the PR's commits are present",
          code: "git.missing_commit",
        },
      );
    }
    log.info(`pull request #${pullRequest.number}: working from its head ${pullRequest.headRef}`);
    return { root, baseSha: headSha, baseBranch: pullRequest.headRef, dirty, pullRequest };
  }
  const branch = current ?? (readEnv("GITHUB_HEAD_REF") || undefined) ??
    (readEnv("GITHUB_REF_NAME") || undefined);
  return { root, baseSha: head, baseBranch: branch, dirty };
}

/** Waits for every promise; the first of them (in the order given) that failed throws its error. */
async function inOrder<T extends readonly unknown[]>(...promises: { [K in keyof T]: Promise<T[K]> }): Promise<T> {
  const settled = await Promise.allSettled(promises);
  const failed = settled.find((s) => s.status === "rejected");
  if (failed) throw (failed as PromiseRejectedResult).reason;
  return settled.map((s) => (s as PromiseFulfilledResult<unknown>).value) as unknown as T;
}
