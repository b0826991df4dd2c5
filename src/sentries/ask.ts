/** One model call with a live progress line (spinner on a terminal, a line every few seconds in CI). */
import { StatusLine } from "../term.ts";
import { countOf } from "../format.ts";
import type { ChatMessage, ChatResult, LlmClient } from "../llm/mod.ts";
import { estimatePromptTokens, numCtxFor } from "../llm/mod.ts";
import { log } from "../log.ts";

export interface AskOptions {
  purpose: string;
  numPredict?: number;
  /** Stop reading once the reply so far says nothing more of use can follow (see ChatOptions.stopWhen). */
  stopWhen?: (replySoFar: string) => string | undefined;
  signal?: AbortSignal;
}

/** Seams for tests: where the progress goes, and the clock. */
export interface AskDeps {
  status?: Pick<StatusLine, "update" | "done">;
  now?: () => number;
  /** How often the line is redrawn while no token has come yet. Default 1 s. */
  tickMs?: number;
}

/**
 * The progress line before the first token. A server reads the whole prompt before it writes anything
 * (and a cold Ollama loads the model first), which takes minutes for a long prompt on a CPU: the line
 * says so, with the prompt's size, and its seconds keep counting.
 */
export function waitingLine(purpose: string, model: string, promptTokens: number, seconds: number): string {
  return `${purpose}: ${model} reading the prompt… ~${promptTokens.toLocaleString("en-US")} tokens, ${seconds} s ` +
    "(the first call may load the model)";
}

export async function askModel(
  llm: LlmClient,
  model: string,
  messages: ChatMessage[],
  options: AskOptions,
  deps: AskDeps = {},
): Promise<ChatResult> {
  const numPredict = options.numPredict ?? 2048;
  const status = deps.status ?? new StatusLine(5000, !log.enabled("info"));
  const now = deps.now ?? Date.now;
  const started = now();
  const seconds = () => Math.round((now() - started) / 1000);
  const promptTokens = estimatePromptTokens(messages);
  let tokens = 0;
  // Before the first token the server reads the prompt (and may load the model): show that the run is alive.
  const waiting = setInterval(() => {
    if (tokens === 0 && seconds() >= 3) status.update(waitingLine(options.purpose, model, promptTokens, seconds()));
  }, deps.tickMs ?? 1000);
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
