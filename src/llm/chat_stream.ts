/** What one chat attempt returns, shared by the Ollama and OpenAI wire formats. */
import { type Endpoint, isRecord, LlmError, serverError } from "./errors.ts";
import { degenerateTail } from "./degenerate.ts";
import { Exchange, type TransportSettings } from "./transport.ts";
import type { ChatMessage, ChatOptions, ServerUsage } from "./types.ts";

export interface ChatReply extends ServerUsage {
  content: string;
  model: string;
  doneReason?: string;
  stoppedEarly?: string;
}

export interface ChatAttempt {
  model: string;
  messages: ChatMessage[];
  options: ChatOptions;
  numCtx: number;
}

/** Collects streamed pieces in order, byte for byte, and reports progress. */
export class ReplyCollector {
  readonly #pieces: string[] = [];
  #count = 0;
  #chars = 0;
  #checkedAt = 0;
  /** Set when nothing more of use can follow (a degenerate stream, or the caller's `stopWhen`): stop reading. */
  stopReason?: string;

  constructor(private readonly options: Pick<ChatOptions, "onToken" | "stopWhen"> = {}) {}

  add(piece: string): void {
    if (piece === "") return;
    this.#pieces.push(piece);
    this.#count++;
    this.#chars += piece.length;
    this.options.onToken?.(piece, this.#count);
    if (this.#chars - this.#checkedAt >= 64) {
      this.#checkedAt = this.#chars;
      this.stopReason ??= degenerateTail(this.content);
    }
    if (this.options.stopWhen && piece.includes("\n")) this.stopReason ??= this.options.stopWhen(this.content);
  }

  get content(): string {
    return this.#pieces.join("");
  }
}

export function numberOrUndefined(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) ? value : undefined;
}

export function stringOrUndefined(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

/** One streamed JSON object (an NDJSON line or an SSE event's data). */
export function parseJsonObject(endpoint: Endpoint, text: string, hint: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (cause) {
    throw new LlmError("llm.bad_response", `${endpoint.baseUrl} sent something that is not JSON in its reply`, {
      cause,
      hint,
    });
  }
  if (!isRecord(parsed)) {
    throw new LlmError("llm.bad_response", `${endpoint.baseUrl} sent JSON that is not an object in its reply`, {
      hint,
    });
  }
  return parsed;
}

/**
 * Opens a chat request and checks its status. Headers may take as long as the model timeout:
 * servers load the model and read the prompt before they answer.
 */
export async function openChatExchange(
  settings: TransportSettings,
  attempt: ChatAttempt,
  url: string,
  body: Record<string, unknown>,
): Promise<Exchange> {
  const exchange = await Exchange.open(settings, {
    url,
    method: "POST",
    body,
    // The model timeout (SENTRIES_LLM_TIMEOUT) is the one limit on waiting for a model: it covers loading
    // and reading the prompt, which happen before the first byte. A larger connect timeout must not stretch it.
    headersTimeoutMs: settings.idleTimeoutMs,
    headersTimeout: "idle",
    waitingFor: `${attempt.model} to answer`,
    signal: attempt.options.signal,
  });
  if (!exchange.response.ok) {
    const { message, error } = await exchange.errorDetails();
    throw serverError(settings.endpoint, attempt.model, exchange.response.status, message, error);
  }
  return exchange;
}
