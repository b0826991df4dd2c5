import assert from "node:assert/strict";
import { createLlmClient } from "../../src/llm/mod.ts";
import { clientFor, closedPort, llmErrorOf, PLAN_MODEL, user, withStandIn } from "./helpers.ts";

Deno.test("ollama chat streams the reply, sends num_ctx and options, reports tokens and records the call", async () => {
  await withStandIn(
    { reply: () => ({ content: "def add(a, b):\n    return a + b\n", chunkSize: 3 }) },
    async (standIn) => {
      const client = clientFor(standIn.url);
      assert.equal(client.api, "ollama");
      const tokens: Array<[string, number]> = [];
      const result = await client.chat(PLAN_MODEL, [{ role: "system", content: "be brief" }, ...user("fix add")], {
        temperature: 0,
        seed: 42,
        numPredict: 512,
        keepAlive: "5m",
        format: "json",
        purpose: "patch",
        onToken: (text, count) => tokens.push([text, count]),
      });
      assert.equal(result.content, "def add(a, b):\n    return a + b\n");
      assert.equal(result.model, PLAN_MODEL);
      assert.equal(result.doneReason, "stop");
      assert.equal(typeof result.promptTokens, "number");
      assert.equal(typeof result.completionTokens, "number");
      assert.equal(result.promptChars, "be brief".length + "fix add".length);
      assert.ok(result.estimatedPromptTokens > 0);
      assert.equal(tokens.map(([t]) => t).join(""), result.content);
      assert.deepEqual(tokens.map(([, n]) => n), tokens.map((_, i) => i + 1));

      const [request] = standIn.requests;
      assert.equal(request.stream, true);
      assert.deepEqual(request.options, { num_ctx: 2048, temperature: 0, seed: 42, num_predict: 512 });
      assert.equal(request.body.keep_alive, "5m");
      assert.equal(request.body.format, "json");
      assert.equal(client.calls.length, 1);
      assert.equal(client.calls[0].ok, true);
      assert.equal(client.calls[0].purpose, "patch");
      assert.equal(client.calls[0].promptTokens, result.promptTokens);
    },
  );
});

Deno.test("ollama chat joins NDJSON lines split across network chunks, multi-byte characters included", async () => {
  const content = "naïve café → 🐍 done";
  await withStandIn({ reply: () => ({ content, chunkSize: 2, splitLines: true }) }, async (standIn) => {
    const result = await clientFor(standIn.url).chat(PLAN_MODEL, user("hi"));
    assert.equal(result.content, content);
  });
});

Deno.test("a reply whose last line is a lone space survives byte for byte", async () => {
  const diff =
    "\n--- a/calc.py\n+++ b/calc.py\n@@ -1,3 +1,3 @@\n def add(a, b):\n-    return a - b\n+    return a + b\n \n \t\n ";
  await withStandIn({ reply: () => ({ content: diff, chunkSize: 5 }) }, async (standIn) => {
    const result = await clientFor(standIn.url).chat(PLAN_MODEL, user("diff please"));
    assert.equal(result.content, diff);
    assert.ok(result.content.endsWith("\n "));
  });
});

Deno.test("a stream dropped mid-reply is retried, and reported as llm.stream when it keeps dropping", async () => {
  const reply = (_: unknown, index: number) =>
    index === 0 ? { content: "partial and then gone", disconnectAfterChunks: 2 } : "the whole reply";
  await withStandIn({ reply }, async (standIn) => {
    const client = clientFor(standIn.url);
    const result = await client.chat(PLAN_MODEL, user("hi"));
    assert.equal(result.content, "the whole reply");
    assert.equal(standIn.requests.length, 2);
  });
  await withStandIn({ reply: () => ({ content: "never finished", disconnectAfterChunks: 1 }) }, async (standIn) => {
    const client = clientFor(standIn.url, { retries: 2 });
    const error = await llmErrorOf(client.chat(PLAN_MODEL, user("hi")));
    assert.equal(error.code, "llm.stream");
    assert.match(error.message, /connection to http:\/\/127\.0\.0\.1:\d+ dropped/);
    assert.equal(standIn.requests.length, 3);
    assert.equal(client.calls.length, 1);
    assert.equal(client.calls[0].ok, false);
  });
});

Deno.test("a 404 model-not-found body becomes llm.model_not_found with the ollama pull command, not retried", async () => {
  await withStandIn({}, async (standIn) => {
    const error = await llmErrorOf(clientFor(standIn.url).chat("qwen2.5-coder:7b", user("hi")));
    assert.equal(error.code, "llm.model_not_found");
    assert.equal(error.hint, "ollama pull qwen2.5-coder:7b");
    assert.match(error.message, new RegExp(`qwen2.5-coder:7b is not installed at ${standIn.url}`));
    assert.match(String(error.cause), /model "qwen2.5-coder:7b" not found, try pulling it first/);
    assert.equal(standIn.requests.length, 1);
  });
});

