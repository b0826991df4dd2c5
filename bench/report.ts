/** The benchmark's results as data, Markdown and a summary line. Pure: no I/O. */
import type { ScenarioResult } from "./measure.ts";
import { median, type OverheadResult } from "./overhead.ts";

export const TOKEN_BUDGET = 6000;

export interface Machine {
  cpus: number;
  os: string;
  deno: string;
  python: string;
  pytest: string;
}

/** The real model server a run went against (`--llm-base`); absent for the smart stand-in. */
export interface ServerRun {
  llmBase: string;
  api: string;
  modelPlan: string;
  modelPatch: string;
}

export interface BenchResults {
  date: string;
  machine: Machine;
  server?: ServerRun;
  /** Every scenario with the pipeline as shipped. */
  scenarios: ScenarioResult[];
  /** The test scenarios again with the naive baseline (whole files as context, full-suite re-runs). */
  naive: ScenarioResult[];
  overhead?: OverheadResult;
  wallSeconds: number;
}

export interface Totals {
  scenarios: number;
  passed: number;
  failed: number;
  shouldFix: number;
  fixed: number;
  modelCalls: number;
  promptTokens: number;
  maxCallTokens: number;
  overBudget: Array<{ id: string; tokens: number }>;
  wallMs: number;
  pytestMs: number;
  modelMs: number;
  overheadMs: number;
}

export function totalsOf(results: ScenarioResult[], budget = TOKEN_BUDGET): Totals {
  const sum = (f: (r: ScenarioResult) => number) => results.reduce((s, r) => s + f(r), 0);
  const shouldFix = results.filter((r) => r.expected === "fixed" || r.expected === "updated");
  return {
    scenarios: results.length,
    passed: results.filter((r) => r.passed).length,
    failed: results.filter((r) => !r.passed).length,
    shouldFix: shouldFix.length,
    fixed: shouldFix.filter((r) => r.outcome === r.expected).length,
    modelCalls: sum((r) => r.modelCalls),
    promptTokens: sum((r) => r.promptTokens),
    maxCallTokens: results.reduce((m, r) => Math.max(m, r.maxCallTokens), 0),
    overBudget: results.filter((r) => r.maxCallTokens > budget).map((r) => ({ id: r.id, tokens: r.maxCallTokens })),
    wallMs: sum((r) => r.wallMs),
    pytestMs: sum((r) => r.pytestMs),
    modelMs: sum((r) => r.modelMs),
    overheadMs: sum((r) => r.overheadMs),
  };
}

/** The last line `deno task bench` prints; CI counts it. */
export function summaryLine(results: ScenarioResult[]): string {
  const t = totalsOf(results);
  return `${t.passed} passed, ${t.failed} failed`;
}

const s = (ms: number) => (ms / 1000).toFixed(2);
const n = (x: number) => x.toLocaleString("en-US");
/** "32% less" / "5% more": how `value` compares with `reference`. */
export function relative(value: number, reference: number): string {
  if (!reference) return "–";
  const change = Math.round(100 * (value / reference - 1));
  return change <= 0 ? `${-change}% less` : `${change}% more`;
}

function scenarioRow(r: ScenarioResult): string {
  return `| ${r.id} | ${r.title} | ${r.expected} | ${r.outcome} | ${r.passed ? "✓" : "✗"} | ${r.attempts} | ` +
    `${r.modelCalls} | ${n(r.promptTokens)} | ${n(r.maxCallTokens)} | ${s(r.wallMs)} | ${s(r.pytestMs)} | ` +
    `${s(r.modelMs)} | ${s(r.overheadMs)} |`;
}

export function scenarioTable(results: ScenarioResult[]): string {
  const t = totalsOf(results);
  return [
    "| scenario | what | expected | outcome | ok | attempts | model calls | prompt tokens | max tokens/call | wall s | pytest s | model s | tool s |",
    "|---|---|---|---|:-:|--:|--:|--:|--:|--:|--:|--:|--:|",
    ...results.map(scenarioRow),
    `| **total** | ${t.scenarios} scenarios | | | ${t.passed}/${t.scenarios} | ` +
    `${results.reduce((a, r) => a + r.attempts, 0)} | ${t.modelCalls} | ${n(t.promptTokens)} | ${
      n(t.maxCallTokens)
    } | ` +
    `${s(t.wallMs)} | ${s(t.pytestMs)} | ${s(t.modelMs)} | ${s(t.overheadMs)} |`,
  ].join("\n");
}

