/** The benchmark's report: totals, the summary line, Markdown tables and the chart from results. */
import assert from "node:assert/strict";
import type { ScenarioResult } from "../../bench/measure.ts";
import { splitTime } from "../../bench/measure.ts";
import { median } from "../../bench/overhead.ts";
import { junitTable, missedEvidence, relative, renderMarkdown, summaryLine, totalsOf } from "../../bench/report.ts";
import { chartPng, drawChart } from "../../bench/chart.ts";

function result(id: string, over: Partial<ScenarioResult> = {}): ScenarioResult {
  return {
    id,
    title: id,
    kind: "tests",
    mode: "smart",
    expected: "fixed",
    outcome: "fixed",
    passed: true,
    attempts: 1,
    modelCalls: 2,
    promptTokens: 5000,
    maxCallTokens: 3000,
    contextTokens: 2000,
    wallMs: 4000,
    pytestMs: 3500,
    modelMs: 10,
    overheadMs: 490,
    timings: [],
    requests: [],
    message: "",
    changedFiles: [],
    ...over,
  };
}

Deno.test("totals count passes, fixes and calls over the token budget", () => {
  const results = [
    result("t01"),
    result("t02", { outcome: "not_fixed", passed: false, maxCallTokens: 6001 }),
    result("t03", { expected: "no_failures", outcome: "no_failures", modelCalls: 0 }),
  ];
  const t = totalsOf(results);
  assert.deepEqual([t.passed, t.failed, t.shouldFix, t.fixed, t.modelCalls], [2, 1, 2, 1, 4]);
  assert.deepEqual(t.overBudget, [{ id: "t02", tokens: 6001 }]);
  assert.equal(summaryLine(results), "2 passed, 1 failed");
  assert.deepEqual([relative(50, 100), relative(110, 100), relative(1, 0)], ["50% less", "10% more", "–"]);
});

Deno.test("time splits into pytest, model and the tool's own overhead", () => {
  const split = splitTime(
    [{ step: "isolate", ms: 30 }, { step: "discover", ms: 2000 }, { step: "plan", ms: 5 }, { step: "patch", ms: 7 }, {
      step: "verify",
      ms: 500,
    }],
    2600,
  );
  assert.deepEqual(split, { pytestMs: 2500, modelMs: 12, overheadMs: 88 });
  assert.equal(median([3, 1, 2]), 2);
  assert.equal(median([4, 1, 2, 3]), 3);
});

Deno.test("the Markdown has a row per scenario, the baseline comparison and the wrong answers' missing evidence", () => {
  const smart = [
    result("t01-renamed"),
    result("d01-option", { kind: "docs", expected: "updated", outcome: "updated" }),
  ];
  const naive = [result("t01-renamed", {
    mode: "naive",
    outcome: "source_bug",
    passed: false,
    contextTokens: 9000,
    requests: [{
      index: 0,
      purpose: "plan",
      model: "m",
      chars: 1,
      estimatedTokens: 1,
      answer: "wrong",
      missing: ["def plus("],
    }],
  })];
  const md = renderMarkdown({
    date: "2025-01-01",
    machine: { cpus: 2, os: "linux", deno: "2", python: "3.11", pytest: "9" },
    scenarios: smart,
    naive,
    wallSeconds: 60,
  });
  assert.match(md, /\*\*2 passed, 0 failed\*\*/);
  assert.match(md, /\| t01-renamed \| t01-renamed \| fixed \| fixed \| ✓ \| 1 \| 2 \| 5,000 \| 3,000 \| 4\.00 \|/);
  assert.match(md, /\| t01-renamed \| ✓ \| ✗ \| 2,000 \| 9,000 \|/);
  assert.match(md, /within budget on every call/);
  assert.deepEqual(missedEvidence(naive), ["- t01-renamed (naive), plan request: lacked `def plus(`"]);
});

Deno.test("the chart has one bar group per scenario and encodes as a PNG", async () => {
  const smart = [result("t01"), result("t02", { maxCallTokens: 5000 })];
  const raster = drawChart(smart, [result("t01", { mode: "naive", maxCallTokens: 8000 })]);
  assert.ok(raster.width >= 640);
  const png = await chartPng(smart, []);
  assert.deepEqual([...png.subarray(1, 4)], [80, 78, 71]); // "PNG"
});

Deno.test("the --junit-xml overhead table: all but the model against its own runs' bare pytest", () => {
  const run = result("large", { wallMs: 1500, pytestMs: 400, modelMs: 500, overheadMs: 600 });
  const table = junitTable({
    title: "large",
    tests: 1501,
    modules: 150,
    environments: [{
      name: "as installed",
      pytestArgs: [],
      // The in-process runs' bare times are not the ones the --junit-xml runs are compared with.
      bareMs: [9000, 9000, 9000],
      sentriesMs: [5000],
      sentries: run,
      ratio: 1.67,
      junit: {
        ms: [1400, 1500, 1700],
        nonModelMs: [900, 1000, 1200],
        bareMs: [3000, 2000, 4000],
        sentries: run,
        ratio: 0.33,
        cliMs: [1300, 1200, 1600],
        cliRatio: 0.43,
      },
    }, {
      name: "plugins off",
      pytestArgs: [],
      bareMs: [9000],
      sentriesMs: [5000],
      sentries: run,
      ratio: 1.67,
      // Without --cli: no CLI runs, and the column says so.
      junit: { ms: [1400], nonModelMs: [900], bareMs: [3000], sentries: run, ratio: 0.3 },
    }],
  });
  assert.match(
    table,
    /\| as installed \| 3 \| 3\.00 \| 1\.50 \(pytest 0\.40, model 0\.50, tool 0\.60\) \| 1\.00 \| \*\*0\.33\*\* \(per run 0\.30–0\.50\) \| 1\.30 \(0\.43\) \|/,
  );
  assert.match(table, /\| plugins off \| 1 \| 3\.00 \| .* \| \*\*0\.30\*\* \(per run 0\.30–0\.30\) \| – \|/);
});
