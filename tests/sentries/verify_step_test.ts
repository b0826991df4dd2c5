/** The verify step in-process: real pytest in a real repository, no CLI, no model. */
import assert from "node:assert/strict";
import { discoverFailures } from "../../src/pytest/mod.ts";
import { verifyFix } from "../../src/sentries/testsentry/verify.ts";
import { createPyRepo } from "../support/pyrepo.ts";

const FILES = {
  "pyproject.toml": `[tool.pytest.ini_options]\npythonpath = ["."]\n`,
  "calc.py": "def add(a, b):\n    return a + b\n",
  "tests/test_calc.py": "from calc import add\n\n\ndef test_add():\n    assert add(1, 2) == 4\n\n\n" +
    "def test_zero():\n    assert add(0, 0) == 0\n",
  "tests/test_other.py": "def test_other():\n    assert True\n",
};

async function withFailingRepo(
  fn: (dir: string, original: Awaited<ReturnType<typeof discoverFailures>>) => Promise<void>,
) {
  const repo = await createPyRepo({ files: FILES });
  try {
    const discovery = await discoverFailures(repo.dir, {});
    assert.deepEqual(discovery.confirmed.map((f) => f.nodeId), ["tests/test_calc.py::test_add"]);
    await fn(repo.dir, discovery);
  } finally {
    await repo.cleanup();
  }
}

const original = (d: Awaited<ReturnType<typeof discoverFailures>>) => ({ run: d.run, failures: d.confirmed });

Deno.test("verifyFix: a test-only fix passes with one narrow run", async () => {
  await withFailingRepo(async (dir, discovery) => {
    await Deno.writeTextFile(`${dir}/tests/test_calc.py`, FILES["tests/test_calc.py"].replace("== 4", "== 3"));
    const v = await verifyFix(dir, {}, original(discovery), ["tests/test_calc.py"]);
    assert.equal(v.ok, true, v.feedback);
    assert.equal(v.scope, "narrow");
    assert.equal(v.runs.length, 1);
  });
});

Deno.test("verifyFix: a still-failing test is not ok, and the feedback names it", async () => {
  await withFailingRepo(async (dir, discovery) => {
    await Deno.writeTextFile(`${dir}/tests/test_calc.py`, FILES["tests/test_calc.py"].replace("== 4", "== 5"));
    const v = await verifyFix(dir, {}, original(discovery), ["tests/test_calc.py"]);
    assert.equal(v.ok, false);
    assert.match(v.feedback ?? "", /still fail[\s\S]*test_add/);
  });
});

Deno.test("verifyFix: deleting the failing test is not a fix (collected tests must not shrink)", async () => {
  await withFailingRepo(async (dir, discovery) => {
    await Deno.writeTextFile(
      `${dir}/tests/test_calc.py`,
      "from calc import add\n\n\ndef test_zero():\n    assert add(0, 0) == 0\n",
    );
    const v = await verifyFix(dir, {}, original(discovery), ["tests/test_calc.py"]);
    assert.equal(v.ok, false);
    assert.match(v.feedback ?? "", /disappeared[\s\S]*test_add/);
  });
});

Deno.test("verifyFix: with scope full, the failing modules run first, then the whole suite", async () => {
  await withFailingRepo(async (dir, discovery) => {
    await Deno.writeTextFile(`${dir}/tests/test_calc.py`, FILES["tests/test_calc.py"].replace("== 4", "== 3"));
    const v = await verifyFix(dir, {}, original(discovery), ["tests/test_calc.py"], "full");
    assert.equal(v.ok, true, v.feedback);
    assert.equal(v.scope, "full");
    assert.equal(v.runs.length, 2);
    assert.equal(v.runs[1].collected.length, 3);
  });
});
