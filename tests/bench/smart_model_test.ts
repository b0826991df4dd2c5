/** The benchmark's stand-in model: evidence gating, retries, sloppy formats, the request log. */
import assert from "node:assert/strict";
import { join } from "node:path";
import { createSmartModel, sloppyDiff } from "../../bench/smart_model.ts";
import type { ModelBrief } from "../../bench/corpus/types.ts";
import { plannerMessages } from "../../src/sentries/testsentry/prompts.ts";
import { docsPlannerMessages } from "../../src/sentries/docsentry/prompts.ts";
import { estimatePromptTokens } from "../../src/llm/mod.ts";
import { createLlmClient } from "../../src/llm/mod.ts";
import { preparePatch, resolvePolicy } from "../../src/patch/mod.ts";
import { startStandIn } from "../support/standin_llm.ts";

const RIGHT_PATCH = "--- a/tests/test_ops.py\n+++ b/tests/test_ops.py\n@@ -1,4 +1,4 @@\n-from calc.ops import add\n" +
  "+from calc.ops import plus\n \n \n def test_add():\n";

const BRIEF: ModelBrief = {
  plan: "VERDICT: UPDATE_TESTS\nREASON: renamed.\nPLAN:\n1. use plus",
  evidence: ["def plus(a, b)"],
  patchEvidence: [],
  wrongPlan: "VERDICT: SOURCE_BUG\nREASON: unsure.\nPLAN:\n1. none",
  patch: RIGHT_PATCH,
  wrongPatch: "NO_CHANGES",
  style: "clean",
};

const planner = (user: string) => plannerMessages(user);
const patcher = (user: string) => [
  { role: "system" as const, content: "You are a precise Python engineer." },
  { role: "user" as const, content: user },
];

Deno.test("the planner answers right only when the prompt carries the evidence", () => {
  const model = createSmartModel(BRIEF);
  assert.equal(
    model.reply({ model: "p", messages: planner("ImportError: cannot import name 'add'") }),
    BRIEF.wrongPlan,
  );
  assert.equal(model.reply({ model: "p", messages: planner("Source calc/ops.py:\ndef plus(a, b):") }), BRIEF.plan);
  assert.deepEqual(model.log.map((l) => [l.purpose, l.answer, l.missing]), [
    ["plan", "wrong", ["def plus(a, b)"]],
    ["plan", "right", []],
  ]);
});

Deno.test("docs planner prompts are recognised as planner requests too", () => {
  const model = createSmartModel(BRIEF);
  model.reply({
    model: "p",
    messages: docsPlannerMessages("x", ""),
  });
  assert.equal(model.log[0].purpose, "plan");
});

Deno.test("the patcher also needs its own evidence; the log records sizes", () => {
  const model = createSmartModel({ ...BRIEF, patchEvidence: ["from calc.ops import add"] });
  const without = patcher("def plus(a, b):");
  assert.equal(model.reply({ model: "coder", messages: without }), "NO_CHANGES");
  const withFile = patcher("def plus(a, b):\n--- tests/test_ops.py ---\nfrom calc.ops import add\n");
  assert.equal(model.reply({ model: "coder", messages: withFile }), RIGHT_PATCH);
  assert.deepEqual(model.log[0].missing, ["from calc.ops import add"]);
  assert.equal(model.log[1].model, "coder");
  assert.equal(model.log[1].chars, withFile.reduce((s, m) => s + m.content.length, 0));
  assert.equal(model.log[1].estimatedTokens, estimatePromptTokens(withFile));
});

Deno.test("wrong first, right only after feedback that quotes the still-failing assertion", () => {
  const brief = { ...BRIEF, firstPatch: "FIRST", retryEvidence: ["still fail", "'<4>'"] };
  const model = createSmartModel(brief);
  const evidence = "def plus(a, b):";
  assert.equal(model.reply({ model: "c", messages: patcher(evidence) }), "FIRST");
  const vague = `${evidence}\n## Your previous attempt did not work\nThe tests did not pass.`;
  assert.equal(model.reply({ model: "c", messages: patcher(vague) }), "FIRST");
  const precise =
    `${evidence}\n## Your previous attempt did not work\nThese tests still fail:\nassert '<4>' == 'value=4'`;
  assert.equal(model.reply({ model: "c", messages: patcher(precise) }), RIGHT_PATCH);
  assert.deepEqual(model.log.map((l) => l.answer), ["first_try", "first_try", "right"]);
  assert.deepEqual(model.log[1].missing, ["still fail", "'<4>'"]);
});

Deno.test("a sloppy answer (prose, fences, no a/ b/, wrong @@ numbers) still applies to the same change", async () => {
  const dir = await Deno.makeTempDir({ prefix: "sentries-bench-sloppy-" });
  try {
    await Deno.mkdir(join(dir, "tests"));
    await Deno.writeTextFile(
      join(dir, "tests/test_ops.py"),
      "from calc.ops import add\n\n\ndef test_add():\n    pass\n",
    );
    const sloppy = sloppyDiff(RIGHT_PATCH);
    assert.match(sloppy, /^Sure!/);
    assert.match(sloppy, /```diff\n--- tests\/test_ops\.py\n\+\+\+ tests\/test_ops\.py\n@@ -8,4 \+8,4 @@/);
    const policy = resolvePolicy("tests", {});
    const clean = await preparePatch(RIGHT_PATCH, { repoRoot: dir, policy, format: "udiff" });
    const messy = await preparePatch(sloppy, { repoRoot: dir, policy, format: "udiff" });
    assert.equal(clean.kind, "ok");
    assert.equal(messy.kind, "ok");
    if (clean.kind === "ok" && messy.kind === "ok") assert.deepEqual(messy.changes, clean.changes);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("over the real Ollama wire: the client's prompt estimate matches the stand-in's log", async () => {
  const model = createSmartModel(BRIEF);
  const standIn = await startStandIn({ reply: (req) => ({ content: model.reply(req), chunkSize: 1 << 20 }) });
  try {
    const llm = createLlmClient({ baseUrl: standIn.url, retries: 0 });
    const messages = planner("def plus(a, b):\n    return a + b");
    const result = await llm.chat("llama3.1:8b-instruct-q4_K_M", messages, {});
    assert.equal(result.content, BRIEF.plan);
    assert.equal(model.log[0].estimatedTokens, llm.calls[0].estimatedPromptTokens);
    assert.equal(model.log[0].model, "llama3.1:8b-instruct-q4_K_M");
  } finally {
    await standIn.close();
  }
});
