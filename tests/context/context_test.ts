import assert from "node:assert/strict";
import { join } from "node:path";
import { buildTestContext } from "../../src/context/mod.ts";
import { runPytest } from "../../src/pytest/mod.ts";
import { createPyRepo, type PyRepoOptions } from "../support/pyrepo.ts";

const OPS = [
  "def add(a, b):",
  "    return a + b",
  "",
  "",
  "def scale(x, factor=2):",
  "    return x * factor",
  "",
  "",
  "def _apply_tax(amount):",
  "    if amount < 0:",
  "        raise ValueError('negative amount')",
  "    return amount * 1.2",
  "",
  "",
  "def total(amounts):",
  "    return sum(_apply_tax(a) for a in amounts)",
  "",
].join("\n");

/** A src layout that pytest reaches through a root conftest.py, so the resolver must find `src/` itself. */
const SRC_REPO: PyRepoOptions = {
  files: {
    "conftest.py": "import pathlib\nimport sys\n\nsys.path.insert(0, str(pathlib.Path(__file__).parent / 'src'))\n",
    "src/calc/__init__.py": "",
    "src/calc/ops.py": OPS,
    "tests/test_ops.py": [
      "from calc.ops import add, scale, total",
      "",
      "",
      "def test_add():",
      "    assert add(1, 2) == 3",
      "",
      "",
      "def test_scale():",
      "    assert scale(2) == 4",
      "",
      "",
      "def test_total_rejects_nothing():",
      "    assert total([1, -1]) == 0",
      "",
    ].join("\n"),
  },
  commits: [{ message: "Triple by default", files: { "src/calc/ops.py": OPS.replace("factor=2", "factor=3") } }],
};

Deno.test("buildTestContext: a failing assertion shows the test, the error, the source definitions and the change", async () => {
  const repo = await createPyRepo(SRC_REPO);
  try {
    const run = await runPytest(repo.dir, {});
    assert.deepEqual(run.failures.map((f) => f.nodeId), [
      "tests/test_ops.py::test_scale",
      "tests/test_ops.py::test_total_rejects_nothing",
    ]);
    const context = await buildTestContext(repo.dir, run.failures, { tokenBudget: 6000 });
    const text = context.text;
    assert.equal(context.truncated, false);
    assert.ok(context.estimatedTokens <= 6000);
    assert.deepEqual(context.sourceFiles, ["src/calc/ops.py"]);
    assert.deepEqual(context.testFiles, ["tests/test_ops.py"]);
    assert.deepEqual(context.sections.map((s) => s.title), [
      "Failing test tests/test_ops.py::test_scale (failed)",
      "Failing test tests/test_ops.py::test_total_rejects_nothing (failed)",
      "Test module tests/test_ops.py (whole file)",
      "Source src/calc/ops.py: scale, _apply_tax, total",
      "Recent changes to src/calc/ops.py (git log -p, newest first)",
      "Also imported by the tests, from src/calc/ops.py: add",
    ]);
    assert.match(text, /assert 6 == 4/);
    assert.match(text, /ValueError: negative amount/);
    assert.ok(text.includes(" 8 | def test_scale():\n 9 |     assert scale(2) == 4"));
    assert.match(text, / 5 \| def scale\(x, factor=3\):/);
    assert.ok(text.includes("11 |         raise ValueError('negative amount')"));
    assert.match(text, /commit [0-9a-f]{7} 2024-01-01 Test Author: Triple by default/);
    assert.match(text, /-def scale\(x, factor=2\):\n\+def scale\(x, factor=3\):/);
    assert.doesNotMatch(text, new RegExp(repo.dir));
  } finally {
    await repo.cleanup();
  }
});

Deno.test("buildTestContext: the same failures in another checkout give the same text", async () => {
  const repo = await createPyRepo(SRC_REPO);
  const other = await Deno.makeTempDir({ prefix: "sentries-clone-" });
  try {
    await repo.git("clone", "-q", repo.dir, join(other, "clone"));
    const first = await buildTestContext(repo.dir, (await runPytest(repo.dir, {})).failures, { tokenBudget: 6000 });
    const cloneDir = join(other, "clone");
    const second = await buildTestContext(cloneDir, (await runPytest(cloneDir, {})).failures, { tokenBudget: 6000 });
    assert.equal(second.text, first.text);
  } finally {
    await repo.cleanup();
    await Deno.remove(other, { recursive: true });
  }
});

Deno.test("buildTestContext: under a small budget the failure and the test survive, history goes first", async () => {
  const repo = await createPyRepo(SRC_REPO);
  try {
    const run = await runPytest(repo.dir, {});
    const context = await buildTestContext(repo.dir, run.failures, { tokenBudget: 350 });
    assert.equal(context.truncated, true);
    assert.ok(context.estimatedTokens <= 350, `${context.estimatedTokens}`);
    const titles = context.sections.map((s) => s.title);
    assert.deepEqual(titles.slice(0, 2), [
      "Failing test tests/test_ops.py::test_scale (failed)",
      "Failing test tests/test_ops.py::test_total_rejects_nothing (failed)",
    ]);
    assert.ok(!titles.some((t) => t.startsWith("Recent changes")), titles.join("\n"));
    assert.ok(!titles.some((t) => t.startsWith("Also imported")), titles.join("\n"));
    // A budget that only drops the lowest-priority section.
    const roomy = await buildTestContext(repo.dir, run.failures, { tokenBudget: 6000 });
    const lastCost = Math.ceil((roomy.sections.at(-1)!.text.length + roomy.sections.at(-1)!.title.length + 12) / 4);
    const tight = await buildTestContext(repo.dir, run.failures, {
      tokenBudget: roomy.estimatedTokens - lastCost + 10,
    });
    assert.deepEqual(tight.sections, roomy.sections.slice(0, -1));
  } finally {
    await repo.cleanup();
  }
});

Deno.test("buildTestContext: maxFailures caps the failures shown and lists the rest", async () => {
  const repo = await createPyRepo({
    files: {
      "tests/test_a.py": "def test_1():\n    assert 1 == 2\n\n\ndef test_2():\n    assert 2 == 3\n",
      "tests/test_b.py": "def test_3():\n    assert 3 == 4\n",
    },
  });
  try {
    const run = await runPytest(repo.dir, {});
    const context = await buildTestContext(repo.dir, run.failures.toReversed(), { tokenBudget: 6000, maxFailures: 2 });
    assert.deepEqual(context.shownFailures, ["tests/test_a.py::test_1", "tests/test_a.py::test_2"]);
    assert.deepEqual(context.testFiles, ["tests/test_a.py"]);
    const last = context.sections.at(-1)!;
    assert.equal(last.title, "1 more failing test(s) not shown");
    assert.match(last.text, /^tests\/test_b\.py::test_3 \(failed\): assert 3 == 4/);
  } finally {
    await repo.cleanup();
  }
});
