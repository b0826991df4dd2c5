/**
 * What is installed and getting more: GET /api/version, GET /api/tags (or
 * /v1/models), POST /api/show, and POST /api/pull streamed with resume.
 */
import { log } from "../log.ts";
import { errorMessageFromJson, isRecord, LlmError, modelNotFoundError, serverError } from "./errors.ts";
import { numberOrUndefined, parseJsonObject, stringOrUndefined } from "./chat_stream.ts";
import { openAiBase, sameModelName, serverRoot } from "./names.ts";
import { Exchange, type TransportSettings, withRetries } from "./transport.ts";
import type { InstalledModel, PullProgress } from "./types.ts";

function openJson(settings: TransportSettings, path: string, method: "GET" | "POST", body?: unknown) {
  const url = path.startsWith("/v1/")
    ? `${openAiBase(settings.endpoint.baseUrl)}${path.slice(3)}`
    : `${serverRoot(settings.endpoint.baseUrl)}${path}`;
  return Exchange.open(settings, {
    url,
    method,
    body,
    headersTimeoutMs: settings.connectTimeoutMs,
    headersTimeout: "connect",
    waitingFor: `${path} to answer`,
  });
}

/** GET /api/version; undefined when the server has no such endpoint (most OpenAI-style servers). */
export function fetchVersion(settings: TransportSettings): Promise<string | undefined> {
  return withRetries(settings, "GET /api/version", undefined, async () => {
    const exchange = await openJson(settings, "/api/version", "GET");
    if (exchange.response.status >= 500) {
      throw serverError(settings.endpoint, "", exchange.response.status, await exchange.errorMessage());
    }
    if (!exchange.response.ok) {
      await exchange.text().catch(() => "");
      if (settings.endpoint.api === "openai") return undefined;
      throw serverError(settings.endpoint, "", exchange.response.status, "GET /api/version is not served here");
    }
    const text = await exchange.text();
    try {
      const body: unknown = JSON.parse(text);
      return isRecord(body) && typeof body.version === "string" ? body.version : undefined;
    } catch {
      return undefined;
    }
  });
}

export function fetchModels(settings: TransportSettings): Promise<InstalledModel[]> {
  const openai = settings.endpoint.api === "openai";
  const path = openai ? "/v1/models" : "/api/tags";
  return withRetries(settings, `GET ${path}`, undefined, async () => {
    const exchange = await openJson(settings, path, "GET");
    if (!exchange.response.ok) {
      throw serverError(settings.endpoint, "", exchange.response.status, await exchange.errorMessage());
    }
    const body = await exchange.json();
    const list = isRecord(body) ? (openai ? body.data : body.models) : undefined;
    if (!Array.isArray(list)) {
      throw new LlmError("llm.bad_response", `${path} at ${settings.endpoint.baseUrl} did not list models`);
    }
    return list.filter(isRecord).map(openai ? fromOpenAiModel : fromOllamaModel);
  });
}

export function fetchModelInfo(settings: TransportSettings, name: string): Promise<InstalledModel> {
  if (settings.endpoint.api === "openai") {
    // OpenAI-style servers describe models only in their list.
    return fetchModels(settings).then((models) => {
      const found = models.find((m) => sameModelName(m.name, name));
      if (!found) throw modelNotFoundError(settings.endpoint, name);
      return found;
    });
  }
  return withRetries(settings, "POST /api/show", undefined, async () => {
    const exchange = await openJson(settings, "/api/show", "POST", { model: name, name });
    if (!exchange.response.ok) {
      throw serverError(settings.endpoint, name, exchange.response.status, await exchange.errorMessage());
    }
    const body = await exchange.json();
    if (!isRecord(body)) throw new LlmError("llm.bad_response", `/api/show did not describe ${name}`);
    return fromOllamaModel({ ...body, name });
  });
}

function fromOllamaModel(entry: Record<string, unknown>): InstalledModel {
  const details = isRecord(entry.details) ? entry.details : {};
  return {
    name: stringOrUndefined(entry.name) ?? stringOrUndefined(entry.model) ?? "",
    sizeBytes: numberOrUndefined(entry.size),
    digest: stringOrUndefined(entry.digest),
    modifiedAt: stringOrUndefined(entry.modified_at),
    parameterSize: stringOrUndefined(details.parameter_size),
    quantization: stringOrUndefined(details.quantization_level),
    family: stringOrUndefined(details.family),
  };
}

