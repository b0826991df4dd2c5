import assert from "node:assert/strict";
import { applyHunks, newFileContent } from "../../src/patch/apply.ts";
import { learnReindent } from "../../src/patch/indent_map.ts";
import { FileIndex, locateHunk, type MatchStage } from "../../src/patch/locate.ts";
import type { Hunk, HunkLine } from "../../src/patch/types.ts";

/** A hunk from diff-style lines: " ctx", "-old", "+new". */
function hunk(...lines: string[]): Hunk {
  return { lines: lines.map((l): HunkLine => ({ op: l[0] as HunkLine["op"], text: l.slice(1) })) };
}

const FILE = ["def f():", "    x = 1", "    return x", "", "", "def g():", "    x = 1", "    return x * 2"];

Deno.test("locate: stages from strict to tolerant, first stage with a match decides", () => {
  const index = new FileIndex(FILE);
  const cases: Array<[before: string[], stage: MatchStage | "ambiguous" | "not_found", start?: number]> = [
    [["def g():", "    x = 1"], "exact", 5],
    [["def g():  ", "    x = 1\t"], "trailing-whitespace", 5],
    [["        def g():", "            x = 1"], "indentation-relative", 5],
    [["def g():", "  x = 1"], "whitespace-insensitive", 5],
    [["    return x", "def g():"], "blank-lines", 2],
    [["    return x", "", "", "", "def g():"], "blank-lines", 2],
    [["    x = 1"], "ambiguous"],
    [["def h():"], "not_found"],
    [["def f():", "    x = 2"], "not_found"],
  ];
  for (const [before, expected, start] of cases) {
    const outcome = locateHunk(index, before, before.map(() => false));
    const got = outcome.kind === "found" ? outcome.match.stage : outcome.kind;
    assert.equal(got, expected, before.join(" | "));
    if (outcome.kind === "found") assert.equal(outcome.match.start, start, before.join(" | "));
  }
});

Deno.test("locate: a removed blank line must exist in the file", () => {
  const index = new FileIndex(["a", "b"]);
  const outcome = locateHunk(index, ["a", "", "b"], [false, true, false]);
  assert.equal(outcome.kind, "not_found");
});

Deno.test("reindent learned from matched lines", () => {
  const cases: Array<[pairs: Array<[string, string]>, line: string, expected: string]> = [
    [[["a", "a"]], "  b", "  b"],
    [[["x", "    x"], ["  y", "      y"]], "    z", "        z"], // shifted by 4
    [[["  x", "    x"], ["    y", "        y"]], "      z", "            z"], // 2 → 4 spaces
    [[["    x", "\tx"], ["        y", "\t\ty"]], "            z", "\t\t\tz"], // spaces → tabs
    [[["  x", "    x"]], "  z", "    z"], // same indent as a matched line
    [[["  x", "    x"]], "", ""],
  ];
  for (const [pairs, line, expected] of cases) {
    assert.equal(learnReindent(pairs)(line), expected, JSON.stringify([pairs, line]));
  }
});

const content = FILE.join("\n") + "\n";

Deno.test("apply: table of outcomes", () => {
  const cases: Array<[name: string, hunks: Hunk[], expected: string | string[]]> = [
    [
      "exact",
      [hunk(" def g():", "-    x = 1", "+    x = 3")],
      content.replace("x = 1\n    return x * 2", "x = 3\n    return x * 2"),
    ],
    [
      "insert with context",
      [hunk(" def f():", "+    '''doc'''")],
      content.replace("def f():\n", "def f():\n    '''doc'''\n"),
    ],
    [
      "two separated edits in one hunk",
      [hunk(" def f():", "-    x = 1", "+    x = 10", " def g():", "-    x = 1", "+    x = 20")],
      content.replace("x = 1", "x = 10").replace("def g():\n    x = 1", "def g():\n    x = 20"),
    ],
    ["only additions, no context", [hunk("+import os")], ["apply.hunk_no_context"]],
    ["ambiguous", [hunk("-    x = 1", "+    x = 2")], ["apply.hunk_ambiguous"]],
    ["not found", [hunk(" def f():", "-    x = 9", "+    x = 2")], ["apply.hunk_not_found"]],
    ["overlap", [hunk(" def f():", "-    x = 1", "+    x = 2"), hunk("-def f():", "+def ff():")], [
      "apply.hunks_overlap",
    ]],
    [
      "context-only hunks are ignored",
      [hunk(" def f():"), hunk(" def g():", "-    x = 1", "+    y = 1")],
      content.replace("def g():\n    x = 1", "def g():\n    y = 1"),
    ],
  ];
  for (const [name, hunks, expected] of cases) {
    const result = applyHunks("f.py", content, hunks);
    if (typeof expected === "string") {
      assert.ok(result.ok, `${name}: ${JSON.stringify(result)}`);
      assert.equal(result.content, expected, name);
    } else {
      assert.ok(!result.ok, name);
      assert.deepEqual(result.problems.map((p) => p.code), expected, name);
    }
  }
});

Deno.test("apply: the refusal quotes the line that did not match", () => {
  const result = applyHunks("f.py", content, [hunk(" def f():", "     x = 1", "-    return y", "+    return z")]);
  assert.ok(!result.ok);
  const expected = "after `    x = 1` the hunk expects `    return y` but the file has `    return x`";
  assert.ok(result.problems[0].message.includes(expected), result.problems[0].message);
});

Deno.test("apply: line endings and the final newline are preserved", () => {
  const crlf = "a\r\nb\r\nc\r\n";
  const r1 = applyHunks("x", crlf, [hunk(" a", "-b", "+B")]);
  assert.ok(r1.ok && r1.content === "a\r\nB\r\nc\r\n");
  const noEol = "a\nb";
  const r2 = applyHunks("x", noEol, [hunk(" a", "-b", "+B")]);
  assert.ok(r2.ok && r2.content === "a\nB");
  const explicit = { ...hunk(" a", "-b", "+B"), newSideNoNewline: true };
  const r3 = applyHunks("x", "a\nb\n", [explicit]);
  assert.ok(r3.ok && r3.content === "a\nB");
  const r4 = applyHunks("x", "", [hunk("+first")]);
  assert.ok(r4.ok && r4.content === "first\n");
});

Deno.test("new files take every added line and refuse removals", () => {
  const created = newFileContent("n.py", [hunk("+a", "+", "+b")]);
  assert.ok(created.ok && created.content === "a\n\nb\n");
  const bad = newFileContent("n.py", [hunk("-a", "+b")]);
  assert.ok(!bad.ok && bad.problems[0].code === "apply.new_file_removes_lines");
});
