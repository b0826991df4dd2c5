/**
 * The patch call, in-process through the shared attempt loop, against the loopback stand-in speaking
 * Ollama's NDJSON and OpenAI's SSE: it stops reading once a complete edit is in (the server sees the
 * connection closed and sends only part of the stream), its output cap is sized from the files to edit, and
 * an honest edit in several blocks is read to its end.
 */
import assert from "node:assert/strict";
import { createLlmClient } from "../../src/llm/mod.ts";
import { resolvePolicy } from "../../src/patch/mod.ts";
import { runAttemptLoop } from "../../src/sentries/attempt_loop.ts";
import { patchOutputTokens } from "../../src/sentries/output_cap.ts";
import { RunState } from "../../src/sentries/run_state.ts";
import { createPyRepo } from "../support/pyrepo.ts";
import { type StandInReply, type StandInRequest, startStandIn } from "../support/standin_llm.ts";

const F = "```";
const A = "tests/test_a.py";
const B = "tests/test_b.py";
const FILES = {
  [A]: "def test_a():\n    assert f() == 4\n",
  [B]: "def test_b():\n    assert g() == 5\n",
};
const MODEL = "deepseek-coder:6.7b-instruct-q5_K_M";

/** Varied prose (never degenerate), far longer than any cap: what a model may write after its edit. */
const RAMBLE = Array.from({ length: 400 }, (_, i) => `Note ${i}: the value ${i * 7} is checked against ${i + 3}.`)
  .join(" ");

const diffOf = (path: string, from: string, to: string, name: string) =>
  `--- a/${path}\n+++ b/${path}\n@@ -1,2 +1,2 @@\n def ${name}():\n-    assert ${from}\n+    assert ${to}\n`;

async function runPatch(
  api: "ollama" | "openai",
  format: "udiff" | "search-replace",
  editable: string[],
  reply: string,
) {
  const repo = await createPyRepo({ files: FILES });
  const standIn = await startStandIn({
    reply: (): StandInReply => ({ content: reply, chunkSize: 6, delayMs: 1 }),
  });
  try {
    const llm = createLlmClient({ baseUrl: api === "ollama" ? standIn.url : `${standIn.url}/v1`, retryBaseDelayMs: 1 });
    const files = editable.map((path) => ({ path, content: FILES[path as keyof typeof FILES] }));
    const policy = resolvePolicy("tests", {});
    const outcome = await runAttemptLoop({
      llm,
      config: { modelPatch: MODEL, maxAttempts: 1, editFormat: format },
      state: new RunState("tests"),
      repoRoot: repo.dir,
      policy,
      messages: () => [{ role: "user", content: "fix the tests" }],
      noChangesFeedback: "change the tests",
      editable: files,
      check: () => Promise.resolve({ ok: true, proof: undefined }),
    });
    const request = standIn.requests[0];
    // The server notices the closed connection a moment after the client closes it.
    await until(() => request.delivery?.cancelled === true || request.delivery?.sent === request.delivery?.frames);
    const expectedCap = patchOutputTokens({ files, format, maxChangedLines: policy.maxChangedLines });
    return { outcome, request, call: llm.calls[0], expectedCap };
  } finally {
    await standIn.close();
    await repo.cleanup();
  }
}

async function until(done: () => boolean, limitMs = 5000): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!done() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
}

function capOf(api: "ollama" | "openai", request: StandInRequest): unknown {
  return api === "ollama" ? request.options?.num_predict : request.options?.max_tokens;
}

