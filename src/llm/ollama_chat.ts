/**
 * Ollama's POST /api/chat, streamed as NDJSON: `{message:{content}, done:false}`
 * lines, then `{done:true, done_reason, prompt_eval_count, eval_count, …}`
 * (durations in ns). An `{"error":…}` line can arrive mid-stream under HTTP 200.
 */
import { droppedStreamError, errorMessageFromJson, isRecord, serverError } from "./errors.ts";
import {
  type ChatAttempt,
  type ChatReply,
  numberOrUndefined,
  openChatExchange,
  parseJsonObject,
  ReplyCollector,
  stringOrUndefined,
} from "./chat_stream.ts";
import { serverRoot } from "./names.ts";
import { type TransportSettings } from "./transport.ts";

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
  if (options.keepAlive !== undefined) body.keep_alive = options.keepAlive;
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
  const collector = new ReplyCollector(attempt.options.onToken);
  for await (const line of exchange.lines()) {
    if (line.trim() === "") continue;
    const chunk = parseJsonObject(settings.endpoint, line, "is LLM_BASE an Ollama server? If not, set LLM_API=openai");
    const error = errorMessageFromJson(chunk);
    if (error !== undefined) throw serverError(settings.endpoint, attempt.model, 200, error);
    const message = chunk.message;
    if (isRecord(message) && typeof message.content === "string") collector.add(message.content);
    if (chunk.done === true) {
      exchange.close();
      return {
        content: collector.content,
        model: stringOrUndefined(chunk.model) ?? attempt.model,
        doneReason: stringOrUndefined(chunk.done_reason),
        promptTokens: numberOrUndefined(chunk.prompt_eval_count),
        completionTokens: numberOrUndefined(chunk.eval_count),
      };
    }
  }
  throw droppedStreamError(settings.endpoint);
}
