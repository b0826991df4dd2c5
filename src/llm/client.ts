/**
 * createLlmClient: chat with retries and call records, plus the model
 * endpoints. Timeouts, in short:
 * - `connectTimeoutMs` bounds the wait for response headers of version, tags,
 *   show and pull;
 * - a chat waits up to `idleTimeoutMs` (SENTRIES_LLM_TIMEOUT) for headers, because servers
 *   load the model and read the prompt before they answer at all; the connect timeout never
 *   stretches that wait;
 * - `idleTimeoutMs` bounds the silence between two chunks of any body.
 * Every timeout message names the limit that fired and the setting that changes it.
 * Retries: connection errors, dropped streams and 5xx; never 4xx or timeouts.
 */
import { log } from "../log.ts";
import { describeError } from "../errors.ts";
import type { ChatAttempt, ChatReply } from "./chat_stream.ts";
import { contextOverflowError } from "./errors.ts";
import { fetchModelInfo, fetchModels, fetchVersion, pull } from "./models.ts";
import { detectApi, normalizeBaseUrl } from "./names.ts";
import { ollamaChatOnce } from "./ollama_chat.ts";
import { openAiChatOnce } from "./openai_chat.ts";
import { estimatePromptTokens, MAX_NUM_CTX, numCtxFor, promptChars } from "./tokens.ts";
import { type TransportSettings, withRetries } from "./transport.ts";
import type {
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
import { describeServerUsage } from "./usage.ts";

export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
export const DEFAULT_IDLE_TIMEOUT_MS = 120_000;
export const DEFAULT_RETRIES = 2;
export const DEFAULT_RETRY_BASE_DELAY_MS = 500;
/** Tokens kept free for the answer when the caller sets no `numPredict`. */
export const DEFAULT_ANSWER_RESERVE = 2048;

function defaultSleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export function createLlmClient(config: LlmClientConfig, deps: LlmClientDeps = {}): LlmClient {
  const baseUrl = normalizeBaseUrl(config.baseUrl);
  const api = config.api ?? detectApi(baseUrl);
  const settings: TransportSettings = {
    endpoint: { baseUrl, api },
    connectTimeoutMs: config.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
    idleTimeoutMs: config.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS,
    retries: Math.max(0, config.retries ?? DEFAULT_RETRIES),
    retryBaseDelayMs: config.retryBaseDelayMs ?? DEFAULT_RETRY_BASE_DELAY_MS,
    fetch: deps.fetch ?? fetch,
    sleep: deps.sleep ?? defaultSleep,
    apiKey: config.apiKey,
  };
  return new HttpLlmClient(settings);
}

class HttpLlmClient implements LlmClient {
  readonly calls: LlmCallRecord[] = [];
  readonly baseUrl: string;
  readonly api: LlmApi;

  constructor(private readonly settings: TransportSettings) {
    this.baseUrl = settings.endpoint.baseUrl;
    this.api = settings.endpoint.api;
  }

  async chat(model: string, messages: ChatMessage[], options: ChatOptions = {}): Promise<ChatResult> {
    const started = performance.now();
    const chars = promptChars(messages);
    const estimated = estimatePromptTokens(messages);
    const numCtx = options.numCtx ?? numCtxFor(messages, options.numPredict ?? DEFAULT_ANSWER_RESERVE);
    const base = { purpose: options.purpose, model, promptChars: chars, estimatedPromptTokens: estimated };
    try {
      checkFits(model, estimated, numCtx, options.numCtx === undefined);
      const attempt: ChatAttempt = { model, messages, options, numCtx };
      const once = this.api === "ollama" ? ollamaChatOnce : openAiChatOnce;
      const reply = await withRetries(
        this.settings,
        `chat with ${model}`,
        options.signal,
        () => once(this.settings, attempt),
      );
      const durationMs = Math.round(performance.now() - started);
      warnIfTruncated(reply, numCtx);
      this.#record({
        ...base,
        ...serverUsageOf(reply),
        maxTokens: options.numPredict,
        stoppedEarly: reply.stoppedEarly,
        durationMs,
        ok: true,
      });
      return { ...reply, promptChars: chars, estimatedPromptTokens: estimated, durationMs };
    } catch (err) {
      const durationMs = Math.round(performance.now() - started);
      this.#record({ ...base, durationMs, ok: false, error: describeError(err) });
      throw err;
    }
  }

  version(): Promise<string | undefined> {
    return fetchVersion(this.settings);
  }

  listModels(): Promise<InstalledModel[]> {
    return fetchModels(this.settings);
  }

  showModel(name: string): Promise<InstalledModel> {
    return fetchModelInfo(this.settings, name);
  }

  pullModel(name: string, onProgress: (p: PullProgress) => void, signal?: AbortSignal): Promise<void> {
    return pull(this.settings, name, onProgress, signal);
  }

  #record(call: LlmCallRecord): void {
    this.calls.push(call);
    const server = describeServerUsage(call);
    log.debug(
      `llm ${call.purpose ?? "chat"}: model=${call.model} prompt=${call.promptChars} chars ` +
        `(~${call.estimatedPromptTokens} tokens) ${call.durationMs} ms` +
        (server ? `; server: ${server}` : "; the server reported no counts") +
        (call.stoppedEarly ? `; stopped reading early (${call.stoppedEarly})` : "") +
        (call.ok ? "" : ` failed: ${call.error}`),
    );
  }
}

/**
 * Ollama silently drops the start of a prompt that does not fit; refuse before
 * sending instead. Only a sized context (not one the caller chose) is capped.
 */
function checkFits(model: string, estimatedTokens: number, numCtx: number, sizedByUs: boolean): void {
  if (estimatedTokens < numCtx) return;
  const limit = sizedByUs ? `the ${MAX_NUM_CTX}-token cap` : `num_ctx ${numCtx}`;
  throw contextOverflowError(model, `about ${estimatedTokens} tokens, more than ${limit}`);
}

function serverUsageOf(reply: ChatReply): ServerUsage {
  const { promptTokens, cachedPromptTokens, completionTokens, promptMs, generationMs } = reply;
  const out: ServerUsage = { promptTokens, cachedPromptTokens, completionTokens, promptMs, generationMs };
  for (const key of Object.keys(out) as Array<keyof ServerUsage>) if (out[key] === undefined) delete out[key];
  return out;
}

function warnIfTruncated(reply: ChatReply, numCtx: number): void {
  if (reply.promptTokens !== undefined && reply.promptTokens >= numCtx) {
    log.warn(
      `${reply.model} read ${reply.promptTokens} prompt tokens, the whole ${numCtx}-token context: the prompt was probably cut`,
    );
  }
}
