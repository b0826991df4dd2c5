/**
 * The server's own counts and timings, read from the wire (pure). Ollama: `prompt_eval_count`,
 * `eval_count`, `prompt_eval_duration`, `eval_duration` (ns) on the last chunk. OpenAI-style:
 * `usage.prompt_tokens`, `usage.completion_tokens`, `usage.prompt_tokens_details.cached_tokens`;
 * llama.cpp adds `timings` {prompt_n (evaluated), cache_n (reused), predicted_n, prompt_ms, predicted_ms}.
 */
import { isRecord } from "./errors.ts";
import type { ServerUsage } from "./types.ts";

function num(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) && value >= 0 ? value : undefined;
}

const NS_PER_MS = 1_000_000;

/** From Ollama's final `done: true` chunk. Ollama counts only the prompt tokens it evaluated. */
export function ollamaUsage(chunk: Record<string, unknown>): ServerUsage {
  const promptNs = num(chunk.prompt_eval_duration);
  const evalNs = num(chunk.eval_duration);
  return compact({
    promptTokens: num(chunk.prompt_eval_count),
    completionTokens: num(chunk.eval_count),
    promptMs: promptNs === undefined ? undefined : Math.round(promptNs / NS_PER_MS),
    generationMs: evalNs === undefined ? undefined : Math.round(evalNs / NS_PER_MS),
  });
}

/** From an OpenAI-style event or body: `usage` and, on llama.cpp, `timings`; later values win. */
export function openAiUsage(event: Record<string, unknown>, previous: ServerUsage = {}): ServerUsage {
  const out: ServerUsage = { ...previous };
  const timings = isRecord(event.timings) ? event.timings : undefined;
  if (timings) {
    const evaluated = num(timings.prompt_n);
    const cached = num(timings.cache_n);
    if (evaluated !== undefined) out.promptTokens = evaluated + (cached ?? 0);
    out.cachedPromptTokens = cached ?? out.cachedPromptTokens;
    out.completionTokens = num(timings.predicted_n) ?? out.completionTokens;
    const promptMs = num(timings.prompt_ms);
    const genMs = num(timings.predicted_ms);
    if (promptMs !== undefined) out.promptMs = Math.round(promptMs);
    if (genMs !== undefined) out.generationMs = Math.round(genMs);
  }
  const usage = isRecord(event.usage) ? event.usage : undefined;
  if (usage) {
    out.promptTokens = num(usage.prompt_tokens) ?? out.promptTokens;
    out.completionTokens = num(usage.completion_tokens) ?? out.completionTokens;
    const details = isRecord(usage.prompt_tokens_details) ? usage.prompt_tokens_details : undefined;
    out.cachedPromptTokens = num(details?.cached_tokens) ?? out.cachedPromptTokens;
  }
  return compact(out);
}

function compact(usage: ServerUsage): ServerUsage {
  const out: ServerUsage = {};
  for (const [key, value] of Object.entries(usage) as Array<[keyof ServerUsage, number | undefined]>) {
    if (value !== undefined) out[key] = value;
  }
  return out;
}

/** Prompt tokens the server had to evaluate (not reused from its cache). */
export function evaluatedPromptTokens(usage: ServerUsage): number | undefined {
  if (usage.promptTokens === undefined) return undefined;
  return Math.max(0, usage.promptTokens - (usage.cachedPromptTokens ?? 0));
}

/** "1,911 prompt tokens (1,800 cached) in 7.9 s, 600 written in 12.0 s" — only what the server said. */
export function describeServerUsage(usage: ServerUsage): string | undefined {
  const parts: string[] = [];
  const n = (v: number) => v.toLocaleString("en-US");
  const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  if (usage.promptTokens !== undefined) {
    let p = `${n(usage.promptTokens)} prompt tokens`;
    if (usage.cachedPromptTokens !== undefined) p += ` (${n(usage.cachedPromptTokens)} cached)`;
    if (usage.promptMs !== undefined) p += ` read in ${s(usage.promptMs)}`;
    parts.push(p);
  }
  if (usage.completionTokens !== undefined) {
    parts.push(
      `${n(usage.completionTokens)} written` + (usage.generationMs !== undefined ? ` in ${s(usage.generationMs)}` : ""),
    );
  }
  return parts.length ? parts.join(", ") : undefined;
}
