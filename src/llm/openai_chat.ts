/**
 * OpenAI-style POST /v1/chat/completions, streamed as Server-Sent Events:
 * `data: {choices:[{delta:{content}, finish_reason}]}` events, `usage` in a
 * last event when the server supports `stream_options.include_usage`, then
 * `data: [DONE]`. A server that ignores `stream` answers one JSON object.
 */
import { droppedStreamError, errorMessageFromJson, isRecord, serverError } from "./errors.ts";
import {
  type ChatAttempt,
  type ChatReply,
  openChatExchange,
  parseJsonObject,
  ReplyCollector,
  stringOrUndefined,
} from "./chat_stream.ts";
import { SseDecoder } from "./lines.ts";
import { openAiBase } from "./names.ts";
import { openAiUsage } from "./usage.ts";
import { Exchange, type TransportSettings } from "./transport.ts";

const NOT_OPENAI_HINT = "is LLM_BASE an OpenAI-compatible server? For Ollama's own API set LLM_API=ollama";

export function openAiChatBody(attempt: ChatAttempt): Record<string, unknown> {
  const { options } = attempt;
  const body: Record<string, unknown> = {
    model: attempt.model,
    messages: attempt.messages,
    stream: true,
    stream_options: { include_usage: true },
  };
  if (options.temperature !== undefined) body.temperature = options.temperature;
  if (options.seed !== undefined) body.seed = options.seed;
  if (options.numPredict !== undefined) body.max_tokens = options.numPredict;
  if (options.format === "json") body.response_format = { type: "json_object" };
  return body;
}

export async function openAiChatOnce(settings: TransportSettings, attempt: ChatAttempt): Promise<ChatReply> {
  const exchange = await openChatExchange(
    settings,
    attempt,
    `${openAiBase(settings.endpoint.baseUrl)}/chat/completions`,
    openAiChatBody(attempt),
  );
  const contentType = exchange.response.headers.get("content-type") ?? "";
  if (contentType.includes("application/json")) {
    return wholeReply(settings, attempt, await exchange.text());
  }
  return await streamedReply(settings, attempt, exchange);
}

async function streamedReply(
  settings: TransportSettings,
  attempt: ChatAttempt,
  exchange: Exchange,
): Promise<ChatReply> {
  const collector = new ReplyCollector(attempt.options);
  const decoder = new SseDecoder();
  const reply: Omit<ChatReply, "content"> = { model: attempt.model };
  const handle = (data: string): boolean => {
    if (data.trim() === "[DONE]") return true;
    const event = parseJsonObject(settings.endpoint, data, NOT_OPENAI_HINT);
    const error = errorMessageFromJson(event);
    if (error !== undefined) throw serverError(settings.endpoint, attempt.model, 200, error);
    reply.model = stringOrUndefined(event.model) ?? reply.model;
    readUsage(event, reply);
    const choice = firstChoice(event);
    if (choice && isRecord(choice.delta) && typeof choice.delta.content === "string") {
      collector.add(choice.delta.content);
    }
    reply.doneReason = stringOrUndefined(choice?.finish_reason) ?? reply.doneReason;
    return false;
  };
  for await (const line of exchange.lines()) {
    const data = decoder.pushLine(line);
    if (data !== undefined && handle(data)) {
      exchange.close();
      return { ...reply, content: collector.content };
    }
    if (collector.stopReason !== undefined) {
      // Nothing usable can follow (repetition, or a complete edit already read): closing the connection makes the server stop generating.
      exchange.close();
      return {
        ...reply,
        doneReason: "stopped_by_client",
        stoppedEarly: collector.stopReason,
        content: collector.content,
      };
    }
  }
  const last = decoder.flush();
  if (last !== undefined && handle(last)) return { ...reply, content: collector.content };
  // Some servers close without [DONE]; a finish_reason says the reply was complete.
  if (reply.doneReason !== undefined) return { ...reply, content: collector.content };
  throw droppedStreamError(settings.endpoint);
}

function wholeReply(settings: TransportSettings, attempt: ChatAttempt, text: string): ChatReply {
  const body = parseJsonObject(settings.endpoint, text, NOT_OPENAI_HINT);
  const error = errorMessageFromJson(body);
  if (error !== undefined) throw serverError(settings.endpoint, attempt.model, 200, error);
  const choice = firstChoice(body);
  const message = choice && isRecord(choice.message) ? choice.message : undefined;
  const content = message && typeof message.content === "string" ? message.content : "";
  attempt.options.onToken?.(content, 1);
  const reply: ChatReply = {
    content,
    model: stringOrUndefined(body.model) ?? attempt.model,
    doneReason: stringOrUndefined(choice?.finish_reason),
  };
  readUsage(body, reply);
  return reply;
}

function firstChoice(event: Record<string, unknown>): Record<string, unknown> | undefined {
  const choices = event.choices;
  return Array.isArray(choices) && isRecord(choices[0]) ? choices[0] : undefined;
}

function readUsage(event: Record<string, unknown>, reply: Omit<ChatReply, "content">): void {
  Object.assign(reply, openAiUsage(event, reply));
}
