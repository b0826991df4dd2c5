/**
 * `sentries tests`, as the story it tells:
 * isolate → discover → context → plan → patch → guard → apply → verify → prove → deliver → report.
 * Every step is a function with typed input and output; this file only wires them together and hands what
 * they returned to buildTestsReport (no step writes into the report).
 */
import type { Config } from "../../config/load.ts";
import { Git } from "../../git/git.ts";
import { createWorktree, type Worktree } from "../../git/worktree.ts";
import { log } from "../../log.ts";
import { discoverFailures, type Discovery, type PytestConfig, type PytestForkServer } from "../../pytest/mod.ts";
import { discoverFromCiReport } from "../../pytest/ci_report.ts";
import { diagnoseEnvironment } from "../../pytest/diagnose_facts.ts";
import { findProjectEnvironment, withProjectEnvironment } from "../../pytest/environment.ts";
import { pyenvDirEnv, worktreePytestEnv } from "../../pytest/isolation.ts";
import { resolvePolicy } from "../../patch/policy.ts";
import { TESTS_GUARD_SCRIPTS } from "../../patch/prepare.ts";
import { startEarlyWarmUp, startWarmUp, type WarmUp } from "./warm_up.ts";
import { PythonChecker } from "../../patch/python_checker.ts";
import { buildTestContext } from "../../context/mod.ts";
import type { TestSentryOptions } from "./options.ts";
import { stableKey } from "../../delivery/metadata.ts";
import { planDelivery } from "../../delivery/plan.ts";
import { writeJobSummary } from "../../delivery/summary.ts";
import { RunState } from "../run_state.ts";
import { deliverFix, findDuplicate, labelNoopPullRequest, testsDeliveryFacts } from "./deliver.ts";
import { planFix } from "./plan.ts";
import { patchUntilVerified } from "./attempts.ts";
import {
  afterDiscovery,
  afterDuplicateCheck,
  afterPlan,
  beforeOf,
  buildTestsReport,
  proofOf,
  type TestsSteps,
  verificationOf,
} from "./build_report.ts";
import { renderJobSummary, type TestsReport } from "./report.ts";
import { resolveTarget, type RunTarget } from "../target.ts";
import { type ModelServerProbe, probeModelServer } from "../model_server.ts";
import { findLocalFix } from "../local_duplicate.ts";
import { botIdentity } from "../run_metadata.ts";

export async function runTestSentry(options: TestSentryOptions): Promise<TestsReport> {
  const { config, signal } = options;
  const state = new RunState("tests", signal);
  const repo = new Git(config.repoPath, signal);

  // isolate
  // Warms up a pytest to fork the re-runs from: before git is asked anything, or while it makes the worktree,
  // where the server's environment cannot depend on the worktree (warm_up.ts). The CLI starts it before this
  // code is loaded (cli/tests.ts) and hands it over.
  const earlier = options.earlyWarmUp ?? startEarlyWarmUp(config);
  let target: RunTarget;
  let warmUp: WarmUp;
  let guardPython: string;
  let guardEnv: Record<string, string>;
  try {
    target = await resolveTarget(repo);
    if (target.dirty) {
      log.warn("the working tree has uncommitted changes; the fix is based on HEAD and leaves them alone");
    }
    // The project's Python environment (issue 14.3): VIRTUAL_ENV, then .venv/ or venv/ at the root, then PATH.
    const environment = findProjectEnvironment(target.root, config.pytestCommand);
    guardPython = environment.python ?? "python3";
    guardEnv = pyenvDirEnv(target.root); // under pyenv, the checkout's .python-version picks python3's version
    options = withProjectEnvironment(options, environment);
    warmUp = await startWarmUp(options.config, repo, target, earlier);
  } catch (err) {
    await earlier?.stop();
    throw err;
  }
  return await runTests(options, { state, repo, target, warmUp, guards: { python: guardPython, env: guardEnv } });
}

async function runTests(
  options: TestSentryOptions,
  { state, repo, target, warmUp, guards }: {
    state: RunState;
    repo: Git;
    target: RunTarget;
    warmUp: WarmUp;
    /** The patch guards' Python: the project's interpreter and what picks its version (pyenv). */
    guards: { python: string; env: Record<string, string> };
  },
): Promise<TestsReport> {
  const { config, signal } = options;
  let steps: StepResults;
  try {
    const worktree = await state.step(
      "isolate",
      `temporary worktree at ${target.baseSha.slice(0, 7)}`,
      () => createWorktree(repo, target.baseSha, signal, config.worktreeDir),
    );
    try {
      // The patch guards' Python process starts now: while git made the worktree it would have taken a core
      // from the pytest warm-up, which the first re-run waits for; now it has the core git used, and is ready
      // long before the model's first patch. It is the project's own interpreter (its venv's, else python3), so
      // the syntax check parses what the tests' Python parses: a venv's newer Python accepts syntax an older
      // python3 would refuse.
      steps = await PythonChecker.using(
        (checker) => runInWorktree(options, state, target, worktree, { checker, warmUp }),
        { prepare: TESTS_GUARD_SCRIPTS, ...guards },
      );
    } finally {
      await worktree.remove();
    }
  } finally {
    await warmUp.stop();
  }
  const report = buildTestsReport({
    ...steps,
    dryRun: options.dryRun,
    target,
    usage: state.usage(options.llm),
  });
  await labelNoopPullRequest(options, target, report.outcome);
  await writeJobSummary(renderJobSummary(report));
  return report;
}

