/** When a streamed patcher answer holds a complete edit: stop only where nothing after it can belong to it. */
import assert from "node:assert/strict";
import { completeEditReason } from "../../src/patch/complete_edit.ts";
import { extractEdits } from "../../src/patch/extract.ts";

const F = "```";
const A = "tests/test_a.py";
const B = "tests/test_b.py";

const diffBlock = (path: string, from = "4", to = "3") =>
  `${F}diff\n--- a/${path}\n+++ b/${path}\n@@ -1,2 +1,2 @@\n def test_x():\n-    assert f() == ${from}\n+    assert f() == ${to}\n${F}\n`;
const srBlock = (path: string, from: string, to: string, fenced = true) => {
  const block = `<<<<<<< SEARCH\n    assert f() == ${from}\n=======\n    assert f() == ${to}\n>>>>>>> REPLACE\n`;
  return fenced ? `${path}\n${F}python\n${block}${F}\n` : `${path}\n${block}`;
};
const wholeBlock = (path: string) => `${path}\n${F}python\ndef test_x():\n    assert f() == 3\n${F}\n`;

/** The reasons seen while the text streams in line by line: index of the first line that stops it. */
function firstStop(text: string, format: "udiff" | "search-replace" | "whole", editable: string[]) {
  const lines = text.split("\n");
  for (let n = 1; n <= lines.length; n++) {
    const soFar = lines.slice(0, n).join("\n") + (n < lines.length ? "\n" : "");
    const reason = completeEditReason(soFar, format, editable);
    if (reason) return { at: soFar.length, reason };
  }
  return undefined;
}

Deno.test("udiff: the closing fence of a diff covering every editable file ends the answer at once", () => {
  const diff = diffBlock(A);
  const text = `Here is the fix:\n${diff}\nThis updates the expected value because the function now returns 3.`;
  const stop = firstStop(text, "udiff", [A]);
  assert.ok(stop, "stopped");
  assert.equal(text.slice(0, stop.at), `Here is the fix:\n${diff}`, "right after the closing fence's newline");
  assert.match(stop.reason, /complete_edit: udiff for every editable file \(tests\/test_a\.py\)/);
  // Not before: inside the block, or on the closing fence line before its newline.
  assert.equal(completeEditReason(`Here is the fix:\n${diff.slice(0, -5)}`, "udiff", [A]), undefined);
  assert.equal(completeEditReason(`Here is the fix:\n${diff.slice(0, -1)}`, "udiff", [A]), undefined);
});

Deno.test("udiff: one file of two edited, then prose that starts no edit: stop at the prose", () => {
  const text = `${diffBlock(A)}\nThat is all that needs to change.\nMore words follow here.`;
  const stop = firstStop(text, "udiff", [A, B]);
  assert.ok(stop);
  assert.equal(text.slice(0, stop.at), `${diffBlock(A)}\nThat is all that needs to change.\n`);
  assert.match(stop.reason, /then text that is no edit/);
});

Deno.test("udiff: a second block for another file is read, whatever introduces it", () => {
  for (
    const intro of ["Now the second file:", B, `I also need to change ${B} as follows.`, "**tests/test_b.py**", ""]
  ) {
    const text = `${diffBlock(A)}\n${intro}\n${diffBlock(B)}\nDone, both files updated.`;
    const stop = firstStop(text, "udiff", [A, B]);
    assert.ok(stop, intro);
    assert.ok(text.slice(0, stop.at).includes(diffBlock(B)), `both blocks read (${JSON.stringify(intro)})`);
    const edits = extractEdits(text.slice(0, stop.at), "udiff");
    assert.equal(edits.kind === "edits" && edits.edits.length, 2);
  }
});

Deno.test("udiff: a broken or unclosed diff is no complete edit", () => {
  const broken = `${F}diff\n--- a/${A}\n+++ b/${A}\n${F}\nSorry, here it is again.\n`;
  assert.equal(completeEditReason(broken, "udiff", [A]), undefined);
  assert.equal(completeEditReason(`${F}diff\n--- a/${A}\n+++ b/${A}\n@@ -1 +1 @@\n-x\n+y\n`, "udiff", [A]), undefined);
  assert.equal(completeEditReason("I will now write the diff.\n", "udiff", [A]), undefined);
});

Deno.test("search-replace: several blocks for one file are never cut at the first", () => {
  const first = srBlock(A, "4", "3");
  const second = srBlock(A, "5", "6");
  const text = `${first}\n${second}\nBoth assertions now expect the new values.\nMore.`;
  const stop = firstStop(text, "search-replace", [A]);
  assert.ok(stop);
  assert.equal(text.slice(0, stop.at), `${first}\n${second}\nBoth assertions now expect the new values.\n`);
  // Right after the first block (even with every editable file covered), the answer is read on.
  assert.equal(completeEditReason(first, "search-replace", [A]), undefined);
  assert.equal(completeEditReason(`${first}\n${A}\n`, "search-replace", [A]), undefined);
});

Deno.test("search-replace: unfenced blocks, and one block still open", () => {
  const text = `${srBlock(A, "4", "3", false)}${srBlock(B, "4", "3", false)}\nThat's it.\n`;
  const stop = firstStop(text, "search-replace", [A, B]);
  assert.ok(stop);
  assert.ok(text.slice(0, stop.at).endsWith("That's it.\n"));
  const open = `${A}\n<<<<<<< SEARCH\n    assert f() == 4\n=======\nThis is prose inside the block.\n`;
  assert.equal(completeEditReason(open, "search-replace", [A]), undefined);
});

Deno.test("the same edit sent again stops the answer; the same change in two files does not", () => {
  const again = `${diffBlock(A)}\n${diffBlock(A)}`;
  assert.match(completeEditReason(again, "udiff", [A, B]) ?? "", /was sent again/);
  const sameInTwo = `${srBlock(A, "4", "3")}\n${srBlock(B, "4", "3")}`;
  assert.equal(completeEditReason(sameInTwo, "search-replace", [A, B]), undefined);
});

Deno.test("whole: the closing fence of the last editable file ends the answer", () => {
  const text = `${wholeBlock(A)}\n${wholeBlock(B)}\nExplanation follows.`;
  const stop = firstStop(text, "whole", [A, B]);
  assert.ok(stop);
  assert.equal(text.slice(0, stop.at), `${wholeBlock(A)}\n${wholeBlock(B)}`);
  assert.equal(completeEditReason(`${wholeBlock(A)}\n`, "whole", [A, B]), undefined);
});

Deno.test("an answer in another format than asked for is never stopped early", () => {
  const text = `${srBlock(A, "4", "3")}\nDone.\nMore.\n`;
  assert.equal(completeEditReason(text, "udiff", [A]), undefined);
});
