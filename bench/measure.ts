/**
 * Runs one scenario through the real pipeline, in-process: a real git repository in a temp dir,
 * real pytest, the smart stand-in over the real Ollama wire format, `dryRun: false` (the fix is
 * committed on a local branch; no GitHub). Returns what the benchmark reports about it.
 */
import type { Scenario } from "./corpus/types.ts";
import { createSmartModel, type ModelRequestLog } from "./smart_model.ts";
import { buildNaiveContext } from "./naive_context.ts";
import { buildTestContext } from "../src/context/mod.ts";
import { loadConfig } from "../src/config/load.ts";
import { createLlmClient } from "../src/llm/mod.ts";
import { runTestSentry } from "../src/sentries/testsentry/pipeline.ts";
import { runDocSentry } from "../src/sentries/docsentry/pipeline.ts";
import type { StepTiming } from "../src/sentries/testsentry/report.ts";
import { createPyRepo, type PyRepo } from "../tests/support/pyrepo.ts";
import { startStandIn } from "../tests/support/standin_llm.ts";

export type Mode = "smart" | "naive";

export interface RunMetrics {
  outcome: string;
  attempts: number;
  modelCalls: number;
  /** Estimated prompt tokens, summed over calls. */
  promptTokens: number;
  /** The largest single request, in estimated prompt tokens. */
  maxCallTokens: number;
  /** Estimated tokens of the context section the pipeline built (tests only). */
  contextTokens?: number;
  wallMs: number;
  pytestMs: number;
  modelMs: number;
  overheadMs: number;
  requests: ModelRequestLog[];
  message: string;
  changedFiles: string[];
  /** The pipeline's own step timings. */
  timings: StepTiming[];
  /** The verification scope (tests) when a fix was verified. */
  verifyScope?: string;
}

export interface ScenarioResult extends RunMetrics {
  id: string;
  title: string;
  kind: "tests" | "docs";
  mode: Mode;
  expected: string;
  passed: boolean;
  error?: string;
}

const PYTEST_STEPS = new Set(["discover", "verify"]);
const MODEL_STEPS = new Set(["plan", "patch"]);

/** Splits step timings into pytest, model and everything else (the tool's own overhead). */
export function splitTime(
  timings: StepTiming[],
  totalMs: number,
): Pick<RunMetrics, "pytestMs" | "modelMs" | "overheadMs"> {
  const sum = (keep: Set<string>) => timings.filter((t) => keep.has(t.step)).reduce((s, t) => s + t.ms, 0);
  const pytestMs = sum(PYTEST_STEPS);
  const modelMs = sum(MODEL_STEPS);
  return { pytestMs, modelMs, overheadMs: Math.max(0, totalMs - pytestMs - modelMs) };
}

export async function buildRepo(scenario: Scenario): Promise<PyRepo> {
  const repo = await createPyRepo({ files: scenario.files, commits: scenario.commits });
  if (scenario.kind === "docs") {
    await repo.git("checkout", "-q", "-b", "feature");
    for (const commit of scenario.branchCommits) await repo.commit(commit);
  }
  return repo;
}

/** Runs the scenario once in `mode` against a fresh repository. */
export async function runScenario(scenario: Scenario, mode: Mode): Promise<ScenarioResult> {
  const base = { id: scenario.id, title: scenario.title, kind: scenario.kind, mode, expected: scenario.expected };
  const repo = await buildRepo(scenario);
  const model = createSmartModel(scenario.model);
  // A zero-latency model: the whole reply in one streamed piece.
  const standIn = await startStandIn({ reply: (req) => ({ content: model.reply(req), chunkSize: 1 << 20 }) });
  try {
    const metrics = await runPipeline(scenario, mode, repo.dir, standIn.url);
    metrics.requests = model.log;
    return { ...base, ...metrics, passed: metrics.outcome === scenario.expected };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    return { ...base, ...emptyMetrics(message), requests: model.log, passed: false, error: message };
  } finally {
    await standIn.close();
    await repo.cleanup();
  }
}

/** The settings a user would have, minus their environment: only the stand-in's address. */
export function benchEnv(llmBase: string): (name: string) => string | undefined {
  const env: Record<string, string> = { LLM_BASE: llmBase, LLM_API: "ollama" };
  return (name) => env[name];
}

export async function runPipeline(
  scenario: Scenario,
  mode: Mode,
  dir: string,
  llmBase: string,
  pytestArgs: string[] = [],
  /** `--junit-xml`: the CI's own report, so the run does not run the suite itself. */
  junitXml?: string,
): Promise<RunMetrics> {
  const config = {
    ...await loadConfig({ repoPath: dir, env: benchEnv(llmBase) }),
    ...(pytestArgs.length ? { pytestArgs } : {}),
  };
  const llm = createLlmClient({ baseUrl: llmBase, retries: 0 });
  if (scenario.kind === "tests") {
    let contextTokens: number | undefined;
    const build = mode === "naive" ? buildNaiveContext : buildTestContext;
    const report = await runTestSentry({
      config,
      dryRun: false,
      llm,
      junitXml,
      strategy: {
        verifyScope: mode === "naive" ? "full" : "auto",
        buildContext: async (...args) => {
          const context = await build(...args);
          contextTokens = context.estimatedTokens;
          return context;
        },
      },
    });
    return {
      ...common(report, llm.calls),
      contextTokens,
      attempts: report.attempts.length,
      verifyScope: report.verification?.scope,
    };
  }
  const report = await runDocSentry({ config, dryRun: false, llm, base: "main", eventPath: undefined });
  return { ...common(report, llm.calls), attempts: report.attempts.length };
}

function common(
  report: { outcome: string; message: string; timings: StepTiming[]; totalMs: number; changedFiles: string[] },
  calls: Array<{ estimatedPromptTokens: number }>,
): Omit<RunMetrics, "attempts"> {
  return {
    outcome: report.outcome,
    modelCalls: calls.length,
    promptTokens: calls.reduce((s, c) => s + c.estimatedPromptTokens, 0),
    maxCallTokens: calls.reduce((m, c) => Math.max(m, c.estimatedPromptTokens), 0),
    wallMs: report.totalMs,
    ...splitTime(report.timings, report.totalMs),
    timings: report.timings,
    requests: [],
    message: report.message,
    changedFiles: report.changedFiles,
  };
}

function emptyMetrics(message: string): RunMetrics {
  return {
    outcome: "error",
    attempts: 0,
    modelCalls: 0,
    promptTokens: 0,
    maxCallTokens: 0,
    wallMs: 0,
    pytestMs: 0,
    modelMs: 0,
    overheadMs: 0,
    timings: [],
    requests: [],
    message,
    changedFiles: [],
  };
}
