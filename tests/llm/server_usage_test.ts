/** The server's own counts and timings reach the call records, in each wire format; clear server failures. */
import assert from "node:assert/strict";
import { describeServerUsage, evaluatedPromptTokens } from "../../src/llm/mod.ts";
import { ollamaUsage, openAiUsage } from "../../src/llm/usage.ts";
import { clientFor, llmErrorOf, PLAN_MODEL, user, withStandIn } from "./helpers.ts";

// The last SSE event of a real llama-server (node-llama-cpp 3.22.1's llama.cpp, b1-de3ff81), as seen on this project.
const LLAMA_CPP_LAST_EVENT = {
  choices: [],
  created: 1796201725,
  id: "chatcmpl-PalbwTrVmeswhXExSgsVeyWT0rgekZPq",
  model: "gemma3-270m",
  object: "chat.completion.chunk",
  usage: { completion_tokens: 20, prompt_tokens: 48, total_tokens: 68, prompt_tokens_details: { cached_tokens: 7 } },
  timings: { cache_n: 7, prompt_n: 41, prompt_ms: 150.797, predicted_n: 20, predicted_ms: 651.25 },
};

Deno.test("llama.cpp usage + timings: prompt tokens with the cached ones, and both times", () => {
  const usage = openAiUsage(LLAMA_CPP_LAST_EVENT);
  assert.deepEqual(usage, {
    promptTokens: 48,
    cachedPromptTokens: 7,
    completionTokens: 20,
    promptMs: 151,
    generationMs: 651,
  });
  assert.equal(evaluatedPromptTokens(usage), 41);
  assert.equal(describeServerUsage(usage), "48 prompt tokens (7 cached) read in 0.2 s, 20 written in 0.7 s");
  // Timings alone (no usage event): prompt tokens are evaluated + cached.
  assert.deepEqual(openAiUsage({ timings: LLAMA_CPP_LAST_EVENT.timings }).promptTokens, 48);
  // Plain OpenAI usage without details: no cached figure is invented.
  assert.deepEqual(openAiUsage({ usage: { prompt_tokens: 10, completion_tokens: 2 } }), {
    promptTokens: 10,
    completionTokens: 2,
  });
  assert.equal(describeServerUsage({}), undefined);
});

Deno.test("Ollama's final chunk: counts and ns durations become ms", () => {
  assert.deepEqual(
    ollamaUsage({
      done: true,
      prompt_eval_count: 1911,
      prompt_eval_duration: 7_900_000_000,
      eval_count: 600,
      eval_duration: 12_000_000_000,
    }),
    { promptTokens: 1911, completionTokens: 600, promptMs: 7900, generationMs: 12000 },
  );
  assert.deepEqual(ollamaUsage({ done: true }), {});
});

Deno.test("OpenAI-style stand-in: records carry the server's prompt, cached and generated tokens and times", async () => {
  await withStandIn({ reply: () => "an answer of some length" }, async (standIn) => {
    const client = clientFor(`${standIn.url}/v1`);
    const shared = "a long shared repository context ".repeat(40);
    await client.chat(PLAN_MODEL, [{ role: "system", content: "sys" }, { role: "user", content: shared + "plan it" }]);
    await client.chat(PLAN_MODEL, [{ role: "system", content: "sys" }, { role: "user", content: shared + "patch it" }]);
    const [first, second] = client.calls;
    assert.equal(first.cachedPromptTokens, 0);
    assert.ok(first.promptTokens! > 300, `prompt tokens ${first.promptTokens}`);
    assert.ok(second.cachedPromptTokens! / second.promptTokens! > 0.9, JSON.stringify(second));
    assert.ok(first.promptMs! > 0 && first.generationMs! > 0);
    assert.equal(first.completionTokens, 6);
    assert.ok(first.estimatedPromptTokens > 0, "our estimate stays next to the server's count");
  });
});

Deno.test("Ollama stand-in: counts and times recorded; keep_alive always sent so the model stays loaded", async () => {
  await withStandIn({}, async (standIn) => {
    const client = clientFor(standIn.url);
    await client.chat(PLAN_MODEL, user("hi"));
    await client.chat(PLAN_MODEL, user("hi"), { keepAlive: "-1" });
    assert.equal(standIn.requests[0].body.keep_alive, "30m");
    assert.equal(standIn.requests[1].body.keep_alive, "-1");
    assert.equal(client.calls[0].promptMs, 80);
    assert.equal(client.calls[0].generationMs, 320);
    assert.ok(client.calls[0].promptTokens! > 0);
  });
});

