import assert from "node:assert/strict";
import { createLlmClient } from "../../src/llm/mod.ts";
import { clientFor, closedPort, llmErrorOf, PLAN_MODEL, user, withStandIn } from "./helpers.ts";

Deno.test("openai chat parses SSE data lines up to [DONE], with usage, and sends OpenAI options", async () => {
  const content = "line one\n  indented\n ";
  await withStandIn({ reply: () => ({ content, chunkSize: 3 }) }, async (standIn) => {
    const client = clientFor(`${standIn.url}/v1`);
    assert.equal(client.api, "openai");
    let pieces = 0;
    const result = await client.chat(PLAN_MODEL, user("hello"), {
      temperature: 0.2,
      seed: 7,
      numPredict: 300,
      format: "json",
      onToken: (_text, count) => pieces = count,
    });
    assert.equal(result.content, content);
    assert.equal(result.doneReason, "stop");
    assert.equal(result.model, PLAN_MODEL);
    assert.equal(typeof result.promptTokens, "number");
    assert.equal(typeof result.completionTokens, "number");
    assert.equal(pieces, Math.ceil(content.length / 3));
    const [request] = standIn.requests;
    assert.equal(request.api, "openai");
    assert.equal(request.stream, true);
    assert.deepEqual(request.body.stream_options, { include_usage: true });
    assert.equal(request.body.temperature, 0.2);
    assert.equal(request.body.seed, 7);
    assert.equal(request.body.max_tokens, 300);
    assert.deepEqual(request.body.response_format, { type: "json_object" });
  });
});

Deno.test("openai chat joins SSE events split across network chunks", async () => {
  const content = "ünïcödé ✓ across chunks";
  await withStandIn({ reply: () => ({ content, chunkSize: 2, splitLines: true }) }, async (standIn) => {
    const result = await clientFor(standIn.url, { api: "openai" }).chat(PLAN_MODEL, user("hi"));
    assert.equal(result.content, content);
  });
});

Deno.test("openai chat reads a whole JSON reply from a server that does not stream", async () => {
  await withStandIn({ reply: () => "whole\n " }, async (standIn) => {
    // A seam, not a patched global: this fetch asks the real stand-in for an unstreamed reply.
    const unstreamed: typeof fetch = (input, init) => {
      const body = JSON.parse(String(init?.body));
      return fetch(input, { ...init, body: JSON.stringify({ ...body, stream: false }) });
    };
    const client = createLlmClient({ baseUrl: `${standIn.url}/v1` }, { fetch: unstreamed });
    const result = await client.chat(PLAN_MODEL, user("hi"));
    assert.equal(result.content, "whole\n ");
    assert.equal(result.doneReason, "stop");
    assert.equal(typeof result.promptTokens, "number");
  });
});

Deno.test("openai errors: OpenAI-shaped 404, error event mid-stream, dropped stream retried", async () => {
  await withStandIn({}, async (standIn) => {
    const error = await llmErrorOf(clientFor(`${standIn.url}/v1`).chat("missing:7b", user("hi")));
    assert.equal(error.code, "llm.model_not_found");
    assert.match(error.hint ?? "", /ollama pull missing:7b/);
  });
  await withStandIn({ reply: () => ({ content: "abc", midStreamError: "model crashed" }) }, async (standIn) => {
    const error = await llmErrorOf(clientFor(`${standIn.url}/v1`).chat(PLAN_MODEL, user("hi")));
    assert.equal(error.code, "llm.stream");
    assert.match(error.message, /model crashed/);
  });
  const reply = (_: unknown, index: number) => index === 0 ? { content: "abcdefgh", disconnectAfterChunks: 1 } : "ok";
  await withStandIn({ reply }, async (standIn) => {
    const result = await clientFor(`${standIn.url}/v1`).chat(PLAN_MODEL, user("hi"));
    assert.equal(result.content, "ok");
    assert.equal(standIn.requests.length, 2);
  });
});

Deno.test("an unreachable OpenAI-style server is named as such", async () => {
  const baseUrl = `http://127.0.0.1:${closedPort()}/v1`;
  const error = await llmErrorOf(createLlmClient({ baseUrl, retries: 0 }).chat(PLAN_MODEL, user("hi")));
  assert.equal(error.code, "llm.unreachable");
  assert.equal(error.message, `The OpenAI-compatible server is not reachable at ${baseUrl}`);
  assert.match(error.hint ?? "", /LLM_BASE/);
});

Deno.test("pointing the Ollama API at a server without /api/chat says to set LLM_API", async () => {
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    () => new Response("Not Found", { status: 404 }),
  );
  try {
    const baseUrl = `http://127.0.0.1:${server.addr.port}`;
    const error = await llmErrorOf(createLlmClient({ baseUrl, api: "ollama" }).chat(PLAN_MODEL, user("hi")));
    assert.equal(error.code, "llm.http");
    assert.match(error.hint ?? "", /LLM_API=openai/);
  } finally {
    await server.shutdown();
  }
});
