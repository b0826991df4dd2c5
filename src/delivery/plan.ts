/**
 * Plan: decides, as plain data, how a sentry delivers its checked change and why, before anything is
 * committed, pushed or posted. Pure; `--dry-run` prints exactly this plan and `--json` carries it as
 * `deliveryPlan`. The facts come from GitHub read-only (open bot PRs, the source PR) and from git.
 */
import type { SentryName } from "./metadata.ts";

/** An open Sentries pull request the plan refers to. */
export interface KnownPullRequest {
  number: number;
  url: string;
}

/** An open DocSentry PR for the same source PR, with what its metadata says. */
export interface OpenDocsPull extends KnownPullRequest {
  headRef: string;
  headSha: string;
  /** The metadata's head_sha and patch_hash. */
  forHeadSha?: string;
  patchHash?: string;
}

interface CommonFacts {
  /** The branch a commit would go on (the name actually used may get a `-2` suffix). */
  branch: string;
  /** A GitHub token and repository are set (with --dry-run: used read-only to make this plan). */
  github: boolean;
  /** The branch a pull request would target; undefined on a detached HEAD with no PR. */
  base?: string;
  /** The pull request the run was made for. */
  sourcePr?: { number: number; isFork: boolean };
}

export interface TestsDeliveryFacts extends CommonFacts {
  sentry: "testsentry";
  /** An open Sentries PR that already proposes a fix for the same failures. */
  duplicate?: KnownPullRequest;
}

export interface DocsDeliveryFacts extends CommonFacts {
  sentry: "docsentry";
  patchHash: string;
  headSha: string;
  /** Open bot docs PRs (in this repository, on a bot branch) for the same source PR. */
  openDocsPulls: OpenDocsPull[];
  /** Commits someone other than the bot made on the PR for the same head (described), if one exists. */
  othersCommitsOnSameHead?: string[];
}

export type DeliveryFacts = TestsDeliveryFacts | DocsDeliveryFacts;

/** One thing delivery does, in order. */
export type DeliveryStep =
  | { do: "commit"; branch: string }
  | { do: "push"; branch: string }
  | { do: "open_pr"; base: string; labels: string[] }
  | { do: "update_pr"; pr: OpenDocsPull }
  | { do: "close_superseded"; pulls: KnownPullRequest[] }
  | { do: "comment_on_fork_pr"; number: number }
  | { do: "label_source"; number: number; label: string };

export type DeliveryPlan =
  /** Commit, push, open (or update) a pull request. */
  | { kind: "pull_request"; steps: DeliveryStep[] }
  /** Post the patch as a comment on a fork's PR (no push rights there). */
  | { kind: "fork_comment"; steps: DeliveryStep[] }
  /** Commit on a local branch only; `why` says what keeps it from GitHub. */
  | { kind: "keep_local"; steps: DeliveryStep[]; why: string; leftAlone?: KnownPullRequest }
  /** Do nothing; an open PR already carries this change. */
  | { kind: "leave_alone"; steps: []; why: string; pullRequest: KnownPullRequest };

const LABELS: Record<SentryName, string[]> = {
  testsentry: ["ai-generated", "sentries", "sentry-testsentry", "tests-sentry:done"],
  docsentry: ["ai-generated", "sentries", "sentry-docsentry", "docs-sentry:done"],
};
const DONE_LABEL: Record<SentryName, string> = { testsentry: "tests-sentry:done", docsentry: "docs-sentry:done" };

export function deliveryLabels(sentry: SentryName): string[] {
  return [...LABELS[sentry]];
}

export function planDelivery(facts: DeliveryFacts): DeliveryPlan {
  return facts.sentry === "testsentry" ? planTests(facts) : planDocs(facts);
}

function labelSource(facts: DeliveryFacts): DeliveryStep[] {
  return facts.sourcePr ? [{ do: "label_source", number: facts.sourcePr.number, label: DONE_LABEL[facts.sentry] }] : [];
}

