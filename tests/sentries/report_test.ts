import assert from "node:assert/strict";
import { indentCapped } from "../../src/sentries/testsentry/report.ts";

Deno.test("a rambling plan is capped in the human report", () => {
  const plan = Array.from({ length: 40 }, (_, i) => `${i + 1}. step`).join("\n");
  const shown = indentCapped(plan, 15).split("\n");
  assert.equal(shown.length, 16);
  assert.equal(shown[14], "    15. step");
  assert.equal(shown[15], "    … (25 more lines; --json has the whole text)");
  assert.equal(indentCapped("1. a\n2. b\n", 15), "    1. a\n    2. b");
});
