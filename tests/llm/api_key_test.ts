import assert from "node:assert/strict";
import { createLlmClient } from "../../src/llm/mod.ts";
import { startStandIn } from "../support/standin_llm.ts";

Deno.test("LLM_API_KEY is sent as a Bearer token, and only when set", async () => {
  const standIn = await startStandIn({ reply: () => "OK" });
  const seen: Array<string | null> = [];
  const recordingFetch: typeof fetch = (input, init) => {
    seen.push(new Headers(init?.headers).get("authorization"));
    return fetch(input, init);
  };
  try {
    const withKey = createLlmClient({ baseUrl: `${standIn.url}/v1`, apiKey: "sk-local" }, { fetch: recordingFetch });
    assert.equal((await withKey.chat("llama3.1:8b-instruct-q4_K_M", [{ role: "user", content: "hi" }])).content, "OK");
    const without = createLlmClient({ baseUrl: standIn.url }, { fetch: recordingFetch });
    await without.chat("llama3.1:8b-instruct-q4_K_M", [{ role: "user", content: "hi" }]);
    assert.deepEqual(seen, ["Bearer sk-local", null]);
  } finally {
    await standIn.close();
  }
});
