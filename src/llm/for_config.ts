/** The LLM client a run's configuration asks for (base URL, API, timeouts, key). */
import type { Config } from "../config/load.ts";
import { createLlmClient } from "./client.ts";
import type { LlmClient } from "./types.ts";

export function llmClientFor(config: Config): LlmClient {
  return createLlmClient({
    baseUrl: config.llmBase,
    api: config.llmApi === "auto" ? undefined : config.llmApi,
    connectTimeoutMs: config.llmConnectTimeoutSec * 1000,
    idleTimeoutMs: config.llmTimeoutSec * 1000,
    apiKey: config.llmApiKey,
  });
}
