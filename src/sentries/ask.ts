/** One model call with a live progress line (spinner on a terminal, a line every few seconds in CI). */
import { StatusLine } from "../term.ts";
import { countOf } from "../format.ts";
import type { ChatMessage, ChatResult, LlmClient } from "../llm/mod.ts";
import { numCtxFor } from "../llm/mod.ts";
import { log } from "../log.ts";

export interface AskOptions {
  purpose: string;
  numPredict?: number;
  /** Stop reading once the reply so far says nothing more of use can follow (see ChatOptions.stopWhen). */
  stopWhen?: (replySoFar: string) => string | undefined;
  signal?: AbortSignal;
}

export async function askModel(
  llm: LlmClient,
  model: string,
  messages: ChatMessage[],
  options: AskOptions,
): Promise<ChatResult> {
  const numPredict = options.numPredict ?? 2048;
  const status = new StatusLine(5000, !log.enabled("info"));
  const started = Date.now();
  const seconds = () => Math.round((Date.now() - started) / 1000);
  let tokens = 0;
  // Before the first token a model may still be loading: keep showing that the run is alive.
  const waiting = setInterval(() => {
    if (tokens === 0 && seconds() >= 3) {
      status.update(`${options.purpose}: waiting for ${model} (loading the model?) ${seconds()} s`);
    }
  }, 1000);
  try {
    const result = await llm.chat(model, messages, {
      temperature: 0,
      seed: 42,
      numPredict,
      numCtx: numCtxFor(messages, numPredict),
      signal: options.signal,
      purpose: options.purpose,
      stopWhen: options.stopWhen,
      onToken: (_text, count) => {
        tokens = count;
        status.update(`${options.purpose}: ${model} writing… ${countOf(count, "token")}, ${seconds()} s`);
      },
    });
    return result;
  } finally {
    clearInterval(waiting);
    status.done();
  }
}
