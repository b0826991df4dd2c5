/**
 * Bookkeeping every sentry run shares: step timings, progress lines, the
 * interrupt check, and the model usage summed from the LLM client's records.
 */
import { InterruptedError } from "../errors.ts";
import type { LlmClient } from "../llm/mod.ts";
import { log } from "../log.ts";

export interface StepTiming {
  step: string;
  ms: number;
}

export class RunState {
  readonly started = performance.now();
  readonly timings: StepTiming[] = [];

  constructor(readonly name: string, readonly signal?: AbortSignal) {}

  checkInterrupted(): void {
    if (this.signal?.aborted) throw new InterruptedError(String(this.signal.reason ?? "SIGINT"));
  }

  /** Runs one named step: logs it, times it, and stops first if the run was interrupted. */
  async step<T>(step: string, description: string, fn: () => Promise<T>): Promise<T> {
    this.checkInterrupted();
    log.info(`› ${step}: ${description}`);
    const start = performance.now();
    try {
      return await fn();
    } finally {
      const ms = Math.round(performance.now() - start);
      const existing = this.timings.find((t) => t.step === step);
      if (existing) existing.ms += ms;
      else this.timings.push({ step, ms });
      log.debug(`${step} took ${ms} ms`);
      this.checkInterrupted();
    }
  }

  totalMs(): number {
    return Math.round(performance.now() - this.started);
  }
}

export interface LlmUsage {
  calls: number;
  promptTokens: number;
  completionTokens: number;
  estimatedPromptTokens: number;
  ms: number;
}

/** The fields every sentry report ends with. */
export interface RunSummary {
  message: string;
  llm: LlmUsage;
  timings: StepTiming[];
  totalMs: number;
}

export function llmUsage(llm: LlmClient | undefined): LlmUsage {
  const calls = llm?.calls ?? [];
  return {
    calls: calls.length,
    promptTokens: calls.reduce((s, c) => s + (c.promptTokens ?? 0), 0),
    completionTokens: calls.reduce((s, c) => s + (c.completionTokens ?? 0), 0),
    estimatedPromptTokens: calls.reduce((s, c) => s + c.estimatedPromptTokens, 0),
    ms: Math.round(calls.reduce((s, c) => s + c.durationMs, 0)),
  };
}

/** Sets a report's outcome, exit code and message in one place. */
export function finish<R extends { outcome: string; exitCode: number; message: string }>(
  report: R,
  outcome: R["outcome"],
  exitCode: number,
  message: string,
): void {
  report.outcome = outcome;
  report.exitCode = exitCode;
  report.message = message;
}
