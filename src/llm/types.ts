/** Public types of the LLM client. */

export type LlmApi = "ollama" | "openai";

export interface ChatMessage {
  role: "system" | "user" | "assistant";
  content: string;
}

export interface ChatOptions {
  temperature?: number;
  seed?: number;
  /** Context window to ask for; sized from the prompt with `numCtxFor` when unset. */
  numCtx?: number;
  /** Most tokens to generate. */
  numPredict?: number;
  /** Ollama `keep_alive`, e.g. "5m". */
  keepAlive?: string;
  format?: "json";
  signal?: AbortSignal;
  /**
   * Called for every streamed piece of the reply. `tokensSoFar` counts streamed
   * pieces (one per token for Ollama); it starts again from 0 when a dropped
   * stream is retried.
   */
  onToken?: (text: string, tokensSoFar: number) => void;
  /**
   * Looked at each time a streamed line ends, with the reply so far: a reason means nothing the model
   * writes next is of use, so the client stops reading (the connection is closed and the server stops
   * generating), keeps the reply so far byte for byte and records the reason as `stoppedEarly`.
   */
  stopWhen?: (replySoFar: string) => string | undefined;
  /** What the call is for ("plan", "patch", "doctor", ...), for logs and summaries. */
  purpose?: string;
}

/**
 * What the server itself reported about a call, whenever it says so: Ollama's `prompt_eval_count`,
 * `eval_count` and durations; OpenAI-style `usage` (with `prompt_tokens_details.cached_tokens`);
 * llama.cpp's `timings` (`prompt_n`, `cache_n`, `predicted_n`, `prompt_ms`, `predicted_ms`).
 */
export interface ServerUsage {
  /** Prompt tokens the server counted (cached ones included where it says how many were cached). */
  promptTokens?: number;
  /** Of those, tokens reused from the server's prompt cache (not evaluated again). */
  cachedPromptTokens?: number;
  /** Tokens generated. */
  completionTokens?: number;
  /** Time the server spent reading (evaluating) the prompt. */
  promptMs?: number;
  /** Time the server spent writing the answer. */
  generationMs?: number;
}

export interface ChatResult extends ServerUsage {
  /** The reply exactly as the model sent it: never trimmed or reformatted. */
  content: string;
  model: string;
  doneReason?: string;
  /** Why the client stopped reading before the server finished ("repetition", "complete_edit"). */
  stoppedEarly?: string;
  promptChars: number;
  estimatedPromptTokens: number;
  durationMs: number;
}

export interface LlmCallRecord extends ServerUsage {
  purpose?: string;
  model: string;
  promptChars: number;
  estimatedPromptTokens: number;
  durationMs: number;
  /** Output cap sent (num_predict / max_tokens). */
  maxTokens?: number;
  stoppedEarly?: string;
  ok: boolean;
  error?: string;
}

export interface InstalledModel {
  name: string;
  sizeBytes?: number;
  digest?: string;
  modifiedAt?: string;
  parameterSize?: string;
  quantization?: string;
  family?: string;
}

export interface PullProgress {
  status: string;
  digest?: string;
  total?: number;
  completed?: number;
}

export interface LlmClientConfig {
  baseUrl: string;
  /** Detected from `baseUrl` when unset; see `detectApi`. */
  api?: LlmApi;
  /** Longest wait for response headers (chat waits up to `idleTimeoutMs`, see client.ts). Default 10 s. */
  connectTimeoutMs?: number;
  /** Longest silence between two chunks of a streamed response. Default 120 s. */
  idleTimeoutMs?: number;
  /** Extra attempts after a connection error, a dropped stream or a 5xx; never after a 4xx. Default 2. */
  retries?: number;
  /** First backoff delay; doubles with each attempt. Default 500 ms. */
  retryBaseDelayMs?: number;
  /** Bearer token for servers that require one (vLLM `--api-key`, gateways); never logged. */
  apiKey?: string;
}

export interface LlmClient {
  readonly baseUrl: string;
  readonly api: LlmApi;
  chat(model: string, messages: ChatMessage[], options?: ChatOptions): Promise<ChatResult>;
  /** Ollama's version from GET /api/version; undefined where the server has no such endpoint. */
  version(): Promise<string | undefined>;
  listModels(): Promise<InstalledModel[]>;
  showModel(name: string): Promise<InstalledModel>;
  /** POST /api/pull streamed; a dropped stream is pulled again, and Ollama resumes partial downloads. */
  pullModel(name: string, onProgress: (p: PullProgress) => void, signal?: AbortSignal): Promise<void>;
  /** Every chat call, successful or not, in order: for run summaries. */
  readonly calls: LlmCallRecord[];
}

export interface LlmClientDeps {
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
}
