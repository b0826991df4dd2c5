/** A degenerate stream (one unit repeated) is cut short; honest replies with some repetition are read whole. */
import assert from "node:assert/strict";
import { degenerateTail } from "../../src/llm/degenerate.ts";
import { clientFor, PLAN_MODEL, user, withStandIn } from "./helpers.ts";

Deno.test("degenerateTail: a word, a line or a short phrase repeated over 600 characters", () => {
  assert.match(degenerateTail("Here is the fix:\n" + "the ".repeat(200)) ?? "", /repetition: "the" ×/);
  assert.match(degenerateTail("x\n" + "+    assert total == 3\n".repeat(40)) ?? "", /assert total == 3/);
  assert.match(degenerateTail("<end_of_turn>".repeat(60)) ?? "", /repetition/);
});

Deno.test("degenerateTail: honest text with some repetition is not degenerate", () => {
  // A diff that legitimately changes eight identical lines, and a long varied answer.
  const diff = "--- a/tests/t.py\n+++ b/tests/t.py\n@@ -1,8 +1,8 @@\n" + "-    assert f() == 1\n".repeat(8) +
    "+    assert f() == 2\n".repeat(8);
  assert.equal(degenerateTail(diff), undefined);
  const varied = Array.from({ length: 200 }, (_, i) => `+    assert price(${i}) == "$${i}.00"\n`).join("");
  assert.equal(degenerateTail(varied), undefined);
  assert.equal(degenerateTail("short"), undefined);
});

for (const api of ["ollama", "openai"] as const) {
  Deno.test(`${api}: a degenerate stream stops being read long before its end, and the record says why`, async () => {
    const endless = "Sure, here is the change:\n" + "nonsense token ".repeat(2000);
    await withStandIn({ reply: () => ({ content: endless, chunkSize: 8 }) }, async (standIn) => {
      const client = clientFor(api === "ollama" ? standIn.url : `${standIn.url}/v1`);
      const result = await client.chat(PLAN_MODEL, user("write the patch"));
      assert.ok(result.content.length < 2000, `read ${result.content.length} of ${endless.length} characters`);
      assert.ok(endless.startsWith(result.content), "what was read is kept byte for byte");
      assert.match(client.calls[0].stoppedEarly ?? "", /repetition: "nonsense token"/);
      assert.equal(client.calls[0].ok, true);
    });
  });
}

Deno.test("an honest long reply is read to its end", async () => {
  const long = Array.from({ length: 150 }, (_, i) => `+    assert price(${i}) == "$${i}.00"\n`).join("");
  await withStandIn({ reply: () => ({ content: long, chunkSize: 16 }) }, async (standIn) => {
    const client = clientFor(`${standIn.url}/v1`);
    const result = await client.chat(PLAN_MODEL, user("write the patch"));
    assert.equal(result.content, long);
    assert.equal(client.calls[0].stoppedEarly, undefined);
  });
});