function fromOpenAiModel(entry: Record<string, unknown>): InstalledModel {
  const created = numberOrUndefined(entry.created);
  return {
    name: stringOrUndefined(entry.id) ?? "",
    modifiedAt: created === undefined ? undefined : new Date(created * 1000).toISOString(),
  };
}

/**
 * Pulls a model, reporting every progress line. A stream that drops (or ends
 * without "success") is pulled again — Ollama resumes partial layers — and an
 * attempt that made progress does not count against `retries`.
 */
export async function pull(
  settings: TransportSettings,
  name: string,
  onProgress: (p: PullProgress) => void,
  signal?: AbortSignal,
): Promise<void> {
  if (settings.endpoint.api !== "ollama") {
    throw new LlmError("llm.http", `pulling ${name} needs Ollama's API; ${settings.endpoint.baseUrl} is OpenAI-style`, {
      hint: "load the model in that server by hand, or point LLM_BASE at Ollama",
    });
  }
  let failuresInARow = 0;
  while (true) {
    const progress = { bytes: 0 };
    try {
      await pullOnce(settings, name, onProgress, progress, signal);
      return;
    } catch (err) {
      if (!(err instanceof LlmError) || !err.retryable || signal?.aborted) throw err;
      failuresInARow = progress.bytes > 0 ? 1 : failuresInARow + 1;
      if (failuresInARow > settings.retries) throw err;
      const delay = settings.retryBaseDelayMs * 2 ** (failuresInARow - 1);
      log.debug(`llm: pull ${name} interrupted (${err.message}); pulling again in ${delay} ms`);
      await settings.sleep(delay);
      if (signal?.aborted) throw signal.reason;
    }
  }
}

async function pullOnce(
  settings: TransportSettings,
  name: string,
  onProgress: (p: PullProgress) => void,
  progress: { bytes: number },
  signal?: AbortSignal,
): Promise<void> {
  const exchange = await Exchange.open(settings, {
    url: `${serverRoot(settings.endpoint.baseUrl)}/api/pull`,
    method: "POST",
    body: { model: name, name, stream: true },
    headersTimeoutMs: settings.connectTimeoutMs,
    headersTimeout: "connect",
    waitingFor: `the download of ${name}`,
    signal,
  });
  if (!exchange.response.ok) throw pullError(settings, name, exchange.response.status, await exchange.errorMessage());
  const seen = new Map<string, number>();
  for await (const line of exchange.lines()) {
    if (line.trim() === "") continue;
    const event = parseJsonObject(settings.endpoint, line, "is LLM_BASE an Ollama server?");
    const error = errorMessageFromJson(event);
    if (error !== undefined) throw pullError(settings, name, 200, error);
    const update: PullProgress = {
      status: stringOrUndefined(event.status) ?? "",
      digest: stringOrUndefined(event.digest),
      total: numberOrUndefined(event.total),
      completed: numberOrUndefined(event.completed),
    };
    if (update.digest !== undefined && update.completed !== undefined) {
      progress.bytes += Math.max(0, update.completed - (seen.get(update.digest) ?? update.completed));
      seen.set(update.digest, update.completed);
    }
    onProgress(update);
    if (update.status === "success") {
      exchange.close();
      return;
    }
  }
  throw new LlmError(
    "llm.stream",
    `the download of ${name} from ${settings.endpoint.baseUrl} stopped before it finished`,
    {
      retryable: true,
    },
  );
}

function pullError(settings: TransportSettings, name: string, status: number, message: string): LlmError {
  if (/file does not exist|not found|manifest unknown/i.test(message)) {
    return new LlmError("llm.model_not_found", `Ollama could not find ${name} to download (${message})`, {
      hint: "check the name and tag at https://ollama.com/library",
      status,
    });
  }
  if (/no space left|disk full/i.test(message)) {
    return new LlmError("llm.http", `the download of ${name} failed: the disk is full (${message})`, {
      hint: "free disk space where Ollama keeps models (OLLAMA_MODELS, default ~/.ollama/models)",
      status,
    });
  }
  const error = serverError(settings.endpoint, name, status, message);
  return new LlmError(error.code, `the download of ${name} failed: ${message}`, {
    hint: error.hint,
    status,
    retryable: error.retryable,
  });
}