const LLAMA_CPP_CONTEXT_ERROR = JSON.stringify({
  error: {
    code: 400,
    message: "request (5632 tokens) exceeds the available context size (4096 tokens), try increasing it",
    type: "exceed_context_size_error",
    n_prompt_tokens: 5632,
    n_ctx: 4096,
  },
});

Deno.test("llama.cpp's context error says by how much and which setting to change; not retried", async () => {
  await withStandIn({ reply: () => ({ content: "", status: 400, errorBody: LLAMA_CPP_CONTEXT_ERROR }) }, async (s) => {
    const error = await llmErrorOf(clientFor(`${s.url}/v1`).chat(PLAN_MODEL, user("hi")));
    assert.equal(error.code, "llm.context_overflow");
    assert.match(error.message, /needs 5632 prompt tokens but the server's context is 4096 tokens \(1536 too many/);
    assert.match(error.hint ?? "", /llama-server -c 8192/);
    assert.match(error.hint ?? "", /SENTRIES_CONTEXT_TOKENS \(context_tokens in \[tool\.sentries\]\)/);
    assert.equal(s.requests.length, 1);
  });
});

Deno.test("a server still loading the model (503) says so and is retried", async () => {
  const loading = JSON.stringify({ error: { code: 503, message: "Loading model", type: "unavailable_error" } });
  let n = 0;
  await withStandIn({
    reply: () => n++ === 0 ? { content: "", status: 503, errorBody: loading } : "ready now",
  }, async (s) => {
    const result = await clientFor(`${s.url}/v1`).chat(PLAN_MODEL, user("hi"));
    assert.equal(result.content, "ready now");
    assert.equal(s.requests.length, 2);
  });
  await withStandIn({ reply: () => ({ content: "", status: 503, errorBody: loading }) }, async (s) => {
    const error = await llmErrorOf(clientFor(`${s.url}/v1`, { retries: 1 }).chat(PLAN_MODEL, user("hi")));
    assert.match(error.message, /still loading .* \(HTTP 503\): Loading model/);
    assert.match(error.hint ?? "", /\/health/);
  });
});

Deno.test("an unknown model on an OpenAI-style server: model_not_found naming the model and the settings", async () => {
  await withStandIn({}, async (s) => {
    const error = await llmErrorOf(clientFor(`${s.url}/v1`).chat("no-such-model", user("hi")));
    assert.equal(error.code, "llm.model_not_found");
    assert.match(error.message, /no-such-model is not installed/);
    assert.match(error.hint ?? "", /MODEL_PLAN/);
  });
});

/** A server that accepts connections and never answers (issue 15 item 13). */
function silentServer(): { url: string; close: () => void } {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const conns: Deno.Conn[] = [];
  (async () => {
    try {
      for await (const conn of listener) conns.push(conn);
    } catch {
      // closed
    }
  })();
  return {
    url: `http://127.0.0.1:${(listener.addr as Deno.NetAddr).port}`,
    close: () => {
      for (const c of conns) c.close();
      listener.close();
    },
  };
}

Deno.test("SENTRIES_LLM_TIMEOUT is the timer that fires on a silent server, and the message names it", async () => {
  const server = silentServer();
  try {
    const started = performance.now();
    // Model timeout 0.3 s, connect timeout 10 s: the shorter, user-set model timeout must win.
    const client = clientFor(server.url, { idleTimeoutMs: 300, connectTimeoutMs: 10_000 });
    const error = await llmErrorOf(client.chat(PLAN_MODEL, user("hi")));
    const elapsed = performance.now() - started;
    assert.equal(error.code, "llm.timeout");
    assert.ok(elapsed < 3000, `took ${elapsed} ms`);
    assert.match(error.message, /for 0\.3 s/);
    assert.match(error.message, /SENTRIES_LLM_TIMEOUT \(llm_timeout in \[tool\.sentries\]\)/);
    assert.match(error.hint ?? "", /reading a long prompt/);
  } finally {
    server.close();
  }
});

Deno.test("the connect timeout's message names its own setting", async () => {
  const server = silentServer();
  try {
    const client = clientFor(server.url, { connectTimeoutMs: 200 });
    const error = await llmErrorOf(client.listModels());
    assert.equal(error.code, "llm.timeout");
    assert.match(error.message, /within 0\.2 s \(the connect timeout, SENTRIES_LLM_CONNECT_TIMEOUT/);
    assert.match(error.hint ?? "", /llm_connect_timeout in \[tool\.sentries\]/);
  } finally {
    server.close();
  }
});
