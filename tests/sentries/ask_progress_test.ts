/**
 * A first token that takes minutes: the progress line keeps moving and says the model is reading the prompt,
 * with the prompt's size; once tokens come it says the model is writing.
 */
import assert from "node:assert/strict";
import type { ChatMessage, ChatOptions, ChatResult, LlmClient } from "../../src/llm/mod.ts";
import { estimatePromptTokens } from "../../src/llm/mod.ts";
import { askModel, waitingLine } from "../../src/sentries/ask.ts";

/** A model server that sends its first token only after the progress line has been redrawn `redraws` times. */
function slowFirstToken(redraws: () => Promise<void>): LlmClient {
  const unused = () => Promise.reject(new Error("not used in this test"));
  return {
    baseUrl: "http://127.0.0.1:1",
    api: "ollama",
    calls: [],
    async chat(model: string, _messages: ChatMessage[], options: ChatOptions = {}): Promise<ChatResult> {
      await redraws();
      options.onToken?.("VERDICT", 1);
      return { content: "VERDICT", model, promptChars: 0, estimatedPromptTokens: 0, durationMs: 0 };
    },
    version: unused,
    listModels: unused,
    showModel: unused,
    pullModel: unused,
  };
}

Deno.test("before the first token the line says the model is reading the prompt, and its seconds keep counting", async () => {
  const lines: string[] = [];
  let seen: () => void = () => {};
  const enough = new Promise<void>((resolve) => (seen = resolve));
  let clock = 0;
  const messages: ChatMessage[] = [{ role: "user", content: "x".repeat(7600) }];
  const result = await askModel(slowFirstToken(() => enough), "llama3.1:8b", messages, { purpose: "plan" }, {
    // Every read of the clock adds a second: minutes pass in a few milliseconds.
    now: () => (clock += 1000),
    tickMs: 2,
    status: {
      update: (text) => {
        lines.push(text);
        if (lines.filter((l) => l.includes("reading the prompt")).length >= 4) seen();
      },
      done: () => {},
    },
  });
  assert.equal(result.content, "VERDICT");
  const tokens = estimatePromptTokens(messages).toLocaleString("en-US");
  const waiting = lines.filter((l) => l.includes("reading the prompt"));
  assert.ok(waiting.length >= 4, lines.join("\n"));
  for (const line of waiting) {
    assert.match(line, new RegExp(`^plan: llama3\\.1:8b reading the prompt… ~${tokens} tokens, \\d+ s`), line);
  }
  const seconds = waiting.map((l) => Number(/, (\d+) s/.exec(l)?.[1]));
  assert.ok(seconds.every((s, i) => i === 0 || s > seconds[i - 1]), `seconds move on: ${seconds.join(", ")}`);
  assert.match(lines[lines.length - 1], /^plan: llama3\.1:8b writing… 1 token, \d+ s$/);
});

Deno.test("waitingLine: the prompt's size with thousands separators, and the seconds", () => {
  assert.equal(
    waitingLine("patch", "qwen", 12345, 95),
    "patch: qwen reading the prompt… ~12,345 tokens, 95 s (the first call may load the model)",
  );
});
