/**
 * Scripted "models" for pipeline tests: a planner and a patcher that answer
 * from a script, and — like a real model — only give the right answer when
 * the prompt carries the evidence it needs.
 */
import type { StandInRequest } from "./standin_llm.ts";

export type Answer = string | ((prompt: string, call: number) => string);

export interface ModelScript {
  plan: Answer;
  /** One answer per patcher call, in order; the last one repeats. */
  patches: Answer[];
  /** Strings the prompt must contain for the right answer; otherwise `wrong`. */
  evidence?: string[];
  wrong?: string;
}

/**
 * Both sentries send the planner and the patcher the same system prompt (for the server's prompt
 * cache); the planner is the call whose last message asks for a VERDICT.
 */
export function isPlannerRequest(req: StandInRequest): boolean {
  const last = req.messages[req.messages.length - 1]?.content ?? "";
  return last.includes("Give your VERDICT") || last.includes("no VERDICT line");
}

export function promptOf(req: StandInRequest): string {
  return req.messages.map((m) => m.content).join("\n");
}

export function scriptedReply(script: ModelScript) {
  let patchCalls = 0;
  return (req: StandInRequest): string => {
    const prompt = promptOf(req);
    const missing = (script.evidence ?? []).filter((e) => !prompt.includes(e));
    if (missing.length > 0) return script.wrong ?? "NO_CHANGES";
    const answer = (a: Answer, n: number) => typeof a === "string" ? a : a(prompt, n);
    if (isPlannerRequest(req)) return answer(script.plan, 0);
    const n = patchCalls++;
    return answer(script.patches[Math.min(n, script.patches.length - 1)], n);
  };
}

export const DOCS_PLAN = (steps: string) => `VERDICT: UPDATE_DOCS\nREASON: user-visible change.\nPLAN:\n${steps}`;

export const UPDATE_PLAN = (steps: string) =>
  `VERDICT: UPDATE_TESTS\nREASON: the source changed on purpose.\nPLAN:\n${steps}`;
