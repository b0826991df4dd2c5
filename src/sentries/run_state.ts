/**
 * Bookkeeping every sentry run shares: step timings, progress lines, the
 * interrupt check, and the model usage summed from the LLM client's records.
 */
import type { DeliveryPlan } from "../delivery/plan.ts";
import { InterruptedError } from "../errors.ts";
import type { LlmCallRecord, LlmClient } from "../llm/mod.ts";
import type { PatchProblem } from "../patch/mod.ts";
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
  /** Server-reported prompt tokens (0 when the server reported none; then see estimatedPromptTokens). */
  promptTokens: number;
  completionTokens: number;
  estimatedPromptTokens: number;
  ms: number;
  /** Server-reported: prompt tokens reused from its cache, time reading prompts, time writing answers. */
  cachedPromptTokens?: number;
  promptMs?: number;
  generationMs?: number;
  /** Each call as recorded: purpose, model, our estimate and the server's own counts and timings. */
  perCall?: LlmCallRecord[];
}

export interface AttemptReport {
  attempt: number;
  result: "applied_and_passed" | "rejected" | "tests_failed" | "no_changes" | "repeated";
  problems?: PatchProblem[];
  feedback?: string;
  diff?: string;
}

/** The fields both sentries' reports share. */
export interface RunSummary {
  exitCode: number;
  dryRun: boolean;
  message: string;
  /** The planner's one-line reason, and its plan. */
  reason?: string;
  plan?: string;
  attempts: AttemptReport[];
  diff?: string;
  changedFiles: string[];
  linesAdded: number;
  linesRemoved: number;
  branch?: string;
  commit?: string;
  /** Without a token: what the pull request would say. */
  prPreview?: { title: string; body: string };
  /** How the change is (or, with --dry-run, would be) delivered, decided before delivery acts. */
  deliveryPlan?: DeliveryPlan;
  llm: LlmUsage;
  timings: StepTiming[];
  totalMs: number;
}

/** The report lines for the patch attempts and the resulting change. */
export function renderAttemptLines(r: RunSummary): string[] {
  const out = r.attempts.map((a) => {
    const why = a.problems?.length ? `: ${a.problems.map((p) => p.message).join("; ").slice(0, 200)}` : "";
    return `  attempt ${a.attempt}: ${a.result.replaceAll("_", " ")}${why}`;
  });
  if (r.changedFiles.length) out.push(`  changed: ${r.changedFiles.join(", ")} (+${r.linesAdded} −${r.linesRemoved})`);
  return out;
}

export function llmUsage(llm: LlmClient | undefined): LlmUsage {
  const calls = llm?.calls ?? [];
  return {
    calls: calls.length,
    promptTokens: calls.reduce((s, c) => s + (c.promptTokens ?? 0), 0),
    completionTokens: calls.reduce((s, c) => s + (c.completionTokens ?? 0), 0),
    estimatedPromptTokens: calls.reduce((s, c) => s + c.estimatedPromptTokens, 0),
    ms: Math.round(calls.reduce((s, c) => s + c.durationMs, 0)),
    ...serverTotals(calls),
    perCall: calls.map((c) => ({ ...c })),
  };
}

/**
 * What the server itself reported, for the reports' model line: "" when it reported no cache or time
 * figures (then the line shows tokens only), else e.g. "; server: 2,900 of 5,311 prompt tokens cached,
 * prompts read in 18.9 s, answers written in 110.8 s; estimated 3,796 prompt tokens".
 */
export function serverUsageSuffix(u: LlmUsage): string {
  if (u.cachedPromptTokens === undefined && u.promptMs === undefined && u.generationMs === undefined) return "";
  const n = (v: number) => v.toLocaleString("en-US");
  const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  const parts: string[] = [];
  if (u.cachedPromptTokens !== undefined) {
    parts.push(`${n(u.cachedPromptTokens)} of ${n(u.promptTokens)} prompt tokens cached`);
  }
  if (u.promptMs !== undefined) parts.push(`prompts read in ${s(u.promptMs)}`);
  if (u.generationMs !== undefined) parts.push(`answers written in ${s(u.generationMs)}`);
  return `; server: ${parts.join(", ")}; estimated ${n(u.estimatedPromptTokens)} prompt tokens`;
}

/** Sums of what the server reported; a field is absent when no call reported it. */
function serverTotals(calls: LlmCallRecord[]): Pick<LlmUsage, "cachedPromptTokens" | "promptMs" | "generationMs"> {
  const sum = (key: "cachedPromptTokens" | "promptMs" | "generationMs") =>
    calls.some((c) => c[key] !== undefined) ? calls.reduce((s, c) => s + (c[key] ?? 0), 0) : undefined;
  const out: Pick<LlmUsage, "cachedPromptTokens" | "promptMs" | "generationMs"> = {};
  const cached = sum("cachedPromptTokens");
  const promptMs = sum("promptMs");
  const generationMs = sum("generationMs");
  if (cached !== undefined) out.cachedPromptTokens = cached;
  if (promptMs !== undefined) out.promptMs = promptMs;
  if (generationMs !== undefined) out.generationMs = generationMs;
  return out;
}
