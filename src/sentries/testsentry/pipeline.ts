/**
 * `sentries tests`, as the story it tells:
 * isolate → discover → context → plan → patch → guard → apply → verify → deliver → report.
 * Every step is a function below; this file only wires them together.
 */
import type { Config } from "../../config/load.ts";
import { SentriesError } from "../../errors.ts";
import { Git } from "../../git/git.ts";
import { createWorktree, type Worktree } from "../../git/worktree.ts";
import type { GitHub } from "../../github/mod.ts";
import type { LlmClient } from "../../llm/mod.ts";
import { log } from "../../log.ts";
import {
  AUTO_PYTEST_COMMANDS,
  discoverFailures,
  type Discovery,
  PYTEST_ENV,
  type PytestConfig,
  type PytestForkServer,
  startForkServerFor,
} from "../../pytest/mod.ts";
import { buildTestContext } from "../../context/mod.ts";
import type { TestSentryOptions } from "./options.ts";
import { stableKey } from "../../delivery/metadata.ts";
import { findOpenDuplicate } from "../../delivery/deliver.ts";
import { writeJobSummary } from "../../delivery/summary.ts";
import { finish, llmUsage, RunState } from "../run_state.ts";
import { deliverFix, labelNoopPullRequest } from "./deliver.ts";
import { planFix } from "./plan.ts";
import { NO_VERDICT_MESSAGE } from "../planner_verdict.ts";
import { patchUntilVerified } from "./attempts.ts";
import { renderJobSummary, type TestsReport } from "./report.ts";
import { resolveTarget, type RunTarget } from "../target.ts";

export async function runTestSentry(options: TestSentryOptions): Promise<TestsReport> {
  const { config, signal } = options;
  const state = new RunState("tests", signal);
  const repo = new Git(config.repoPath, signal);

  // isolate
  const target = await resolveTarget(repo);
  const report = emptyReport(options, target);
  if (target.dirty) {
    log.warn("the working tree has uncommitted changes; the fix is based on HEAD and leaves them alone");
  }
  const worktree = await state.step(
    "isolate",
    `temporary worktree at ${target.baseSha.slice(0, 7)}`,
    () => createWorktree(repo, target.baseSha, signal),
  );
  try {
    await runInWorktree(options, state, target, worktree, report);
  } finally {
    await worktree.remove();
  }
  await labelNoopPullRequest(options, target, report);
  report.llm = llmUsage(options.llm);
  report.timings = state.timings;
  report.totalMs = state.totalMs();
  await writeJobSummary(renderJobSummary(report));
  return report;
}

async function runInWorktree(
  options: TestSentryOptions,
  state: RunState,
  target: RunTarget,
  worktree: Worktree,
  report: TestsReport,
): Promise<void> {
  // A run with nothing to fix needs no model server, but a broken one should be said early, not after pytest.
  const probe = probeModelServer(options.llm);
  // Warms up a pytest to fork the re-runs from, while the full run goes on.
  const warmUp = new AbortController();
  const forkServer = forkServerWanted(options.config)
    ? startForkServerFor(options.config.pytestCommand, PYTEST_ENV, AUTO_PYTEST_COMMANDS, warmUp.signal)
    : undefined;
  try {
    await fixInWorktree(options, state, target, worktree, report, forkServer);
  } finally {
    warmUp.abort(); // a warm-up still under way is not needed any more
    await probe;
    await (await forkServer)?.close();
  }
}

/** Forking a warmed-up pytest is safe on Linux; macOS frameworks can crash in a forked child. */
function forkServerWanted(config: Config): boolean {
  return config.pytestFork === "on" || (config.pytestFork === "auto" && Deno.build.os === "linux");
}

