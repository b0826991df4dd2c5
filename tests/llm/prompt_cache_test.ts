/**
 * The plan call and the patch call share their stable prefix, so a server's prompt cache serves the
 * patch call from the plan call, and a retry from the previous attempt. Proved with the stand-in's
 * llama.cpp-style prefix cache and its reported cached_tokens (e2e:real proves it on llama-server).
 */
import assert from "node:assert/strict";
import { evaluatedPromptTokens } from "../../src/llm/mod.ts";
import { patcherMessages, plannerMessages } from "../../src/sentries/testsentry/prompts.ts";
import { docsPatcherMessages, docsPlannerMessages } from "../../src/sentries/docsentry/prompts.ts";
import { clientFor, PLAN_MODEL, withStandIn } from "./helpers.ts";

const TEST_FILE = Array.from({ length: 40 }, (_, i) => `def test_price_${i}():\n    assert fmt(${i}) == "$${i}.00"\n`)
  .join("\n");
const CONTEXT = [
  "## Failing tests\n```\n" +
  "FAILED tests/test_price.py::test_price_1 - AssertionError: '1.00 USD' != '$1.00'\n".repeat(8) +
  "```\n",
  "## tests/test_price.py (whole file)\n```\n" + TEST_FILE + "\n```\n",
  "## Source shop/price.py\n```\n" + "def fmt(v):\n    return f'{v:.2f} USD'\n".repeat(10) + "```\n",
].join("\n");
const FILES = [{ path: "tests/test_price.py", content: TEST_FILE }];
const LIMITS = { maxFiles: 5, maxLines: 200 };

Deno.test("tests: the patch call reuses ≥70% of its prompt from the plan call; a retry evaluates ≤10%", async () => {
  await withStandIn({ reply: () => "VERDICT: UPDATE_TESTS\nREASON: x\nPLAN:\n1. update" }, async (standIn) => {
    const client = clientFor(`${standIn.url}/v1`);
    await client.chat(PLAN_MODEL, plannerMessages(CONTEXT));
    const input = { plan: "1. update tests/test_price.py to the new format", contextText: CONTEXT, files: FILES };
    await client.chat(PLAN_MODEL, patcherMessages("udiff", LIMITS, input));
    await client.chat(
      PLAN_MODEL,
      patcherMessages("udiff", LIMITS, { ...input, feedback: "Your change applied, but: FAILED x" }),
    );
    const [, patch, retry] = client.calls;
    const reuse = patch.cachedPromptTokens! / patch.promptTokens!;
    assert.ok(reuse >= 0.7, `patch reuses ${Math.round(reuse * 100)}% of its prompt`);
    const retryEvaluated = evaluatedPromptTokens(retry)! / retry.promptTokens!;
    assert.ok(retryEvaluated <= 0.1, `retry evaluates ${Math.round(retryEvaluated * 100)}%`);
    // The file is already whole in the context: it is not sent a second time.
    const patchPrompt = standIn.requests[1].messages.map((m) => m.content).join("\n");
    assert.equal(patchPrompt.split("def test_price_39").length - 1, 1);
    assert.match(patchPrompt, /shown whole above: tests\/test_price\.py/);
  });
});

Deno.test("tests: a file the context does not show whole is still sent verbatim to the patcher", () => {
  const messages = patcherMessages("udiff", LIMITS, {
    plan: "1. x",
    contextText: "## Failing tests\nnone",
    files: FILES,
  });
  assert.match(messages[1].content, /## Current content of the test files you may edit/);
  assert.ok(messages[1].content.includes(TEST_FILE));
});

Deno.test("docs: planner and patcher share the change and docs prefix; the PR title comes after it", async () => {
  const change = "diff --git a/api.py b/api.py\n-def old_name():\n+def new_name():\n".repeat(30);
  const docs = "--- README.md (lines 1-40) ---\nCall old_name() to start.\n".repeat(30);
  await withStandIn({ reply: () => "VERDICT: UPDATE_DOCS\nREASON: x\nPLAN:\n1. README" }, async (standIn) => {
    const client = clientFor(`${standIn.url}/v1`);
    await client.chat(PLAN_MODEL, docsPlannerMessages(change, docs, "Rename old_name"));
    const limits = { allow: ["README.md"], maxFiles: 3, maxLines: 100 };
    await client.chat(
      PLAN_MODEL,
      docsPatcherMessages("udiff", limits, {
        plan: "1. README: rename",
        changeText: change,
        files: [],
        sectionsText: docs,
      }),
    );
    const patch = client.calls[1];
    assert.ok(patch.cachedPromptTokens! / patch.promptTokens! >= 0.7, JSON.stringify(patch));
  });
});
