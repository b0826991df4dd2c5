import assert from "node:assert/strict";
import { join } from "node:path";
import { PytestNotInstalledError, runPytest, unusableRunReason } from "../../src/pytest/mod.ts";
import { createPyRepo } from "../support/pyrepo.ts";

const CALC = "def add(a, b):\n    return a + b\n\n\ndef scale(x, factor=2):\n    return x * factor\n";
const SRC_LAYOUT = {
  "pyproject.toml": '[tool.pytest.ini_options]\npythonpath = ["src"]\ntestpaths = ["tests"]\n',
  "src/calc/__init__.py": "",
  "src/calc/ops.py": CALC,
};

Deno.test("runPytest: a failing assertion, a fixture error and a parametrized class test", async () => {
  const repo = await createPyRepo({
    files: {
      ...SRC_LAYOUT,
      "tests/test_ops.py": [
        "import pytest",
        "from calc.ops import add, scale",
        "",
        "",
        "@pytest.fixture",
        "def broken():",
        '    raise RuntimeError("fixture boom")',
        "",
        "",
        "def test_add():",
        "    assert add(1, 2) == 3",
        "",
        "",
        "def test_scale():",
        "    assert scale(2) == 5",
        "",
        "",
        "def test_uses_broken(broken):",
        "    assert broken",
        "",
        "",
        "@pytest.mark.skip(reason='later')",
        "def test_skipped():",
        "    pass",
        "",
        "",
        "class TestParams:",
        '    @pytest.mark.parametrize("x", [1, 2])',
        "    def test_one(self, x):",
        "        assert x == 1",
        "",
      ].join("\n"),
    },
  });
  try {
    const run = await runPytest(repo.dir, {});
    assert.equal(run.exitCode, 1);
    assert.equal(run.timedOut, false);
    assert.equal(run.noTests, false);
    assert.deepEqual(
      { passed: run.passed, failed: run.failed, errors: run.errors, skipped: run.skipped },
      { passed: 2, failed: 2, errors: 1, skipped: 1 },
    );
    assert.deepEqual(run.collected, [
      "tests/test_ops.py::TestParams::test_one[1]",
      "tests/test_ops.py::TestParams::test_one[2]",
      "tests/test_ops.py::test_add",
      "tests/test_ops.py::test_scale",
      "tests/test_ops.py::test_skipped",
      "tests/test_ops.py::test_uses_broken",
    ]);
    assert.deepEqual(run.failures.map((f) => [f.nodeId, f.kind, f.file, f.line]), [
      ["tests/test_ops.py::TestParams::test_one[2]", "failed", "tests/test_ops.py", 30],
      ["tests/test_ops.py::test_scale", "failed", "tests/test_ops.py", 15],
      ["tests/test_ops.py::test_uses_broken", "error", "tests/test_ops.py", 7],
    ]);
    const scale = run.failures[1];
    assert.match(scale.message, /assert 4 == 5/);
    assert.match(scale.traceback, /def test_scale\(\):/);
    assert.match(run.failures[2].message, /RuntimeError: fixture boom/);
    // Nothing of pytest's own is left in the repository.
    assert.equal(await repo.git("status", "--porcelain", "--ignored"), "");
  } finally {
    await repo.cleanup();
  }
});

Deno.test("runPytest: an ImportError at collection is a collection_error of the module, and the rest still runs", async () => {
  const repo = await createPyRepo({
    files: {
      ...SRC_LAYOUT,
      "tests/test_ok.py": "from calc.ops import add\n\n\ndef test_add():\n    assert add(1, 1) == 2\n",
      "tests/test_moved.py": "from calc.old_place import add\n\n\ndef test_add():\n    assert add(1, 1) == 2\n",
    },
  });
  try {
    const run = await runPytest(repo.dir, {});
    assert.equal(run.exitCode, 1);
    assert.deepEqual(run.collected, ["tests/test_moved.py", "tests/test_ok.py::test_add"]);
    assert.equal(run.passed, 1);
    assert.equal(run.errors, 1);
    const [failure] = run.failures;
    assert.equal(failure.kind, "collection_error");
    assert.equal(failure.nodeId, "tests/test_moved.py");
    assert.equal(failure.file, "tests/test_moved.py");
    assert.equal(failure.line, 1);
    assert.match(failure.message, /No module named 'calc.old_place'/);
    assert.match(failure.traceback, /from calc\.old_place import add/);
  } finally {
    await repo.cleanup();
  }
});

