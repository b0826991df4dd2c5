import assert from "node:assert/strict";
import { loadCatalog } from "../../src/models/catalog.ts";
import { buildModelsReport } from "../../src/models/recommend.ts";

const GIB = 1024 ** 3;
const catalog = loadCatalog();
const DEFAULTS = { plan: "llama3.1:8b-instruct-q4_K_M", patch: "deepseek-coder:6.7b-instruct-q5_K_M" };
const installedDefaults = [
  { name: "llama3.1:8b-instruct-q4_K_M", sizeBytes: 4.9e9, parameterSize: "8.0B", quantization: "Q4_K_M" },
  { name: "deepseek-coder:6.7b-instruct-q5_K_M", sizeBytes: 4.8e9 },
];

Deno.test("on an 8 GiB machine the defaults are the best fit and nothing is worth pulling", () => {
  const report = buildModelsReport({
    catalog,
    installed: installedDefaults,
    configured: DEFAULTS,
    memoryBytes: 8 * GIB,
  });
  assert.deepEqual(report.toPull, []);
  assert.match(report.roles[0].advice, /llama3\.1:8b-instruct-q4_K_M is the best fit/);
  const plan = report.rows.find((r) => r.name === DEFAULTS.plan);
  assert.deepEqual(plan?.servesNow, ["MODEL_PLAN"]);
  assert.equal(plan?.installed, true);
  assert.equal(plan?.parameters, "8.0B", "details from the server win over the catalog's");
  assert.equal(report.rows.find((r) => r.name === "llama3.1:8b-instruct-q8_0")?.fitsMemory, false);
  assert.deepEqual(report.profiles.map((p) => p.fits), [true, true, false]);
});

Deno.test("on a 32 GiB machine the better models are offered, with the setting to switch", () => {
  const report = buildModelsReport({
    catalog,
    installed: installedDefaults,
    configured: DEFAULTS,
    memoryBytes: 32 * GIB,
  });
  assert.deepEqual(report.toPull.map((c) => [c.name, c.switchSetting]), [
    ["llama3.1:8b-instruct-q8_0", "MODEL_PLAN=llama3.1:8b-instruct-q8_0"],
    ["deepseek-coder:6.7b-instruct-q8_0", "MODEL_PATCH=deepseek-coder:6.7b-instruct-q8_0"],
  ]);
  assert.match(report.toPull[0].reason, /better planner for this machine \(quality 5 vs 4\)/);
});

Deno.test("a configured model that is missing is offered first; installed extras are listed", () => {
  const report = buildModelsReport({
    catalog,
    installed: [{ name: "qwen2.5-coder:7b", sizeBytes: 4.7e9, parameterSize: "7.6B", quantization: "Q4_K_M" }],
    configured: { plan: DEFAULTS.plan, patch: "qwen2.5-coder:7b" },
    memoryBytes: 8 * GIB,
  });
  assert.deepEqual(report.toPull.map((c) => c.name), [DEFAULTS.plan]);
  assert.match(report.toPull[0].reason, /MODEL_PLAN names it but it is not installed/);
  const extra = report.rows.find((r) => r.name === "qwen2.5-coder:7b");
  assert.equal(extra?.inCatalog, false);
  assert.deepEqual(extra?.servesNow, ["MODEL_PATCH"]);
  assert.match(report.roles[1].advice, /not in the catalog; .* suggests deepseek-coder:6\.7b-instruct-q5_K_M/);
});

Deno.test("a configured model too big for the machine gets a smaller suggestion", () => {
  const report = buildModelsReport({
    catalog,
    installed: [{ name: "llama3.1:8b-instruct-q8_0" }],
    configured: { plan: "llama3.1:8b-instruct-q8_0", patch: DEFAULTS.patch },
    memoryBytes: 8 * GIB,
  });
  assert.match(report.roles[0].advice, /needs more memory than this machine has; llama3\.1:8b-instruct-q4_K_M fits/);
});

Deno.test("without an answering server nothing is claimed installed and nothing offered", () => {
  const report = buildModelsReport({ catalog, installed: undefined, configured: DEFAULTS, memoryBytes: 32 * GIB });
  assert.ok(report.rows.every((r) => r.installed === undefined));
  assert.deepEqual(report.toPull, []);
});
