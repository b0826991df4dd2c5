/**
 * Times `sentries tests` on the large repository against a bare `pytest -q`, in two Python
 * environments: as installed (this machine auto-loads the hypothesis and pytest-benchmark
 * plugins, ~0.7 s per pytest start) and with those plugins off (`-p no:…` for both sides).
 * Each side runs cold: PYTHONDONTWRITEBYTECODE, as on a fresh CI checkout.
 */
import { fileURLToPath } from "node:url";
import { benchEnv, buildRepo, dropFixBranches, type RunMetrics, runPipeline } from "./measure.ts";
import { largeScenario } from "./large_repo.ts";
import { createSmartModel } from "./smart_model.ts";
import { startStandIn } from "../tests/support/standin_llm.ts";
import { sentriesTaskFlags } from "../tests/support/cli.ts";
import type { Scenario } from "./corpus/types.ts";

export interface OverheadEnvironment {
  name: string;
  /** Extra pytest arguments given to both sides. */
  pytestArgs: string[];
  bareMs: number[];
  sentriesMs: number[];
  /** The median in-process run's split. */
  sentries: RunMetrics;
  cliMs?: number;
  naive?: RunMetrics;
  /** median(sentries) ÷ median(bare). */
  ratio: number;
  cliRatio?: number;
  naiveRatio?: number;
  /**
   * `sentries tests --junit-xml` with the report of the CI's own `pytest -q --junitxml` run (that run is the
   * CI's, not counted): its runs, each after a bare `pytest -q` of its own (`bareMs`, taken in turns so both see
   * the same machine state), the median run's split, and median(wall − model) ÷ median(bare).
   */
  junit?: {
    ms: number[];
    nonModelMs: number[];
    bareMs: number[];
    sentries: RunMetrics;
    ratio: number;
    /** With the CLI: the same run through `deno run` (the task's flags), each after the same bare run; wall ms. */
    cliMs?: number[];
    /** median(cliMs) ÷ median(bareMs). */
    cliRatio?: number;
  };
}

export interface OverheadResult {
  title: string;
  tests: number;
  modules: number;
  environments: OverheadEnvironment[];
}

export const NO_PLUGINS = ["-p", "no:hypothesispytest", "-p", "no:benchmark"];

/** The median of whole milliseconds, as a whole number. */
export function median(values: number[]): number {
  return Math.round(exactMedian(values));
}

/** The median, unrounded (of ratios, say). */
export function exactMedian(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** One `python3 -m pytest -q -p no:cacheprovider ARGS` in `cwd`, cold (no bytecode written), output dropped. */
export async function timedPytest(cwd: string, args: string[]): Promise<{ ms: number; code: number }> {
  const started = performance.now();
  const out = await new Deno.Command("python3", {
    args: ["-m", "pytest", "-q", "-p", "no:cacheprovider", ...args],
    cwd,
    env: { PYTHONDONTWRITEBYTECODE: "1" },
    stdout: "null",
    stderr: "null",
  }).output();
  return { ms: Math.round(performance.now() - started), code: out.code };
}

/** One bare `pytest -q` run of the suite (which has one failing test), in ms. */
export async function barePytest(dir: string, args: string[], junitXml?: string): Promise<number> {
  const { ms, code } = await timedPytest(dir, [...(junitXml ? [`--junitxml=${junitXml}`] : []), ...args]);
  if (code !== 1) throw new Error(`bare pytest exited ${code}; expected 1 (one failing test)`);
  return ms;
}

/** One run against a fresh stand-in; afterwards its fix branch goes, so the next run is not a duplicate of it. */
async function withModel<T>(scenario: Scenario, dir: string, fn: (url: string) => Promise<T>): Promise<T> {
  const model = createSmartModel(scenario.model);
  const standIn = await startStandIn({ reply: (req) => ({ content: model.reply(req), chunkSize: 1 << 20 }) });
  try {
    return await fn(standIn.url);
  } finally {
    await standIn.close();
    await dropFixBranches(dir);
  }
}

/**
 * `sentries tests` through the real CLI (`deno task sentries` flags: the release permission set), wall time
 * including Deno's start; `junitXml`: with `--junit-xml`.
 */
async function cliRun(dir: string, llmBase: string, pytestArgs: string[], junitXml?: string): Promise<number> {
  const root = fileURLToPath(new URL("../", import.meta.url));
  const started = performance.now();
  const out = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      ...await sentriesTaskFlags(),
      "--config",
      `${root}deno.json`,
      `${root}main.ts`,
      "tests",
      "--json",
      ...(junitXml ? ["--junit-xml", junitXml] : []),
    ],
    cwd: dir,
    env: {
      ...benchEnvRecord(llmBase),
      PATH: Deno.env.get("PATH") ?? "",
      HOME: Deno.env.get("HOME") ?? "",
      NO_COLOR: "1",
      ...(pytestArgs.length ? { SENTRIES_PYTEST_ARGS: pytestArgs.join(" ") } : {}),
    },
    clearEnv: true,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const ms = Math.round(performance.now() - started);
  if (out.code !== 0) {
    throw new Error(`sentries tests (CLI) exited ${out.code}: ${new TextDecoder().decode(out.stderr)}`);
  }
  return ms;
}

