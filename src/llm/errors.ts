/** LlmError and the translation of wire failures into messages for people. */
import { SentriesError } from "../errors.ts";
import { serverLabel } from "./names.ts";
import type { LlmApi } from "./types.ts";

export type LlmErrorCode =
  | "llm.unreachable"
  | "llm.model_not_found"
  | "llm.context_overflow"
  | "llm.timeout"
  | "llm.http"
  | "llm.stream"
  | "llm.bad_response";

export interface LlmErrorOptions {
  hint?: string;
  cause?: unknown;
  /** HTTP status when the server answered with one. */
  status?: number;
  /** Worth another attempt: connection errors, dropped streams and 5xx. */
  retryable?: boolean;
}

export class LlmError extends SentriesError {
  override readonly code: LlmErrorCode;
  readonly status?: number;
  readonly retryable: boolean;

  constructor(code: LlmErrorCode, message: string, options: LlmErrorOptions = {}) {
    super(message, { code, hint: options.hint, cause: options.cause });
    this.name = "LlmError";
    this.code = code;
    this.status = options.status;
    this.retryable = options.retryable ?? false;
  }
}

/** Where the client talks to, for messages. */
export interface Endpoint {
  baseUrl: string;
  api: LlmApi;
}

/** `host:port` as the build's net list spells it. */
function hostOf(baseUrl: string): string {
  try {
    return new URL(baseUrl).host;
  } catch {
    return baseUrl;
  }
}

export function unreachableError(endpoint: Endpoint, cause: unknown): LlmError {
  if (cause instanceof Deno.errors.NotCapable) {
    return new LlmError("llm.unreachable", `Sentries is not permitted to connect to ${endpoint.baseUrl}`, {
      hint: `this build may only reach loopback hosts and api.github.com: reach the server through loopback ` +
        `(e.g. an SSH tunnel), or build sentries with SENTRIES_EXTRA_NET=${hostOf(endpoint.baseUrl)} deno task ` +
        `compile (README "Adding a host")`,
      cause,
    });
  }
  const hint = endpoint.api === "ollama"
    ? "start it with `ollama serve` or set LLM_BASE"
    : "start the server or set LLM_BASE (and LLM_API=ollama if it is Ollama)";
  return new LlmError("llm.unreachable", `${serverLabel(endpoint.api)} is not reachable at ${endpoint.baseUrl}`, {
    hint,
    cause,
    retryable: true,
  });
}

/** The setting behind each limit, as a person changes it: env var and `[tool.sentries]` key. */
export const TIMEOUT_SETTINGS = {
  idle: "SENTRIES_LLM_TIMEOUT (llm_timeout in [tool.sentries])",
  connect: "SENTRIES_LLM_CONNECT_TIMEOUT (llm_connect_timeout in [tool.sentries])",
} as const;

export function idleTimeoutError(endpoint: Endpoint, idleMs: number, waitingFor: string): LlmError {
  return new LlmError(
    "llm.timeout",
    `no data from ${endpoint.baseUrl} for ${formatSeconds(idleMs)} while waiting for ${waitingFor} ` +
      `(the model timeout, ${TIMEOUT_SETTINGS.idle}, fired)`,
    {
      hint: `the model may still be loading or reading a long prompt (a few CPU cores read about 20–200 prompt ` +
        `tokens a second): raise ${TIMEOUT_SETTINGS.idle} above ${formatSeconds(idleMs)}, or use a smaller model`,
    },
  );
}

export function connectTimeoutError(endpoint: Endpoint, timeoutMs: number): LlmError {
  return new LlmError(
    "llm.timeout",
    `${serverLabel(endpoint.api)} at ${endpoint.baseUrl} did not answer within ${formatSeconds(timeoutMs)} ` +
      `(the connect timeout, ${TIMEOUT_SETTINGS.connect}, fired)`,
    {
      hint: `check that LLM_BASE points at a running server; if it is only slow to start, raise ` +
        `${TIMEOUT_SETTINGS.connect} above ${formatSeconds(timeoutMs)}`,
    },
  );
}

export function droppedStreamError(endpoint: Endpoint, cause?: unknown): LlmError {
  return new LlmError("llm.stream", `the connection to ${endpoint.baseUrl} dropped before the reply was complete`, {
    hint: "check that the model server is still running (it may have crashed or run out of memory)",
    cause,
    retryable: true,
  });
}

export function contextOverflowError(model: string, detail: string): LlmError {
  return new LlmError("llm.context_overflow", `the prompt does not fit the context window of ${model}: ${detail}`, {
    hint: "narrow the task (fewer files or tests), lower SENTRIES_CONTEXT_TOKENS (context_tokens in " +
      "[tool.sentries]), or use a model with a larger context",
  });
}

/**
 * llama.cpp's "request (5000 tokens) exceeds the available context size (4096 tokens)" (type
 * `exceed_context_size_error`, with `n_prompt_tokens` and `n_ctx`): say by how much and what to change.
 */