for (const api of ["ollama", "openai"] as const) {
  Deno.test(`${api}: a complete diff then endless prose: the stream is closed after the closing fence`, async () => {
    const diff = diffOf(A, "f() == 4", "f() == 3", "test_a");
    const reply = `Here is the change:\n${F}diff\n${diff}${F}\n\n${RAMBLE}`;
    const { outcome, request, call, expectedCap } = await runPatch(api, "udiff", [A], reply);
    assert.equal(outcome.stop, "accepted");
    assert.equal(
      outcome.stop === "accepted" && outcome.patch.changes[0].newContent,
      "def test_a():\n    assert f() == 3\n",
    );
    assert.match(call.stoppedEarly ?? "", /^complete_edit: udiff for every editable file/);
    const delivery = request.delivery!;
    assert.equal(delivery.cancelled, true, "the client closed the connection");
    assert.ok(delivery.sent < delivery.frames / 4, `sent ${delivery.sent} of ${delivery.frames} frames`);
    // The cap sent is sized from the one small file, far under the old fixed 2,048.
    assert.equal(capOf(api, request), expectedCap);
    assert.equal(call.maxTokens, expectedCap);
    assert.ok(expectedCap < 1024, `cap ${expectedCap}`);
  });

  Deno.test(`${api}: an honest edit in several SEARCH/REPLACE blocks is read to its end`, async () => {
    const sr = (path: string, from: string, to: string) =>
      `${path}\n${F}python\n<<<<<<< SEARCH\n    assert ${from}\n=======\n    assert ${to}\n>>>>>>> REPLACE\n${F}\n`;
    const reply = `${sr(A, "f() == 4", "f() == 3")}\nNow the second file:\n\n${sr(B, "g() == 5", "g() == 6")}`;
    const { outcome, request, call } = await runPatch(api, "search-replace", [A, B], reply);
    assert.equal(outcome.stop, "accepted");
    assert.deepEqual(outcome.stop === "accepted" && outcome.patch.changes.map((c) => c.path).sort(), [A, B]);
    assert.equal(call.stoppedEarly, undefined);
    assert.equal(request.delivery?.cancelled, false);
    assert.equal(request.delivery?.sent, request.delivery?.frames);
  });
}

Deno.test("an honest two-file diff in two blocks, with prose between them, is not cut after the first", async () => {
  const reply = `${F}diff\n${diffOf(A, "f() == 4", "f() == 3", "test_a")}${F}\n\nAnd for ${B}, too.\n\n${F}diff\n${
    diffOf(B, "g() == 5", "g() == 6", "test_b")
  }${F}\n\n${RAMBLE}`;
  const { outcome, call, request } = await runPatch("ollama", "udiff", [A, B], reply);
  assert.equal(outcome.stop, "accepted");
  assert.deepEqual(outcome.stop === "accepted" && outcome.patch.changes.map((c) => c.path).sort(), [A, B]);
  assert.match(call.stoppedEarly ?? "", /complete_edit: udiff for every editable file/);
  assert.equal(request.delivery?.cancelled, true);
});

Deno.test("output cap: sized from the files to edit, with a floor and the configured ceiling", () => {
  const small = [{ path: A, content: FILES[A] }];
  assert.equal(patchOutputTokens({ files: small, format: "udiff", maxChangedLines: 200 }), 384);
  const big = [{ path: A, content: "    assert price(1) == '$1.00'  # checked\n".repeat(60) }];
  const sized = patchOutputTokens({ files: big, format: "udiff", maxChangedLines: 200 });
  assert.ok(sized > 384 && sized < 2048, `sized ${sized}`);
  // The changed-lines limit bounds what a diff can change.
  assert.ok(patchOutputTokens({ files: big, format: "udiff", maxChangedLines: 10 }) < sized);
  // A whole-file answer must hold the whole file.
  const whole = patchOutputTokens({ files: big, format: "whole", maxChangedLines: 200 });
  assert.ok(whole >= Math.ceil(big[0].content.length / 4), `whole ${whole}`);
  const huge = [{ path: A, content: "x = 1\n".repeat(5000) }];
  assert.equal(patchOutputTokens({ files: huge, format: "whole", maxChangedLines: 200 }), 2048);
  assert.equal(patchOutputTokens({ files: huge, format: "whole", maxChangedLines: 200, ceiling: 8000 }), 8000);
  assert.equal(patchOutputTokens({ files: [], format: "udiff", maxChangedLines: 200, ceiling: 3000 }), 3000);
});
