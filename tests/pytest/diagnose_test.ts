/**
 * diagnoseFailures on real pytest runs in real git repositories: environment problems and mass failures
 * stop the run; a module the project renamed (its old path is in the history) and a few real failures go on.
 */
import assert from "node:assert/strict";
import { discoverFailures } from "../../src/pytest/mod.ts";
import { diagnoseEnvironment } from "../../src/pytest/diagnose_facts.ts";
import { createPyRepo, type PyRepoOptions } from "../support/pyrepo.ts";

async function diagnose(options: PyRepoOptions) {
  const repo = await createPyRepo(options);
  try {
    const discovery = await discoverFailures(repo.dir, { command: ["python3", "-m", "pytest"] });
    return { discovery, diagnosis: await diagnoseEnvironment(repo.dir, discovery, 5) };
  } finally {
    await repo.cleanup();
  }
}

Deno.test("a third-party test dependency that is not installed is an environment problem, named", async () => {
  const { diagnosis } = await diagnose({
    files: {
      "tests/test_a.py": "import sentries_not_installed_dep\n\n\ndef test_a():\n    assert True\n",
      "tests/test_b.py": "from sentries_not_installed_dep.sub import x\n\n\ndef test_b():\n    assert x\n",
    },
  });
  assert.equal(diagnosis?.kind, "missing_module");
  assert.deepEqual(diagnosis?.modules, ["sentries_not_installed_dep"]); // Python names the missing top level
  assert.match(diagnosis!.message, /`sentries_not_installed_dep` .*not installed/);
  assert.match(diagnosis!.hint, /install the test dependencies/);
  assert.match(diagnosis!.hint, /virtualenv/);
});

