/**
 * The LLM client: raw `fetch` to Ollama's API or an OpenAI-style server.
 * See client.ts for the timeout and retry rules and names.ts for how the API
 * is detected from the base URL.
 */
export type {
  ChatMessage,
  ChatOptions,
  ChatResult,
  InstalledModel,
  LlmApi,
  LlmCallRecord,
  LlmClient,
  LlmClientConfig,
  LlmClientDeps,
  PullProgress,
  ServerUsage,
} from "./types.ts";
export { describeServerUsage, evaluatedPromptTokens } from "./usage.ts";
export {
  createLlmClient,
  DEFAULT_CONNECT_TIMEOUT_MS,
  DEFAULT_IDLE_TIMEOUT_MS,
  DEFAULT_RETRIES,
  DEFAULT_RETRY_BASE_DELAY_MS,
} from "./client.ts";
export { LlmError, type LlmErrorCode } from "./errors.ts";
export { detectApi, sameModelName } from "./names.ts";
export { estimatePromptTokens, estimateTokens, MAX_NUM_CTX, MIN_NUM_CTX, numCtxFor } from "./tokens.ts";