function benchEnvRecord(llmBase: string): Record<string, string> {
  const get = benchEnv(llmBase);
  return Object.fromEntries(["LLM_BASE", "LLM_API"].map((k) => [k, get(k) ?? ""]));
}

export async function measureOverhead(options: { repeats: number; withNaive: boolean; withCli: boolean }) {
  const scenario = largeScenario();
  const repo = await buildRepo(scenario);
  const environments: OverheadEnvironment[] = [];
  try {
    for (const [name, pytestArgs] of [["as installed", []], ["plugins off", NO_PLUGINS]] as const) {
      const args = [...pytestArgs];
      const bareMs: number[] = [];
      const runs: RunMetrics[] = [];
      for (let i = 0; i < options.repeats; i++) {
        bareMs.push(await barePytest(repo.dir, args));
        runs.push(await withModel(scenario, repo.dir, (url) => runPipeline(scenario, "smart", repo.dir, url, args)));
      }
      for (const run of runs) {
        if (run.outcome !== "fixed") throw new Error(`large repo: expected a fix, got ${run.outcome}: ${run.message}`);
      }
      const sentriesMs = runs.map((r) => r.wallMs);
      const mid = median(sentriesMs);
      const sentries = runs.find((r) => r.wallMs === mid) ?? runs[0];
      const env: OverheadEnvironment = {
        name,
        pytestArgs: args,
        bareMs,
        sentriesMs,
        sentries,
        ratio: round2(mid / median(bareMs)),
      };
      env.junit = await measureWithReport(scenario, repo.dir, args, {
        repeats: Math.max(options.repeats, JUNIT_MIN_REPEATS),
        withCli: options.withCli,
      });
      if (options.withCli) {
        env.cliMs = await withModel(scenario, repo.dir, (url) => cliRun(repo.dir, url, args));
        env.cliRatio = round2(env.cliMs / median(bareMs));
      }
      if (options.withNaive) {
        env.naive = await withModel(scenario, repo.dir, (url) => runPipeline(scenario, "naive", repo.dir, url, args));
        env.naiveRatio = round2(env.naive.wallMs / median(bareMs));
      }
      environments.push(env);
    }
  } finally {
    await repo.cleanup();
  }
  const tests = Object.entries(scenario.files).filter(([p]) => p.startsWith("tests/"))
    .reduce((n, [, text]) => n + (text.match(/^def test_/gm)?.length ?? 0), 0);
  const modules = Object.keys(scenario.files).filter((p) => /^big\/.*mod_\d+\.py$/.test(p)).length;
  return { title: scenario.title, tests, modules, environments } satisfies OverheadResult;
}

/**
 * The `--junit-xml` runs are short (about a second) and their goal is a ratio to a bare run: at least this many,
 * each paired with a bare run, so that one slow moment of a shared machine does not decide the median.
 */
const JUNIT_MIN_REPEATS = 7;

async function measureWithReport(
  scenario: Scenario,
  dir: string,
  args: string[],
  { repeats, withCli }: { repeats: number; withCli: boolean },
): Promise<NonNullable<OverheadEnvironment["junit"]>> {
  const reportDir = await Deno.makeTempDir({ prefix: "sentries-bench-junit-" });
  const report = `${reportDir}/junit.xml`;
  try {
    await barePytest(dir, args, report); // the CI's own test step
    const runs: RunMetrics[] = [];
    const bareMs: number[] = [];
    const cliMs: number[] = [];
    for (let i = 0; i < repeats; i++) {
      bareMs.push(await barePytest(dir, args));
      const run = await withModel(scenario, dir, (url) => runPipeline(scenario, "smart", dir, url, args, report));
      if (run.outcome !== "fixed") {
        throw new Error(`large repo --junit-xml: expected a fix, got ${run.outcome}: ${run.message}`);
      }
      runs.push(run);
      // What a user's CI step takes: the release permission set, Deno's own start, the stand-in's instant model.
      if (withCli) cliMs.push(await withModel(scenario, dir, (url) => cliRun(dir, url, args, report)));
    }
    const nonModelMs = runs.map((r) => r.wallMs - r.modelMs);
    const mid = median(nonModelMs);
    return {
      ms: runs.map((r) => r.wallMs),
      nonModelMs,
      bareMs,
      sentries: runs.find((r) => r.wallMs - r.modelMs === mid) ?? runs[0],
      ratio: round2(mid / median(bareMs)),
      ...(withCli ? { cliMs, cliRatio: round2(median(cliMs) / median(bareMs)) } : {}),
    };
  } finally {
    await Deno.remove(reportDir, { recursive: true });
  }
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}