Deno.test("the project's own package in a src layout, not installed, is an environment problem", async () => {
  const { diagnosis } = await diagnose({
    files: {
      "src/shop/__init__.py": "def price():\n    return 3\n",
      "tests/test_shop.py": "import shop\n\n\ndef test_price():\n    assert shop.price() == 3\n",
    },
  });
  assert.equal(diagnosis?.kind, "missing_module");
  assert.deepEqual(diagnosis?.modules, ["shop"]);
  assert.match(diagnosis!.message, /project's own `shop`/);
  assert.match(diagnosis!.hint, /pip install -e \./);
});

Deno.test("a module the project renamed (old path in the history) is a test fix: the run goes on", async () => {
  const { discovery, diagnosis } = await diagnose({
    files: {
      "pyproject.toml": '[tool.pytest.ini_options]\npythonpath = ["."]\n',
      "calc/__init__.py": "",
      "calc/old_ops.py": "def add(a, b):\n    return a + b\n",
      "tests/test_ops.py": "from calc.old_ops import add\n\n\ndef test_add():\n    assert add(1, 2) == 3\n",
    },
    commits: [{
      message: "move old_ops to ops",
      files: { "calc/old_ops.py": null, "calc/ops.py": "def add(a, b):\n    return a + b\n" },
    }],
  });
  assert.equal(discovery.confirmed.length, 1, "the import fails");
  assert.match(discovery.confirmed[0].traceback, /No module named 'calc.old_ops'/);
  assert.equal(diagnosis, undefined);
});

Deno.test("a few ordinary failures go on to the model", async () => {
  const { discovery, diagnosis } = await diagnose({
    files: {
      "tests/test_a.py": "def test_a():\n    assert 1 == 2\n\n\ndef test_b():\n    assert 'x' == 'y'\n",
      "tests/test_c.py": "def test_c():\n    assert [] == [1]\n",
    },
  });
  assert.equal(discovery.confirmed.length, 3);
  assert.equal(diagnosis, undefined);
});

function manyFiles(count: number, body: (i: number) => string): Record<string, string> {
  return Object.fromEntries(Array.from({ length: count }, (_, i) => [`tests/test_m${i}.py`, body(i)]));
}

Deno.test("far more failing test files than a 5-file fix can repair is a mass failure", async () => {
  const { diagnosis } = await diagnose({
    files: manyFiles(
      12,
      (i) => `def test_one():\n    assert ${i} == -1\n\n\ndef test_two():\n    assert ${i} == -2\n`,
    ),
  });
  assert.equal(diagnosis?.kind, "mass_failure");
  assert.match(diagnosis!.message, /24 failures in 12 test files: far more than a test-only fix of at most 5 files/);
});

Deno.test("most tests failing with the same environment error is a mass failure that names the error", async () => {
  const { diagnosis } = await diagnose({
    files: {
      ...manyFiles(3, (i) => `def test_ok():\n    assert True\n\n\ndef test_fixture_${i}():\n    assert 1 == 2\n`),
      "tests/test_data.py": Array.from(
        { length: 12 },
        (_, i) => `def test_read_${i}():\n    assert open('fixtures/missing.json').read()\n`,
      ).join("\n\n"),
    },
  });
  assert.equal(diagnosis?.kind, "mass_failure");
  assert.match(diagnosis!.message, /12 of 15 failures stop with the same error \(FileNotFoundError/);
});

// --- attacks: real test bugs that must not be called an environment problem ---------------------------------

Deno.test("a test helper the project renamed, with a package module of the same name elsewhere, goes on", async () => {
  // `import helpers` found tests/helpers.py (pytest puts tests/ on the path); shop/helpers.py is `shop.helpers`,
  // so it does not make `helpers` "the project's own module, not installed".
  const { discovery, diagnosis } = await diagnose({
    files: {
      "pyproject.toml": '[tool.pytest.ini_options]\npythonpath = ["."]\n',
      "shop/__init__.py": "",
      "shop/helpers.py": "def rate():\n    return 2\n",
      "tests/helpers.py": "def make():\n    return 1\n",
      "tests/test_make.py": "from helpers import make\n\n\ndef test_make():\n    assert make() == 1\n",
    },
    commits: [{
      message: "rename the test helper",
      files: { "tests/helpers.py": null, "tests/support.py": "def make():\n    return 1\n" },
    }],
  });
  assert.match(discovery.confirmed[0].traceback, /No module named 'helpers'/);
  assert.equal(diagnosis, undefined, diagnosis?.message);
});

Deno.test("many tests of one file importing a module the project renamed is a test fix, not a mass failure", async () => {
  const tests = Array.from(
    { length: 12 },
    (_, i) => `def test_add_${i}():\n    from calc.old_ops import add\n    assert add(${i}, 1) == ${i + 1}\n`,
  ).join("\n\n");
  const { discovery, diagnosis } = await diagnose({
    files: {
      "pyproject.toml": '[tool.pytest.ini_options]\npythonpath = ["."]\n',
      "calc/__init__.py": "",
      "calc/old_ops.py": "def add(a, b):\n    return a + b\n",
      "tests/test_ops.py": tests,
    },
    commits: [{
      message: "move old_ops to ops",
      files: { "calc/old_ops.py": null, "calc/ops.py": "def add(a, b):\n    return a + b\n" },
    }],
  });
  assert.equal(discovery.confirmed.length, 12);
  assert.equal(diagnosis, undefined, diagnosis?.message);
});

Deno.test("many tests of one file importing a name the project removed is a test fix, not a mass failure", async () => {
  const tests = Array.from(
    { length: 12 },
    (_, i) => `def test_add_${i}():\n    from calc.ops import old_add\n    assert old_add(${i}, 1) == ${i + 1}\n`,
  ).join("\n\n");
  const { discovery, diagnosis } = await diagnose({
    files: {
      "pyproject.toml": '[tool.pytest.ini_options]\npythonpath = ["."]\n',
      "calc/__init__.py": "",
      "calc/ops.py": "def add(a, b):\n    return a + b\n\n\nold_add = add\n",
      "tests/test_ops.py": tests,
    },
    commits: [{ message: "drop old_add", files: { "calc/ops.py": "def add(a, b):\n    return a + b\n" } }],
  });
  assert.equal(discovery.confirmed.length, 12);
  assert.equal(diagnosis, undefined, diagnosis?.message);
});

Deno.test("honest case: many tests importing a name a dependency lacks is still a mass failure", async () => {
  const tests = Array.from(
    { length: 12 },
    (_, i) => `def test_dep_${i}():\n    from json import no_such_name\n    assert no_such_name\n`,
  ).join("\n\n");
  const { diagnosis } = await diagnose({ files: { "tests/test_dep.py": tests } });
  assert.equal(diagnosis?.kind, "mass_failure");
  assert.match(diagnosis!.message, /12 of 12 failures stop with the same error \(ImportError: cannot import name/);
});

Deno.test("a package the project renamed, in a shallow clone: still stopped, but the message says why it cannot tell", async () => {
  const repo = await createPyRepo({
    files: {
      "pyproject.toml": '[tool.pytest.ini_options]\npythonpath = ["."]\n',
      "oldshop/__init__.py": "def price():\n    return 3\n",
      "tests/test_price.py": "from oldshop import price\n\n\ndef test_price():\n    assert price() == 3\n",
    },
    commits: [{
      message: "rename oldshop to shop",
      files: { "oldshop/__init__.py": null, "shop/__init__.py": "def price():\n    return 3\n" },
    }],
  });
  const shallow = await Deno.makeTempDir({ prefix: "sentries-shallow-" });
  try {
    // With the history the rename is seen and the run goes on.
    const full = await discoverFailures(repo.dir, { command: ["python3", "-m", "pytest"] });
    assert.equal(await diagnoseEnvironment(repo.dir, full, 5), undefined);

    await repo.git("clone", "--quiet", "--depth", "1", `file://${repo.dir}`, shallow);
    const discovery = await discoverFailures(shallow, { command: ["python3", "-m", "pytest"] });
    const diagnosis = await diagnoseEnvironment(shallow, discovery, 5);
    assert.equal(diagnosis?.kind, "missing_module");
    assert.match(diagnosis!.message, /This clone is shallow, so a package the project renamed looks the same/);
    assert.match(diagnosis!.hint, /fetch-depth: 0/);
  } finally {
    await Deno.remove(shallow, { recursive: true });
    await repo.cleanup();
  }
});

Deno.test("a test moved away from the helper it imports by bare name is a test fix, not a project to install", async () => {
  // tests/unit/factory.py was importable as `factory` while the test sat next to it (pytest's rootdir
  // insertion); the test moved to tests/, so its import must change: a test fix.
  const { discovery, diagnosis } = await diagnose({
    files: {
      "shop/__init__.py": "def price():\n    return 3\n",
      "tests/unit/factory.py": "def make():\n    return 3\n",
      "tests/unit/test_price.py": "from factory import make\n\n\ndef test_price():\n    assert make() == 3\n",
    },
    commits: [{
      message: "move the test up",
      files: {
        "tests/unit/test_price.py": null,
        "tests/test_price.py": "from factory import make\n\n\ndef test_price():\n    assert make() == 3\n",
      },
    }],
  });
  assert.match(discovery.confirmed[0].traceback, /No module named 'factory'/);
  assert.equal(diagnosis, undefined, diagnosis?.message);
});
