/**
 * A loopback stand-in for a model server. It speaks Ollama's API (/api/chat,
 * /api/tags, /api/show, /api/version, /api/pull) and the OpenAI-style one
 * (/v1/chat/completions, /v1/models), streamed and not, and answers chats from
 * a script. Used by tests and by the demo, so nothing here is test-only.
 */
import type { ChatMessage } from "../../src/llm/mod.ts";
import { ModelShelf, type PullAttempt, type StandInPullScript } from "./standin_models.ts";
import {
  type BodyScript,
  type Delivery,
  estimatedTokens,
  type Frame,
  ollamaFrames,
  ollamaWhole,
  openAiErrorBody,
  openAiFrames,
  openAiWhole,
  type OpenStreams,
  scriptedResponse,
} from "./standin_wire.ts";

export type { PullAttempt, StandInPullScript };

export interface StandInRequest {
  api: "ollama" | "openai";
  model: string;
  messages: ChatMessage[];
  /** Ollama's `options`; for OpenAI-style requests, the body's other fields (temperature, max_tokens, …). */
  options?: Record<string, unknown>;
  stream: boolean;
  /** The request body as sent. */
  body: Record<string, unknown>;
  /** For a streamed reply: how much of it went out, and whether the client closed the connection early. */
  delivery?: Delivery;
}

export type StandInReply = string | {
  content: string;
  /** Characters per streamed piece (default 4). */
  chunkSize?: number;
  /** Split every NDJSON line / SSE event across two network chunks. */
  splitLines?: boolean;
  /** Drop the connection after this many streamed pieces. */
  disconnectAfterChunks?: number;
  /** Stop sending after this many streamed pieces, keeping the connection open. */
  stallAfterChunks?: number;
  /** Answer with this HTTP status instead (with `errorBody`, default a JSON error). */
  status?: number;
  errorBody?: string;
  /** After the content, send an error line (HTTP status stays 200) instead of the final frame. */
  midStreamError?: string;
  /** Pause between streamed pieces. */
  delayMs?: number;
};

export interface StandInOptions {
  /** Installed models; default the Sentries defaults for planner and patcher. */
  models?: string[];
  /** The reply to chat request number `index` (0-based, counting every chat request). Default: an echo. */
  reply?: (req: StandInRequest, index: number) => StandInReply | Promise<StandInReply>;
  /** What GET /api/version answers; default "0.9.0". */
  version?: string;
  pull?: StandInPullScript;
  /** Statuses for the next chat requests, e.g. [503, 503], before the script answers again. */
  failNextChats?: number[];
  /** Port to listen on; default 0 (any free port). */
  port?: number;
}

export interface StandIn {
  /** http://127.0.0.1:PORT */
  url: string;
  /** Every chat request, in order. */
  requests: StandInRequest[];
  /** Models pulled to the end. */
  pulled: string[];
  /** Every pull of a known model, with the bytes it resumed from. */
  pullAttempts: PullAttempt[];
  /** Installed models now (pulls add to it). */
  models: string[];
  close(): Promise<void>;
}

export const DEFAULT_STANDIN_MODELS = ["llama3.1:8b-instruct-q4_K_M", "deepseek-coder:6.7b-instruct-q5_K_M"];

/** The default script: repeat the last user message. */
export function echoReply(req: StandInRequest): string {
  const lastUser = [...req.messages].reverse().find((m) => m.role === "user");
  return `stand-in ${req.model} says: ${lastUser?.content ?? "hello"}`;
}

const BUSY = "server busy, please try again.  maximum pending requests exceeded";

