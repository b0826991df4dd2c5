/**
 * Wire-level pieces of the stand-in model server: response frames in Ollama's
 * NDJSON and OpenAI's SSE formats, and a scripted body stream that can split
 * lines across network chunks, drop the connection or stall.
 */

/** One frame of a streamed body, and what sending it means to the stand-in's state. */
export interface Frame {
  text: string;
  onSent?: () => void;
}

export interface BodyScript {
  frames: Frame[];
  /** Send each frame in two network chunks with a pause between them. */
  splitLines?: boolean;
  /** Pause between frames. */
  delayMs?: number;
  /** Drop the connection after this many frames. */
  disconnectAfterFrames?: number;
  /** Stop sending after this many frames but keep the connection open. */
  stallAfterFrames?: number;
  /** Updated as the body goes out: frames sent, and whether the client went away before the end. */
  delivery?: Delivery;
}

/** How much of a streamed body the server sent, as the server sees it. */
export interface Delivery {
  frames: number;
  sent: number;
  /** The client closed the connection before the last frame. */
  cancelled: boolean;
}

/** Streams still sending, so the server can end them all when it closes. */
export type OpenStreams = Set<{ stop(): void }>;

/**
 * A scripted streamed response. One that is to drop its connection promises
 * more bytes (content-length) than it sends; erroring the body stream instead
 * would make Deno.serve print the error.
 */
export function scriptedResponse(script: BodyScript, open: OpenStreams, contentType: string): Response {
  const headers: Record<string, string> = { "content-type": contentType };
  if (script.disconnectAfterFrames !== undefined) {
    const encoder = new TextEncoder();
    const full = script.frames.reduce((sum, frame) => sum + encoder.encode(frame.text).length, 0);
    headers["content-length"] = String(full + 1024);
  }
  return new Response(scriptedBody(script, open), { headers });
}

/** The body of a scripted streamed response. */
function scriptedBody(script: BodyScript, open: OpenStreams): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let next = 0;
  let stopped = false;
  let wake: (() => void) | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const handle = {
    stop() {
      stopped = true;
      clearTimeout(timer);
      wake?.();
    },
  };
  // Waits that end early when the server closes or the client goes away, so no timer outlives a test.
  const pause = (ms?: number) =>
    new Promise<void>((resolve) => {
      wake = resolve;
      if (ms !== undefined) timer = setTimeout(resolve, ms);
    });
  const end = (controller: ReadableStreamDefaultController<Uint8Array>) => {
    open.delete(handle);
    controller.close();
  };
  return new ReadableStream<Uint8Array>({
    start() {
      open.add(handle);
    },
    async pull(controller) {
      if (next > 0 && script.delayMs) await pause(script.delayMs);
      if (stopped) return end(controller);
      // Ending early under a promised content-length makes the server drop the connection, as a crash would.
      if (next === script.disconnectAfterFrames) return end(controller);
      if (next === script.stallAfterFrames) {
        await pause();
        return end(controller);
      }
      const frame = script.frames[next++];
      if (frame === undefined) return end(controller);
      const bytes = encoder.encode(frame.text);
      if (script.splitLines && bytes.length > 1) {
        // Split by bytes, not characters, so a multi-byte character can straddle the two chunks.
        const middle = Math.floor(bytes.length / 2);
        controller.enqueue(bytes.slice(0, middle));
        await pause(5);
        if (stopped) return end(controller);
        controller.enqueue(bytes.slice(middle));
      } else {
        controller.enqueue(bytes);
      }
      frame.onSent?.();
      if (script.delivery) script.delivery.sent = next;
    },
    cancel() {
      // A client that closes after the last frame (e.g. on OpenAI's [DONE], before our end-of-stream) read it all.
      if (script.delivery && next < script.frames.length) script.delivery.cancelled = true;
      handle.stop();
      open.delete(handle);
    },
  });
}

/** Cuts a reply into streamed pieces of `size` characters (code points kept whole). */
export function pieces(content: string, size: number): string[] {
  const chars = Array.from(content);
  const out: string[] = [];
  for (let i = 0; i < chars.length; i += Math.max(1, size)) out.push(chars.slice(i, i + size).join(""));
  return out;
}

export function estimatedTokens(text: string): number {
  return Math.max(1, Math.ceil(text.length / 4));
}

export interface ReplyFacts {
  model: string;
  content: string;
  promptTokens: number;
  /** Prompt tokens reused from the stand-in's prefix cache (llama.cpp `cache_n`). */
  cachedTokens?: number;
}

