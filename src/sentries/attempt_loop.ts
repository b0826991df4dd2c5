/**
 * The attempt loop both sentries share: ask the patcher → guard the answer → the sentry's own check → feed
 * every problem back, up to maxAttempts. It stops early when the patcher repeats itself (the same reply, or
 * the same patch that already failed its check), because a deterministic model asked the same thing again
 * answers the same again.
 */
import type { Config } from "../config/load.ts";
import type { ChatMessage, LlmClient } from "../llm/mod.ts";
import type { GuardPolicy, PatchProblem } from "../patch/mod.ts";
import type { PythonChecker } from "../patch/python_checker.ts";
import { type AcceptedPatch, requestPatch, unappliedAttempt } from "./patch_step.ts";
import type { AttemptReport, RunState } from "./run_state.ts";

/** What a sentry's own check says about a guarded patch. */
export type CheckOutcome<Proof> =
  | { ok: true; proof: Proof }
  | {
    ok: false;
    /** Why, written for the patcher model: it is sent back with the next attempt. */
    feedback: string;
    /** How the attempt is recorded: the patch ran and failed, or the check refused it. */
    result: "tests_failed" | "rejected";
    problems?: PatchProblem[];
  };

/** A sentry's own check of a guarded patch: re-run the tests, check the docs' links, … */
export type PatchCheck<Proof> = (patch: AcceptedPatch, attempt: number) => Promise<CheckOutcome<Proof>>;

export interface AttemptLoopInput<Proof> {
  llm: LlmClient;
  config: Pick<Config, "modelPatch" | "maxAttempts" | "editFormat"> & Partial<Pick<Config, "maxOutputTokens">>;
  state: RunState;
  /** The worktree the guards resolve paths in. */
  repoRoot: string;
  policy: GuardPolicy;
  /** The patcher's messages for one attempt, with the previous attempt's feedback (none the first time). */
  messages: (feedback: string | undefined) => ChatMessage[];
  /** What to tell a patcher that answered NO_CHANGES. */
  noChangesFeedback: string;
  /** The files the patcher is shown to edit (they size its output cap; see output_cap.ts). */
  editable?: ReadonlyArray<{ path: string; content: string }>;
  check: PatchCheck<Proof>;
  /** The run's Python process for the guards' checks, started ahead of time (python_checker.ts). */
  checker?: PythonChecker;
  signal?: AbortSignal;
}

export type AttemptLoopOutcome<Proof> =
  | { stop: "accepted"; patch: AcceptedPatch; proof: Proof; attempts: AttemptReport[] } // a patch passed the check
  | {
    /**
     * `repeated_reply`: the patcher sent the same reply twice; `repeated_patch`: it proposed a patch that
     * already failed the check; `exhausted`: maxAttempts attempts, none passed.
     */
    stop: "repeated_reply" | "repeated_patch" | "exhausted";
    attempts: AttemptReport[];
  };

export async function runAttemptLoop<Proof>(input: AttemptLoopInput<Proof>): Promise<AttemptLoopOutcome<Proof>> {
  const attempts: AttemptReport[] = [];
  const seenReplies = new Set<string>();
  const seenDiffs = new Set<string>();
  let feedback: string | undefined;
  for (let n = 1; n <= input.config.maxAttempts; n++) {
    const step = await requestPatch({
      llm: input.llm,
      config: input.config,
      messages: input.messages(feedback),
      state: input.state,
      attempt: n,
      repoRoot: input.repoRoot,
      policy: input.policy,
      seenReplies,
      noChangesFeedback: input.noChangesFeedback,
      editable: input.editable,
      checker: input.checker,
      signal: input.signal,
    });
    if (step.kind === "repeated") {
      attempts.push({ attempt: n, result: "repeated", ...(feedback === undefined ? {} : { feedback }) });
      return { stop: "repeated_reply", attempts };
    }
    if (step.kind !== "ok") {
      feedback = step.feedback;
      attempts.push(unappliedAttempt(n, step));
      continue;
    }
    const patch = step.patch;
    if (seenDiffs.has(patch.diff)) {
      attempts.push({ attempt: n, result: "repeated", diff: patch.diff });
      return { stop: "repeated_patch", attempts };
    }
    seenDiffs.add(patch.diff);
    const checked = await input.check(patch, n);
    if (checked.ok) {
      attempts.push({ attempt: n, result: "applied_and_passed", diff: patch.diff });
      return { stop: "accepted", patch, proof: checked.proof, attempts };
    }
    feedback = checked.feedback;
    attempts.push({
      attempt: n,
      result: checked.result,
      ...(checked.problems ? { problems: checked.problems } : {}),
      feedback: checked.feedback,
      diff: patch.diff,
    });
  }
  return { stop: "exhausted", attempts };
}