/** What the steps in the worktree returned (the target and the usage are added by the caller). */
type StepResults = Omit<TestsSteps, "dryRun" | "target" | "usage">;

async function runInWorktree(
  options: TestSentryOptions,
  state: RunState,
  target: RunTarget,
  worktree: Worktree,
  { checker, warmUp }: { checker: PythonChecker; warmUp: WarmUp },
): Promise<StepResults> {
  // Asked while pytest runs: failures with no server to fix them stop right after discovery (issue 15.7).
  const probe = probeModelServer(options.llm);
  // The worktree's source wins (15.4): the fork server runs with the worktree's pytest environment.
  const forkServer = warmUp.forWorktree(worktree.dir);
  try {
    return await fixInWorktree(options, state, target, worktree, { forkServer, probe, checker });
  } finally {
    await Promise.all([probe, warmUp.stop()]);
  }
}

async function fixInWorktree(
  options: TestSentryOptions,
  state: RunState,
  target: RunTarget,
  worktree: Worktree,
  started: {
    forkServer: Promise<PytestForkServer | undefined> | undefined;
    probe: Promise<ModelServerProbe>;
    checker: PythonChecker;
  },
): Promise<StepResults> {
  const { config } = options;
  const { forkServer } = started;
  const pytest: PytestConfig = {
    command: config.pytestCommand,
    extraArgs: config.pytestArgs,
    timeoutMs: config.pytestTimeoutSec * 1000,
    signal: options.signal,
    forkServer,
    sources: { command: config.sources.pytestCommand, args: config.sources.pytestArgs }, // hints name the setting used
    env: worktreePytestEnv(worktree.dir, target.root), // the worktree's source wins on sys.path (issue 15.4)
  };

  // discover
  const discovery: Discovery = await state.step(
    "discover",
    options.junitXml ? `reading ${options.junitXml}, re-running its failures` : "running pytest",
    () =>
      options.junitXml
        ? discoverFromCiReport(worktree.dir, pytest, options.junitXml)
        : discoverFailures(worktree.dir, pytest),
  );
  if (afterDiscovery(discovery)) return { discovery };
  // diagnose (issue 13.4/15.6): a missing module or a mass failure stops here, before any model call
  const environment = await diagnoseEnvironment(
    worktree.dir,
    discovery,
    resolvePolicy("tests", config.guards.tests).maxFiles,
  );
  if (environment) return { discovery, environment };

  const now = options.now?.() ?? new Date();
  const github = options.github ?? options.githubReader;
  const key = await stableKey("testsentry", target.baseSha, ...discovery.confirmed.map((f) => f.nodeId));
  const duplicateOf = await findDuplicate(github, key);
  if (afterDuplicateCheck(duplicateOf)) {
    const deliveryPlan = planDelivery(testsDeliveryFacts(target, github !== undefined, now, duplicateOf));
    return { discovery, duplicateOf, deliveryPlan };
  }
  // Without GitHub, an earlier run's fix for the same base and failures is on a local bot branch (issue 15.11).
  const duplicateBranch = github ? undefined : await findLocalFix(new Git(target.root, options.signal), {
    sentry: "testsentry",
    key,
    baseSha: target.baseSha,
    bot: botIdentity(config),
  });
  if (duplicateBranch) return { discovery, duplicateBranch };
  // The failures are confirmed and need a model: without a server, say so once and stop here.
  const server = await started.probe;
  if (!server.reachable) return { discovery, modelServer: server.problem };

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
  if (afterPlan(plan)) return { discovery, plan };

  // patch → guard → apply → verify → prove, up to maxAttempts, each from a clean HEAD
  const patching = await patchUntilVerified({
    config,
    llm: options.llm,
    worktree,
    pytest: { ...pytest, command: discovery.run.command },
    discovery,
    plan: plan.plan,
    context,
    state,
    signal: options.signal,
    verifyScope: options.strategy?.verifyScope ?? "auto",
    checker: started.checker,
    // prove: the repaired tests must fail on the source before the change (prove.ts)
    origin: {
      repo: new Git(target.root, options.signal),
      headSha: target.baseSha,
      pullRequestBase: target.pullRequest?.baseSha,
      userTree: target.root,
    },
  });
  if (!patching.fix) return { discovery, plan, patching };

  // deliver: planned first (pure), then carried out
  const deliveryPlan = planDelivery(testsDeliveryFacts(target, github !== undefined, now));
  if (options.dryRun) return { discovery, plan, patching, deliveryPlan };
  const fix = patching.fix;
  const delivered = await state.step(
    "deliver",
    "committing on a new branch",
    () =>
      deliverFix({
        options,
        config,
        state,
        target,
        worktree,
        key,
        now,
        plan: deliveryPlan,
        fix: {
          failures: discovery.confirmed,
          plan: plan.plan,
          changedFiles: fix.patch.changes.map((c) => c.path),
          attempts: patching.attempts,
          baseSha: target.baseSha,
          before: beforeOf(discovery),
          verification: verificationOf(fix),
          proof: proofOf(fix),
          diff: fix.patch.diff,
          linesAdded: fix.patch.linesAdded,
          linesRemoved: fix.patch.linesRemoved,
          interpreter: discovery.interpreter,
        },
      }),
  );
  return { discovery, plan, patching, deliveryPlan, delivered };
}

function contextBudget(config: Config): number {
  // Leave room in each request for the system prompt, the plan and the files to edit.
  return Math.max(800, Math.floor(config.contextTokens * 0.55));
}
