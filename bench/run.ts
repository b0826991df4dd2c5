/**
 * `deno task bench`: regenerates the scenario corpus, runs every scenario through the real
 * pipelines in-process (shipped, then the test scenarios again with the naive baseline),
 * times the large repository against bare pytest, writes bench/results/ (results.md,
 * results.json, chart.png) and ends with `N passed, N failed` for the scenarios.
 *
 *   deno task bench [--only PREFIX[,PREFIX…]] [--no-naive] [--no-large] [--repeats N] [--out DIR]
 *   deno task bench --llm-base URL --model-plan M --model-patch M [--llm-api ollama|openai] [--only …] [--out DIR]
 *
 * With --only, nothing is written unless --out is given. With --llm-base the scenarios run against that
 * real model server instead of the smart stand-in (no naive baseline, no large repository; nothing is
 * written unless --out is given) and the run ends with the fix rate, the model calls, the server's own
 * token counts and the time; it fails (exit 1) only when a scenario ends in an error rather than one of
 * the product's outcomes, since a weak model is no bug. LLM_API_KEY and SENTRIES_LLM_TIMEOUT are taken
 * from the environment.
 */
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { buildCorpus, writeCorpus } from "./generate.ts";
import { type Mode, type ModelServer, runScenario, type ScenarioResult } from "./measure.ts";
import { measureOverhead } from "./overhead.ts";
import {
  type BenchResults,
  type Machine,
  renderMarkdown,
  renderServerMarkdown,
  serverSummaryLines,
  summaryLine,
  TOKEN_BUDGET,
  totalsOf,
} from "./report.ts";
import type { Scenario } from "./corpus/types.ts";
import { detectApi } from "../src/llm/mod.ts";
import { chartPng } from "./chart.ts";
import { log } from "../src/log.ts";

const HERE = fileURLToPath(new URL(".", import.meta.url));

async function version(program: string, args: string[]): Promise<string> {
  try {
    const out = await new Deno.Command(program, { args, stdout: "piped", stderr: "piped" }).output();
    const text = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
    return text.trim().split("\n")[0].replace(/^(Python|pytest)\s+/, "");
  } catch {
    return "unknown";
  }
}

async function machine(): Promise<Machine> {
  return {
    cpus: navigator.hardwareConcurrency,
    os: `${Deno.build.os} ${Deno.osRelease()}`,
    deno: Deno.version.deno,
    python: await version("python3", ["--version"]),
    pytest: await version("python3", ["-m", "pytest", "--version"]),
  };
}

function progress(r: ScenarioResult, server = false): string {
  const tag = r.passed ? "ok  " : server ? "    " : "FAIL";
  return `${tag} ${(server ? "server" : r.mode).padEnd(5)} ${r.id.padEnd(30)} ${r.outcome.padEnd(12)} ${
    String(r.modelCalls).padStart(2)
  } calls ` +
    `${String(r.maxCallTokens).padStart(6)} max tokens ${(r.wallMs / 1000).toFixed(1).padStart(5)} s` +
    (r.server
      ? ` server: ${r.server.promptTokens} prompt (${r.server.cachedPromptTokens} cached), ` +
        `${r.server.completionTokens} generated`
      : "") +
    (r.passed ? "" : `  (expected ${r.expected}: ${(r.error ?? r.message).split("\n")[0].slice(0, 160)})`);
}

/** `--only t01,d02`: the scenarios whose id starts with one of the prefixes. */
export function selectScenarios<T extends Pick<Scenario, "id">>(corpus: T[], only: string | undefined): T[] {
  const prefixes = (only ?? "").split(",").map((p) => p.trim()).filter((p) => p !== "");
  return prefixes.length ? corpus.filter((s) => prefixes.some((p) => s.id.startsWith(p))) : corpus;
}

/** The model server of `--llm-base`, or undefined; a usage error (exit 2) for an incomplete set of flags. */
export function serverFromFlags(
  values: { "llm-base"?: string; "llm-api"?: string; "model-plan"?: string; "model-patch"?: string },
  env: (name: string) => string | undefined,
): ModelServer | undefined {
  const base = values["llm-base"];
  if (base === undefined) {
    if (values["model-plan"] || values["model-patch"] || values["llm-api"]) {
      throw new UsageError("--model-plan, --model-patch and --llm-api need --llm-base URL (the model server)");
    }
    return undefined;
  }
  if (!/^https?:\/\/[^/]/.test(base)) throw new UsageError(`--llm-base must be an http(s) URL, not ${base}`);
  const modelPlan = values["model-plan"];
  const modelPatch = values["model-patch"];
  if (!modelPlan || !modelPatch) {
    throw new UsageError("--llm-base needs --model-plan M and --model-patch M (models the server has)");
  }
  const api = values["llm-api"];
  if (api !== undefined && api !== "ollama" && api !== "openai" && api !== "auto") {
    throw new UsageError(`--llm-api must be ollama, openai or auto, not ${api}`);
  }
  return {
    llmBase: base,
    llmApi: api,
    modelPlan,
    modelPatch,
    apiKey: env("LLM_API_KEY"),
    timeoutSec: env("SENTRIES_LLM_TIMEOUT"),
  };
}

class UsageError extends Error {}

