/**
 * Only the `--junit-xml` overhead measurement of `deno task bench` (issue 14.2's target), step by step:
 * the large repository, the CI's own `pytest -q --junitxml` run once (not counted), then per repeat one
 * bare `pytest -q` (cold), one plain pytest start (nothing collected), the report's failures alone in a plain
 * pytest, and one `sentries tests --junit-xml` in-process with the stand-in model, taken in turns so all see
 * the same machine load. Prints, and writes to bench/results/junit_overhead.md, the medians and ranges of
 * everything but the model against bare pytest, what the two plain runs cost against it (what any way of
 * confirming the report's failures pays), and where the time goes per step.
 *
 *   deno task bench:junit [--repeats N] [--plugins-off] [--against-worktree-dir VALUE] [--out DIR]
 *
 * `--against-worktree-dir temp` (or a folder) interleaves: every second run sets `SENTRIES_WORKTREE_DIR` to
 * VALUE, the others keep the default (`auto`), and both are reported side by side.
 */
import { parseArgs } from "node:util";
import { join } from "node:path";
import { buildRepo, dropFixBranches, runPipeline } from "./measure.ts";
import { largeScenario } from "./large_repo.ts";
import { barePytest, exactMedian, median, NO_PLUGINS, timedPytest } from "./overhead.ts";
import { createSmartModel } from "./smart_model.ts";
import { startStandIn } from "../tests/support/standin_llm.ts";
import { log } from "../src/log.ts";
import { parseJunitCases } from "../src/pytest/junit.ts";

const STEPS = ["isolate", "discover", "context", "plan", "patch", "guard", "apply", "verify", "prove", "deliver"];

interface Run {
  /** `worktree_dir` for this run: "default", or the A/B value. */
  worktreeDir: string;
  bareMs: number;
  /** One pytest start, nothing collected (`pytest -q --co` of an empty folder): what any run of pytest pays. */
  startMs: number;
  /** The report's failures alone, in a plain pytest (its own start): the least that confirms them. */
  failuresMs: number;
  nonModelMs: number;
  modelMs: number;
  steps: Record<string, number>;
  load: number;
}

async function loadAverage(): Promise<number> {
  return Number((await Deno.readTextFile("/proc/loadavg").catch(() => "0")).split(" ")[0]);
}

async function cpuModel(): Promise<string> {
  const info = await Deno.readTextFile("/proc/cpuinfo").catch(() => "");
  return /^model name\s*:\s*(.+)$/m.exec(info)?.[1].trim() ?? "unknown";
}

async function versionOf(args: string[]): Promise<string> {
  const out = await new Deno.Command("python3", { args, stdout: "piped", stderr: "piped" }).output();
  return new TextDecoder().decode(out.stdout).trim() || new TextDecoder().decode(out.stderr).trim();
}

async function measure(repeats: number, pytestArgs: string[], against?: string): Promise<Run[]> {
  const scenario = largeScenario();
  const repo = await buildRepo(scenario);
  const reportDir = await Deno.makeTempDir({ prefix: "sentries-bench-junit-" });
  const report = join(reportDir, "junit.xml");
  const runs: Run[] = [];
  try {
    await barePytest(repo.dir, pytestArgs, report); // the CI's own test step: not counted
    const failing = parseJunitCases(await Deno.readTextFile(report)).filter((c) => c.outcome !== "passed")
      .map((c) => c.nodeId);
    const emptyDir = join(reportDir, "empty");
    await Deno.mkdir(emptyDir);
    for (let i = 0; i < repeats; i++) {
      const worktreeDir = against && i % 2 === 1 ? against : "default";
      if (worktreeDir === "default") Deno.env.delete("SENTRIES_WORKTREE_DIR");
      else Deno.env.set("SENTRIES_WORKTREE_DIR", worktreeDir); // read by benchEnv (measure.ts)
      const bareMs = await barePytest(repo.dir, pytestArgs);
      const startMs = (await timedPytest(emptyDir, [...pytestArgs, "--co", emptyDir])).ms;
      const failuresMs = (await timedPytest(repo.dir, [...pytestArgs, ...failing])).ms;
      const model = createSmartModel(scenario.model);
      const standIn = await startStandIn({ reply: (req) => ({ content: model.reply(req), chunkSize: 1 << 20 }) });
      try {
        const run = await runPipeline(scenario, "smart", repo.dir, standIn.url, pytestArgs, report);
        if (run.outcome !== "fixed") throw new Error(`expected a fix, got ${run.outcome}: ${run.message}`);
        const steps: Record<string, number> = {};
        for (const t of run.timings) steps[t.step] = t.ms;
        steps.other = run.wallMs - run.timings.reduce((sum, t) => sum + t.ms, 0);
        runs.push({
          worktreeDir,
          bareMs,
          startMs,
          failuresMs,
          nonModelMs: run.wallMs - run.modelMs,
          modelMs: run.modelMs,
          steps,
          load: 0,
        });
      } finally {
        await standIn.close();
        await dropFixBranches(repo.dir);
      }
      runs[runs.length - 1].load = await loadAverage();
      const last = runs[runs.length - 1];
      console.log(
        `run ${i + 1}/${repeats}${
          against ? ` (worktree_dir ${worktreeDir})` : ""
        }: bare ${last.bareMs} ms, all but the model ${last.nonModelMs} ms ` +
          `(${(last.nonModelMs / last.bareMs).toFixed(2)}×), load ${last.load}`,
      );
    }
  } finally {
    await Deno.remove(reportDir, { recursive: true });
    await repo.cleanup();
  }
  return runs;
}

