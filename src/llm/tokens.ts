/** Prompt size estimates and context sizing; pure. */
import type { ChatMessage } from "./types.ts";

/**
 * A rough token count: one token per 4 characters, rounded up. English prose
 * averages about 4 characters a token with Llama-family tokenizers; code is
 * usually denser, so callers that must not overflow keep a margin (numCtxFor does).
 */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

/** Characters in all messages' content. */
export function promptChars(messages: ChatMessage[]): number {
  return messages.reduce((sum, m) => sum + m.content.length, 0);
}

/** The chat template adds role markers around each message. */
const TOKENS_PER_MESSAGE = 8;
export const MIN_NUM_CTX = 2048;
export const MAX_NUM_CTX = 32768;
const CTX_STEP = 1024;

/** Estimated prompt tokens of a chat, template overhead included. */
export function estimatePromptTokens(messages: ChatMessage[]): number {
  return messages.reduce((sum, m) => sum + estimateTokens(m.content) + TOKENS_PER_MESSAGE, 0);
}

/**
 * The context window to ask for: the estimated prompt plus 20% (the estimate
 * runs low on code) plus the tokens to generate, rounded up to a multiple of
 * 1024, at least 2048 and at most 32768. Ollama's default window is small and
 * silently truncates the prompt, so every call sends one sized like this.
 */
export function numCtxFor(messages: ChatMessage[], numPredict: number): number {
  const needed = Math.ceil(estimatePromptTokens(messages) * 1.2) + Math.max(0, numPredict);
  const rounded = Math.ceil(needed / CTX_STEP) * CTX_STEP;
  return Math.min(MAX_NUM_CTX, Math.max(MIN_NUM_CTX, rounded));
}
