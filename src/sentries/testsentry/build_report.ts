/**
 * The one place a `sentries tests` report is made: a pure function of what the steps returned. The
 * decisions that end a run early (nothing to fix, a source bug, …) are pure functions too; the pipeline
 * asks them whether to go on, and the report builder asks them what the run concluded.
 */
import type { DeliveryResult } from "../../delivery/execute.ts";
import type { DeliveryPlan, KnownPullRequest } from "../../delivery/plan.ts";
import type { Discovery } from "../../pytest/mod.ts";
import type { EnvironmentDiagnosis } from "../../pytest/diagnose.ts";
import type { PlannerAnswer } from "../prompts_common.ts";
import { NO_VERDICT_MESSAGE } from "../planner_verdict.ts";
import { patchSummary, type RunUsage, withoutUndefined } from "../run_state.ts";
import type { RunTarget } from "../target.ts";
import type { ModelServerProblem } from "../model_server.ts";
import type { LocalFix } from "../local_duplicate.ts";
import type { AttemptsOutcome, VerifiedFix } from "./attempts.ts";
import { fixTitle } from "./deliver.ts";
import { type ProofReport, renderPrBody, type TestsOutcome, type TestsReport } from "./report.ts";

export interface Conclusion {
  outcome: TestsOutcome;
  exitCode: number;
  message: string;
}

/** What each step returned; a step that did not run left its field undefined. */
export interface TestsSteps {
  dryRun: boolean;
  target: RunTarget;
  discovery?: Discovery;
  environment?: EnvironmentDiagnosis;
  duplicateOf?: KnownPullRequest;
  /** Without GitHub: a local bot branch that already has a verified fix for the same base and failures. */
  duplicateBranch?: LocalFix;
  /** Set when failures were confirmed but the model server could not be reached (the run stopped there). */
  modelServer?: ModelServerProblem;
  plan?: PlannerAnswer;
  patching?: AttemptsOutcome;
  deliveryPlan?: DeliveryPlan;
  delivered?: DeliveryResult;
  usage: RunUsage;
}

/** After discover: a run with no confirmed failures ends here. */
export function afterDiscovery(discovery: Discovery): Conclusion | undefined {
  if (discovery.run.noTests) {
    return { outcome: "no_tests", exitCode: 0, message: "pytest collected no tests; nothing to do." };
  }
  if (discovery.confirmed.length === 0 && discovery.flaky.length > 0) {
    return {
      outcome: "flaky_only",
      exitCode: 0,
      message:
        `${discovery.flaky.length} test(s) failed once but passed when re-run alone: flaky or order-dependent, ` +
        "not out of date. No fix proposed.",
    };
  }
  if (discovery.confirmed.length === 0) {
    return { outcome: "no_failures", exitCode: 0, message: `All ${discovery.run.passed} tests pass; nothing to fix.` };
  }
  return undefined;
}

/** After discover: failures that are the environment's problem end the run before any model call. */
export function afterDiagnosis(d: EnvironmentDiagnosis | undefined): Conclusion | undefined {
  if (!d) return undefined;
  return { outcome: "environment_problem", exitCode: 1, message: `${d.message} Fix: ${d.hint}.` };
}

export function afterDuplicateCheck(duplicate: KnownPullRequest | undefined): Conclusion | undefined {
  if (!duplicate) return undefined;
  return {
    outcome: "duplicate",
    exitCode: 0,
    message: `An open Sentries pull request already proposes this fix: #${duplicate.number}.`,
  };
}

export function afterLocalDuplicateCheck(fix: LocalFix | undefined, failures: number): Conclusion | undefined {
  if (!fix) return undefined;
  return {
    outcome: "duplicate",
    exitCode: 0,
    message: `Local branch ${fix.branch} already has a verified fix for these ${failures} failing test(s) ` +
      `(${fix.commit.slice(0, 7)}, made ${fix.createdAt}): no model asked, nothing new created. Review it with ` +
      `\`git show ${fix.branch}\`; delete the branch to have a new fix made.`,
  };
}

/** Before context: confirmed failures and no model server to fix them end the run, saying which failed. */
export function afterModelProbe(
  problem: ModelServerProblem | undefined,
  failures: number,
): Conclusion | undefined {
  if (!problem) return undefined;
  return {
    outcome: "model_unreachable",
    exitCode: 1,
    message: `${problem.message}, so the ${failures} failing test(s) below cannot be fixed: stopped before any ` +
      `model call, nothing changed.${problem.hint ? ` Fix: ${problem.hint}, then run again.` : ""}`,
  };
}

/** After plan: only an "update the tests" verdict goes on to patching. */
export function afterPlan(plan: PlannerAnswer): Conclusion | undefined {
  if (!plan.verdict) {
    return {
      outcome: "not_fixed",
      exitCode: 1,
      message: `Stopped: ${NO_VERDICT_MESSAGE} (asked twice, the second time with the format), so no test was changed.`,
    };
  }
  if (plan.verdict === "source_bug") {
    return {
      outcome: "source_bug",
      exitCode: 1,
      message: `The planner judged this a bug in the source code, so no test was changed: ${plan.reason || plan.plan}`,
    };
  }
  if (plan.verdict === "no_changes") {
    return {
      outcome: "not_fixed",
      exitCode: 1,
      message: `The planner answered NO_CHANGES for failing tests: ${plan.reason}`,
    };
  }
  return undefined;
}