async function againstServer(server: ModelServer, only: string | undefined, out: string | undefined): Promise<number> {
  const started = performance.now();
  // The corpus as generated, without rewriting bench/scenarios/.
  const corpus = selectScenarios(buildCorpus(), only);
  const api = server.llmApi && server.llmApi !== "auto" ? server.llmApi : detectApi(server.llmBase);
  console.log(
    `${corpus.length} scenarios against ${server.llmBase} (${api}), planner ${server.modelPlan}, ` +
      `patcher ${server.modelPatch}:`,
  );
  const scenarios: ScenarioResult[] = [];
  for (const scenario of corpus) {
    scenarios.push(await runScenario(scenario, "smart", server));
    console.log(progress(scenarios[scenarios.length - 1], true));
  }
  const results: BenchResults = {
    date: new Date().toISOString().slice(0, 10),
    machine: await machine(),
    server: { llmBase: server.llmBase, api, modelPlan: server.modelPlan, modelPatch: server.modelPatch },
    scenarios,
    naive: [],
    wallSeconds: Math.round((performance.now() - started) / 1000),
  };
  if (out) {
    await Deno.mkdir(out, { recursive: true });
    await Deno.writeTextFile(join(out, "results.json"), JSON.stringify(results, null, 2) + "\n");
    await Deno.writeTextFile(join(out, "results.md"), renderServerMarkdown(results));
    console.log(`wrote ${join(out, "results.md")} and results.json`);
  }
  for (const line of serverSummaryLines(scenarios)) console.log(line);
  return scenarios.some((r) => r.error !== undefined) ? 1 : 0;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      only: { type: "string" },
      "no-naive": { type: "boolean", default: false },
      "no-large": { type: "boolean", default: false },
      repeats: { type: "string", default: "3" },
      out: { type: "string" },
      "llm-base": { type: "string" },
      "llm-api": { type: "string" },
      "model-plan": { type: "string" },
      "model-patch": { type: "string" },
    },
  });
  let server: ModelServer | undefined;
  try {
    server = serverFromFlags(values, (name) => Deno.env.get(name));
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    console.error(`error: ${err.message}`);
    return 2;
  }
  const started = performance.now();
  log.level = "warn";
  // The bench must not read the caller's GitHub context or append to its job summary.
  for (const name of ["GITHUB_EVENT_PATH", "GITHUB_STEP_SUMMARY"]) Deno.env.delete(name);
  if (server) return await againstServer(server, values.only, values.out);

  const corpus = selectScenarios(await writeCorpus(join(HERE, "scenarios")), values.only);
  console.log(`${corpus.length} scenarios (bench/scenarios/), shipped pipeline:`);
  const scenarios: ScenarioResult[] = [];
  for (const scenario of corpus) {
    scenarios.push(await runScenario(scenario, "smart"));
    console.log(progress(scenarios[scenarios.length - 1]));
  }
  const naive: ScenarioResult[] = [];
  if (!values["no-naive"]) {
    console.log("test scenarios again with the naive baseline (whole files, full-suite re-runs):");
    for (const scenario of corpus.filter((s) => s.kind === "tests")) {
      naive.push(await runScenario(scenario, "naive" satisfies Mode));
      console.log(progress(naive[naive.length - 1]));
    }
  }
  let overhead;
  if (!values["no-large"] && !values.only) {
    console.log("large repository: sentries tests vs bare pytest -q …");
    overhead = await measureOverhead({
      repeats: Number(values.repeats),
      withNaive: !values["no-naive"],
      withCli: true,
    });
    for (const e of overhead.environments) {
      console.log(
        `  ${e.name}: ratio ${e.ratio.toFixed(2)} in-process, ${e.cliRatio?.toFixed(2)} via the CLI` +
          (e.naiveRatio !== undefined ? `, naive ${e.naiveRatio.toFixed(2)}` : "") +
          (e.junit
            ? `; with the CI's JUnit report: everything but the model ${e.junit.ratio.toFixed(2)}× (goal ≤ 0.3)`
            : ""),
      );
    }
  }

  const results: BenchResults = {
    date: new Date().toISOString().slice(0, 10),
    machine: await machine(),
    scenarios,
    naive,
    overhead,
    wallSeconds: Math.round((performance.now() - started) / 1000),
  };
  const out = values.out ?? (values.only ? undefined : join(HERE, "results"));
  if (out) {
    await Deno.mkdir(out, { recursive: true });
    await Deno.writeTextFile(join(out, "results.json"), JSON.stringify(results, null, 2) + "\n");
    await Deno.writeTextFile(join(out, "results.md"), renderMarkdown(results));
    await Deno.writeFile(join(out, "chart.png"), await chartPng(scenarios, naive));
    console.log(`wrote ${join(out, "results.md")}, results.json and chart.png`);
  }
  const totals = totalsOf(scenarios);
  console.log(
    totals.overBudget.length
      ? `token budget (${TOKEN_BUDGET}/call) broken by: ${
        totals.overBudget.map((o) => `${o.id} (${o.tokens})`).join(", ")
      }`
      : `token budget: every call within ${TOKEN_BUDGET} estimated tokens (largest ${totals.maxCallTokens})`,
  );
  console.log(`total ${(results.wallSeconds / 60).toFixed(1)} min`);
  console.log(summaryLine(scenarios));
  return totals.failed > 0 || totals.overBudget.length > 0 ? 1 : 0;
}

if (import.meta.main) Deno.exit(await main());