export function startStandIn(options: StandInOptions = {}): Promise<StandIn> {
  const shelf = new ModelShelf(options.models ?? DEFAULT_STANDIN_MODELS, options.pull);
  const requests: StandInRequest[] = [];
  const failures = [...(options.failNextChats ?? [])];
  const open: OpenStreams = new Set();
  const script = options.reply ?? echoReply;
  // A prompt cache like llama.cpp's: the prefix shared with the previous request is not read again.
  let previousPrompt = "";

  const chat = async (api: "ollama" | "openai", body: Record<string, unknown>): Promise<Response> => {
    const req = chatRequest(api, body);
    requests.push(req);
    const index = requests.length - 1;
    const failure = failures.shift();
    if (failure !== undefined) {
      const message = failure === 503 ? BUSY : `stand-in: scripted failure (HTTP ${failure})`;
      return errorResponse(api, failure, message);
    }
    if (!shelf.find(req.model)) {
      return errorResponse(api, 404, `model "${req.model}" not found, try pulling it first`);
    }
    const raw = await script(req, index);
    const reply = typeof raw === "string" ? { content: raw } : raw;
    if (reply.status !== undefined && reply.status !== 200) {
      if (reply.errorBody !== undefined) {
        return new Response(reply.errorBody, { status: reply.status, headers: JSON_TYPE });
      }
      return errorResponse(api, reply.status, "stand-in: scripted failure");
    }
    const prompt = renderedPrompt(req.messages);
    const cachedTokens = Math.floor(commonPrefix(previousPrompt, prompt) / 4);
    previousPrompt = prompt;
    const facts = {
      model: req.model,
      content: reply.content,
      promptTokens: promptTokens(req.messages),
      cachedTokens: Math.min(cachedTokens, Math.max(0, promptTokens(req.messages) - 1)),
    };
    if (!req.stream) return Response.json(api === "ollama" ? ollamaWhole(facts) : openAiWhole(facts));
    const chunkSize = reply.chunkSize ?? 4;
    const frames = api === "ollama"
      ? ollamaFrames(facts, chunkSize, reply.midStreamError)
      : openAiFrames(facts, chunkSize, includeUsage(body), reply.midStreamError);
    req.delivery = { frames: frames.length, sent: 0, cancelled: false };
    return streamed(api, frames, {
      delivery: req.delivery,
      splitLines: reply.splitLines,
      delayMs: reply.delayMs,
      disconnectAfterFrames: reply.disconnectAfterChunks,
      stallAfterFrames: reply.stallAfterChunks,
    });
  };

  const streamed = (api: "ollama" | "openai", frames: Frame[], plan: Omit<BodyScript, "frames">): Response => {
    const type = api === "ollama" ? "application/x-ndjson" : "text/event-stream";
    return scriptedResponse({ frames, ...plan }, open, type);
  };

  const pull = (body: Record<string, unknown>): Response => {
    const name = modelOf(body);
    const { frames, disconnectAfterFrames } = shelf.pullFrames(name);
    if (body.stream === false) {
      for (const frame of frames) frame.onSent?.();
      const last = JSON.parse(frames[frames.length - 1].text);
      return Response.json(last, { status: "error" in last ? 500 : 200 });
    }
    return streamed("ollama", frames, { disconnectAfterFrames, delayMs: options.pull?.delayMs });
  };

  const route = async (request: Request): Promise<Response> => {
    const { pathname } = new URL(request.url);
    const key = `${request.method} ${pathname.replace(/\/+$/, "") || "/"}`;
    const body = request.method === "POST" ? await readJson(request) : {};
    if (body === undefined) return errorResponse("ollama", 400, "invalid character in request body");
    switch (key) {
      case "GET /":
      case "HEAD /":
        return new Response("Ollama is running", { headers: { "content-type": "text/plain; charset=utf-8" } });
      case "GET /api/version":
        return Response.json({ version: options.version ?? "0.9.0" });
      case "GET /api/tags":
        return Response.json(shelf.tags());
      case "POST /api/show": {
        const name = modelOf(body);
        return shelf.find(name)
          ? Response.json(shelf.show(name))
          : errorResponse("ollama", 404, `model '${name}' not found`);
      }
      case "POST /api/pull":
        return pull(body);
      case "POST /api/chat":
        return await chat("ollama", body);
      case "GET /v1/models":
        return Response.json(shelf.openAiModels());
      case "POST /v1/chat/completions":
        return await chat("openai", body);
      default:
        return new Response("404 page not found", { status: 404, headers: { "content-type": "text/plain" } });
    }
  };

  return new Promise((resolve) => {
    const server = Deno.serve({
      hostname: "127.0.0.1",
      port: options.port ?? 0,
      onListen: ({ port }) => {
        resolve({
          url: `http://127.0.0.1:${port}`,
          requests,
          pulled: shelf.pulled,
          pullAttempts: shelf.pullAttempts,
          models: shelf.installed,
          async close() {
            for (const stream of [...open]) stream.stop();
            await server.shutdown();
          },
        });
      },
    }, route);
  });
}

const JSON_TYPE = { "content-type": "application/json; charset=utf-8" };

function errorResponse(api: "ollama" | "openai", status: number, message: string): Response {
  const body = api === "ollama" ? JSON.stringify({ error: message }) : openAiErrorBody(message);
  return new Response(body, { status, headers: JSON_TYPE });
}

async function readJson(request: Request): Promise<Record<string, unknown> | undefined> {
  try {
    const parsed: unknown = await request.json();
    return typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)
      ? parsed as Record<string, unknown>
      : undefined;
  } catch {
    return undefined;
  }
}

function modelOf(body: Record<string, unknown>): string {
  const name = typeof body.model === "string" && body.model !== "" ? body.model : body.name;
  return typeof name === "string" ? name : "";
}

function chatRequest(api: "ollama" | "openai", body: Record<string, unknown>): StandInRequest {
  const { model: _model, messages, stream, options, ...rest } = body;
  return {
    api,
    model: modelOf(body),
    messages: Array.isArray(messages) ? messages as ChatMessage[] : [],
    // Ollama streams unless told not to; OpenAI-style servers only when asked.
    stream: api === "ollama" ? stream !== false : stream === true,
    options: api === "ollama" ? (options as Record<string, unknown> | undefined) : rest,
    body,
  };
}

function includeUsage(body: Record<string, unknown>): boolean {
  const streamOptions = body.stream_options;
  return typeof streamOptions === "object" && streamOptions !== null &&
    (streamOptions as Record<string, unknown>).include_usage === true;
}

/** The prompt as a chat template lays it out, for the stand-in's prefix cache. */
function renderedPrompt(messages: ChatMessage[]): string {
  return messages.map((m) => `<|${m.role}|>\n${String(m.content ?? "")}<|end|>\n`).join("");
}

function commonPrefix(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  return i;
}

function promptTokens(messages: ChatMessage[]): number {
  return messages.reduce((sum, m) => sum + estimatedTokens(String(m.content ?? "")), 0);
}