Deno.test("a stalled stream hits the idle timeout and is not retried", async () => {
  await withStandIn({ reply: () => ({ content: "starts then stalls", stallAfterChunks: 2 }) }, async (standIn) => {
    const started = performance.now();
    const client = clientFor(standIn.url, { idleTimeoutMs: 200 });
    const error = await llmErrorOf(client.chat(PLAN_MODEL, user("hi")));
    assert.equal(error.code, "llm.timeout");
    assert.match(
      error.message,
      /^no data from http:\/\/127\.0\.0\.1:\d+ for 0\.2 s while waiting for .* \(the model timeout, SENTRIES_LLM_TIMEOUT \(llm_timeout in \[tool\.sentries\]\), fired\)/,
    );
    assert.equal(standIn.requests.length, 1);
    assert.ok(performance.now() - started < 3000);
  });
});

Deno.test("503 is retried with backoff until it succeeds; 400 is not retried", async () => {
  await withStandIn({ failNextChats: [503, 503] }, async (standIn) => {
    const delays: number[] = [];
    const withSleep = createLlmClient({ baseUrl: standIn.url, retries: 2, retryBaseDelayMs: 10 }, {
      sleep: (ms) => {
        delays.push(ms);
        return Promise.resolve();
      },
    });
    const result = await withSleep.chat(PLAN_MODEL, user("hi"));
    assert.match(result.content, /hi/);
    assert.equal(standIn.requests.length, 3);
    assert.deepEqual(delays, [10, 20]);
  });
  await withStandIn({ failNextChats: [503, 503, 503] }, async (standIn) => {
    const error = await llmErrorOf(clientFor(standIn.url, { retries: 2 }).chat(PLAN_MODEL, user("hi")));
    assert.equal(error.code, "llm.http");
    assert.equal(error.status, 503);
    assert.match(error.message, /HTTP 503: server busy/);
    assert.equal(standIn.requests.length, 3);
  });
  await withStandIn({ failNextChats: [400] }, async (standIn) => {
    const error = await llmErrorOf(clientFor(standIn.url, { retries: 2 }).chat(PLAN_MODEL, user("hi")));
    assert.equal(error.status, 400);
    assert.equal(error.code, "llm.http");
    assert.equal(standIn.requests.length, 1);
  });
});

Deno.test("an unreachable server names the URL and what to do, after bounded retries", async () => {
  const baseUrl = `http://127.0.0.1:${closedPort()}`;
  const delays: number[] = [];
  const client = createLlmClient({ baseUrl, retries: 2, retryBaseDelayMs: 5 }, {
    sleep: (ms) => {
      delays.push(ms);
      return Promise.resolve();
    },
  });
  const error = await llmErrorOf(client.chat(PLAN_MODEL, user("hi")));
  assert.equal(error.code, "llm.unreachable");
  assert.equal(error.message, `Ollama is not reachable at ${baseUrl}`);
  assert.equal(error.hint, "start it with `ollama serve` or set LLM_BASE");
  assert.deepEqual(delays, [5, 10]);
  const versionError = await llmErrorOf(client.version());
  assert.equal(versionError.code, "llm.unreachable");
});

Deno.test("an error line mid-stream under HTTP 200 is an error, not a short reply", async () => {
  const reply = () => ({ content: "half a rep", midStreamError: "an error was encountered while running the model" });
  await withStandIn({ reply }, async (standIn) => {
    const error = await llmErrorOf(clientFor(standIn.url).chat(PLAN_MODEL, user("hi")));
    assert.equal(error.code, "llm.stream");
    assert.match(error.message, /an error was encountered while running the model/);
    assert.equal(standIn.requests.length, 1);
  });
  const overflow = () => ({ content: "", midStreamError: "input length exceeds maximum context length" });
  await withStandIn({ reply: overflow }, async (standIn) => {
    const error = await llmErrorOf(clientFor(standIn.url).chat(PLAN_MODEL, user("hi")));
    assert.equal(error.code, "llm.context_overflow");
  });
});

Deno.test("a prompt larger than the context cap is refused before anything is sent", async () => {
  await withStandIn({}, async (standIn) => {
    const client = clientFor(standIn.url);
    const error = await llmErrorOf(client.chat(PLAN_MODEL, user("x".repeat(140_000))));
    assert.equal(error.code, "llm.context_overflow");
    assert.match(error.message, /32768-token cap/);
    assert.equal(standIn.requests.length, 0);
    assert.equal(client.calls[0].ok, false);
  });
});

Deno.test("aborting through the signal stops a stalled chat at once", async () => {
  await withStandIn({ reply: () => ({ content: "slow", stallAfterChunks: 1 }) }, async (standIn) => {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new Error("stopped by the user")), 50);
    await assert.rejects(
      clientFor(standIn.url).chat(PLAN_MODEL, user("hi"), { signal: controller.signal }),
      /stopped by the user/,
    );
    clearTimeout(timer);
    assert.equal(standIn.requests.length, 1);
  });
});

Deno.test("a model asked for without a tag answers as name:latest", async () => {
  await withStandIn({ models: ["tinyllama:latest"] }, async (standIn) => {
    const result = await clientFor(standIn.url).chat("tinyllama", user("ping"));
    assert.match(result.content, /ping/);
  });
});
