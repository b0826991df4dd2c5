/**
 * One renderSections serves both sentries (issue 12): TestSentry's context sections in code fences, DocSentry's
 * doc excerpts under banners. The expected texts are written out in full, so a change to either layout shows.
 */
import assert from "node:assert/strict";
import { type ContextSection, renderSection, renderSections } from "../../src/context/budget.ts";
import { type DocSection, selectDocSections } from "../../src/sentries/docsentry/select.ts";

const CONTEXT: ContextSection[] = [
  {
    title: "Failing test tests/test_a.py::test_x",
    path: "tests/test_a.py",
    text: "def test_x():\n    assert f()",
    priority: 9,
  },
  { title: "Traceback", text: "E   AssertionError", priority: 8 },
];

Deno.test("renderSections, fenced (the default): a ## heading and the text in a code fence, one blank line apart", () => {
  assert.equal(
    renderSections(CONTEXT),
    "## Failing test tests/test_a.py::test_x\n```\ndef test_x():\n    assert f()\n```\n" +
      "\n## Traceback\n```\nE   AssertionError\n```\n",
  );
  assert.equal(renderSections(CONTEXT, "fenced"), renderSections(CONTEXT));
  assert.equal(renderSections([]), "");
});

const README = [
  "# Shop",
  "",
  "Call `total_price(items)`.",
  "",
  "## Example",
  "",
  "```python",
  "total_price([1, 2])",
  "```",
].join("\n");

Deno.test("renderSections, banner: doc sections titled path (lines a-b), bare text, a blank line apart", () => {
  const selection = selectDocSections([{ path: "README.md", content: README }], ["total_price"], 10_000);
  assert.deepEqual(selection.sections.map((s) => s.title), ["README.md (lines 1-4)", "README.md (lines 5-9)"]);
  assert.equal(
    renderSections(selection.sections, "banner"),
    "--- README.md (lines 1-4) ---\n# Shop\n\nCall `total_price(items)`.\n" +
      "\n\n--- README.md (lines 5-9) ---\n## Example\n\n```python\ntotal_price([1, 2])\n```",
  );
});

Deno.test("renderSections, banner: a doc's own code fence is shown as it is, never inside another fence", () => {
  const doc: DocSection = {
    title: "docs/usage.md (lines 3-5)",
    path: "docs/usage.md",
    startLine: 3,
    endLine: 5,
    text: "```sh\nshop --total\n```",
    mentions: 1,
  };
  const banner = renderSection(doc, "banner");
  assert.equal(banner, "--- docs/usage.md (lines 3-5) ---\n```sh\nshop --total\n```");
  // The fenced layout would have put the doc's fence inside a fence: the reason docs use banners.
  assert.equal(renderSection(doc).split("```").length - 1, 4);
});

Deno.test("renderSections: the same function takes either sentry's sections", () => {
  const doc: DocSection = {
    title: "CHANGELOG.md (lines 1-1)",
    path: "CHANGELOG.md",
    startLine: 1,
    endLine: 1,
    text: "x",
    mentions: 1,
  };
  assert.equal(
    renderSections([doc, CONTEXT[1]], "banner"),
    "--- CHANGELOG.md (lines 1-1) ---\nx\n\n--- Traceback ---\nE   AssertionError",
  );
  assert.equal(renderSections([doc]), "## CHANGELOG.md (lines 1-1)\n```\nx\n```\n");
});