Deno.test("runPytest: a conftest.py that cannot be imported is a collection_error of the conftest", async () => {
  const repo = await createPyRepo({
    files: {
      ...SRC_LAYOUT,
      "tests/conftest.py": "from calc.gone import helper\n",
      "tests/test_ok.py": "def test_ok():\n    assert True\n",
    },
  });
  try {
    const run = await runPytest(repo.dir, {});
    assert.equal(run.exitCode, 4);
    assert.deepEqual(run.collected, ["tests/conftest.py"]);
    assert.equal(run.failures.length, 1);
    assert.equal(run.failures[0].kind, "collection_error");
    assert.equal(run.failures[0].file, "tests/conftest.py");
    assert.match(run.failures[0].message, /No module named 'calc.gone'/);
    assert.equal(unusableRunReason(run), undefined);
  } finally {
    await repo.cleanup();
  }
});

Deno.test("runPytest: selecting node ids runs only those", async () => {
  const repo = await createPyRepo({
    files: {
      ...SRC_LAYOUT,
      "tests/test_a.py": "def test_one():\n    assert False\n\n\ndef test_two():\n    assert True\n",
      "tests/test_b.py": "def test_three():\n    assert True\n",
    },
  });
  try {
    const run = await runPytest(repo.dir, {}, ["tests/test_a.py::test_one", "tests/test_b.py"]);
    assert.deepEqual(run.collected, ["tests/test_a.py::test_one", "tests/test_b.py::test_three"]);
    assert.deepEqual(run.failures.map((f) => f.nodeId), ["tests/test_a.py::test_one"]);
  } finally {
    await repo.cleanup();
  }
});

Deno.test("runPytest: pytest missing is a PytestNotInstalledError with an install hint", async () => {
  const repo = await createPyRepo({ files: { "tests/test_ok.py": "def test_ok():\n    pass\n" } });
  try {
    // A Python that exists but has no pytest module, and a program that does not exist.
    await assert.rejects(
      () => runPytest(repo.dir, { command: ["python3", "-I", "-S", "-m", "pytest"] }),
      (err: PytestNotInstalledError) => {
        assert.ok(err instanceof PytestNotInstalledError);
        assert.equal(err.hint, "pip install pytest (in the environment the tests run in)");
        return true;
      },
    );
    await assert.rejects(
      () => runPytest(repo.dir, { command: [join(repo.dir, "no-such-pytest")] }),
      PytestNotInstalledError,
    );
    // A pyenv shim whose Python for this checkout has no pytest says so (exit 127): the hint says where to look.
    const shim = join(repo.dir, "pytest-shim");
    await Deno.writeTextFile(
      shim,
      '#!/bin/sh\necho "pyenv: pytest: command not found" >&2\necho >&2\n' +
        "echo \"The \\\`pytest' command exists in these Python versions:\" >&2\necho '  3.11.7' >&2\nexit 127\n",
    );
    await Deno.chmod(shim, 0o755);
    await assert.rejects(
      () => runPytest(repo.dir, { command: [shim] }),
      (err: PytestNotInstalledError) => {
        assert.ok(err instanceof PytestNotInstalledError);
        assert.match(
          err.hint ?? "",
          /^pyenv picks this checkout's Python, and it has no pytest \("pyenv: pytest: command not found"\)/,
        );
        assert.match(err.hint ?? "", /`pyenv version` in the checkout/);
        return true;
      },
    );
  } finally {
    await repo.cleanup();
  }
});
