import assert from "node:assert/strict";
import { detectApi, estimateTokens, numCtxFor, sameModelName } from "../../src/llm/mod.ts";
import { LineSplitter, SseDecoder } from "../../src/llm/lines.ts";
import { errorMessageFromBody } from "../../src/llm/errors.ts";

Deno.test("LineSplitter joins a line split across chunks and keeps the tail for later", () => {
  const splitter = new LineSplitter();
  assert.deepEqual(splitter.push('{"a":'), []);
  assert.deepEqual(splitter.push('1}\n{"b"'), ['{"a":1}']);
  assert.deepEqual(splitter.push(":2}\r\n\n"), ['{"b":2}', ""]);
  assert.deepEqual(splitter.push('{"c":3}'), []);
  assert.deepEqual(splitter.flush(), ['{"c":3}']);
  assert.deepEqual(splitter.flush(), []);
});

Deno.test("SseDecoder collects data lines per event, skips comments and other fields, joins multi-line data", () => {
  const decoder = new SseDecoder();
  const events: string[] = [];
  for (const line of [": keep-alive", "event: message", 'data: {"x":1}', "", "data:a", "data: b", "", "data: [DONE]"]) {
    const data = decoder.pushLine(line);
    if (data !== undefined) events.push(data);
  }
  assert.deepEqual(events, ['{"x":1}', "a\nb"]);
  assert.equal(decoder.flush(), "[DONE]");
});

Deno.test("sameModelName treats a name without a tag as :latest", () => {
  assert.ok(sameModelName("llama3", "llama3:latest"));
  assert.ok(sameModelName("llama3:latest", "llama3"));
  assert.ok(sameModelName("llama3.1:8b-instruct-q4_K_M", "llama3.1:8b-instruct-q4_K_M"));
  assert.ok(!sameModelName("llama3", "llama3:8b"));
  assert.ok(sameModelName("registry.local:5000/team/coder", "registry.local:5000/team/coder:latest"));
  assert.ok(!sameModelName("llama3", "llama3.1"));
});

Deno.test("detectApi: /v1 or ports 8080, 1234, 8000 mean OpenAI-style, anything else Ollama", () => {
  assert.equal(detectApi("http://127.0.0.1:11434"), "ollama");
  assert.equal(detectApi("http://localhost:11434/"), "ollama");
  assert.equal(detectApi("http://127.0.0.1:11434/v1"), "openai");
  assert.equal(detectApi("http://127.0.0.1:11434/v1/"), "openai");
  assert.equal(detectApi("http://127.0.0.1:8080"), "openai");
  assert.equal(detectApi("http://127.0.0.1:1234"), "openai");
  assert.equal(detectApi("http://127.0.0.1:8000"), "openai");
  assert.equal(detectApi("http://gpu-box:9999"), "ollama");
});

Deno.test("estimateTokens is about a token per 4 characters", () => {
  assert.equal(estimateTokens(""), 0);
  assert.equal(estimateTokens("abcd"), 1);
  assert.equal(estimateTokens("abcde"), 2);
  assert.equal(estimateTokens("x".repeat(4000)), 1000);
});

Deno.test("numCtxFor sizes the context to the prompt: multiples of 1024, at least 2048, at most 32768", () => {
  const small = [{ role: "user" as const, content: "hi" }];
  assert.equal(numCtxFor(small, 256), 2048);
  const medium = [{ role: "user" as const, content: "x".repeat(20_000) }]; // ~5000 tokens, +20% = 6010
  const ctx = numCtxFor(medium, 1024);
  assert.equal(ctx % 1024, 0);
  assert.equal(ctx, 7168);
  assert.ok(ctx >= 5000 + 1024);
  const huge = [{ role: "user" as const, content: "x".repeat(400_000) }];
  assert.equal(numCtxFor(huge, 1024), 32768);
});

Deno.test("errorMessageFromBody reads Ollama's and OpenAI's error shapes and falls back to the text", () => {
  assert.equal(errorMessageFromBody('{"error":"model \\"x\\" not found"}'), 'model "x" not found');
  assert.equal(errorMessageFromBody('{"error":{"message":"bad model","type":"x"}}'), "bad model");
  assert.equal(errorMessageFromBody("404 page not found\n"), "404 page not found");
  assert.equal(errorMessageFromBody(""), "(empty body)");
});
