/**
 * Runs one scenario through the real pipeline, in-process: a real git repository in a temp dir,
 * real pytest, the smart stand-in over the real Ollama wire format — or a real model server
 * (`--llm-base`) — `dryRun: false` (the fix is committed on a local branch; no GitHub). Returns what
 * the benchmark reports about it, with the server's own token counts and timings when it gives them.
 */
import type { Scenario } from "./corpus/types.ts";
import { createSmartModel, type ModelRequestLog } from "./smart_model.ts";
import { buildNaiveContext } from "./naive_context.ts";
import { buildTestContext } from "../src/context/mod.ts";
import { loadConfig } from "../src/config/load.ts";
import { createLlmClient, type LlmCallRecord } from "../src/llm/mod.ts";
import { llmClientFor } from "../src/llm/for_config.ts";
import { runTestSentry } from "../src/sentries/testsentry/pipeline.ts";
import { runDocSentry } from "../src/sentries/docsentry/pipeline.ts";
import type { StepTiming } from "../src/sentries/testsentry/report.ts";
import { createPyRepo, type PyRepo } from "../tests/support/pyrepo.ts";
import { startStandIn } from "../tests/support/standin_llm.ts";

export type Mode = "smart" | "naive";

/** A real model server to run the scenarios against, instead of the smart stand-in. */
export interface ModelServer {
  llmBase: string;
  /** Default: detected from the URL (openai when it ends in /v1). */
  llmApi?: "ollama" | "openai" | "auto";
  modelPlan: string;
  modelPatch: string;
  /** LLM_API_KEY, for a server that needs one. */
  apiKey?: string;
  /** SENTRIES_LLM_TIMEOUT, in seconds. */
  timeoutSec?: string;
}

/** What the server itself reported, summed over a run's calls; absent where it reported nothing. */
export interface ServerFigures {
  /** Calls the server gave counts for. */
  calls: number;
  promptTokens: number;
  cachedPromptTokens: number;
  completionTokens: number;
  promptMs: number;
  generationMs: number;
}

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
  /** The server's own counts and timings (real servers, and the stand-in's figures). */
  server?: ServerFigures;
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

/**
 * Deletes the local fix branches earlier runs committed: runs repeated on one repository (the large-repo
 * measurements) must each make a fix, not find the previous run's branch as a duplicate of it.
 */
export async function dropFixBranches(dir: string): Promise<void> {
  const git = (args: string[]) => new Deno.Command("git", { args, cwd: dir, stdout: "piped", stderr: "null" }).output();
  const listed = await git(["for-each-ref", "--format=%(refname:short)", "refs/heads/ai-test-fixes/"]);
  const branches = new TextDecoder().decode(listed.stdout).split("\n").filter((b) => b !== "");
  if (branches.length > 0) await git(["branch", "-q", "-D", ...branches]);
}

export async function buildRepo(scenario: Scenario): Promise<PyRepo> {
  const repo = await createPyRepo({ files: scenario.files, commits: scenario.commits });
  if (scenario.kind === "docs") {
    await repo.git("checkout", "-q", "-b", "feature");
    for (const commit of scenario.branchCommits) await repo.commit(commit);
  }
  return repo;
}

/** Runs the scenario once in `mode` against a fresh repository: with the smart stand-in, or `server`. */
export async function runScenario(scenario: Scenario, mode: Mode, server?: ModelServer): Promise<ScenarioResult> {
  const base = { id: scenario.id, title: scenario.title, kind: scenario.kind, mode, expected: scenario.expected };
  const repo = await buildRepo(scenario);
  if (server) {
    try {
      const metrics = await runPipeline(scenario, mode, repo.dir, server);
      return { ...base, ...metrics, passed: metrics.outcome === scenario.expected };
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      return { ...base, ...emptyMetrics(message), passed: false, error: message };
    } finally {
      await repo.cleanup();
    }
  }
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

/**
 * The settings a user would have, minus their environment: only the stand-in's address, or the real
 * server's address, API, models (and key and timeout when given).
 */
export function benchEnv(target: string | ModelServer): (name: string) => string | undefined {
  const env: Record<string, string> = typeof target === "string" ? { LLM_BASE: target, LLM_API: "ollama" } : {
    LLM_BASE: target.llmBase,
    LLM_API: target.llmApi ?? "auto",
    MODEL_PLAN: target.modelPlan,
    MODEL_PATCH: target.modelPatch,
    ...(target.apiKey ? { LLM_API_KEY: target.apiKey } : {}),
    ...(target.timeoutSec ? { SENTRIES_LLM_TIMEOUT: target.timeoutSec } : {}),
  };
  // Where the worktrees go is the machine's business: an A/B of `worktree_dir` sets it for the bench.
  const worktreeDir = Deno.env.get("SENTRIES_WORKTREE_DIR");
  if (worktreeDir) env.SENTRIES_WORKTREE_DIR = worktreeDir;
  return (name) => env[name];
}

export async function runPipeline(
  scenario: Scenario,
  mode: Mode,
  dir: string,
  target: string | ModelServer,
  pytestArgs: string[] = [],
  /** `--junit-xml`: the CI's own report, so the run does not run the suite itself. */
  junitXml?: string,
): Promise<RunMetrics> {
  const config = {
    ...await loadConfig({ repoPath: dir, env: benchEnv(target) }),
    ...(pytestArgs.length ? { pytestArgs } : {}),
  };
  // A real server gets the client a user's run would make (timeouts, key, retries on 503).
  const llm = typeof target === "string" ? createLlmClient({ baseUrl: target, retries: 0 }) : llmClientFor(config);
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

/** The server's own figures summed over the calls it reported them for; undefined when it reported none. */
export function serverFigures(calls: readonly LlmCallRecord[]): ServerFigures | undefined {
  const reported = calls.filter((c) => c.promptTokens !== undefined || c.completionTokens !== undefined);
  if (reported.length === 0) return undefined;
  const sum = (f: (c: LlmCallRecord) => number | undefined) => reported.reduce((s, c) => s + (f(c) ?? 0), 0);
  return {
    calls: reported.length,
    promptTokens: sum((c) => c.promptTokens),
    cachedPromptTokens: sum((c) => c.cachedPromptTokens),
    completionTokens: sum((c) => c.completionTokens),
    promptMs: Math.round(sum((c) => c.promptMs)),
    generationMs: Math.round(sum((c) => c.generationMs)),
  };
}

function common(
  report: { outcome: string; message: string; timings: StepTiming[]; totalMs: number; changedFiles: string[] },
  calls: readonly LlmCallRecord[],
): Omit<RunMetrics, "attempts"> {
  const server = serverFigures(calls);
  return {
    ...(server ? { server } : {}),
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
