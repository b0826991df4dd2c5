/**
 * Bookkeeping every sentry run shares: step timings, progress lines, the
 * interrupt check, and the model usage summed from the LLM client's records.
 */
import { type DeliveryPlan, describeDeliveryPlan } from "../delivery/plan.ts";
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

  /** The end-of-run accounting both reports carry: model calls summed from the client, step times, total. */
  usage(llm: LlmClient | undefined): RunUsage {
    return { llm: llmUsage(llm), timings: this.timings, totalMs: this.totalMs() };
  }
}

/** What a run cost: its model calls, the time of each step, and the whole run's time. */
export interface RunUsage {
  llm: LlmUsage;
  timings: StepTiming[];
  totalMs: number;
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

/** What both builders take from a patch: its diff, the files it changes and its size. */
export interface PatchFacts {
  diff: string;
  changes: ReadonlyArray<{ path: string }>;
  linesAdded: number;
  linesRemoved: number;
}

/** The report fields of the attempts and the accepted patch (none: no change), the same for both sentries. */
export function patchSummary(
  attempts: AttemptReport[] | undefined,
  patch: PatchFacts | undefined,
): Pick<RunSummary, "attempts" | "diff" | "changedFiles" | "linesAdded" | "linesRemoved"> {
  return {
    attempts: attempts ?? [],
    diff: patch?.diff,
    changedFiles: patch ? patch.changes.map((c) => c.path) : [],
    linesAdded: patch?.linesAdded ?? 0,
    linesRemoved: patch?.linesRemoved ?? 0,
  };
}

/** A report without its undefined fields: the same JSON, and deepEqual in tests, as one filled field by field. */
export function withoutUndefined<T extends object>(value: T): T {
  for (const key of Object.keys(value) as Array<keyof T>) if (value[key] === undefined) delete value[key];
  return value;
}

export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** The job summary's last lines, the same for both sentries: where the change went, and what the run cost. */
export function jobSummaryTail(r: RunSummary & { pullRequest?: { url: string } }): string[] {
  const lines: string[] = [];
  if (r.pullRequest) lines.push(`Pull request: ${r.pullRequest.url}`, "");
  else if (r.branch) lines.push(`Branch: \`${r.branch}\``, "");
  lines.push(`Model calls: ${r.llm.calls}${serverUsageSuffix(r.llm)}; total time ${seconds(r.totalMs)}.`);
  return lines;
}

/** The human report's delivery lines, the same for both sentries: the plan a dry run would carry out, the branch. */
export function deliveryLines(r: RunSummary): string[] {
  const out = r.dryRun && r.deliveryPlan ? describeDeliveryPlan(r.deliveryPlan).map((l) => `  delivery: ${l}`) : [];
  if (r.branch) out.push(`  branch: ${r.branch}${r.commit ? ` (${r.commit.slice(0, 7)})` : ""}`);
  return out;
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
/** The report's last line, the same for both sentries: model calls and tokens, the server's figures, step times. */
export function modelLine(r: Pick<RunSummary, "llm" | "timings" | "totalMs">): string {
  const steps = r.timings.map((t) => `${t.step} ${seconds(t.ms)}`).join(", ");
  return `  model: ${r.llm.calls} calls, ${r.llm.promptTokens || r.llm.estimatedPromptTokens} prompt tokens, ` +
    `${r.llm.completionTokens} completion tokens${serverUsageSuffix(r.llm)}; ` +
    `${steps ? `time: ${steps}; ` : ""}total ${seconds(r.totalMs)}`;
}

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