async function fixInWorktree(
  options: TestSentryOptions,
  state: RunState,
  target: RunTarget,
  worktree: Worktree,
  report: TestsReport,
  forkServer: Promise<PytestForkServer | undefined> | undefined,
): Promise<void> {
  const { config } = options;
  const pytest: PytestConfig = {
    command: config.pytestCommand,
    extraArgs: config.pytestArgs,
    timeoutMs: config.pytestTimeoutSec * 1000,
    signal: options.signal,
    forkServer,
  };

  // discover
  const discovery: Discovery = await state.step(
    "discover",
    "running pytest",
    () => discoverFailures(worktree.dir, pytest),
  );
  const run = discovery.run;
  report.pytestCommand = run.command;
  report.before = {
    passed: run.passed,
    failed: run.failed,
    errors: run.errors,
    skipped: run.skipped,
    collected: run.collected.length,
  };
  report.failures = discovery.confirmed;
  report.flaky = discovery.flaky;
  if (run.noTests) return finish(report, "no_tests", 0, "pytest collected no tests; nothing to do.");
  if (discovery.confirmed.length === 0 && discovery.flaky.length > 0) {
    return finish(
      report,
      "flaky_only",
      0,
      `${discovery.flaky.length} test(s) failed once but passed when re-run alone: flaky or order-dependent, ` +
        "not out of date. No fix proposed.",
    );
  }
  if (discovery.confirmed.length === 0) {
    return finish(report, "no_failures", 0, `All ${run.passed} tests pass; nothing to fix.`);
  }

  const key = await stableKey("testsentry", target.baseSha, ...discovery.confirmed.map((f) => f.nodeId));
  if (options.github && !options.dryRun) {
    const duplicate = await findOpenDuplicate(options.github, key);
    if (duplicate) {
      report.duplicateOf = duplicate;
      return finish(
        report,
        "duplicate",
        0,
        `An open Sentries pull request already proposes this fix: #${duplicate.number}.`,
      );
    }
  }

  // context
  const context = await state.step(
    "context",
    "collecting code, errors and recent changes",
    () =>
      (options.strategy?.buildContext ?? buildTestContext)(worktree.dir, discovery.confirmed, {
        tokenBudget: contextBudget(config),
      }),
  );
  log.debug(`context: ${context.estimatedTokens} tokens, ${context.sections.length} sections`);

  // plan
  const plan = await state.step(
    "plan",
    `asking ${config.modelPlan}`,
    () => planFix(options.llm, config.modelPlan, context.text, options.signal),
  );
  report.verdict = plan.verdict;
  report.reason = plan.reason;
  report.plan = plan.plan;
  if (!plan.verdict) {
    return finish(
      report,
      "not_fixed",
      1,
      `Stopped: ${NO_VERDICT_MESSAGE} (asked twice, the second time with the format), so no test was changed.`,
    );
  }
  if (plan.verdict === "source_bug") {
    return finish(
      report,
      "source_bug",
      1,
      `The planner judged this a bug in the source code, so no test was changed: ${plan.reason || plan.plan}`,
    );
  }
  if (plan.verdict === "no_changes") {
    return finish(report, "not_fixed", 1, `The planner answered NO_CHANGES for failing tests: ${plan.reason}`);
  }

  // patch → guard → apply → verify, up to maxAttempts, each from a clean HEAD
  const outcome = await patchUntilVerified({
    config,
    llm: options.llm,
    worktree,
    pytest: { ...pytest, command: run.command },
    discovery,
    plan: plan.plan,
    context,
    state,
    signal: options.signal,
    verifyScope: options.strategy?.verifyScope ?? "auto",
  });
  report.attempts = outcome.attempts;
  if (!outcome.fix) {
    return finish(report, "not_fixed", 1, outcome.reason);
  }
  const fix = outcome.fix;
  report.diff = fix.patch.diff;
  report.changedFiles = fix.patch.changes.map((c) => c.path);
  report.linesAdded = fix.patch.linesAdded;
  report.linesRemoved = fix.patch.linesRemoved;
  const last = fix.verification.runs[fix.verification.runs.length - 1];
  report.verification = {
    scope: fix.verification.scope,
    selection: fix.verification.selection,
    reason: fix.verification.reason,
    passed: last.passed,
    failed: last.failed + last.errors,
  };

  if (options.dryRun) {
    return finish(report, "fixed", 0, `Found a verified test-only fix (dry run: no branch, commit or PR created).`);
  }

  // deliver
  await state.step(
    "deliver",
    "committing on a new branch",
    () => deliverFix(options, state, target, worktree, report, key),
  );
}

/** Asks the model server for its version while pytest runs; only warns, and never throws. */
function probeModelServer(llm: LlmClient): Promise<void> {
  return llm.version().then(
    () => {},
    (err) => {
      const hint = err instanceof SentriesError && err.hint ? ` (${err.hint})` : "";
      log.warn(`${err instanceof Error ? err.message : String(err)}${hint}: a failing test cannot be fixed without it`);
    },
  );
}

function contextBudget(config: Config): number {
  // Leave room in each request for the system prompt, the plan and the files to edit.
  return Math.max(800, Math.floor(config.contextTokens * 0.55));
}

function emptyReport(options: TestSentryOptions, target: RunTarget): TestsReport {
  return {
    outcome: "not_fixed",
    exitCode: 1,
    dryRun: options.dryRun,
    repoPath: target.root,
    baseSha: target.baseSha,
    baseBranch: target.baseBranch,
    dirtyWorkingTree: target.dirty,
    pytestCommand: [],
    failures: [],
    flaky: [],
    attempts: [],
    changedFiles: [],
    linesAdded: 0,
    linesRemoved: 0,
    message: "",
    llm: { calls: 0, promptTokens: 0, completionTokens: 0, estimatedPromptTokens: 0, ms: 0 },
    timings: [],
    totalMs: 0,
  };
}
