/**
 * Step 7 of `sentries tests`: commit the verified fix on a new bot branch and,
 * with a token, push it and open the pull request; or label a PR run that had
 * nothing to fix.
 */
import { botIdentity, runMetadata } from "../run_metadata.ts";
import { SentriesError } from "../../errors.ts";
import type { Worktree } from "../../git/worktree.ts";
import { log } from "../../log.ts";
import { botBranchName } from "../../delivery/metadata.ts";
import { commitOnBotBranch, labelSpec, pushAndOpenPullRequest } from "../../delivery/deliver.ts";
import { finish, type RunState } from "../run_state.ts";
import type { RunTarget } from "../target.ts";
import { TESTS_LABELS, type TestSentryOptions } from "./options.ts";
import { renderPrBody, type TestsReport } from "./report.ts";

export async function deliverFix(
  options: TestSentryOptions,
  state: RunState,
  target: RunTarget,
  worktree: Worktree,
  report: TestsReport,
  key: string,
): Promise<void> {
  const { config } = options;
  const now = options.now?.() ?? new Date();
  const wantedBranch = botBranchName("testsentry", target.baseSha, now);
  const metadata = runMetadata({ ...options, state, now, attempts: report.attempts.length }, {
    sentry: "testsentry",
    base_sha: target.baseSha,
    base_branch: target.baseBranch,
    key,
    failing_tests: report.failures.map((f) => f.nodeId),
    source_pr: target.pullRequest?.number,
  });
  const title = `fix(tests): update ${report.failures.length} out-of-date test${report.failures.length > 1 ? "s" : ""}`;
  const body = renderPrBody(report);
  const committed = await commitOnBotBranch({
    worktree: worktree.git,
    branch: wantedBranch,
    paths: report.changedFiles,
    metadata,
    subject: title,
    body: `Failing before:\n${report.failures.map((f) => `- ${f.nodeId}`).join("\n")}\n\nPlan:\n${report.plan ?? ""}`,
    identity: botIdentity(config),
  });
  const branch = committed.branch;
  report.commit = committed.commit;
  report.branch = branch;

  const base = target.pullRequest?.headRef ?? target.baseBranch;
  const github = options.github;
  // A fork's head branch is not a branch of origin (its name may be `main`), and pushing would put the
  // fork's commits into origin under the bot's name.
  const fromFork = target.pullRequest?.isFork === true;
  if (github && base && !fromFork) {
    const pr = await keepBranchOnFailure(branch, () =>
      pushAndOpenPullRequest({
        github,
        worktree: worktree.git,
        branch,
        base,
        title,
        body,
        labels: TESTS_LABELS,
        metadata,
        sourcePr: target.pullRequest ? { number: target.pullRequest.number, label: "tests-sentry:done" } : undefined,
      }));
    report.pullRequest = pr;
    finish(report, "fixed", 0, `Opened pull request #${pr.number} with a verified test-only fix.`);
    return;
  }
  if (options.github && fromFork) {
    log.warn(`pull request #${target.pullRequest?.number} comes from a fork: nothing was pushed and no PR opened`);
  } else if (options.github && !base) {
    log.warn("HEAD is detached and no pull request is known: the branch was not pushed (no base branch for a PR)");
  }
  report.prPreview = { title, body };
  finish(report, "fixed", 0, `Committed a verified test-only fix on local branch ${branch}.`);
}

const NOOP_OUTCOMES = new Set(["no_failures", "no_tests", "flaky_only"]);

/** Run for a pull request with nothing to fix: say so on the PR with `tests-sentry:noop`. */
export async function labelNoopPullRequest(options: TestSentryOptions, target: RunTarget, report: TestsReport) {
  if (!options.github || !target.pullRequest || options.dryRun || !NOOP_OUTCOMES.has(report.outcome)) return;
  await options.github.ensureLabels([labelSpec("tests-sentry:noop")]);
  await options.github.addLabels(target.pullRequest.number, ["tests-sentry:noop"]);
}

/** A failure after the commit must still tell the user where the verified fix is. */
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
