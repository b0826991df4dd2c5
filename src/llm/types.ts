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
  /** What the call is for ("plan", "patch", "doctor", ...), for logs and summaries. */
  purpose?: string;
}

export interface ChatResult {
  /** The reply exactly as the model sent it: never trimmed or reformatted. */
  content: string;
  model: string;
  doneReason?: string;
  promptTokens?: number;
  completionTokens?: number;
  promptChars: number;
  estimatedPromptTokens: number;
  durationMs: number;
}

export interface LlmCallRecord {
  purpose?: string;
  model: string;
  promptChars: number;
  estimatedPromptTokens: number;
  promptTokens?: number;
  completionTokens?: number;
  durationMs: number;
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