export function baselineTable(smart: ScenarioResult[], naive: ScenarioResult[]): string {
  const rows = smart.filter((r) => naive.some((b) => b.id === r.id));
  const line = (r: ScenarioResult) => {
    const b = naiveOf(naive, r);
    return `| ${r.id} | ${r.passed ? "✓" : "✗"} | ${b.passed ? "✓" : "✗"} | ${n(r.contextTokens ?? 0)} | ` +
      `${n(b.contextTokens ?? 0)} | ${n(r.maxCallTokens)} | ${n(b.maxCallTokens)} | ${s(r.wallMs)} | ${s(b.wallMs)} |`;
  };
  const sum = (list: ScenarioResult[], f: (r: ScenarioResult) => number) => list.reduce((a, r) => a + f(r), 0);
  const naiveRows = rows.map((r) => naiveOf(naive, r));
  return [
    "| scenario | shipped ok | naive ok | context tokens (shipped) | context tokens (naive) | max tokens/call (shipped) | max tokens/call (naive) | wall s (shipped) | wall s (naive) |",
    "|---|:-:|:-:|--:|--:|--:|--:|--:|--:|",
    ...rows.map(line),
    `| **total** | ${rows.filter((r) => r.passed).length}/${rows.length} | ` +
    `${naiveRows.filter((r) => r.passed).length}/${rows.length} | ${n(sum(rows, (r) => r.contextTokens ?? 0))} | ` +
    `${n(sum(naiveRows, (r) => r.contextTokens ?? 0))} | ${n(Math.max(0, ...rows.map((r) => r.maxCallTokens)))} | ` +
    `${n(Math.max(0, ...naiveRows.map((r) => r.maxCallTokens)))} | ${s(sum(rows, (r) => r.wallMs))} | ` +
    `${s(sum(naiveRows, (r) => r.wallMs))} |`,
  ].join("\n");
}

function naiveOf(naive: ScenarioResult[], r: ScenarioResult): ScenarioResult {
  return naive.find((b) => b.id === r.id)!;
}

