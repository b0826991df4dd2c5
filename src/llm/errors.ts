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

export function idleTimeoutError(endpoint: Endpoint, idleMs: number, waitingFor: string): LlmError {
  return new LlmError(
    "llm.timeout",
    `no data from ${endpoint.baseUrl} for ${formatSeconds(idleMs)} (idle timeout) while waiting for ${waitingFor}`,
    {
      hint:
        "the model may still be loading or be too slow for this machine: raise the idle timeout or use a smaller model",
    },
  );
}

export function connectTimeoutError(endpoint: Endpoint, timeoutMs: number): LlmError {
  return new LlmError(
    "llm.timeout",
    `${serverLabel(endpoint.api)} at ${endpoint.baseUrl} did not answer within ${formatSeconds(timeoutMs)}`,
    { hint: "check that LLM_BASE points at a running server; raise the connect timeout if it is slow to start" },
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
    hint: "narrow the task (fewer files or tests), or use a model with a larger context",
  });
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
export function serverError(endpoint: Endpoint, model: string, status: number, message: string): LlmError {
  if (CONTEXT_OVERFLOW.test(message)) return contextOverflowError(model, message);
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
