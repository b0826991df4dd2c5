import assert from "node:assert/strict";
import { extractEdits, isNoChangesAnswer } from "../../src/patch/extract.ts";
import { findFences } from "../../src/patch/fences.ts";
import { parseUnifiedDiff } from "../../src/patch/parse_udiff.ts";
import { pathFromFenceInfo, pathFromLine, unquoteGitPath } from "../../src/patch/paths.ts";
import { findPlaceholder } from "../../src/patch/placeholders.ts";

const F = "```";

Deno.test("NO_CHANGES answers", () => {
  const cases: Array<[string, boolean]> = [
    ["NO_CHANGES", true],
    ["  NO_CHANGES\n", true],
    ["`NO_CHANGES`", true],
    ["**NO_CHANGES**.", true],
    [`${F}\nNO_CHANGES\n${F}`, true],
    ["no_changes", true],
    ["NO_CHANGES needed except line 3", false],
    ["NO CHANGES", false],
    ["", false],
  ];
  for (const [text, expected] of cases) assert.equal(isNoChangesAnswer(text.split("\n")), expected, text);
});

Deno.test("fences: info strings, nesting, unclosed", () => {
  const lines = [
    "prose",
    `${F}diff`,
    "-a",
    "+b",
    F,
    "more",
    `${F}md README.md`,
    "x",
    `${F}py`,
    "y",
    F,
    "z",
    F,
    `${F}`,
    "cut",
  ];
  const fences = findFences(lines);
  assert.deepEqual(fences.map((f) => [f.info, f.lines, f.closed]), [
    ["diff", ["-a", "+b"], true],
    ["md README.md", ["x", `${F}py`, "y", F, "z"], true],
    ["", ["cut"], false],
  ]);
  assert.deepEqual(findFences(["~~~~", "```", "~~~~"]).map((f) => f.lines), [["```"]]);
  assert.deepEqual(findFences(["inline ```code``` here"]), []);
});

Deno.test("paths from lines and fence info", () => {
  const lines: Array<[string, string | undefined]> = [
    ["tests/test_x.py", "tests/test_x.py"],
    ["**tests/test_x.py**", "tests/test_x.py"],
    ["### File: tests/test_x.py", "tests/test_x.py"],
    ["`README.md`:", "README.md"],
    ["./docs/a.md", "docs/a.md"],
    ["Here is the fix for tests/test_x.py:", undefined],
    ["python", undefined],
    ["...", undefined],
  ];
  for (const [line, expected] of lines) assert.equal(pathFromLine(line), expected, line);
  assert.equal(pathFromFenceInfo("python tests/x.py"), "tests/x.py");
  assert.equal(pathFromFenceInfo("python:tests/x.py"), "tests/x.py");
  assert.equal(pathFromFenceInfo("diff"), undefined);
  assert.equal(unquoteGitPath('"b/a\\tb\\303\\251.py"'), "b/a\tbé.py");
  assert.equal(unquoteGitPath("plain"), "plain");
});

Deno.test("placeholders", () => {
  const cases: Array<[string[], string | undefined]> = [
    [["x = 1", "# ... existing code ...", "y = 2"], "# ... existing code ..."],
    [["// ... rest of the file"], "// ... rest of the file"],
    [["# rest of the tests unchanged"], "# rest of the tests unchanged"],
    [["<!-- ... -->"], "<!-- ... -->"],
    [["import os", "..."], "..."],
    [["…"], "…"],
    [["def stub():", "    ..."], undefined],
    [["class P(Protocol):", "", "    ..."], undefined],
    [["x = [1, ...]"], undefined],
    [["# explains the algorithm"], undefined],
  ];
  for (const [lines, expected] of cases) assert.equal(findPlaceholder(lines), expected, lines.join(" | "));
});

Deno.test("format detection prefers the requested format, falls back to explicit syntax", () => {
  const diff = "--- a/tests/a.py\n+++ b/tests/a.py\n@@ -1 +1 @@\n-x = 1\n+x = 2\n";
  const searchReplace = "tests/a.py\n<<<<<<< SEARCH\nx = 1\n=======\nx = 2\n>>>>>>> REPLACE\n";
  const whole = `tests/a.py\n${F}python\nx = 2\n${F}\n`;
  const formatOf = (text: string, requested: "udiff" | "search-replace" | "whole") => {
    const result = extractEdits(text, requested);
    return result.kind === "edits" && result.problems.length === 0 ? result.format : result.kind;
  };
  assert.equal(formatOf(diff, "udiff"), "udiff");
  assert.equal(formatOf(diff, "whole"), "udiff");
  assert.equal(formatOf(searchReplace, "udiff"), "search-replace");
  assert.equal(formatOf(whole, "whole"), "whole");
  // A fenced file is only taken as a whole-file edit when that format was asked for.
  assert.equal(formatOf(whole, "udiff"), "edits");
  const none = extractEdits(whole, "udiff");
  assert.ok(none.kind === "edits" && none.problems[0].code === "extract.no_diff");
});

Deno.test("parse: headers, blank context lines and prose after a bare diff", () => {
  const lines = [
    "diff --git a/tests/a b.py b/tests/a b.py",
    "--- a/tests/a b.py\t2024-01-01 00:00:00",
    "+++ b/tests/a b.py\t2024-01-01 00:00:00",
    "@@ -1,3 +1,3 @@",
    " a",
    "",
    "-b",
    "+c",
    "\\ No newline at end of file",
    "",
    "- this bullet is prose after a blank line",
  ];
  const parsed = parseUnifiedDiff([{ lines, fenced: false }]);
  assert.deepEqual(parsed.problems, []);
  assert.equal(parsed.edits.length, 1);
  assert.equal(parsed.edits[0].path, "tests/a b.py");
  assert.equal(parsed.edits[0].operation, "modify");
  const hunk = parsed.edits[0].hunks[0];
  assert.deepEqual(hunk.lines, [
    { op: " ", text: "a" },
    { op: " ", text: "" },
    { op: "-", text: "b" },
    { op: "+", text: "c" },
  ]);
  assert.equal(hunk.newSideNoNewline, true);
});

Deno.test("parse: --- and +++ naming different files is refused", () => {
  const parsed = parseUnifiedDiff([{
    lines: ["--- a/tests/a.py", "+++ b/tests/b.py", "@@", "-x", "+y"],
    fenced: true,
  }]);
  assert.deepEqual(parsed.problems.map((p) => p.code), ["parse.path_mismatch"]);
});

Deno.test("parse: a hunk before any file header", () => {
  const parsed = parseUnifiedDiff([{ lines: ["@@ -1 +1 @@", "-x", "+y"], fenced: true }]);
  assert.deepEqual(parsed.problems.map((p) => p.code), ["parse.hunk_without_file"]);
});