function range(values: number[]): string {
  return `${Math.min(...values)}–${Math.max(...values)}`;
}

function render(all: Run[], facts: Record<string, string>): string {
  const runs = all.filter((r) => r.worktreeDir === "default");
  const bare = median(runs.map((r) => r.bareMs));
  const nonModel = median(runs.map((r) => r.nonModelMs));
  const perRun = runs.map((r) => r.nonModelMs / r.bareMs);
  const stepRows = [...STEPS, "other"].map((step) => {
    const values = runs.map((r) => r.steps[step] ?? 0);
    return `| ${step} | ${median(values)} | ${range(values)} |`;
  });
  return [
    "# `sentries tests --junit-xml` on the large repository",
    "",
    `${facts.date}; ${facts.cpus} CPUs (${facts.cpu}), ${facts.deno}, ${facts.python}, ${facts.pytest}; ` +
    `${facts.env}; load average ${range(all.map((r) => r.load))} during the runs; ${runs.length} runs` +
    (all.length > runs.length ? ` with the default \`worktree_dir\` (${all.length} in all).` : "."),
    "",
    "| | median ms | range ms |",
    "|---|--:|--:|",
    `| bare \`pytest -q\` (cold) | ${bare} | ${range(runs.map((r) => r.bareMs))} |`,
    `| everything but the model | ${nonModel} | ${range(runs.map((r) => r.nonModelMs))} |`,
    `| **ratio** (goal ≤ 0.3) | **${(nonModel / bare).toFixed(2)}** | per run ${Math.min(...perRun).toFixed(2)}–${
      Math.max(...perRun).toFixed(2)
    } |`,
    "",
    "What any way of confirming the report's failures pays, timed in the same turns (plain pytest, as the bare run",
    "starts it):",
    "",
    "| | median ms | range ms | ÷ bare (median of runs) |",
    "|---|--:|--:|--:|",
    floorRow("one pytest start (`--co` of an empty folder)", runs.map((r) => [r.startMs, r.bareMs])),
    floorRow("the report's failures alone (`pytest -q ID…`)", runs.map((r) => [r.failuresMs, r.bareMs])),
    "",
    "Where it goes (the pipeline's own step timings; `other`: resolving the target, removing the worktree,",
    "ending the fork server and the guards' Python process, the report):",
    "",
    "| step | median ms | range ms |",
    "|---|--:|--:|",
    ...stepRows,
    "",
    ...abRows(all),
  ].join("\n");
}

function floorRow(label: string, pairs: [number, number][]): string {
  const values = pairs.map(([ms]) => ms);
  const ratio = exactMedian(pairs.map(([ms, bare]) => ms / bare));
  return `| ${label} | ${median(values)} | ${range(values)} | ${ratio.toFixed(2)} |`;
}

/** With --against-worktree-dir: the interleaved runs of each `worktree_dir`, side by side. */
function abRows(all: Run[]): string[] {
  const values = [...new Set(all.map((r) => r.worktreeDir))];
  if (values.length < 2) return [];
  return [
    "Interleaved, run by run (`--against-worktree-dir`):",
    "",
    "| `worktree_dir` | runs | bare median ms | all but the model, median ms | ratio | isolate ms | discover ms |",
    "|---|--:|--:|--:|--:|--:|--:|",
    ...values.map((value) => {
      const runs = all.filter((r) => r.worktreeDir === value);
      const bare = median(runs.map((r) => r.bareMs));
      const nonModel = median(runs.map((r) => r.nonModelMs));
      const step = (name: string) => median(runs.map((r) => r.steps[name] ?? 0));
      return `| ${value === "default" ? "default (auto)" : value} | ${runs.length} | ${bare} | ${nonModel} | ${
        (nonModel / bare).toFixed(2)
      } | ${step("isolate")} | ${step("discover")} |`;
    }),
    "",
  ];
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      repeats: { type: "string", default: "7" },
      "plugins-off": { type: "boolean", default: false },
      "against-worktree-dir": { type: "string" },
      out: { type: "string", default: join(new URL(".", import.meta.url).pathname, "results") },
    },
  });
  log.level = "warn";
  for (const name of ["GITHUB_EVENT_PATH", "GITHUB_STEP_SUMMARY"]) Deno.env.delete(name);
  const pytestArgs = values["plugins-off"] ? NO_PLUGINS : [];
  const against = values["against-worktree-dir"];
  const runs = await measure(Number(values.repeats), pytestArgs, against);
  const facts = {
    date: new Date().toISOString().slice(0, 16).replace("T", " ") + " UTC",
    cpus: String(navigator.hardwareConcurrency),
    cpu: await cpuModel(),
    deno: `Deno ${Deno.version.deno}`,
    python: await versionOf(["--version"]),
    pytest: await versionOf(["-m", "pytest", "--version"]),
    env: values["plugins-off"] ? "plugins off (`-p no:hypothesispytest -p no:benchmark`)" : "plugins as installed",
  };
  const text = render(runs, facts);
  console.log("\n" + text);
  await Deno.mkdir(values.out, { recursive: true });
  const name = `junit_overhead${values["plugins-off"] ? "_plugins_off" : ""}${against ? "_ab" : ""}.md`;
  const file = join(values.out, name);
  await Deno.writeTextFile(file, text);
  console.log(`wrote ${file}`);
  return 0;
}

if (import.meta.main) Deno.exit(await main());