export function overheadTable(o: OverheadResult): string {
  const rows = o.environments.map((e) => {
    const bare = [...e.bareMs].sort((a, b) => a - b)[Math.floor(e.bareMs.length / 2)];
    const split = e.sentries;
    const added = split.wallMs - bare;
    return `| ${e.name}${e.pytestArgs.length ? ` (\`${e.pytestArgs.join(" ")}\`)` : ""} | ${s(bare)} | ` +
      `${s(split.wallMs)} (pytest ${s(split.pytestMs)}, model ${s(split.modelMs)}, tool ${s(split.overheadMs)}) | ` +
      `${s(added)} | ${s(added / 0.5)} | **${e.ratio.toFixed(2)}** | ${
        e.cliMs !== undefined ? `${s(e.cliMs)} (${e.cliRatio?.toFixed(2)})` : "–"
      } | ` +
      `${e.naive ? `${s(e.naive.wallMs)} (${e.naiveRatio?.toFixed(2)})` : "–"} |`;
  });
  return [
    "| Python environment | bare `pytest -q` s (median) | `sentries tests` in-process s (median) | added s | ratio 1.5 from a suite of s | ratio (goal ≤ 1.5) | CLI s (ratio) | naive baseline s (ratio) |",
    "|---|--:|--:|--:|--:|--:|--:|--:|",
    ...rows,
  ].join("\n");
}

/** `sentries tests --junit-xml`: what Sentries adds to a CI whose own pytest step already ran. */
export function junitTable(o: OverheadResult): string {
  const rows = o.environments.filter((e) => e.junit).map((e) => {
    const j = e.junit!;
    const bare = median(j.bareMs);
    const split = j.sentries;
    const perRun = j.nonModelMs.map((ms, i) => ms / j.bareMs[i]);
    const cli = j.cliMs?.length && j.cliRatio !== undefined ? `${s(median(j.cliMs))} (${j.cliRatio.toFixed(2)})` : "–";
    return `| ${e.name} | ${j.ms.length} | ${s(bare)} | ${s(split.wallMs)} (pytest ${s(split.pytestMs)}, model ` +
      `${s(split.modelMs)}, tool ${s(split.overheadMs)}) | ${s(median(j.nonModelMs))} | **${j.ratio.toFixed(2)}** ` +
      `(per run ${Math.min(...perRun).toFixed(2)}–${Math.max(...perRun).toFixed(2)}) | ${cli} |`;
  });
  return [
    "| Python environment | runs | bare `pytest -q` s (median) | `sentries tests --junit-xml` s (median run) | all but the model s (median) | ratio (goal ≤ 0.3) | through the CLI s, with Deno's start (ratio) |",
    "|---|--:|--:|--:|--:|--:|--:|",
    ...rows,
  ].join("\n");
}

/** Requests answered wrongly, and why: the evidence the prompt lacked. */
export function missedEvidence(results: ScenarioResult[]): string[] {
  const out: string[] = [];
  for (const r of results) {
    for (const q of r.requests) {
      if (q.answer === "wrong") {
        out.push(`- ${r.id} (${r.mode}), ${q.purpose} request: lacked ${q.missing.map((m) => `\`${m}\``).join(", ")}`);
      }
    }
  }
  return out;
}

export function renderMarkdown(results: BenchResults): string {
  const t = totalsOf(results.scenarios);
  const smartTests = results.scenarios.filter((r) => results.naive.some((b) => b.id === r.id));
  const ctx = (list: ScenarioResult[]) => list.reduce((a, r) => a + (r.contextTokens ?? 0), 0);
  const wall = (list: ScenarioResult[]) => list.reduce((a, r) => a + r.wallMs, 0);
  const naiveTotals = totalsOf(results.naive);
  const bothRight = smartTests.filter((r) => r.passed && naiveOf(results.naive, r).passed);
  const m = results.machine;
  const lines = [
    "# Benchmark results",
    "",
    `Generated by \`deno task bench\` on ${results.date} (${m.cpus} CPUs, ${m.os}; Deno ${m.deno}, ` +
    `Python ${m.python}, pytest ${m.pytest}) in ${(results.wallSeconds / 60).toFixed(1)} minutes. The model is the ` +
    "smart stand-in (zero latency): it answers right only when the prompt carries the evidence a real model needs.",
    "",
    `**${summaryLine(results.scenarios)}** — ${t.fixed}/${t.shouldFix} scenarios that should be fixed were fixed; ` +
    `largest request ${n(t.maxCallTokens)} estimated tokens (budget ${n(TOKEN_BUDGET)}): ` +
    (t.overBudget.length
      ? `over budget in ${t.overBudget.map((o) => o.id).join(", ")}.`
      : "within budget on every call."),
    "",
    "## Scenarios",
    "",
    "Wall time split: pytest (discover + verify), model (plan + patch requests), tool (everything else: git " +
    "worktree, context, guards, delivery).",
    "",
    scenarioTable(results.scenarios),
    "",
    "## Against a naive baseline",
    "",
    "The naive mode sends each failing test's report, the whole failing test files and the whole source files " +
    "they import (no ranking, no history, no budget) and re-runs the full suite to verify.",
    "",
    `Test scenarios: shipped ${smartTests.filter((r) => r.passed).length}/${smartTests.length} as expected, naive ` +
    `${naiveTotals.passed}/${naiveTotals.scenarios}. The shipped context is ${n(ctx(smartTests))} estimated tokens ` +
    `against ${n(ctx(results.naive))} (${relative(ctx(smartTests), ctx(results.naive))}); its largest request ` +
    `${n(t.maxCallTokens)} against ${n(naiveTotals.maxCallTokens)}, and ${naiveTotals.overBudget.length} naive ` +
    `scenarios go over the ${n(TOKEN_BUDGET)}-token budget. On the scenarios both got right, wall time is ` +
    `${s(wall(bothRight))} s against ${s(wall(bothRight.map((r) => naiveOf(results.naive, r))))} s ` +
    `(${relative(wall(bothRight), wall(bothRight.map((r) => naiveOf(results.naive, r))))}): these repositories are ` +
    "small, so a full-suite re-run costs little; the large repository below shows the difference.",
    "",
    baselineTable(results.scenarios, results.naive),
    "",
  ];
  const missed = missedEvidence([...results.scenarios, ...results.naive]);
  if (missed.length) lines.push("Wrong answers, by the evidence their prompt lacked:", "", ...missed, "");
  if (results.overhead) {
    const o = results.overhead;
    lines.push(
      "## Overhead on a large repository",
      "",
      `${o.modules} modules, ${o.tests} tests, one failing after a source change. \`sentries tests\` runs the ` +
        "suite once, re-runs the failure alone, asks the model, and re-tests only the changed test file. Both " +
        "sides run cold (no bytecode cache, as on a fresh CI checkout); medians of " +
        `${o.environments[0]?.bareMs.length ?? 0} runs.`,
      "",
      overheadTable(o),
      "",
      "The added time is mostly fixed: two more pytest runs (the failure re-run alone, to rule out a flaky " +
        "test, and the narrow verification; both forked from a pytest warmed up while the full run goes on, " +
        "so they skip pytest's start-up) plus a git worktree. So the ratio falls as a suite's own run time " +
        'grows; the "ratio 1.5 from" column is the bare suite time at which the same added time gives 1.5. ' +
        "With the stand-in answering instantly, the model's share is nil here; a real local model adds seconds " +
        "to minutes per call, which no pytest strategy changes.",
      "",
    );
    if (o.environments.some((e) => e.junit)) {
      lines.push(
        "### With the CI's own JUnit report (`--junit-xml`)",
        "",
        "The CI's test step has already run the suite (`pytest -q --junitxml=…`, not counted). Sentries reads " +
          "its failures from the report, re-runs only those, and re-tests the changed test file: the ratio is " +
          "everything but the model against one bare `pytest -q` run, each Sentries run after a bare run of its " +
          "own (medians of both).",
        "",
        junitTable(o),
        "",
      );
    }
  }
  lines.push("Reproduce: `deno task bench` (JSON with every request's size: `bench/results/results.json`).", "");
  return lines.join("\n");
}

/** A real server run's figures: fix rate, calls, the server's own tokens and times, wall time. */
export interface ServerTotals {
  shouldFix: number;
  fixed: number;
  asExpected: number;
  scenarios: number;
  /** Runs that ended in no product outcome (a crash or an unexpected error). */
  errors: number;
  modelCalls: number;
  /** Calls the server reported counts for. */
  reportedCalls: number;
  promptTokens: number;
  cachedPromptTokens: number;
  completionTokens: number;
  promptMs: number;
  generationMs: number;
  wallMs: number;
  modelMs: number;
}

export function serverTotals(results: ScenarioResult[]): ServerTotals {
  const t = totalsOf(results);
  const sum = (f: (r: ScenarioResult) => number | undefined) => results.reduce((a, r) => a + (f(r) ?? 0), 0);
  return {
    shouldFix: t.shouldFix,
    fixed: t.fixed,
    asExpected: t.passed,
    scenarios: t.scenarios,
    errors: results.filter((r) => r.error !== undefined).length,
    modelCalls: t.modelCalls,
    reportedCalls: sum((r) => r.server?.calls),
    promptTokens: sum((r) => r.server?.promptTokens),
    cachedPromptTokens: sum((r) => r.server?.cachedPromptTokens),
    completionTokens: sum((r) => r.server?.completionTokens),
    promptMs: sum((r) => r.server?.promptMs),
    generationMs: sum((r) => r.server?.generationMs),
    wallMs: t.wallMs,
    modelMs: t.modelMs,
  };
}

const percent = (part: number, whole: number) => (whole ? `${Math.round((100 * part) / whole)}%` : "–");

/** What `deno task bench --llm-base …` ends with: fix rate, calls, the server's tokens and time. */
export function serverSummaryLines(results: ScenarioResult[]): string[] {
  const t = serverTotals(results);
  const tokens = t.reportedCalls
    ? `server-side tokens (${t.reportedCalls} of ${t.modelCalls} calls reported): prompt ${n(t.promptTokens)} ` +
      `(${n(t.cachedPromptTokens)} from the prompt cache), generated ${n(t.completionTokens)}; server time ` +
      `reading ${s(t.promptMs)} s, writing ${s(t.generationMs)} s`
    : "the server reported no token counts";
  return [
    `fix rate ${t.fixed}/${t.shouldFix} (${percent(t.fixed, t.shouldFix)}) of the scenarios that should be ` +
    `fixed or updated; ${t.asExpected}/${t.scenarios} ended as expected` +
    (t.errors ? `; ${t.errors} ended in an error` : ""),
    `model calls ${t.modelCalls}; ${tokens}`,
    `time ${s(t.wallMs)} s in all, ${s(t.modelMs)} s of it in model calls`,
  ];
}

function serverRow(r: ScenarioResult): string {
  const f = r.server;
  return `| ${r.id} | ${r.expected} | ${r.outcome} | ${r.passed ? "✓" : "✗"} | ${r.attempts} | ${r.modelCalls} | ` +
    `${f ? n(f.promptTokens) : "–"} | ${f ? n(f.cachedPromptTokens) : "–"} | ${f ? n(f.completionTokens) : "–"} | ` +
    `${s(r.wallMs)} | ${s(r.modelMs)} |`;
}

/** results.md of a real-server run. */
export function renderServerMarkdown(results: BenchResults): string {
  const m = results.machine;
  const server = results.server;
  return [
    "# Benchmark results against a model server",
    "",
    `Generated by \`deno task bench --llm-base ${server?.llmBase ?? "?"}\` on ${results.date} (${m.cpus} CPUs, ` +
    `${m.os}; Deno ${m.deno}, Python ${m.python}, pytest ${m.pytest}) in ${(results.wallSeconds / 60).toFixed(1)} ` +
    `minutes. Server API ${server?.api ?? "?"}, planner \`${server?.modelPlan ?? "?"}\`, patcher ` +
    `\`${server?.modelPatch ?? "?"}\`. Token counts are the server's own.`,
    "",
    ...serverSummaryLines(results.scenarios).map((l) => `- ${l}`),
    "",
    "| scenario | expected | outcome | ok | attempts | model calls | prompt tokens | cached | generated | wall s | model s |",
    "|---|---|---|:-:|--:|--:|--:|--:|--:|--:|--:|",
    ...results.scenarios.map(serverRow),
    "",
  ].join("\n");
}
