/**
 * The one place a `sentries docs` report is made: a pure function of what the steps returned. The
 * decisions that end a run early are pure functions too, asked by the pipeline (go on?) and by the
 * report builder (what did the run conclude?).
 */
import type { DeliveryResult } from "../../delivery/execute.ts";
import type { DeliveryPlan } from "../../delivery/plan.ts";
import type { PlannerAnswer } from "../prompts_common.ts";
import { patchSummary, type RunUsage, withoutUndefined } from "../run_state.ts";
import type { DocsPatchOutcome } from "./attempts.ts";
import type { ChangeRange } from "./change.ts";
import type { CodeChange } from "./material.ts";
import type { DocsOutcome, DocsReport } from "./report.ts";

export interface DocsConclusion {
  outcome: DocsOutcome;
  exitCode: number;
  message: string;
}

/** What each step returned; a step that did not run left its field undefined. */
export interface DocsSteps {
  dryRun: boolean;
  range: ChangeRange;
  /** Set when the run stopped before reading the change or the docs, and why. */
  stopped?: DocsConclusion;
  code?: CodeChange;
  docsConsidered?: Array<{ path: string; mentions: number }>;
  plan?: PlannerAnswer;
  patching?: DocsPatchOutcome;
  deliveryPlan?: DeliveryPlan;
  delivered?: DeliveryResult;
  /** The PR text, for a branch that stays local. */
  prPreview?: { title: string; body: string };
  usage: RunUsage;
}

/** After the planner: anything but an "update" verdict ends the run. */
export function afterDocsPlan(plan: PlannerAnswer): DocsConclusion | undefined {
  if (plan.verdict === "update") return undefined;
  return {
    outcome: "no_changes",
    exitCode: 0,
    message: `No docs change needed: ${plan.reason || "the planner answered NO_CHANGES"}.`,
  };
}

function concludeDelivery(s: DocsSteps): DocsConclusion {
  const plan = s.deliveryPlan;
  const done = s.delivered;
  if (s.dryRun || !plan || !done) {
    return {
      outcome: "updated",
      exitCode: 0,
      message: "Found a checked docs-only update (dry run: no branch, commit or PR created).",
    };
  }
  switch (plan.kind) {
    case "fork_comment":
      return {
        outcome: "updated",
        exitCode: 0,
        message: `Posted the suggested docs patch as a comment on fork PR #${s.range.pullRequest?.number}.`,
      };
    case "leave_alone":
      return {
        outcome: "unchanged",
        exitCode: 0,
        message: `The open docs PR #${plan.pullRequest.number} already carries this exact patch; left it alone.`,
      };
    case "keep_local":
      if (plan.leftAlone) {
        return {
          outcome: "unchanged",
          exitCode: 0,
          message: `${plan.why[0].toUpperCase()}${plan.why.slice(1)}; left it alone rather than overwrite them. ` +
            `The new patch is on local branch ${done.branch}.`,
        };
      }
      return {
        outcome: "updated",
        exitCode: 0,
        message: `Committed a checked docs-only update on local branch ${done.branch}.`,
      };
    case "pull_request": {
      const pr = done.pullRequest;
      if (pr?.action === "updated") {
        return { outcome: "updated", exitCode: 0, message: `Updated docs PR #${pr.number} with a changed patch.` };
      }
      const base = plan.steps.find((step) => step.do === "open_pr");
      return {
        outcome: "updated",
        exitCode: 0,
        message: `Opened docs PR #${pr?.number} against ${base && base.do === "open_pr" ? base.base : ""}.`,
      };
    }
  }
}

function conclude(s: DocsSteps): DocsConclusion {
  const early = s.stopped ?? (s.plan && afterDocsPlan(s.plan));
  if (early) return early;
  if (!s.patching?.fix) return { outcome: "not_updated", exitCode: 1, message: s.patching?.reason ?? "" };
  return concludeDelivery(s);
}

export function buildDocsReport(s: DocsSteps): DocsReport {
  const fix = s.patching?.fix;
  const done = s.delivered;
  const report: DocsReport = {
    ...conclude(s),
    dryRun: s.dryRun,
    baseSha: s.range.baseSha,
    headSha: s.range.headSha,
    headRef: s.range.headRef,
    sourcePr: s.range.pullRequest?.number,
    changedCodeFiles: s.code?.codePaths ?? [],
    surface: s.code?.surface ?? [],
    docsConsidered: s.docsConsidered ?? [],
    reason: s.plan?.reason,
    plan: s.plan?.plan,
    ...patchSummary(s.patching?.attempts, fix),
    commit: done?.commit,
    branch: done?.branch,
    pullRequest: done?.pullRequest,
    closedPullRequests: done?.closedPullRequests ?? [],
    forkComment: done?.forkComment,
    prPreview: s.deliveryPlan?.kind === "keep_local" && !s.deliveryPlan.leftAlone && done ? s.prPreview : undefined,
    deliveryPlan: s.deliveryPlan,
    ...s.usage,
  };
  return withoutUndefined(report);
}