export function serverContextError(model: string, message: string, body?: Record<string, unknown>): LlmError {
  const numbers = (re: RegExp) => {
    const m = re.exec(message);
    return m ? Number(m[1]) : undefined;
  };
  const prompt = (typeof body?.n_prompt_tokens === "number" ? body.n_prompt_tokens : undefined) ??
    numbers(/request \((\d+) tokens\)/i) ?? numbers(/(\d+) tokens? (?:in|of) (?:the )?prompt/i);
  const ctx = (typeof body?.n_ctx === "number" ? body.n_ctx : undefined) ??
    numbers(/context size \((\d+) tokens\)/i) ?? numbers(/n_ctx\D{0,3}(\d+)/i);
  if (prompt === undefined || ctx === undefined) return contextOverflowError(model, message);
  return new LlmError(
    "llm.context_overflow",
    `the request to ${model} needs ${prompt} prompt tokens but the server's context is ${ctx} tokens ` +
      `(${prompt - ctx} too many, before any answer)`,
    {
      hint: `start the server with a larger context (llama-server -c ${roundUp(prompt + 2048)}; Ollama: a model ` +
        `with a larger num_ctx), or lower SENTRIES_CONTEXT_TOKENS (context_tokens in [tool.sentries]) so ` +
        `Sentries sends less`,
      cause: new Error(message),
    },
  );
}

function roundUp(tokens: number): number {
  return Math.ceil(tokens / 1024) * 1024;
}

/** The server's own words travel as the cause, so `describeError` shows them after ours. */
export function modelNotFoundError(endpoint: Endpoint, model: string, serverMessage?: string): LlmError {
  const hint = endpoint.api === "ollama"
    ? `ollama pull ${model}`
    : `load ${model} in the server (for Ollama: \`ollama pull ${model}\`), or set MODEL_PLAN / MODEL_PATCH`;
  return new LlmError("llm.model_not_found", `model ${model} is not installed at ${endpoint.baseUrl}`, {
    hint,
    status: 404,
    cause: serverMessage === undefined ? undefined : new Error(serverMessage),
  });
}

const CONTEXT_OVERFLOW =
  /context[ _](length|size|window)|exceeds? (the )?(maximum|available)? ?context|too many tokens/i;

/**
 * An error the server reported, as a status (or 200 for an `error` line
 * mid-stream) and its message, translated into an LlmError.
 */
export function serverError(
  endpoint: Endpoint,
  model: string,
  status: number,
  message: string,
  body?: Record<string, unknown>,
): LlmError {
  if (CONTEXT_OVERFLOW.test(message) || body?.type === "exceed_context_size_error") {
    return serverContextError(model, message, body);
  }
  if (status === 503 && /loading/i.test(message)) {
    return new LlmError("llm.http", `${endpoint.baseUrl} is still loading ${model} (HTTP 503): ${message}`, {
      status,
      retryable: true,
      hint: "wait until the server's /health says ok (a large model takes a minute to load), then run again",
    });
  }
  if (status === 404 && /model/i.test(message) && /not found|does not exist|no such/i.test(message)) {
    return modelNotFoundError(endpoint, model, message);
  }
  if (status === 404) {
    const other = endpoint.api === "ollama" ? "openai" : "ollama";
    return new LlmError("llm.http", `${endpoint.baseUrl} answered 404 Not Found: ${message}`, {
      status,
      hint: `is ${endpoint.baseUrl} ${endpoint.api === "ollama" ? "an Ollama" : "an OpenAI-compatible"} server? ` +
        `If not, set LLM_API=${other}`,
    });
  }
  const where = status === 200 ? "in the middle of the reply" : `with HTTP ${status}`;
  return new LlmError(status === 200 ? "llm.stream" : "llm.http", `${endpoint.baseUrl} failed ${where}: ${message}`, {
    status,
    retryable: status >= 500,
  });
}

/** The message in an error body: Ollama's `{"error":"…"}`, OpenAI's `{"error":{"message":"…"}}`, or the text. */
export function errorMessageFromBody(body: string): string {
  try {
    const parsed: unknown = JSON.parse(body);
    const message = errorMessageFromJson(parsed);
    if (message) return message;
  } catch {
    // Not JSON: fall through to the raw text.
  }
  const text = body.trim();
  return text.length > 300 ? `${text.slice(0, 300)}…` : text || "(empty body)";
}

/** The `error` object of an OpenAI-style error body, if it is one. */
export function errorObjectFromBody(body: string): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(body);
    return isRecord(parsed) && isRecord(parsed.error) ? parsed.error : undefined;
  } catch {
    return undefined;
  }
}

/** The `error` of a parsed JSON object, if it carries one. */
export function errorMessageFromJson(value: unknown): string | undefined {
  if (!isRecord(value) || !("error" in value)) return undefined;
  const error = value.error;
  if (typeof error === "string") return error;
  if (isRecord(error) && typeof error.message === "string") return error.message;
  return error === null || error === undefined ? undefined : JSON.stringify(error);
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function formatSeconds(ms: number): string {
  const seconds = ms / 1000;
  return `${Number.isInteger(seconds) ? seconds : seconds.toFixed(1)} s`;
}
