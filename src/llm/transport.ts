/**
 * HTTP for the LLM client: one `Exchange` per request, with a bound on the wait
 * for response headers, an idle bound between body chunks, and translation of
 * network failures into LlmErrors. Retrying is `withRetries`' job.
 */
import { log } from "../log.ts";
import {
  connectTimeoutError,
  droppedStreamError,
  type Endpoint,
  errorMessageFromBody,
  errorObjectFromBody,
  idleTimeoutError,
  LlmError,
  unreachableError,
} from "./errors.ts";
import { LineSplitter } from "./lines.ts";

export interface TransportSettings {
  endpoint: Endpoint;
  connectTimeoutMs: number;
  idleTimeoutMs: number;
  retries: number;
  retryBaseDelayMs: number;
  fetch: typeof fetch;
  sleep: (ms: number) => Promise<void>;
  /** Sent as `Authorization: Bearer …` (OpenAI-style servers started with an API key). */
  apiKey?: string;
}

export interface ExchangeRequest {
  url: string;
  method: "GET" | "POST";
  body?: unknown;
  /** Longest wait for response headers; a timeout here is reported as `headersTimeout`. */
  headersTimeoutMs: number;
  headersTimeout: "connect" | "idle";
  /** What we wait for, in words, for the idle-timeout message ("the reply of llama3"). */
  waitingFor: string;
  signal?: AbortSignal;
}

/** One request and its response body, read under an idle timeout. */
export class Exchange {
  readonly response: Response;
  readonly #settings: TransportSettings;
  readonly #request: ExchangeRequest;
  readonly #controller: AbortController;

  private constructor(settings: TransportSettings, request: ExchangeRequest, controller: AbortController, r: Response) {
    this.#settings = settings;
    this.#request = request;
    this.#controller = controller;
    this.response = r;
  }

  static async open(settings: TransportSettings, request: ExchangeRequest): Promise<Exchange> {
    const controller = new AbortController();
    const signal = request.signal ? AbortSignal.any([controller.signal, request.signal]) : controller.signal;
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, request.headersTimeoutMs);
    try {
      const response = await settings.fetch(request.url, {
        method: request.method,
        headers: {
          ...(request.body === undefined ? {} : { "content-type": "application/json" }),
          ...(settings.apiKey ? { authorization: `Bearer ${settings.apiKey}` } : {}),
        },
        body: request.body === undefined ? undefined : JSON.stringify(request.body),
        signal,
      });
      return new Exchange(settings, request, controller, response);
    } catch (err) {
      if (request.signal?.aborted) throw request.signal.reason;
      const { endpoint } = settings;
      if (timedOut) {
        throw request.headersTimeout === "connect"
          ? connectTimeoutError(endpoint, request.headersTimeoutMs)
          : idleTimeoutError(endpoint, request.headersTimeoutMs, request.waitingFor);
      }
      throw unreachableError(endpoint, err);
    } finally {
      clearTimeout(timer);
    }
  }

  /** The body's lines as they arrive; a line split across chunks comes out whole. */
  async *lines(): AsyncGenerator<string> {
    const body = this.response.body;
    if (!body) return;
    const reader = body.getReader();
    const decoder = new TextDecoder();
    const splitter = new LineSplitter();
    try {
      while (true) {
        const chunk = await this.#readChunk(reader);
        if (chunk === undefined) break;
        yield* splitter.push(decoder.decode(chunk, { stream: true }));
      }
      yield* splitter.push(decoder.decode());
      yield* splitter.flush();
    } finally {
      // Stopping early (an error line, a caller that breaks out) must free the connection.
      reader.cancel().catch(() => {});
    }
  }

  /** The whole body as text, under the same idle timeout. */
  async text(): Promise<string> {
    const lines: string[] = [];
    for await (const line of this.lines()) lines.push(line);
    return lines.join("\n");
  }

  /** The body parsed as JSON; a body that is not JSON is a bad response. */
  async json(): Promise<unknown> {
    const text = await this.text();
    try {
      return JSON.parse(text);
    } catch (cause) {
      throw new LlmError("llm.bad_response", `${this.#request.url} answered with something that is not JSON`, {
        cause,
        hint: "check that LLM_BASE points at an Ollama or OpenAI-compatible server",
      });
    }
  }

  /** The error message of a non-2xx response's body. */
  async errorMessage(): Promise<string> {
    return (await this.errorDetails()).message;
  }

  /** The error message and, when the body is OpenAI-style JSON, its `error` object (llama.cpp puts n_ctx there). */
  async errorDetails(): Promise<{ message: string; error?: Record<string, unknown> }> {
    let text: string;
    try {
      text = await this.text();
    } catch {
      return { message: this.response.statusText || "(no body)" };
    }
    return { message: errorMessageFromBody(text), error: errorObjectFromBody(text) };
  }

  /** Stop reading and drop the connection. */
  close(): void {
    this.#controller.abort();
  }

  async #readChunk(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<Uint8Array | undefined> {
    const { idleTimeoutMs, endpoint } = this.#settings;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const idle = new Promise<"idle">((resolve) => {
      timer = setTimeout(() => resolve("idle"), idleTimeoutMs);
    });
    try {
      // Promise.race keeps a handler on the losing read, so aborting it below rejects nothing unhandled.
      const result = await Promise.race([reader.read(), idle]);
      if (result === "idle") {
        this.close();
        throw idleTimeoutError(endpoint, idleTimeoutMs, this.#request.waitingFor);
      }
      return result.done ? undefined : result.value;
    } catch (err) {
      if (err instanceof LlmError) throw err;
      if (this.#request.signal?.aborted) throw this.#request.signal.reason;
      throw droppedStreamError(endpoint, err);
    } finally {
      clearTimeout(timer);
    }
  }
}

/**
 * Runs `attempt` until it succeeds, fails with an error that is not retryable
 * (4xx, timeouts, bad responses), or `settings.retries` extra attempts are
 * spent. Backoff doubles from `retryBaseDelayMs`.
 */
export async function withRetries<T>(
  settings: TransportSettings,
  what: string,
  signal: AbortSignal | undefined,
  attempt: (attemptIndex: number) => Promise<T>,
): Promise<T> {
  for (let attemptIndex = 0;; attemptIndex++) {
    try {
      return await attempt(attemptIndex);
    } catch (err) {
      const retryable = err instanceof LlmError && err.retryable && !signal?.aborted;
      if (!retryable || attemptIndex >= settings.retries) throw err;
      const delay = settings.retryBaseDelayMs * 2 ** attemptIndex;
      log.debug(`llm: ${what} failed (${err.message}); retry ${attemptIndex + 1}/${settings.retries} in ${delay} ms`);
      await settings.sleep(delay);
      if (signal?.aborted) throw signal.reason;
    }
  }
}
