/**
 * Step 7 of `sentries tests`: the facts delivery is planned from (GitHub read-only), and carrying the plan
 * out for a verified fix: commit on a new bot branch and, with a token, push it and open the pull request.
 * Also: label a PR run that had nothing to fix.
 */
import type { Config } from "../../config/load.ts";
import { findOpenDuplicate, labelNoop } from "../../delivery/deliver.ts";
import { type DeliveryResult, executeDelivery } from "../../delivery/execute.ts";
import { botBranchName } from "../../delivery/metadata.ts";
import type { DeliveryPlan, KnownPullRequest, TestsDeliveryFacts } from "../../delivery/plan.ts";
import type { Worktree } from "../../git/worktree.ts";
import type { GitHubReader } from "../../delivery/github_reader.ts";
import { botIdentity, runMetadata } from "../run_metadata.ts";
import type { RunState } from "../run_state.ts";
import type { RunTarget } from "../target.ts";
import type { TestSentryOptions } from "./options.ts";
import { renderPrBody, type TestsReport } from "./report.ts";

/** An open Sentries PR that already proposes a fix for the same failures (read-only). */
export function findDuplicate(github: GitHubReader | undefined, key: string): Promise<KnownPullRequest | undefined> {
  return github ? findOpenDuplicate(github, key) : Promise.resolve(undefined);
}

export function testsDeliveryFacts(
  target: RunTarget,
  github: boolean,
  now: Date,
  duplicate?: KnownPullRequest,
): TestsDeliveryFacts {
  const pr = target.pullRequest;
  return {
    sentry: "testsentry",
    branch: botBranchName("testsentry", target.baseSha, now),
    github,
    base: pr?.headRef ?? target.baseBranch,
    sourcePr: pr ? { number: pr.number, isFork: pr.isFork } : undefined,
    duplicate,
  };
}

export function fixTitle(failures: number): string {
  return `fix(tests): update ${failures} out-of-date test${failures > 1 ? "s" : ""}`;
}

/** The fields of the report delivery reads: the failures, the plan, the change and its proof. */
export type DeliveredFix =
  & Pick<
    TestsReport,
    | "failures"
    | "plan"
    | "changedFiles"
    | "attempts"
    | "baseSha"
    | "before"
    | "verification"
    | "proof"
    | "diff"
    | "interpreter"
  >
  & Pick<TestsReport, "linesAdded" | "linesRemoved">;

export function deliverFix(
  input: {
    options: TestSentryOptions;
    config: Config;
    state: RunState;
    target: RunTarget;
    worktree: Worktree;
    key: string;
    now: Date;
    plan: DeliveryPlan;
    fix: DeliveredFix;
  },
): Promise<DeliveryResult> {
  const { options, config, target, fix } = input;
  const metadata = runMetadata({ ...options, state: input.state, now: input.now, attempts: fix.attempts.length }, {
    sentry: "testsentry",
    base_sha: target.baseSha,
    base_branch: target.baseBranch,
    key: input.key,
    failing_tests: fix.failures.map((f) => f.nodeId),
    source_pr: target.pullRequest?.number,
  });
  return executeDelivery(input.plan, {
    worktree: input.worktree.git,
    identity: botIdentity(config),
    github: options.github,
    metadata,
    title: fixTitle(fix.failures.length),
    body: renderPrBody(fix),
    commitBody: `Failing before:\n${fix.failures.map((f) => `- ${f.nodeId}`).join("\n")}\n\nPlan:\n${fix.plan ?? ""}`,
    paths: fix.changedFiles,
  });
}

const NOOP_OUTCOMES = new Set(["no_failures", "no_tests", "flaky_only"]);

/** Run for a pull request with nothing to fix: say so on the PR with `tests-sentry:noop`. */
export async function labelNoopPullRequest(options: TestSentryOptions, target: RunTarget, outcome: string) {
  if (!options.github || !target.pullRequest || options.dryRun || !NOOP_OUTCOMES.has(outcome)) return;
  await labelNoop(options.github, target.pullRequest.number, "tests-sentry:noop");
}
