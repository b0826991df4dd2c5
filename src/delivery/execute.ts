/**
 * Execute: carries out a delivery plan one step at a time, checking again right before each step that
 * touches GitHub (an open duplicate that appeared meanwhile, a superseded PR closed meanwhile, a bot PR
 * branch someone pushed to since: force-with-lease). A failure after the commit still says where the
 * checked change is.
 */
import { SentriesError } from "../errors.ts";
import type { Git, Identity } from "../git/git.ts";
import type { GitHub } from "../github/mod.ts";
import { log } from "../log.ts";
import { commitOnBotBranch, findOpenDuplicate, labelSpec, metadataComment, prBodyWithMarkers } from "./deliver.ts";
import type { SentriesMetadata } from "./metadata.ts";
import type { DeliveryPlan, DeliveryStep, KnownPullRequest } from "./plan.ts";

/** What delivery needs besides the plan: the change, its words, and where to put it. */
export interface DeliveryWork {
  worktree: Git;
  identity: Identity;
  github?: GitHub;
  metadata: SentriesMetadata;
  title: string;
  /** The pull request body, without the hidden markers (added here). */
  body: string;
  /** The commit message's body (the subject is the title). */
  commitBody: string;
  paths: string[];
  /** Writes the change into the worktree before the commit, when it is not there yet. */
  writeChange?: () => Promise<void>;
  /** The comment for a fork's pull request. */
  forkComment?: string;
}

export interface DeliveryResult {
  commit?: string;
  branch?: string;
  pullRequest?: KnownPullRequest & { action: "created" | "updated" | "unchanged" };
  closedPullRequests: number[];
  forkComment?: { url: string };
}

export async function executeDelivery(plan: DeliveryPlan, work: DeliveryWork): Promise<DeliveryResult> {
  const result: DeliveryResult = { closedPullRequests: [] };
  if (plan.kind === "leave_alone") {
    result.pullRequest = { ...plan.pullRequest, action: "unchanged" };
    return result;
  }
  if (plan.kind === "keep_local" && work.github) log.warn(plan.why);
  for (const step of plan.steps) {
    if (result.branch) await keepBranchOnFailure(result.branch, () => perform(step, work, result));
    else await perform(step, work, result);
  }
  if (plan.kind === "keep_local" && plan.leftAlone) result.pullRequest = { ...plan.leftAlone, action: "unchanged" };
  return result;
}

function needGitHub(work: DeliveryWork): GitHub {
  if (!work.github) throw new Error("the delivery plan needs GitHub, but no GitHub client was given");
  return work.github;
}

async function perform(step: DeliveryStep, work: DeliveryWork, result: DeliveryResult): Promise<void> {
  switch (step.do) {
    case "commit": {
      await work.writeChange?.();
      const committed = await commitOnBotBranch({
        worktree: work.worktree,
        branch: step.branch,
        paths: work.paths,
        metadata: work.metadata,
        subject: work.title,
        body: work.commitBody,
        identity: work.identity,
      });
      result.commit = committed.commit;
      result.branch = committed.branch;
      return;
    }
    case "push": {
      const branch = result.branch ?? step.branch;
      log.info(`pushing ${branch} to origin…`);
      await work.worktree.run(["push", "--quiet", "origin", `refs/heads/${branch}:refs/heads/${branch}`], {
        timeoutMs: 300_000,
      });
      return;
    }
    case "open_pr": {
      const github = needGitHub(work);
      await github.ensureLabels(step.labels.map(labelSpec));
      // Two runs can race: look once more right before creating.
      const duplicate = await findOpenDuplicate(github, work.metadata.key);
      if (duplicate) {
        log.warn(`an open Sentries PR for the same problem appeared meanwhile: #${duplicate.number}`);
        result.pullRequest = { ...duplicate, action: "created" };
        return;
      }
      const pr = await github.createPullRequest({
        title: work.title,
        body: prBodyWithMarkers(work.body, work.metadata),
        head: result.branch ?? "",
        base: step.base,
      });
      await github.addLabels(pr.number, step.labels);
      await github.comment(pr.number, metadataComment(work.metadata));
      result.pullRequest = { number: pr.number, url: pr.url, action: "created" };
      return;
    }
    case "update_pr": {
      const github = needGitHub(work);
      await work.worktree.run([
        "push",
        "--quiet",
        // Only over the commit the PR showed: never over something pushed to it since.
        `--force-with-lease=refs/heads/${step.pr.headRef}:${step.pr.headSha}`,
        "origin",
        `refs/heads/${result.branch}:refs/heads/${step.pr.headRef}`,
      ], { timeoutMs: 300_000 });
      await github.updatePullRequest(step.pr.number, { body: prBodyWithMarkers(work.body, work.metadata) });
      await github.comment(step.pr.number, metadataComment(work.metadata));
      result.pullRequest = { number: step.pr.number, url: step.pr.url, action: "updated" };
      return;
    }
    case "close_superseded": {
      const github = needGitHub(work);
      const opened = result.pullRequest?.number;
      for (const old of step.pulls) {
        if (old.number === opened) continue;
        const now = await github.getPullRequest(old.number);
        if (now.state !== "open") {
          log.info(`#${old.number} was closed meanwhile; not closing it again`);
          continue;
        }
        await github.comment(old.number, `Superseded by #${opened} for a newer head of the pull request.`);
        await github.updatePullRequest(old.number, { state: "closed" });
        result.closedPullRequests.push(old.number);
      }
      return;
    }
    case "comment_on_fork_pr": {
      const comment = await needGitHub(work).comment(step.number, work.forkComment ?? work.body);
      result.forkComment = { url: comment.url };
      return;
    }
    case "label_source": {
      const github = needGitHub(work);
      await github.ensureLabels([labelSpec(step.label)]);
      await github.addLabels(step.number, [step.label]);
      return;
    }
  }
}

/** A failure after the commit must still tell the user where the checked change is. */
async function keepBranchOnFailure<T>(branch: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof SentriesError) {
      throw new SentriesError(err.message, {
        hint: `${err.hint ? err.hint + "; " : ""}the verified fix is committed on local branch ${branch}`,
        exitCode: err.exitCode,
        code: err.code,
        cause: err.cause,
      });
    }
    throw err;
  }
}
