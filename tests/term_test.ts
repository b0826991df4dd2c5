import assert from "node:assert/strict";
import { logLineOver } from "../src/term.ts";
import { Logger } from "../src/log.ts";

Deno.test("a log line with no spinner on screen is just the line", () => {
  assert.equal(logLineOver("warning: x"), "warning: x\n");
});

Deno.test("a log line over a spinner clears the spinner's line first and redraws the spinner after it", () => {
  const out = logLineOver("warning: x", "⠋ plan: writing… 12 tokens");
  assert.equal(out, "\r\x1b[2Kwarning: x\n⠋ plan: writing… 12 tokens");
  // The log line starts on a cleared line, never after the spinner's text.
  assert.ok(out.startsWith("\r\x1b[2Kwarning"));
});

Deno.test("Logger writes its levels' prefixes through its sink", () => {
  const lines: string[] = [];
  const logger = new Logger("info", { write: (l) => lines.push(l) });
  logger.debug("hidden");
  logger.info("shown");
  logger.warn("careful");
  assert.deepEqual(lines, ["shown", "warning: careful"]);
});
