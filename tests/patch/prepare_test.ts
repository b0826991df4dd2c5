/** preparePatch as the sentries use it: every reason at once, feedback for the model, canonical diff. */
import assert from "node:assert/strict";
import {
  defaultPolicy,
  editFormatInstructions,
  formatProblemsForModel,
  preparePatch,
  resolvePolicy,
} from "../../src/patch/mod.ts";
import { makeTempRepo } from "./helpers.ts";

const TEST_FILE = "def test_total():\n    assert 1 + 1 == 3\n";

Deno.test("every reason is reported at once, and the feedback lists them for the model", async () => {
  await using temp = await makeTempRepo({ "tests/test_m.py": TEST_FILE, "src/m.py": "X = 1\n" });
  const answer = [
    "```diff",
    "--- a/src/m.py",
    "+++ b/src/m.py",
    "@@ -1 +1 @@",
    "-X = 1",
    "+X = 2",
    "--- a/tests/test_m.py",
    "+++ b/tests/test_m.py",
    "@@ -1,2 +1,3 @@",
    "+@pytest.mark.skip",
    " def test_total():",
    "     assert 1 + 1 == 3",
    "--- /dev/null",
    "+++ b/.git/hooks/post-checkout",
    "@@ -0,0 +1 @@",
    "+echo owned",
    "```",
  ].join("\n");
  const prepared = await preparePatch(answer, { repoRoot: temp.repo, policy: defaultPolicy("tests") });
  assert.equal(prepared.kind, "rejected");
  if (prepared.kind !== "rejected") return;
  assert.deepEqual(prepared.problems.map((p) => p.code).sort(), [
    "guard.git_path",
    "guard.path_outside_allowlist",
    "weaken.skip_marker",
  ]);
  const feedback = formatProblemsForModel(prepared.problems);
  assert.match(feedback, /^Your previous answer was rejected and nothing was changed:/);
  for (const p of prepared.problems) assert.ok(feedback.includes(`- ${p.message} [${p.code}]`));
  assert.match(feedback, /NO_CHANGES/);
  assert.equal(formatProblemsForModel([]), "");
});

Deno.test("the canonical diff is git-style and counts lines", async () => {
  await using temp = await makeTempRepo({ "tests/test_m.py": TEST_FILE, "tests/data/old.txt": "bye\n" });
  const answer = [
    "--- a/tests/test_m.py",
    "+++ b/tests/test_m.py",
    "@@ @@",
    " def test_total():",
    "-    assert 1 + 1 == 3",
    "+    assert 1 + 1 == 2",
    "--- /dev/null",
    "+++ b/tests/data/new.txt",
    "@@ -0,0 +1,2 @@",
    "+hello",
    "+world",
    "--- a/tests/data/old.txt",
    "+++ /dev/null",
    "@@ -1 +0,0 @@",
    "-bye",
  ].join("\n");
  const prepared = await preparePatch(answer, { repoRoot: temp.repo, policy: defaultPolicy("tests") });
  assert.equal(prepared.kind, "ok", JSON.stringify(prepared));
  if (prepared.kind !== "ok") return;
  assert.equal(prepared.filesChanged, 3);
  assert.equal(prepared.linesAdded, 3);
  assert.equal(prepared.linesRemoved, 2);
  assert.equal(
    prepared.diff,
    [
      "diff --git a/tests/test_m.py b/tests/test_m.py",
      "--- a/tests/test_m.py",
      "+++ b/tests/test_m.py",
      "@@ -1,2 +1,2 @@",
      " def test_total():",
      "-    assert 1 + 1 == 3",
      "+    assert 1 + 1 == 2",
      "diff --git a/tests/data/new.txt b/tests/data/new.txt",
      "new file mode 100644",
      "--- /dev/null",
      "+++ b/tests/data/new.txt",
      "@@ -0,0 +1,2 @@",
      "+hello",
      "+world",
      "diff --git a/tests/data/old.txt b/tests/data/old.txt",
      "deleted file mode 100644",
      "--- a/tests/data/old.txt",
      "+++ /dev/null",
      "@@ -1,1 +0,0 @@",
      "-bye",
      "",
    ].join("\n"),
  );
});

Deno.test("user-lowered limits apply; docs/conf.py is code the docs sentry may not edit", async () => {
  await using temp = await makeTempRepo({
    "docs/conf.py": "def test_x():\n    assert 1\n",
    "docs/guide.md": "def test_x():\n    assert 1\n",
  });
  const conf = "--- a/docs/conf.py\n+++ b/docs/conf.py\n@@ -1,2 +1,2 @@\n def test_x():\n-    assert 1\n+    pass\n";
  const refused = await preparePatch(conf, { repoRoot: temp.repo, policy: defaultPolicy("docs") });
  assert.ok(refused.kind === "rejected" && refused.problems.map((p) => p.code).join() === "docs.not_text");
  const answer = conf.replaceAll("docs/conf.py", "docs/guide.md");
  const docs = await preparePatch(answer, { repoRoot: temp.repo, policy: defaultPolicy("docs") });
  assert.equal(docs.kind, "ok");
  const strict = await preparePatch(answer, {
    repoRoot: temp.repo,
    policy: resolvePolicy("docs", { maxChangedLines: 1 }),
  });
  assert.ok(strict.kind === "rejected" && strict.problems.map((p) => p.code).join() === "guard.too_many_lines");
});

Deno.test("edit-format instructions describe each format and the NO_CHANGES rule", () => {
  const udiff = editFormatInstructions("udiff");
  assert.match(udiff, /--- a\/tests\/test_example\.py/);
  assert.match(udiff, /\/dev\/null/);
  assert.match(editFormatInstructions("search-replace"), /<<<<<<< SEARCH[\s\S]*=======[\s\S]*>>>>>>> REPLACE/);
  assert.match(editFormatInstructions("whole"), /complete new content/);
  for (const format of ["udiff", "search-replace", "whole"] as const) {
    assert.match(editFormatInstructions(format), /answer exactly NO_CHANGES/);
    assert.match(editFormatInstructions(format), /placeholders/);
  }
});
