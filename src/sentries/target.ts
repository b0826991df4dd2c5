/**
 * Where a run starts from: the repository root, the commit the fix is based
 * on, the branch a PR would target, whether the user has uncommitted work,
 * and — in GitHub Actions — the pull request the run was made for.
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
  dirty: boolean;
  pullRequest?: PullRequestEvent;
}

export async function resolveTarget(
  repo: Git,
  eventPath = (readEnv("GITHUB_EVENT_PATH") || undefined),
): Promise<RunTarget> {
  if (!(await repo.isRepository())) {
    throw new SentriesError(`${repo.dir} is not a git repository`, {
      hint: "run sentries inside a git checkout, or pass --repo-path",
      exitCode: 2,
      code: "git.not_a_repo",
    });
  }
  const root = await repo.toplevel();
  const head = await repo.revParse("HEAD");
  if (!head) {
    throw new SentriesError("the repository has no commits yet", { hint: "commit your code first", code: "git.empty" });
  }
  const dirty = (await repo.statusLines()).length > 0;
  const pullRequest = eventPath ? await readPullRequestEvent(eventPath) : undefined;
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
  const branch = (await repo.currentBranch()) ?? (readEnv("GITHUB_HEAD_REF") || undefined) ??
    (readEnv("GITHUB_REF_NAME") || undefined);
  return { root, baseSha: head, baseBranch: branch, dirty };
}