const NS_PER_MS = 1_000_000;

function ollamaDone(facts: ReplyFacts): Record<string, unknown> {
  return {
    done: true,
    done_reason: "stop",
    total_duration: 420 * NS_PER_MS,
    load_duration: 12 * NS_PER_MS,
    prompt_eval_count: facts.promptTokens,
    prompt_eval_duration: 80 * NS_PER_MS,
    eval_count: estimatedTokens(facts.content),
    eval_duration: 320 * NS_PER_MS,
  };
}

export function ollamaFrames(facts: ReplyFacts, chunkSize: number, midStreamError?: string): Frame[] {
  const createdAt = new Date().toISOString();
  const frames = pieces(facts.content, chunkSize).map((piece) => ({
    text: JSON.stringify({
      model: facts.model,
      created_at: createdAt,
      message: { role: "assistant", content: piece },
      done: false,
    }) + "\n",
  }));
  const last = midStreamError === undefined
    ? { model: facts.model, created_at: createdAt, message: { role: "assistant", content: "" }, ...ollamaDone(facts) }
    : { error: midStreamError };
  return [...frames, { text: JSON.stringify(last) + "\n" }];
}

export function ollamaWhole(facts: ReplyFacts): Record<string, unknown> {
  return {
    model: facts.model,
    created_at: new Date().toISOString(),
    message: { role: "assistant", content: facts.content },
    ...ollamaDone(facts),
  };
}

/** OpenAI-style usage as llama.cpp's server sends it, cached tokens included. */
function openAiUsage(facts: ReplyFacts): Record<string, unknown> {
  const completion = estimatedTokens(facts.content);
  return {
    prompt_tokens: facts.promptTokens,
    completion_tokens: completion,
    total_tokens: facts.promptTokens + completion,
    prompt_tokens_details: { cached_tokens: facts.cachedTokens ?? 0 },
  };
}

/** llama.cpp's `timings`: prompt_n counts only the prompt tokens evaluated (not the cached ones). */
function llamaCppTimings(facts: ReplyFacts): Record<string, number> {
  const cached = facts.cachedTokens ?? 0;
  const evaluated = facts.promptTokens - cached;
  const predicted = estimatedTokens(facts.content);
  return {
    cache_n: cached,
    prompt_n: evaluated,
    prompt_ms: evaluated * 4,
    prompt_per_token_ms: 4,
    prompt_per_second: 250,
    predicted_n: predicted,
    predicted_ms: predicted * 25,
    predicted_per_token_ms: 25,
    predicted_per_second: 40,
  };
}

export function openAiFrames(
  facts: ReplyFacts,
  chunkSize: number,
  includeUsage: boolean,
  midStreamError?: string,
): Frame[] {
  const created = Math.floor(Date.now() / 1000);
  const chunk = (choices: unknown[], extra: Record<string, unknown> = {}) => ({
    text: `data: ${
      JSON.stringify({
        id: "chatcmpl-standin",
        object: "chat.completion.chunk",
        created,
        model: facts.model,
        system_fingerprint: "fp_standin",
        choices,
        ...extra,
      })
    }\n\n`,
  });
  const frames = pieces(facts.content, chunkSize).map((piece) =>
    chunk([{ index: 0, delta: { role: "assistant", content: piece }, finish_reason: null }])
  );
  if (midStreamError !== undefined) {
    const error = { error: { message: midStreamError, type: "api_error", param: null, code: null } };
    return [...frames, { text: `data: ${JSON.stringify(error)}\n\n` }];
  }
  frames.push(chunk([{ index: 0, delta: { role: "assistant", content: "" }, finish_reason: "stop" }]));
  if (includeUsage) frames.push(chunk([], { usage: openAiUsage(facts), timings: llamaCppTimings(facts) }));
  frames.push({ text: "data: [DONE]\n\n" });
  return frames;
}

export function openAiWhole(facts: ReplyFacts): Record<string, unknown> {
  return {
    id: "chatcmpl-standin",
    object: "chat.completion",
    created: Math.floor(Date.now() / 1000),
    model: facts.model,
    system_fingerprint: "fp_standin",
    choices: [{ index: 0, message: { role: "assistant", content: facts.content }, finish_reason: "stop" }],
    usage: openAiUsage(facts),
    timings: llamaCppTimings(facts),
  };
}

/** OpenAI's error body shape, as Ollama's /v1 endpoints send it. */
export function openAiErrorBody(message: string): string {
  return JSON.stringify({ error: { message, type: "api_error", param: null, code: null } });
}
