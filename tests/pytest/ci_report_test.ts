/**
 * `sentries tests --junit-xml`: failures from the CI's own pytest report, checked against the checkout and
 * re-run narrowly. Real pytest writes every report here (default junit family, as a CI step would).
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { discoverFromCiReport } from "../../src/pytest/ci_report.ts";
import { AUTO_PYTEST_COMMANDS, discoverFailures, PYTEST_ENV, startForkServerFor } from "../../src/pytest/mod.ts";
import { SentriesError } from "../../src/errors.ts";
import { verifyFix } from "../../src/sentries/testsentry/verify.ts";
import { createPyRepo, type PyRepo } from "../support/pyrepo.ts";

const HAS_XDIST = (await new Deno.Command("python3", { args: ["-c", "import xdist"], stderr: "null" }).output()
  .catch(() => ({ success: false }))).success;
const XDIST_SKIP = "pytest-xdist is not importable by python3 (python3 -m pip install pytest-xdist); skipped";

/**
 * `where()` appends where it ran (an xdist worker or the main process, and " forked" in a child of Sentries'
 * pytest fork server) to a log outside the repository.
 */
function whereModule(log: string): string {
  return `import os, sys\n\n\ndef where():\n    with open(${JSON.stringify(log)}, "a") as f:\n` +
    '        forked = " forked" if "sentries_fork_server" in sys.modules else ""\n' +
    '        f.write(os.environ.get("PYTEST_XDIST_WORKER", "main") + forked + "\\n")\n';
}

function suite(flakyMarker: string, whereLog: string): Record<string, string> {
  return {
    "pyproject.toml": '[tool.pytest.ini_options]\ntestpaths = ["tests"]\n',
    "tests/where.py": whereModule(whereLog),
    "tests/conftest.py": "import sys, os\nsys.path.insert(0, os.path.dirname(__file__))\n",
    "tests/test_calc.py": "from where import where\n\n\n" +
      "def test_ok():\n    assert 1 + 1 == 2\n\n\n" +
      "def test_broken():\n    where()\n    assert 1 + 1 == 3\n\n\n" +
      `def test_flaky():\n    import os\n    first = not os.path.exists(${JSON.stringify(flakyMarker)})\n` +
      `    open(${JSON.stringify(flakyMarker)}, "w").close()\n    assert not first\n`,
    "tests/test_param.py":
      "import pytest\n\n\n@pytest.mark.parametrize('n', [1, 2, 3])\ndef test_n(n):\n    assert n\n",
    "tests/pkg/__init__.py": "",
    "tests/pkg/test_deep.py": "class TestDeep:\n    def test_inner(self):\n        assert True\n",
  };
}

interface Fixture {
  repo: PyRepo;
  report: string;
  whereLog: string;
}

