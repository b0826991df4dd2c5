/** The scenario corpus: deterministic, big enough, committed as generated, every answer a real diff. */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { buildCorpus, editedLines, editsToDiff, readCorpus, SCENARIO_SPECS } from "../../bench/generate.ts";
import { importedFiles } from "../../bench/naive_context.ts";
import { join } from "node:path";

Deno.test("the corpus is deterministic and covers at least 20 test and 8 docs scenarios", () => {
  const a = JSON.stringify(buildCorpus());
  const b = JSON.stringify(buildCorpus());
  assert.equal(a, b);
  const corpus = buildCorpus();
  assert.ok(corpus.filter((s) => s.kind === "tests").length >= 20);
  assert.ok(corpus.filter((s) => s.kind === "docs").length >= 8);
  const expected = new Set<string>(corpus.map((s) => s.expected));
  for (const outcome of ["fixed", "no_failures", "flaky_only", "source_bug", "updated", "no_changes"]) {
    assert.ok(expected.has(outcome), `a scenario expects ${outcome}`);
  }
  for (const s of corpus.filter((s) => s.expected === "fixed" || s.expected === "updated")) {
    assert.match(s.model.patch, /^--- a\//, `${s.id} has a right patch`);
    assert.ok(s.model.evidence.length > 0, `${s.id} gates its right answer on evidence`);
  }
});

Deno.test("bench/scenarios/ holds exactly what the generator writes", async () => {
  const dir = fileURLToPath(new URL("../../bench/scenarios/", import.meta.url));
  assert.deepEqual(await readCorpus(dir), buildCorpus().sort((x, y) => x.id.localeCompare(y.id)));
});

Deno.test("an edit that does not match its file fails generation instead of becoming a silent wrong answer", () => {
  const files = { "tests/test_x.py": "assert f(1) == 2\n" };
  assert.match(
    editsToDiff(files, [{ path: "tests/test_x.py", replace: [["== 2", "== 3"]] }], "x"),
    /\+assert f\(1\) == 3/,
  );
  assert.throws(() => editsToDiff(files, [{ path: "tests/test_x.py", replace: [["== 4", "== 3"]] }], "x"), /has no/);
  assert.throws(() => editsToDiff(files, [{ path: "tests/nope.py", replace: [["a", "b"]] }], "x"), /no file/);
  assert.equal(SCENARIO_SPECS.length, buildCorpus().length);
});

Deno.test("the patcher must have been shown every line its right answer edits", () => {
  const diff = "--- a/t.py\n+++ b/t.py\n@@ -1,3 +1,3 @@\n x = 1\n-    assert f() == 2\n+    assert f() == 3\n-\n";
  assert.deepEqual(editedLines(diff), ["assert f() == 2"]);
  const t01 = buildCorpus().find((s) => s.id === "t01-renamed-function")!;
  assert.deepEqual(t01.model.patchEvidence, ["from calc.ops import add", "assert add(2, 3) == 5"]);
});

Deno.test("the naive baseline resolves imported modules to repository files", async () => {
  const dir = await Deno.makeTempDir({ prefix: "sentries-bench-naive-" });
  try {
    for (
      const [path, text] of Object.entries({ "pkg/__init__.py": "X = 1\n", "pkg/a.py": "", "pkg/b.py": "y = 2\n" })
    ) {
      await Deno.mkdir(join(dir, path, ".."), { recursive: true });
      await Deno.writeTextFile(join(dir, path), text);
    }
    const source = "import os\nfrom pkg import b\nfrom pkg.a import thing\nfrom pkg import (\n    X,\n)\n";
    // pkg/a.py is empty, so it adds nothing; `os` is not in the repository.
    assert.deepEqual(await importedFiles(dir, source), ["pkg/__init__.py", "pkg/b.py"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
