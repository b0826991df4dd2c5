/** The pytest fork server: same results as a normal pytest start, and it never outlives a timeout. */
import assert from "node:assert/strict";
import { join } from "node:path";
import { PYTEST_ENV, PytestForkServer, runPytest } from "../../src/pytest/mod.ts";
import { runProgram } from "../../src/proc/run.ts";

async function tempRepo(files: Record<string, string>): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "sentries-fork-" });
  for (const [path, text] of Object.entries(files)) {
    await Deno.mkdir(join(dir, path, ".."), { recursive: true });
    await Deno.writeTextFile(join(dir, path), text);
  }
  return dir;
}

const QUIET = ["-q", "-p", "no:cacheprovider"];

for (const command of [["pytest"], ["python3", "-m", "pytest"]]) {
  Deno.test(`\`${command.join(" ")}\` through the fork server gives what a normal start gives`, async () => {
    // A flat layout without pythonpath config: importable with `python -m pytest` only.
    const dir = await tempRepo({
      "calc.py": "def add(a, b):\n    return a + b\n",
      "tests/test_calc.py": "from calc import add\n\n\ndef test_add():\n    assert add(1, 2) == 3\n\n\n" +
        "def test_fails():\n    assert add(1, 1) == 3\n",
      "tests/test_env.py": "import os, sys\n\n\ndef test_env():\n    assert 'PYTHONPATH' not in os.environ\n" +
        "    assert not any('sentries-forkserver' in p for p in sys.path)\n",
    });
    const server = await PytestForkServer.start(command, { env: PYTEST_ENV });
    assert.ok(server, "the fork server started");
    try {
      for (const select of [["tests"], ["tests/test_env.py"], ["tests/test_calc.py::test_add"]]) {
        const normal = await runProgram(command[0], [...command.slice(1), ...QUIET, ...select], {
          cwd: dir,
          env: PYTEST_ENV,
        });
        const forked = await server.run([...QUIET, ...select], { cwd: dir, timeoutMs: 60_000 });
        assert.equal(forked.code, normal.code, `${select}: ${forked.stdout}\n---\n${normal.stdout}`);
        const summary = (s: string) => s.trim().split("\n").pop()?.replace(/ in [\d.]+s/, "");
        assert.equal(summary(forked.stdout), summary(normal.stdout));
      }
    } finally {
      await server.close();
      await Deno.remove(dir, { recursive: true });
    }
  });
}

Deno.test("the server's rehearsal leaves the children nothing but warm caches, and they find its objects frozen", async () => {
  // The project's own module has the rehearsal's name: the child must import this one, not a leftover.
  const check = "import gc, os, sys\n\n\ndef test_clean():\n" +
    "    assert not any('sentries-rehearsal' in p for p in sys.path)\n" +
    "    assert sys.modules[__name__].__file__ == os.path.abspath(__file__)\n" +
    "    assert os.path.dirname(__file__).endswith('tests')\n" +
    "    assert gc.get_freeze_count() > 0\n";
  const dir = await tempRepo({ "tests/test_sentries_rehearsal.py": check });
  const tmp = await Deno.makeTempDir({ prefix: "sentries-fork-tmp-" });
  const server = await PytestForkServer.start(["python3", "-m", "pytest"], { env: { ...PYTEST_ENV, TMPDIR: tmp } });
  assert.ok(server);
  try {
    // The first run goes while the server rehearses; the second after it.
    for (const round of ["during", "after"]) {
      const run = await server.run([...QUIET, "tests"], { cwd: dir, timeoutMs: 60_000 });
      assert.equal(run.code, 0, `${round} the rehearsal: ${run.stdout}\n${run.stderr}`);
    }
    const left = [...Deno.readDirSync(tmp)].map((e) => e.name).filter((n) => n.startsWith("sentries-rehearsal"));
    assert.deepEqual(left, [], "the rehearsal's folder is gone");
  } finally {
    await server.close();
    await Deno.remove(dir, { recursive: true });
    await Deno.remove(tmp, { recursive: true });
  }
});