/** The CI's pytest step: `python3 -m pytest --junitxml=…` in the checkout, with the given extra args. */
async function ciPytest(dir: string, report: string, args: string[]): Promise<void> {
  const out = await new Deno.Command("python3", {
    args: ["-m", "pytest", "-q", "-p", "no:cacheprovider", `--junitxml=${report}`, ...args],
    cwd: dir,
    env: { PYTHONDONTWRITEBYTECODE: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(out.code, 1, new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr));
}

async function withFixture(ciArgs: string[], fn: (f: Fixture) => Promise<void>): Promise<void> {
  const tmp = await Deno.makeTempDir({ prefix: "sentries-ci-report-" });
  const whereLog = join(tmp, "where.log");
  const repo = await createPyRepo({ files: suite(join(tmp, "flaky-ran-once"), whereLog) });
  const report = join(tmp, "junit.xml");
  try {
    await ciPytest(repo.dir, report, ciArgs);
    await fn({ repo, report, whereLog });
  } finally {
    await repo.cleanup();
    await Deno.remove(tmp, { recursive: true });
  }
}

async function whereLines(path: string): Promise<string[]> {
  return (await Deno.readTextFile(path).catch(() => "")).trim().split("\n").filter((l) => l !== "");
}

const ALL_IDS = [
  "tests/pkg/test_deep.py::TestDeep::test_inner",
  "tests/test_calc.py::test_broken",
  "tests/test_calc.py::test_flaky",
  "tests/test_calc.py::test_ok",
  "tests/test_param.py::test_n[1]",
  "tests/test_param.py::test_n[2]",
  "tests/test_param.py::test_n[3]",
];

Deno.test("CI report: failures from the report, re-run by id only, flaky told apart, the report's cases are the collected set", async () => {
  await withFixture([], async ({ repo, report, whereLog }) => {
    await Deno.writeTextFile(whereLog, ""); // forget the CI step's own line
    const discovery = await discoverFromCiReport(repo.dir, {}, report);
    assert.deepEqual(discovery.run.collected, ALL_IDS, "node ids rebuilt from the default (xunit2) report");
    assert.equal(discovery.run.passed, 5);
    assert.equal(discovery.run.failed, 2);
    assert.deepEqual(discovery.confirmed.map((f) => f.nodeId), ["tests/test_calc.py::test_broken"]);
    assert.deepEqual(discovery.flaky.map((f) => f.nodeId), ["tests/test_calc.py::test_flaky"]);
    assert.deepEqual(discovery.rerun?.collected, ["tests/test_calc.py::test_broken", "tests/test_calc.py::test_flaky"]);
    assert.deepEqual(await whereLines(whereLog), ["main"], "the suite was not run again: one re-run of test_broken");
    assert.notDeepEqual(discovery.run.command, [], "the re-run's pytest command is kept for verification");
    assert.match(discovery.confirmed[0].traceback, /assert \(1 \+ 1\) == 3|assert 2 == 3/);
  });
});

/** What python3 says about itself: the facts a report must show for a `python3 -m pytest` run. */
async function python3Facts(): Promise<{ python: string; pythonVersion: string; pytestVersion: string }> {
  const script = "import json, platform, sys, pytest\n" +
    "print(json.dumps({'python': sys.executable, 'pythonVersion': platform.python_version(), " +
    "'pytestVersion': pytest.__version__}))";
  const out = await new Deno.Command("python3", { args: ["-c", script], stdout: "piped" }).output();
  return JSON.parse(new TextDecoder().decode(out.stdout));
}

Deno.test("CI report: the re-run is forked from the warming-up pytest when there is one, with the same results", async () => {
  await withFixture([], async ({ repo, report, whereLog }) => {
    await Deno.writeTextFile(whereLog, "");
    const server = await startForkServerFor(undefined, PYTEST_ENV, AUTO_PYTEST_COMMANDS);
    assert.ok(server, "a fork server starts for python3's pytest");
    try {
      const discovery = await discoverFromCiReport(repo.dir, { forkServer: Promise.resolve(server) }, report);
      assert.deepEqual(discovery.confirmed.map((f) => f.nodeId), ["tests/test_calc.py::test_broken"]);
      assert.deepEqual(discovery.flaky.map((f) => f.nodeId), ["tests/test_calc.py::test_flaky"]);
      assert.deepEqual(await whereLines(whereLog), ["main forked"], "one re-run, in a child of the server");
      assert.deepEqual(discovery.run.command, server.command, "the server's command is the run's from here on");
    } finally {
      await server.close();
    }
    // No server (it did not start, or forking is off): a plain start, same answer.
    await Deno.writeTextFile(whereLog, "");
    const plain = await discoverFromCiReport(repo.dir, { forkServer: Promise.resolve(undefined) }, report);
    assert.deepEqual(plain.confirmed.map((f) => f.nodeId), ["tests/test_calc.py::test_broken"]);
    assert.deepEqual(await whereLines(whereLog), ["main"]);
  });
});

Deno.test("CI report: the report says which Python and pytest re-ran the failures, forked or not", async () => {
  await withFixture([], async ({ repo, report }) => {
    const expected = await python3Facts();
    const command = ["python3", "-m", "pytest"];
    const server = await startForkServerFor(command, PYTEST_ENV, AUTO_PYTEST_COMMANDS);
    assert.ok(server, "a fork server starts for python3 -m pytest");
    try {
      assert.deepEqual(server.facts, expected, "the server says what python3 says about itself");
      const forked = await discoverFromCiReport(repo.dir, { command, forkServer: Promise.resolve(server) }, report);
      assert.deepEqual(forked.interpreter, {
        source: "SENTRIES_PYTEST_COMMAND",
        command: "python3 -m pytest",
        ...expected,
      });
    } finally {
      await server.close();
    }
    // Not forked: the command is asked (as for a full run's discovery), with the same answer.
    const plain = await discoverFromCiReport(repo.dir, { command, forkServer: Promise.resolve(undefined) }, report);
    assert.deepEqual(plain.interpreter, {
      source: "SENTRIES_PYTEST_COMMAND",
      command: "python3 -m pytest",
      ...expected,
    });
  });
});

Deno.test("CI report: an all-green report runs no pytest at all", async () => {
  const repo = await createPyRepo({ files: { "tests/test_ok.py": "def test_ok():\n    assert True\n" } });
  const tmp = await Deno.makeTempDir();
  try {
    const report = join(tmp, "junit.xml");
    await Deno.writeTextFile(
      report,
      '<?xml version="1.0"?><testsuites><testsuite name="pytest" tests="1"><testcase classname="tests.test_ok" ' +
        'name="test_ok" time="0.001"/></testsuite></testsuites>',
    );
    // A command that cannot start proves nothing was run.
    const discovery = await discoverFromCiReport(repo.dir, { command: ["/nonexistent/pytest"] }, report);
    assert.deepEqual(discovery.run.collected, ["tests/test_ok.py::test_ok"]);
    assert.deepEqual(discovery.confirmed, []);
    assert.equal(discovery.rerun, undefined);
  } finally {
    await repo.cleanup();
    await Deno.remove(tmp, { recursive: true });
  }
});

async function rejectsWith(promise: Promise<unknown>, pattern: RegExp): Promise<void> {
  await assert.rejects(promise, (err: unknown) => {
    assert.ok(err instanceof SentriesError, String(err));
    assert.equal(err.exitCode, 2, err.message);
    assert.match(err.message, pattern);
    assert.ok(err.hint?.includes("--junitxml"), err.hint);
    return true;
  });
}

Deno.test("CI report that does not fit: test files not in this checkout → exit 2, says so", async () => {
  await withFixture([], async ({ report }) => {
    const other = await createPyRepo({ files: { "tests/test_other.py": "def test_x():\n    assert True\n" } });
    try {
      await rejectsWith(
        discoverFromCiReport(other.dir, { command: ["/nonexistent/pytest"] }, report),
        /does not fit this checkout: 3 of the 3 test files it names are not here \(.*tests\/test_calc\.py.*7 test cases/,
      );
    } finally {
      await other.cleanup();
    }
  });
});

Deno.test("CI report that does not fit: a failing test renamed since the report → exit 2 naming it", async () => {
  await withFixture([], async ({ repo, report }) => {
    const text = await Deno.readTextFile(join(repo.dir, "tests/test_calc.py"));
    await repo.commit({
      message: "rename",
      files: { "tests/test_calc.py": text.replace("test_broken", "test_renamed") },
    });
    await rejectsWith(
      discoverFromCiReport(repo.dir, {}, report),
      /does not fit this checkout: pytest finds no test tests\/test_calc\.py::test_broken/,
    );
    // The same when the re-run is forked from the fork server.
    const server = await startForkServerFor(undefined, PYTEST_ENV, AUTO_PYTEST_COMMANDS);
    try {
      await rejectsWith(
        discoverFromCiReport(repo.dir, { forkServer: Promise.resolve(server) }, report),
        /does not fit this checkout: pytest finds no test tests\/test_calc\.py::test_broken/,
      );
    } finally {
      await server?.close();
    }
  });
});

Deno.test("CI report unreadable, not XML, or empty → exit 2", async () => {
  const repo = await createPyRepo({ files: { "tests/test_ok.py": "def test_ok():\n    assert True\n" } });
  const tmp = await Deno.makeTempDir();
  try {
    await rejectsWith(discoverFromCiReport(repo.dir, {}, join(tmp, "missing.xml")), /cannot read it/);
    await Deno.writeTextFile(join(tmp, "bad.xml"), "PASSED 3 tests\n");
    await rejectsWith(discoverFromCiReport(repo.dir, {}, join(tmp, "bad.xml")), /not a JUnit XML report/);
    await Deno.writeTextFile(join(tmp, "empty.xml"), '<testsuites><testsuite name="pytest" tests="0"/></testsuites>');
    await rejectsWith(discoverFromCiReport(repo.dir, {}, join(tmp, "empty.xml")), /has no test cases/);
  } finally {
    await repo.cleanup();
    await Deno.remove(tmp, { recursive: true });
  }
});

Deno.test({
  name: "xdist: a report written by `pytest -n 2` reads the same; the narrow re-run runs without workers",
  ignore: !HAS_XDIST,
  fn: async () => {
    await withFixture(["-n", "2"], async ({ repo, report, whereLog }) => {
      assert.match((await whereLines(whereLog)).join(","), /^gw\d$/, "the CI step really ran distributed");
      await Deno.writeTextFile(whereLog, "");
      const discovery = await discoverFromCiReport(repo.dir, { extraArgs: ["-n", "2"] }, report);
      assert.deepEqual(discovery.run.collected, ALL_IDS);
      assert.deepEqual(discovery.confirmed.map((f) => f.nodeId), ["tests/test_calc.py::test_broken"]);
      assert.deepEqual(discovery.flaky.map((f) => f.nodeId), ["tests/test_calc.py::test_flaky"]);
      assert.deepEqual(await whereLines(whereLog), ["main"], "re-run in one process despite -n 2 in pytest_args");
      // The narrow verification after a patch runs in one process too; a full one stays distributed.
      await Deno.writeTextFile(whereLog, "");
      const original = { run: discovery.run, failures: discovery.confirmed };
      await verifyFix(repo.dir, { extraArgs: ["-n", "2"] }, original, ["tests/test_calc.py"]);
      assert.deepEqual(await whereLines(whereLog), ["main"], "narrow verification without workers");
      await Deno.writeTextFile(whereLog, "");
      await verifyFix(repo.dir, { extraArgs: ["-n", "2"] }, original, ["tests/where.py"]);
      assert.deepEqual((await whereLines(whereLog)).map((l) => l.replace(/\d$/, "")), ["main"], "fail-fast run first");
    });
  },
});

Deno.test({
  name: "xdist: without a report, discovery runs distributed (addopts -n 2) and the re-run does not",
  ignore: !HAS_XDIST,
  fn: async () => {
    await withFixture([], async ({ repo, whereLog }) => {
      await repo.commit({
        message: "distributed",
        files: { "pyproject.toml": '[tool.pytest.ini_options]\ntestpaths = ["tests"]\naddopts = "-n 2"\n' },
      });
      await Deno.writeTextFile(whereLog, "");
      const discovery = await discoverFailures(repo.dir, {});
      assert.deepEqual(discovery.confirmed.map((f) => f.nodeId), ["tests/test_calc.py::test_broken"]);
      const lines = await whereLines(whereLog);
      assert.equal(lines.length, 2, lines.join(","));
      assert.match(lines[0], /^gw\d$/, "the full run is distributed");
      assert.equal(lines[1], "main", "the narrow re-run is not");
    });
  },
});

if (!HAS_XDIST) console.error(XDIST_SKIP);
