/** Step 4: the planner model reads the context and decides: update the tests, or it is a source bug. */
import type { LlmClient } from "../../llm/mod.ts";
import { askModel } from "../ask.ts";
import { parsePlannerAnswer, type PlannerAnswer } from "../prompts_common.ts";
import { plannerMessages } from "./prompts.ts";

export async function planFix(
  llm: LlmClient,
  model: string,
  contextText: string,
  signal?: AbortSignal,
): Promise<PlannerAnswer> {
  const reply = await askModel(llm, model, plannerMessages(contextText), { purpose: "plan", numPredict: 600, signal });
  return parsePlannerAnswer(reply.content, "UPDATE");
}
