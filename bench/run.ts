/**
 * `deno task bench`: regenerates the scenario corpus, runs every scenario through the real
 * pipelines in-process (shipped, then the test scenarios again with the naive baseline),
 * times the large repository against bare pytest, writes bench/results/ (results.md,
 * results.json, chart.png) and ends with `N passed, N failed` for the scenarios.
 *
 *   deno task bench [--only PREFIX] [--no-naive] [--no-large] [--repeats N] [--out DIR]
 *
 * With --only, nothing is written unless --out is given.
 */
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { writeCorpus } from "./generate.ts";
import { type Mode, runScenario, type ScenarioResult } from "./measure.ts";
import { measureOverhead } from "./overhead.ts";
import { type BenchResults, type Machine, renderMarkdown, summaryLine, TOKEN_BUDGET, totalsOf } from "./report.ts";
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

function progress(r: ScenarioResult): string {
  const tag = r.passed ? "ok  " : "FAIL";
  return `${tag} ${r.mode.padEnd(5)} ${r.id.padEnd(30)} ${r.outcome.padEnd(12)} ${
    String(r.modelCalls).padStart(2)
  } calls ` +
    `${String(r.maxCallTokens).padStart(6)} max tokens ${(r.wallMs / 1000).toFixed(1).padStart(5)} s` +
    (r.passed ? "" : `  (expected ${r.expected}: ${(r.error ?? r.message).split("\n")[0].slice(0, 160)})`);
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
    },
  });
  const started = performance.now();
  log.level = "warn";
  // The bench must not read the caller's GitHub context or append to its job summary.
  for (const name of ["GITHUB_EVENT_PATH", "GITHUB_STEP_SUMMARY"]) Deno.env.delete(name);

  const corpus = (await writeCorpus(join(HERE, "scenarios"))).filter((s) =>
    !values.only || s.id.startsWith(values.only)
  );
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
