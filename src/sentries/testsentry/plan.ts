/** Step 4: the planner model reads the context and decides: update the tests, or it is a source bug. */
import type { LlmClient } from "../../llm/mod.ts";
import { askModel } from "../ask.ts";
import { parsePlannerAnswer, type PlannerAnswer } from "../prompts_common.ts";
import { verdictReminder } from "../planner_verdict.ts";
import { PLANNER_FORMAT, plannerMessages } from "./prompts.ts";

/**
 * Asks the planner; an answer with no verdict is asked again once with the format. The result's verdict is
 * still undefined when the second answer has none either: the caller stops, it never assumes "update".
 */
export async function planFix(
  llm: LlmClient,
  model: string,
  contextText: string,
  signal?: AbortSignal,
): Promise<PlannerAnswer> {
  const messages = plannerMessages(contextText);
  const ask = () => askModel(llm, model, messages, { purpose: "plan", numPredict: 600, signal });
  const first = await ask();
  const answer = parsePlannerAnswer(first.content, "UPDATE");
  if (answer.verdict) return answer;
  messages.push(
    { role: "assistant", content: first.content },
    { role: "user", content: verdictReminder(PLANNER_FORMAT) },
  );
  return parsePlannerAnswer((await ask()).content, "UPDATE");
}
