import assert from "node:assert/strict";
import { join } from "node:path";
import { checkPythonParses } from "../../src/patch/python_check.ts";
import { makeTempRepo } from "./helpers.ts";

Deno.test("python check: every changed .py file in one python3 call, errors with line numbers", async () => {
  await using temp = await makeTempRepo({ "ast.py": "raise SystemExit('shadowed stdlib module was imported')\n" });
  const problems = await checkPythonParses([
    { path: "tests/ok.py", oldContent: null, newContent: "def test_ok():\n    assert 1\n" },
    { path: "tests/bad.py", oldContent: "x = 1\n", newContent: "def test_bad(:\n    pass\n" },
    { path: "tests/indent.py", oldContent: null, newContent: "def f():\nreturn 1\n" },
    { path: "tests/gone.py", oldContent: "x = 1\n", newContent: null },
    { path: "README.md", oldContent: null, newContent: "def (:\n" },
  ], { cwd: temp.repo });
  assert.deepEqual(problems.map((p) => [p.code, p.path]), [
    ["python.syntax_error", "tests/bad.py"],
    ["python.syntax_error", "tests/indent.py"],
  ]);
  assert.match(problems[0].message, /tests\/bad\.py no longer parses as Python \(line 1\)/);
});

Deno.test("python check: nothing to check starts no process; a missing python is a clear problem", async () => {
  assert.deepEqual(
    await checkPythonParses([{ path: "a.md", oldContent: null, newContent: "x" }], { python: "/nonexistent" }),
    [],
  );
  const problems = await checkPythonParses([{ path: "a.py", oldContent: null, newContent: "x = 1\n" }], {
    python: join("/nonexistent", "python3"),
  });
  assert.deepEqual(problems.map((p) => p.code), ["python.unavailable"]);
});
