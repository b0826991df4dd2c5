/**
 * The benchmark's stand-in model. It knows each scenario's right plan and patch but, like a
 * real model, gives them only when the request carries the evidence needed to write them
 * (the new name, the assertion message, the new module path, the doc text to edit; on a retry,
 * the still-failing assertion). Without it, it gives the scenario's plausible wrong answer.
 * Every request is logged with its size. Pure except for the log it appends to.
 */
import type { ModelBrief } from "./corpus/types.ts";
import { estimatePromptTokens } from "../src/llm/mod.ts";
import type { ChatMessage } from "../src/llm/mod.ts";

export type AnswerKind = "right" | "wrong" | "first_try" | "sloppy";

export interface ModelRequestLog {
  /** 0-based request number within the run. */
  index: number;
  purpose: "plan" | "patch";
  model: string;
  chars: number;
  estimatedTokens: number;
  answer: AnswerKind;
  /** Evidence the request lacked (why the answer was wrong). */
  missing: string[];
}

export interface SmartModel {
  reply(req: { model: string; messages: ChatMessage[] }): string;
  readonly log: ModelRequestLog[];
}

const RETRY_MARK = "Your previous attempt did not work";

/** Both sentries' planner and patcher share a system prompt; the planner's last message asks for a VERDICT. */
export function isPlannerPrompt(messages: ChatMessage[]): boolean {
  const last = messages[messages.length - 1]?.content ?? "";
  return last.includes("Give your VERDICT") || last.includes("no VERDICT line");
}

export function createSmartModel(brief: ModelBrief): SmartModel {
  const log: ModelRequestLog[] = [];
  let patchCalls = 0;
  const reply = (req: { model: string; messages: ChatMessage[] }): string => {
    const prompt = req.messages.map((m) => m.content).join("\n");
    const planner = isPlannerPrompt(req.messages);
    const needed = planner ? brief.evidence : [...brief.evidence, ...brief.patchEvidence];
    const missing = needed.filter((e) => !prompt.includes(e));
    let answer: AnswerKind;
    let content: string;
    if (planner) {
      [answer, content] = missing.length ? ["wrong", brief.wrongPlan] : ["right", brief.plan];
    } else {
      [answer, content] = patchAnswer(brief, prompt, missing, patchCalls++);
    }
    log.push({
      index: log.length,
      purpose: planner ? "plan" : "patch",
      model: req.model,
      chars: req.messages.reduce((s, m) => s + m.content.length, 0),
      estimatedTokens: estimatePromptTokens(req.messages),
      answer,
      missing,
    });
    return content;
  };
  return { reply, log };
}

function patchAnswer(brief: ModelBrief, prompt: string, missing: string[], call: number): [AnswerKind, string] {
  if (missing.length) return ["wrong", brief.wrongPatch];
  if (brief.firstPatch !== undefined) {
    if (call === 0) return ["first_try", brief.firstPatch];
    const retry = prompt.includes(RETRY_MARK);
    const unseen = (brief.retryEvidence ?? []).filter((e) => !prompt.includes(e));
    missing.push(...(retry ? unseen : [RETRY_MARK]));
    if (!retry || unseen.length) return ["first_try", brief.firstPatch];
  }
  return brief.style === "sloppy" ? ["sloppy", sloppyDiff(brief.patch)] : ["right", brief.patch];
}

/**
 * The right diff the way small models often write it: prose around it, one fenced block per
 * file, no a/ b/ prefixes, and hunk line numbers that are off.
 */
export function sloppyDiff(diff: string): string {
  const files = diff.split(/\n(?=--- )/).map((f) => f.replace(/\n*$/, "\n"));
  const blocks = files.map((file) =>
    "```diff\n" + file
      .replace(/^--- a\//m, "--- ")
      .replace(/^\+\+\+ b\//m, "+++ ")
      .replace(/^@@ -(\d+)(,\d+)? \+(\d+)(,\d+)? @@/gm, (_m, a, ac, b, bc) =>
        `@@ -${Number(a) + 7}${ac ?? ""} +${Number(b) + 7}${bc ?? ""} @@`) +
    "```\n"
  );
  return `Sure! Here is the fix:\n\n${blocks.join("\nAnd the next file:\n\n")}\nThis keeps every assertion.\n`;
}
