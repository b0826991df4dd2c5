/**
 * Ollama's POST /api/chat, streamed as NDJSON: `{message:{content}, done:false}`
 * lines, then `{done:true, done_reason, prompt_eval_count, eval_count, …}`
 * (durations in ns). An `{"error":…}` line can arrive mid-stream under HTTP 200.
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
import { serverRoot } from "./names.ts";
import { ollamaUsage } from "./usage.ts";
import { type TransportSettings } from "./transport.ts";

/** Sent as `keep_alive` unless the caller chose one. */
export const DEFAULT_KEEP_ALIVE = "30m";

export function ollamaChatBody(attempt: ChatAttempt): Record<string, unknown> {
  const { options } = attempt;
  const modelOptions: Record<string, unknown> = { num_ctx: attempt.numCtx };
  if (options.temperature !== undefined) modelOptions.temperature = options.temperature;
  if (options.seed !== undefined) modelOptions.seed = options.seed;
  if (options.numPredict !== undefined) modelOptions.num_predict = options.numPredict;
  const body: Record<string, unknown> = {
    model: attempt.model,
    messages: attempt.messages,
    stream: true,
    options: modelOptions,
  };
  // Keep the model loaded between a run's calls (Ollama's default unloads it after 5 idle minutes,
  // which a long pytest run between two attempts can exceed).
  body.keep_alive = options.keepAlive ?? DEFAULT_KEEP_ALIVE;
  if (options.format !== undefined) body.format = options.format;
  return body;
}

export async function ollamaChatOnce(settings: TransportSettings, attempt: ChatAttempt): Promise<ChatReply> {
  const exchange = await openChatExchange(
    settings,
    attempt,
    `${serverRoot(settings.endpoint.baseUrl)}/api/chat`,
    ollamaChatBody(attempt),
  );
  const collector = new ReplyCollector(attempt.options);
  for await (const line of exchange.lines()) {
    if (line.trim() === "") continue;
    const chunk = parseJsonObject(settings.endpoint, line, "is LLM_BASE an Ollama server? If not, set LLM_API=openai");
    const error = errorMessageFromJson(chunk);
    if (error !== undefined) throw serverError(settings.endpoint, attempt.model, 200, error);
    const message = chunk.message;
    if (isRecord(message) && typeof message.content === "string") collector.add(message.content);
    if (collector.stopReason !== undefined) {
      // Nothing usable can follow (repetition, or a complete edit already read): closing the connection makes the server stop generating.
      exchange.close();
      return {
        content: collector.content,
        model: stringOrUndefined(chunk.model) ?? attempt.model,
        doneReason: "stopped_by_client",
        stoppedEarly: collector.stopReason,
      };
    }
    if (chunk.done === true) {
      exchange.close();
      return {
        content: collector.content,
        model: stringOrUndefined(chunk.model) ?? attempt.model,
        doneReason: stringOrUndefined(chunk.done_reason),
        ...ollamaUsage(chunk),
      };
    }
  }
  throw droppedStreamError(settings.endpoint);
}
