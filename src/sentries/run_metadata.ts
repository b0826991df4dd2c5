/** What both sentries record about a run on the bot's commit and PR, and who the bot commits as. */
import type { Config } from "../config/load.ts";
import { newMetadata, type SentriesMetadata } from "../delivery/metadata.ts";
import type { Identity } from "../git/git.ts";
import type { LlmClient } from "../llm/mod.ts";
import { llmUsage, type RunState } from "./run_state.ts";

export function botIdentity(config: Config): Identity {
  return { name: config.authorName, email: config.authorEmail };
}

type RunFields = "tool" | "version" | "models" | "created_at" | "attempts" | "tokens" | "duration_ms";

export function runMetadata(
  run: { config: Config; llm: LlmClient; state: RunState; now: Date; attempts: number },
  fields: Omit<SentriesMetadata, RunFields>,
): SentriesMetadata {
  const usage = llmUsage(run.llm);
  return newMetadata({
    ...fields,
    models: { plan: run.config.modelPlan, patch: run.config.modelPatch },
    created_at: run.now.toISOString(),
    attempts: run.attempts,
    tokens: {
      prompt: usage.promptTokens,
      completion: usage.completionTokens,
      estimated_prompt: usage.estimatedPromptTokens,
    },
    duration_ms: run.state.totalMs(),
  });
}
