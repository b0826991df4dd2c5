/**
 * The patch call's output cap (Ollama `num_predict`, OpenAI `max_tokens`), sized from the edit that is
 * expected instead of one fixed 2,048: a model that writes nonsense until the cap then costs seconds, not a
 * minute. Pure.
 *
 * - `whole`: the files are written out whole, so the cap is their estimated tokens × 1.25 (the estimate
 *   runs low on code) plus 256 for paths and fences.
 * - `udiff` and `search-replace`: every changed line is written with what it replaces (a SEARCH part, or `-`
 *   lines and context), so the largest honest edit is about twice the text it changes; the text it may change
 *   is the editable files, at most the changed-lines limit's worth of their lines. Cap: twice that, plus 256.
 * Never below FLOOR (a small edit still needs its headers and context), never above the configured ceiling
 * (`max_output_tokens`). With no file to size from (the patch may create one), the ceiling.
 */
import { estimateTokens } from "../llm/mod.ts";
import type { EditFormat } from "../patch/mod.ts";

export const OUTPUT_FLOOR = 384;
export const DEFAULT_MAX_OUTPUT_TOKENS = 2048;
const OVERHEAD = 256;

export interface OutputCapInput {
  files: ReadonlyArray<{ path: string; content: string }>;
  format: EditFormat;
  /** The guard's changed-lines limit: no accepted edit changes more. */
  maxChangedLines: number;
  /** The configured most (`max_output_tokens`). */
  ceiling?: number;
}

export function patchOutputTokens(input: OutputCapInput): number {
  const ceiling = input.ceiling ?? DEFAULT_MAX_OUTPUT_TOKENS;
  if (input.files.length === 0) return ceiling;
  const tokens = input.files.reduce((sum, f) => sum + estimateTokens(f.content), 0);
  let expected: number;
  if (input.format === "whole") {
    expected = Math.ceil(tokens * 1.25) + OVERHEAD;
  } else {
    const lines = input.files.reduce((sum, f) => sum + f.content.split("\n").length, 0);
    const perLine = tokens / Math.max(1, lines);
    const changeable = Math.min(tokens, Math.ceil(input.maxChangedLines * perLine));
    expected = 2 * changeable + OVERHEAD;
  }
  return Math.min(ceiling, Math.max(OUTPUT_FLOOR, expected));
}
