/** The stand-in itself, checked on the raw wire, so tests built on it rest on the real formats. */
import assert from "node:assert/strict";
import { echoReply, startStandIn } from "../support/standin_llm.ts";
import { clientFor, llmErrorOf, PLAN_MODEL, withStandIn } from "./helpers.ts";

async function post(url: string, body: unknown): Promise<Response> {
  return await fetch(url, { method: "POST", body: JSON.stringify(body) });
}

Deno.test("stand-in answers like Ollama: root text, unknown-model wording, show 404, unstreamed chat", async () => {
  await withStandIn({}, async (standIn) => {
    assert.equal(await (await fetch(standIn.url)).text(), "Ollama is running");
    const missing = await post(`${standIn.url}/api/chat`, { model: "x", messages: [] });
    assert.equal(missing.status, 404);
    assert.deepEqual(await missing.json(), { error: 'model "x" not found, try pulling it first' });
    const show = await post(`${standIn.url}/api/show`, { model: "x" });
    assert.equal(show.status, 404);
    assert.deepEqual(await show.json(), { error: "model 'x' not found" });
    const whole = await post(`${standIn.url}/api/chat`, {
      model: PLAN_MODEL,
      stream: false,
      messages: [{ role: "user", content: "hi" }],
    });
    const body = await whole.json();
    assert.equal(body.done, true);
    assert.equal(body.message.content, `stand-in ${PLAN_MODEL} says: hi`);
    assert.equal(typeof body.eval_count, "number");
    const other = await fetch(`${standIn.url}/api/nothing`);
    assert.equal(other.status, 404);
    await other.body?.cancel();
    assert.equal(standIn.requests.length, 2);
  });
});

Deno.test("stand-in streams NDJSON ending in a done line and SSE ending in [DONE]", async () => {
  await withStandIn({ reply: () => "abcdefgh" }, async (standIn) => {
    const messages = [{ role: "user", content: "hi" }];
    const ndjson = await (await post(`${standIn.url}/api/chat`, { model: PLAN_MODEL, messages })).text();
    const lines = ndjson.trimEnd().split("\n").map((l) => JSON.parse(l));
    assert.equal(lines.map((l) => l.message.content).join(""), "abcdefgh");
    assert.equal(lines.at(-1).done, true);
    assert.equal(lines.at(-1).done_reason, "stop");
    const sse = await (await post(`${standIn.url}/v1/chat/completions`, { model: PLAN_MODEL, messages, stream: true }))
      .text();
    assert.ok(sse.startsWith("data: {"));
    assert.ok(sse.endsWith("data: [DONE]\n\n"));
    assert.ok(!sse.includes('"usage"'), "usage only when stream_options.include_usage asks for it");
  });
});

Deno.test("stand-in closes while a stream is stalled, without leaking", async () => {
  const standIn = await startStandIn({ reply: () => ({ content: "stall here", stallAfterChunks: 1 }) });
  const response = await post(`${standIn.url}/api/chat`, { model: PLAN_MODEL, messages: [] });
  const reader = response.body!.getReader();
  assert.equal((await reader.read()).done, false);
  await standIn.close();
  while (!(await reader.read()).done) { /* drain what is left */ }
});

Deno.test("stand-in pull: non-streamed pull succeeds; a pull that drops without progress gives up", async () => {
  await withStandIn({}, async (standIn) => {
    const response = await post(`${standIn.url}/api/pull`, { model: "codellama:7b-instruct-q4_K_M", stream: false });
    assert.deepEqual(await response.json(), { status: "success" });
    assert.deepEqual(standIn.pulled, ["codellama:7b-instruct-q4_K_M"]);
  });
  await withStandIn({ pull: { disconnectAfterBytes: 0, disconnects: 99 } }, async (standIn) => {
    const error = await llmErrorOf(clientFor(standIn.url, { retries: 1 }).pullModel(PLAN_MODEL, () => {}));
    assert.equal(error.code, "llm.stream");
    assert.match(error.message, /stopped before it finished|dropped/);
    assert.equal(standIn.pullAttempts.length, 2);
  });
});

Deno.test("the echo script repeats the last user message", () => {
  const reply = echoReply({
    api: "ollama",
    model: "m",
    stream: true,
    body: {},
    messages: [{ role: "user", content: "first" }, { role: "assistant", content: "x" }, {
      role: "user",
      content: "last",
    }],
  });
  assert.equal(reply, "stand-in m says: last");
});
