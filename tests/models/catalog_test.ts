import assert from "node:assert/strict";
import { SETTINGS } from "../../src/config/settings.ts";
import { sameModelName } from "../../src/llm/mod.ts";
import {
  bestModelFor,
  bestProfileFor,
  findCatalogModel,
  loadCatalog,
  parseCatalog,
  PROFILE_NAMES,
} from "../../src/models/catalog.ts";
import catalogJson from "../../src/models/catalog.json" with { type: "json" };
import { DEFAULT_LIBRARY } from "../support/standin_models.ts";

const GIB = 1024 ** 3;
const catalog = loadCatalog();

Deno.test("the catalog holds the seed's eight models with size, quality, speed, roles and memory", () => {
  assert.deepEqual(catalog.models.map((m) => m.name), [
    "llama3.1:8b-instruct-q8_0",
    "llama3.1:8b-instruct-q4_K_M",
    "llama3.1:8b-instruct-q2_K",
    "mistral:7b-instruct-v0.2-q4_K_M",
    "deepseek-coder:6.7b-instruct-q8_0",
    "deepseek-coder:6.7b-instruct-q5_K_M",
    "deepseek-coder:6.7b-instruct-q2_K",
    "codellama:7b-instruct-q4_K_M",
  ]);
  for (const m of catalog.models) {
    assert.ok(m.sizeBytes > 1e9 && m.minMemoryBytes >= 6 * GIB, m.name);
    // The stand-in's library offers the same models at about the same size, so pulls in tests are realistic.
    const layers = Object.entries(DEFAULT_LIBRARY).find(([name]) => sameModelName(name, m.name))?.[1];
    assert.ok(layers, `${m.name} missing from the stand-in library`);
    assert.ok(Math.abs(layers.reduce((a, b) => a + b, 0) - m.sizeBytes) < 1e6, m.name);
  }
});

Deno.test("balanced is the configured defaults; the profiles order by memory and quality", () => {
  const defaults = Object.fromEntries(SETTINGS.map((s) => [s.env, s.default]));
  assert.equal(catalog.profiles.balanced.plan.name, defaults.MODEL_PLAN);
  assert.equal(catalog.profiles.balanced.patch.name, defaults.MODEL_PATCH);
  const [fast, balanced, quality] = PROFILE_NAMES.map((n) => catalog.profiles[n]);
  assert.ok(fast.minMemoryBytes < balanced.minMemoryBytes && balanced.minMemoryBytes < quality.minMemoryBytes);
  assert.ok(fast.plan.quality < balanced.plan.quality && balanced.plan.quality < quality.plan.quality);
  assert.equal(quality.minMemoryBytes, 12 * GIB, "the larger of planner and patcher");
});

Deno.test("the best model per role follows the machine's memory", () => {
  assert.equal(bestModelFor(catalog, "plan", 4 * GIB), undefined);
  assert.equal(bestModelFor(catalog, "plan", 7 * GIB)?.name, "llama3.1:8b-instruct-q2_K");
  assert.equal(bestModelFor(catalog, "plan", 8 * GIB)?.name, "llama3.1:8b-instruct-q4_K_M");
  assert.equal(bestModelFor(catalog, "patch", 10 * GIB)?.name, "deepseek-coder:6.7b-instruct-q8_0");
  assert.equal(bestModelFor(catalog, "plan", 64 * GIB)?.name, "llama3.1:8b-instruct-q8_0");
  assert.equal(bestProfileFor(catalog, 7 * GIB)?.name, "fast");
  assert.equal(bestProfileFor(catalog, 16 * GIB)?.name, "quality");
  assert.equal(bestProfileFor(catalog, 2 * GIB), undefined);
});

Deno.test("names match with the implicit :latest tag", () => {
  assert.equal(findCatalogModel(catalog, "codellama:7b-instruct-q4_K_M")?.family, "codellama");
  assert.equal(findCatalogModel(catalog, "codellama"), undefined);
});

Deno.test("a broken catalog fails loudly with what is wrong", () => {
  const clone = () =>
    structuredClone(catalogJson) as unknown as Record<string, Record<string, Record<string, unknown>>>;
  const missing = clone();
  missing.profiles.fast.plan = "llama9:nope";
  assert.throws(() => parseCatalog(missing), /profile fast\.plan is not a catalog model/);
  const wrongRole = clone();
  wrongRole.profiles.fast.plan = "codellama:7b-instruct-q4_K_M";
  assert.throws(() => parseCatalog(wrongRole), /cannot plan/);
  const badScore = clone() as unknown as { models: Array<Record<string, unknown>> };
  badScore.models[0].quality = 9;
  assert.throws(() => parseCatalog(badScore), /quality must be 1\.\.5/);
});
