/** The server's figures reach the run's usage (--json `llm`) and the reports' model line. */
import assert from "node:assert/strict";
import { llmUsage, serverUsageSuffix } from "../../src/sentries/run_state.ts";
import { clientFor, PLAN_MODEL, user, withStandIn } from "./helpers.ts";

Deno.test("llmUsage sums the server's counts and times and keeps each call; the model line shows them", async () => {
  await withStandIn({ reply: () => "an answer" }, async (standIn) => {
    const client = clientFor(`${standIn.url}/v1`);
    const shared = "shared context ".repeat(100);
    await client.chat(PLAN_MODEL, user(shared + "plan"), { purpose: "plan" });
    await client.chat(PLAN_MODEL, user(shared + "patch"), { purpose: "patch" });
    const usage = llmUsage(client);
    assert.equal(usage.calls, 2);
    assert.equal(usage.perCall?.length, 2);
    assert.equal(usage.perCall?.[1].purpose, "patch");
    assert.ok(usage.cachedPromptTokens! > 300, JSON.stringify(usage));
    assert.ok(usage.promptMs! > 0 && usage.generationMs! > 0);
    assert.equal(usage.promptTokens, client.calls[0].promptTokens! + client.calls[1].promptTokens!);
    const suffix = serverUsageSuffix(usage);
    assert.match(
      suffix,
      /^; server: [\d,]+ of [\d,]+ prompt tokens cached, prompts read in \d+\.\d s, answers written in/,
    );
    assert.match(suffix, /estimated [\d,]+ prompt tokens$/);
    // JSON carries the same numbers.
    const json = JSON.parse(JSON.stringify(usage));
    assert.equal(json.perCall[1].cachedPromptTokens, client.calls[1].cachedPromptTokens);
  });
});

Deno.test("a server that reports no cache or times leaves the model line as it was", () => {
  assert.equal(
    serverUsageSuffix({ calls: 2, promptTokens: 1200, completionTokens: 300, estimatedPromptTokens: 1100, ms: 9 }),
    "",
  );
});