/** The test counts before the fix. */
export function beforeOf(discovery: Discovery): NonNullable<TestsReport["before"]> {
  const run = discovery.run;
  return {
    passed: run.passed,
    failed: run.failed,
    errors: run.errors,
    skipped: run.skipped,
    collected: run.collected.length,
  };
}

/** The re-test that proved a fix, as the report shows it (its last run's counts). */
export function verificationOf(fix: VerifiedFix): TestsReport["verification"] {
  const last = fix.verification.runs[fix.verification.runs.length - 1];
  if (!last) return undefined;
  return {
    scope: fix.verification.scope,
    selection: fix.verification.selection,
    reason: fix.verification.reason,
    passed: last.passed,
    failed: last.failed + last.errors,
  };
}

/** Each repaired test, with whether it fails on the old source; undefined when the proof did not run. */
export function proofOf(fix: VerifiedFix): ProofReport | undefined {
  const d = fix.differential;
  if (!d || d.kind === "refused") return undefined;
  const old = new Map(d.tests.map((t) => [t.nodeId, t]));
  return {
    kind: d.kind,
    oldSha: d.oldSha,
    oldLabel: d.oldLabel,
    reason: d.kind === "unproven" ? d.reason : undefined,
    durationMs: d.durationMs,
    tests: fix.verification.repaired.map((t) => {
      const o = old.get(t.nodeId);
      const removed = o?.removed ? { removed: o.removed } : {};
      return {
        nodeId: t.nodeId,
        before: t.before,
        after: "passed" as const,
        old: o?.old,
        detail: o?.detail,
        ...removed,
      };
    }),
  };
}

function conclude(s: TestsSteps): Conclusion {
  const early = (s.discovery && afterDiscovery(s.discovery)) ?? afterDiagnosis(s.environment) ??
    afterDuplicateCheck(s.duplicateOf) ??
    afterLocalDuplicateCheck(s.duplicateBranch, s.discovery?.confirmed.length ?? 0) ??
    afterModelProbe(s.modelServer, s.discovery?.confirmed.length ?? 0) ??
    (s.plan && afterPlan(s.plan));
  if (early) return early;
  if (!s.patching?.fix) return { outcome: "not_fixed", exitCode: 1, message: s.patching?.reason ?? "" };
  if (s.dryRun) {
    return {
      outcome: "fixed",
      exitCode: 0,
      message: "Found a verified test-only fix (dry run: no branch, commit or PR created).",
    };
  }
  const pr = s.delivered?.pullRequest;
  if (pr) {
    return {
      outcome: "fixed",
      exitCode: 0,
      message: `Opened pull request #${pr.number} with a verified test-only fix.`,
    };
  }
  return {
    outcome: "fixed",
    exitCode: 0,
    message: `Committed a verified test-only fix on local branch ${s.delivered?.branch}.`,
  };
}

export function buildTestsReport(s: TestsSteps): TestsReport {
  const { target, discovery } = s;
  const run = discovery?.run;
  const fix = s.patching?.fix;
  const conclusion = conclude(s);
  const report: TestsReport = {
    ...conclusion,
    dryRun: s.dryRun,
    repoPath: target.root,
    baseSha: target.baseSha,
    baseBranch: target.baseBranch,
    dirtyWorkingTree: target.dirty,
    pytestCommand: run?.command ?? [],
    interpreter: discovery?.interpreter,
    before: discovery ? beforeOf(discovery) : undefined,
    failures: discovery?.confirmed ?? [],
    flaky: discovery?.flaky ?? [],
    verdict: s.plan?.verdict,
    reason: s.plan?.reason,
    plan: s.plan?.plan,
    ...patchSummary(s.patching?.attempts, fix?.patch),
    verification: fix ? verificationOf(fix) : undefined,
    proof: fix ? proofOf(fix) : undefined,
    duplicateOf: s.duplicateOf,
    duplicateBranch: s.duplicateBranch,
    environment: s.environment &&
      { kind: s.environment.kind, modules: s.environment.modules, hint: s.environment.hint },
    deliveryPlan: s.deliveryPlan,
    error: s.modelServer && { ...s.modelServer, exitCode: conclusion.exitCode },
    ...s.usage,
  };
  const delivered = s.delivered;
  if (delivered) {
    report.commit = delivered.commit;
    report.branch = delivered.branch;
    if (delivered.pullRequest) {
      report.pullRequest = { number: delivered.pullRequest.number, url: delivered.pullRequest.url };
    } else report.prPreview = { title: fixTitle(report.failures.length), body: renderPrBody(report) };
  }
  return withoutUndefined(report);
}