Deno.test("a run past its timeout stops the forked child and the server; later runs start pytest normally", async () => {
  const marker = join(await Deno.makeTempDir(), "finished");
  const dir = await tempRepo({
    "tests/test_slow.py": `import time\n\n\ndef test_slow():\n    time.sleep(3)\n    open(${
      JSON.stringify(marker)
    }, "w").close()\n`,
    "tests/test_quick.py": "def test_quick():\n    assert True\n",
  });
  const server = await PytestForkServer.start(["python3", "-m", "pytest"], { env: PYTEST_ENV });
  assert.ok(server);
  try {
    const slow = await server.run([...QUIET, "tests/test_slow.py"], { cwd: dir, timeoutMs: 800 });
    assert.equal(slow.timedOut, true);
    assert.equal(server.alive, false);
    await new Promise((r) => setTimeout(r, 3500));
    assert.equal(await Deno.stat(marker).then(() => true, () => false), false, "the slow test was killed");
    // runPytest falls back to a normal start when the server is gone.
    const run = await runPytest(dir, {
      command: ["python3", "-m", "pytest"],
      forkServer: Promise.resolve(server),
      paths: ["tests/test_quick.py"],
    });
    assert.equal(run.passed, 1);
  } finally {
    await server.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a command that is not pytest never becomes a fork server", async () => {
  const server = await PytestForkServer.start(["python3", "-m", "nonexistent_module"], {
    env: PYTEST_ENV,
    readyTimeoutMs: 20_000,
  });
  assert.equal(server, undefined);
});

Deno.test("runPytest uses the server for the same command and reports like a normal run", async () => {
  const dir = await tempRepo({ "tests/test_x.py": "def test_x():\n    assert 1 == 2\n" });
  const server = await PytestForkServer.start(["python3", "-m", "pytest"], { env: PYTEST_ENV });
  try {
    const run = await runPytest(dir, { command: ["python3", "-m", "pytest"], forkServer: Promise.resolve(server) });
    assert.equal(run.failed, 1);
    assert.equal(run.failures[0].nodeId, "tests/test_x.py::test_x");
    assert.match(run.failures[0].message, /assert 1 == 2/);
  } finally {
    await server?.close();
    await Deno.remove(dir, { recursive: true });
  }
});

// issue 15.1: with a relative PYTHONPATH (src layout, package not installed), a conftest.py that reads a
// relative file and `pythonpath` in pyproject.toml, a forked re-run must see what a normal start sees.
for (const variant of ["PYTHONPATH=src", 'PYTHONPATH=src and pythonpath = ["src"]']) {
  Deno.test(`forked runs match normal runs with a relative ${variant}`, async () => {
    const dir = await tempRepo({
      "pyproject.toml": variant.includes("pythonpath =")
        ? '[tool.pytest.ini_options]\npythonpath = ["src"]\n'
        : "[tool.pytest.ini_options]\n",
      "src/shop/__init__.py": "def price():\n    return 3\n",
      "data/expected.txt": "3\n",
      "tests/conftest.py": "import pytest\n\n\n@pytest.fixture\ndef expected():\n" +
        "    with open('data/expected.txt') as f:\n        return int(f.read())\n",
      "tests/test_shop.py":
        "import os, shop\n\n\ndef test_price(expected):\n    assert shop.price() == expected\n\n\n" +
        "def test_fails():\n    assert shop.price() == 4\n\n\n" +
        "def test_imported_from_here():\n    assert shop.__file__.startswith(os.getcwd())\n",
    });
    const env = { ...PYTEST_ENV, PYTHONPATH: "src" };
    const server = await PytestForkServer.start(["python3", "-m", "pytest"], { env });
    assert.ok(server, "the fork server started");
    try {
      for (const select of [["tests"], ["tests/test_shop.py::test_price", "tests/test_shop.py::test_fails"]]) {
        const args = [...QUIET, "-rA", `--rootdir=${dir}`, ...select];
        const normal = await runProgram("python3", ["-m", "pytest", ...args], { cwd: dir, env });
        const forked = await server.run(args, { cwd: dir, timeoutMs: 60_000 });
        const outcomes = (s: string) =>
          s.split("\n").filter((l) => /^(PASSED|FAILED|ERROR) /.test(l)).map((l) => l.replace(/ - .*/, "")).sort();
        assert.deepEqual(outcomes(forked.stdout), outcomes(normal.stdout), `${forked.stdout}\n---\n${normal.stdout}`);
        assert.equal(forked.code, normal.code);
        assert.equal(outcomes(normal.stdout).filter((l) => l.startsWith("PASSED")).length, select.length === 1 ? 2 : 1);
      }
    } finally {
      await server.close();
      await Deno.remove(dir, { recursive: true });
    }
  });
}