function planTests(facts: TestsDeliveryFacts): DeliveryPlan {
  if (facts.duplicate) {
    return {
      kind: "leave_alone",
      steps: [],
      why: `an open Sentries pull request #${facts.duplicate.number} already proposes this fix`,
      pullRequest: facts.duplicate,
    };
  }
  const commit: DeliveryStep = { do: "commit", branch: facts.branch };
  if (!facts.github) return { kind: "keep_local", steps: [commit], why: "no GITHUB_TOKEN: the branch stays local" };
  // A fork's head branch is not a branch of origin (its name may be `main`), and pushing would put the
  // fork's commits into origin under the bot's name.
  if (facts.sourcePr?.isFork) {
    return {
      kind: "keep_local",
      steps: [commit],
      why: `pull request #${facts.sourcePr.number} comes from a fork: nothing is pushed and no PR opened`,
    };
  }
  if (!facts.base) {
    return {
      kind: "keep_local",
      steps: [commit],
      why: "HEAD is detached and no pull request is known: the branch is not pushed (no base branch for a PR)",
    };
  }
  return {
    kind: "pull_request",
    steps: [
      commit,
      { do: "push", branch: facts.branch },
      { do: "open_pr", base: facts.base, labels: deliveryLabels("testsentry") },
      ...labelSource(facts),
    ],
  };
}

function planDocs(facts: DocsDeliveryFacts): DeliveryPlan {
  if (facts.github && facts.sourcePr?.isFork) {
    return {
      kind: "fork_comment",
      steps: [{ do: "comment_on_fork_pr", number: facts.sourcePr.number }, ...labelSource(facts)],
    };
  }
  const same = facts.openDocsPulls.find((p) => p.patchHash === facts.patchHash);
  if (same) {
    return {
      kind: "leave_alone",
      steps: [],
      why: `the open docs PR #${same.number} already carries this exact patch`,
      pullRequest: { number: same.number, url: same.url },
    };
  }
  const commit: DeliveryStep = { do: "commit", branch: facts.branch };
  if (!facts.github) return { kind: "keep_local", steps: [commit], why: "no GITHUB_TOKEN: the branch stays local" };
  if (!facts.base) {
    return {
      kind: "keep_local",
      steps: [commit],
      why: "no branch to open a docs PR against (detached head); the branch stays local",
    };
  }
  const sameHead = facts.openDocsPulls.find((p) => p.forHeadSha === facts.headSha);
  if (sameHead) {
    const others = facts.othersCommitsOnSameHead ?? [];
    if (others.length > 0) {
      return {
        kind: "keep_local",
        steps: [commit],
        why: `docs PR #${sameHead.number} has commits from someone else (${others.join("; ")})`,
        leftAlone: { number: sameHead.number, url: sameHead.url },
      };
    }
    return { kind: "pull_request", steps: [commit, { do: "update_pr", pr: sameHead }, ...labelSource(facts)] };
  }
  const superseded = facts.openDocsPulls.map((p) => ({ number: p.number, url: p.url }));
  return {
    kind: "pull_request",
    steps: [
      commit,
      { do: "push", branch: facts.branch },
      { do: "open_pr", base: facts.base, labels: deliveryLabels("docsentry") },
      ...labelSource(facts),
      ...(superseded.length ? [{ do: "close_superseded" as const, pulls: superseded }] : []),
    ],
  };
}

/** The plan in words, one line per step: what `--dry-run` prints. */
export function describeDeliveryPlan(plan: DeliveryPlan): string[] {
  if (plan.kind === "leave_alone") return [`would leave it alone: ${plan.why}`];
  const lines = plan.steps.map(describeStep);
  if (plan.kind === "keep_local") lines.push(`would not push: ${plan.why}`);
  return lines;
}

function describeStep(step: DeliveryStep): string {
  switch (step.do) {
    case "commit":
      return `would commit on a new branch ${step.branch}`;
    case "push":
      return `would push ${step.branch} to origin`;
    case "open_pr":
      return `would open a pull request against ${step.base} labelled ${step.labels.join(", ")}`;
    case "update_pr":
      return `would update docs PR #${step.pr.number} (force-push over ${
        step.pr.headSha.slice(0, 7)
      } on ${step.pr.headRef})`;
    case "close_superseded":
      return `would close superseded ${step.pulls.map((p) => `#${p.number}`).join(", ")} with a link to the new PR`;
    case "comment_on_fork_pr":
      return `would comment the suggested patch on fork pull request #${step.number} (no push rights there)`;
    case "label_source":
      return `would label pull request #${step.number} ${step.label}`;
  }
}
