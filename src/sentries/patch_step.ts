/**
 * One patch attempt's first half, shared by both sentries: ask the patcher,
 * stop on a repeated answer, then guard the answer with the patch engine.
 * What happens to an accepted patch (re-test, docs checks) is the caller's.
 */
import type { Config } from "../config/load.ts";
import type { LlmClient } from "../llm/mod.ts";
import { log } from "../log.ts";
import {
  formatProblemsForModel,
  type GuardPolicy,
  type PatchProblem,
  type PreparedPatch,
  preparePatch,
} from "../patch/mod.ts";
import { completeEditCheck } from "../patch/complete_edit.ts";
import type { ChatMessage } from "../llm/mod.ts";
import type { PythonChecker } from "../patch/python_checker.ts";
import { askModel } from "./ask.ts";
import { patchOutputTokens } from "./output_cap.ts";
import type { AttemptReport, RunState } from "./run_state.ts";

/** A patch the guards accepted: parsed, applied in memory, within the policy. */
export type AcceptedPatch = Extract<PreparedPatch, { kind: "ok" }>;

export type PatchStep =
  | { kind: "repeated" }
  | { kind: "no_changes"; feedback: string }
  | { kind: "rejected"; problems: PatchProblem[]; feedback: string }
  | { kind: "ok"; patch: AcceptedPatch };

export interface PatchStepInput {
  llm: LlmClient;
  /** The patcher model, the attempt limit, the edit format and the output ceiling come from here. */
  config: Pick<Config, "modelPatch" | "maxAttempts" | "editFormat"> & Partial<Pick<Config, "maxOutputTokens">>;
  /** The files the patcher is shown to edit: they size the output cap and say when an edit is complete. */
  editable?: ReadonlyArray<{ path: string; content: string }>;
  messages: ChatMessage[];
  state: RunState;
  attempt: number;
  repoRoot: string;
  policy: GuardPolicy;
  /** Replies seen in earlier attempts; this call adds its own. */
  seenReplies: Set<string>;
  /** What to tell a patcher that answered NO_CHANGES. */
  noChangesFeedback: string;
  /** The run's Python process for the guards' checks; without it each guard run starts its own. */
  checker?: PythonChecker;
  signal?: AbortSignal;
}

export async function requestPatch(input: PatchStepInput): Promise<PatchStep> {
  const { state, config } = input;
  const editable = input.editable ?? [];
  const numPredict = patchOutputTokens({
    files: editable,
    format: config.editFormat,
    maxChangedLines: input.policy.maxChangedLines,
    ceiling: config.maxOutputTokens,
  });
  const reply = await state.step(
    "patch",
    `attempt ${input.attempt}/${config.maxAttempts}: asking ${config.modelPatch}`,
    () =>
      askModel(input.llm, config.modelPatch, input.messages, {
        purpose: "patch",
        numPredict,
        // A complete edit already read: what the model writes after it cannot change the patch.
        stopWhen: completeEditCheck(config.editFormat, editable.map((f) => f.path)),
        signal: input.signal,
      }),
  );
  if (input.seenReplies.has(reply.content)) return { kind: "repeated" };
  input.seenReplies.add(reply.content);

  const prepared = await state.step(
    "guard",
    "checking the patch against the guardrails",
    () =>
      preparePatch(reply.content, {
        repoRoot: input.repoRoot,
        policy: input.policy,
        format: config.editFormat,
        checker: input.checker,
      }),
  );
  if (prepared.kind === "no_changes") return { kind: "no_changes", feedback: input.noChangesFeedback };
  if (prepared.kind === "rejected") {
    log.info(`  patch refused: ${prepared.problems.map((p) => p.message).join("; ")}`);
    return { kind: "rejected", problems: prepared.problems, feedback: formatProblemsForModel(prepared.problems) };
  }
  return { kind: "ok", patch: prepared };
}

/** The report line for an attempt whose answer never got to be applied. */
export function unappliedAttempt(
  attempt: number,
  step: Extract<PatchStep, { kind: "no_changes" | "rejected" }>,
): AttemptReport {
  return {
    attempt,
    result: step.kind,
    problems: step.kind === "rejected" ? step.problems : undefined,
    feedback: step.feedback,
  };
}
