/**
 * Execute: carries out a plan one action at a time and records one outcome
 * each. A failure is recorded and the next action runs. Each action checks
 * again right before it acts (the PR's labels, the branch's sha, the
 * checked-out branches), because time passes between the plan and the act.
 */
import { describeError } from "../errors.ts";
import type { Git, Identity } from "../git/git.ts";
import type { GitHub } from "../github/mod.ts";
import { log } from "../log.ts";
import { METADATA_FILE } from "../delivery/metadata.ts";
import { KEEP_LABEL } from "./proof.ts";
import { removeOrphanedMetadata } from "./orphans.ts";
import type { Action, Outcome, Plan } from "./types.ts";

export interface ExecuteDeps {
  git: Git;
  github?: GitHub;
  bot: Identity;
  remote?: string;
  signal?: AbortSignal;
  /** The `worktree_dir` setting, for a removal committed in a temporary worktree. */
  worktreeDir?: string;
}

type Result = Pick<Outcome, "status" | "detail">;

const done = (detail: string): Result => ({ status: "done", detail });
const skipped = (detail: string): Result => ({ status: "skipped", detail });

async function openPull(github: GitHub | undefined, n: number) {
  if (!github) throw new Error("no GitHub token is set");
  const pr = await github.getPullRequest(n);
  if (pr.labels.includes(KEEP_LABEL)) return { github, pr, why: `labelled ${KEEP_LABEL} since the plan was made` };
  if (pr.state !== "open") return { github, pr, why: `already ${pr.merged ? "merged" : "closed"}` };
  return { github, pr, why: undefined };
}

async function perform(action: Action, deps: ExecuteDeps): Promise<Result> {
  const remote = deps.remote ?? "origin";
  switch (action.kind) {
    case "close-pr": {
      const { github, why } = await openPull(deps.github, action.number);
      if (why) return skipped(why);
      await github.comment(action.number, action.comment);
      await github.updatePullRequest(action.number, { state: "closed" });
      return done(`closed #${action.number} with a comment`);
    }
    case "mark-abandoned": {
      const { github, why } = await openPull(deps.github, action.number);
      if (why) return skipped(why);
      await github.updatePullRequest(action.number, { title: action.title });
      await github.comment(action.number, action.comment);
      return done(`retitled #${action.number} "${action.title}" and commented`);
    }
    case "delete-remote-branch": {
      // The lease makes the push fail if the branch moved since it was inspected.
      await deps.git.run(
        [
          "push",
          "--quiet",
          `--force-with-lease=refs/heads/${action.branch}:${action.sha}`,
          remote,
          "--delete",
          action.branch,
        ],
        { timeoutMs: 300_000 },
      );
      return done(`deleted ${action.branch} on ${remote}`);
    }
    case "delete-local-branch": {
      if ((await deps.git.currentBranch()) === action.branch) return skipped("it is the current branch now");
      if ((await deps.git.checkedOutBranches()).includes(action.branch)) return skipped("it is checked out now");
      // With the old value given, update-ref refuses if the branch moved since it was inspected.
      await deps.git.run(["update-ref", "-d", `refs/heads/${action.branch}`, action.sha]);
      return done(`deleted local branch ${action.branch} (was ${action.sha.slice(0, 7)})`);
    }
    case "remove-orphan-metadata":
      return done(await removeOrphanedMetadata(action, { ...deps, remote }));
  }
}

export async function executePlan(plan: Plan, deps: ExecuteDeps): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  for (const { action } of plan.actions) {
    if (deps.signal?.aborted) {
      outcomes.push({ action, status: "skipped", detail: "interrupted before it ran" });
      continue;
    }
    try {
      outcomes.push({ action, ...await perform(action, deps) });
    } catch (err) {
      const detail = describeError(err);
      log.warn(`${describeAction(action)} failed: ${detail}`);
      outcomes.push({ action, status: "failed", detail });
    }
  }
  return outcomes;
}

export function describeAction(action: Action): string {
  switch (action.kind) {
    case "close-pr":
      return `close PR #${action.number} with a comment`;
    case "mark-abandoned":
      return `mark PR #${action.number} abandoned (title and comment)`;
    case "delete-remote-branch":
      return `delete remote branch ${action.branch} (${action.sha.slice(0, 7)})`;
    case "delete-local-branch":
      return `delete local branch ${action.branch} (${action.sha.slice(0, 7)})`;
    case "remove-orphan-metadata":
      return `remove ${METADATA_FILE} from ${action.branch} on new branch ${action.newBranch}` +
        (action.openPr ? " + PR" : "");
  }
}
