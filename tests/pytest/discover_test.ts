import assert from "node:assert/strict";
import {
  AUTO_PYTEST_COMMANDS,
  discoverFailures,
  PYTEST_ENV,
  type PytestForkServer,
  startForkServerFor,
} from "../../src/pytest/mod.ts";

const WRONG_FACTS = { python: "/nowhere/python", pythonVersion: "0.0.0", pytestVersion: "0.0" };
import { createPyRepo } from "../support/pyrepo.ts";

const CALC = "def add(a, b):\n    return a + b\n\n\ndef scale(x, factor=2):\n    return x * factor\n";
const SRC_LAYOUT = {
  "pyproject.toml": '[tool.pytest.ini_options]\npythonpath = ["src"]\ntestpaths = ["tests"]\n',
  "src/calc/__init__.py": "",
  "src/calc/ops.py": CALC,
};

Deno.test("discoverFailures: all green is a no-op with nothing to re-run", async () => {
  const repo = await createPyRepo({
    files: {
      ...SRC_LAYOUT,
      "tests/test_ok.py": "from calc.ops import add\n\n\ndef test_ok():\n    assert add(1, 1) == 2\n",
    },
  });
  try {
    const discovery = await discoverFailures(repo.dir, {});
    assert.equal(discovery.run.exitCode, 0);
    assert.equal(discovery.run.passed, 1);
    assert.deepEqual(discovery.confirmed, []);
    assert.deepEqual(discovery.flaky, []);
    assert.equal(discovery.rerun, undefined);
  } finally {
    await repo.cleanup();
  }
});

Deno.test("discoverFailures: no tests is exit 5 and noTests", async () => {
  const repo = await createPyRepo({ files: { "README.md": "nothing here\n", "pkg/__init__.py": "" } });
  try {
    const discovery = await discoverFailures(repo.dir, {});
    assert.equal(discovery.run.exitCode, 5);
    assert.equal(discovery.run.noTests, true);
    assert.deepEqual(discovery.run.collected, []);
    assert.deepEqual(discovery.confirmed, []);
  } finally {
    await repo.cleanup();
  }
});

Deno.test("discoverFailures: a test that passes on its re-run is flaky; a real failure is confirmed", async () => {
  const repo = await createPyRepo({
    files: {
      ...SRC_LAYOUT,
      "tests/test_mixed.py": [
        "import pathlib",
        "from calc.ops import add",
        "",
        "MARKER = pathlib.Path(__file__).parent / 'ran-once.marker'",
        "",
        "",
        "def test_flaky():",
        "    if not MARKER.exists():",
        "        MARKER.write_text('x')",
        "        assert False, 'first run fails'",
        "",
        "",
        "def test_real():",
        "    assert add(2, 2) == 5",
        "",
      ].join("\n"),
    },
  });
  try {
    const discovery = await discoverFailures(repo.dir, {});
    assert.deepEqual(discovery.run.failures.map((f) => f.nodeId), [
      "tests/test_mixed.py::test_flaky",
      "tests/test_mixed.py::test_real",
    ]);
    assert.deepEqual(discovery.confirmed.map((f) => f.nodeId), ["tests/test_mixed.py::test_real"]);
    assert.deepEqual(discovery.flaky.map((f) => f.nodeId), ["tests/test_mixed.py::test_flaky"]);
    // The re-run was narrow: only the two failing node ids.
    assert.deepEqual(discovery.rerun?.collected, discovery.run.failures.map((f) => f.nodeId));
    assert.deepEqual(discovery.rerun?.command, discovery.run.command);
  } finally {
    await repo.cleanup();
  }
});

Deno.test("discoverFailures: a collection error stays confirmed on the re-run", async () => {
  const repo = await createPyRepo({
    files: { ...SRC_LAYOUT, "tests/test_moved.py": "from calc.nowhere import add\n\n\ndef test_x():\n    pass\n" },
  });
  try {
    const discovery = await discoverFailures(repo.dir, {});
    assert.deepEqual(discovery.confirmed.map((f) => [f.nodeId, f.kind]), [["tests/test_moved.py", "collection_error"]]);
    assert.deepEqual(discovery.flaky, []);
  } finally {
    await repo.cleanup();
  }
});

Deno.test("discoverFailures: a usage error from extra args is a clear error, not an empty result", async () => {
  const repo = await createPyRepo({ files: { ...SRC_LAYOUT, "tests/test_ok.py": "def test_ok():\n    pass\n" } });
  try {
    await assert.rejects(
      () => discoverFailures(repo.dir, { extraArgs: ["--no-such-option"] }),
      (err: Error & { code?: string }) => {
        assert.equal(err.code, "pytest.unusable");
        assert.match(err.message, /exit code 4/);
        assert.match(err.message, /unrecognized arguments: --no-such-option/);
        return true;
      },
    );
  } finally {
    await repo.cleanup();
  }
});

Deno.test("discoverFailures: a suite past its timeout is a timeout error", async () => {
  const repo = await createPyRepo({
    files: { "tests/test_slow.py": "import time\n\n\ndef test_slow():\n    time.sleep(30)\n" },
  });
  try {
    await assert.rejects(() => discoverFailures(repo.dir, { timeoutMs: 1500 }), /did not finish in time/);
  } finally {
    await repo.cleanup();
  }
});

Deno.test("an unusable pytest run's hint names the setting the arguments came from", async () => {
  const { settingsHint } = await import("../../src/pytest/discover.ts");
  assert.match(settingsHint({ sources: { args: "flag --pytest-args" } }), /from flag --pytest-args/);
  assert.doesNotMatch(settingsHint({ sources: { args: "flag --pytest-args" } }), /SENTRIES_PYTEST_ARGS/);
  assert.match(settingsHint({ sources: { args: "default" } }), /SENTRIES_PYTEST_ARGS/);
});

Deno.test("discoverFailures: the interpreter is what the warmed-up server for the same command says, else asked", async () => {
  const repo = await createPyRepo({
    files: { ...SRC_LAYOUT, "tests/test_ok.py": "def test_ok():\n    assert True\n" },
  });
  const script = "import json, platform, sys, pytest\n" +
    "print(json.dumps([sys.executable, platform.python_version(), pytest.__version__]))";
  const out = await new Deno.Command("python3", { args: ["-c", script], stdout: "piped" }).output();
  const [python, pythonVersion, pytestVersion] = JSON.parse(new TextDecoder().decode(out.stdout));
  const command = ["python3", "-m", "pytest"];
  const server = await startForkServerFor(command, PYTEST_ENV, AUTO_PYTEST_COMMANDS);
  assert.ok(server, "a fork server starts for python3 -m pytest");
  try {
    const served = await discoverFailures(repo.dir, { command, forkServer: Promise.resolve(server) });
    const expected = { source: "SENTRIES_PYTEST_COMMAND", command: "python3 -m pytest", python, pythonVersion };
    assert.deepEqual(served.interpreter, { ...expected, pytestVersion });
    // A server for another command says nothing about this run: the command itself is asked. (The stand-in
    // server is consulted for its command and its facts only; it claims a Python that is not there.)
    const elsewhere = { command: ["python3", "-m", "pytest", "-p", "no:xdist"], alive: false, facts: WRONG_FACTS };
    const asked = await discoverFailures(repo.dir, {
      command: ["python3", "-X", "utf8", "-m", "pytest"],
      forkServer: Promise.resolve(elsewhere as unknown as PytestForkServer),
    });
    assert.deepEqual(asked.interpreter, { ...expected, command: "python3 -X utf8 -m pytest", pytestVersion });
  } finally {
    await server.close();
    await repo.cleanup();
  }
});
