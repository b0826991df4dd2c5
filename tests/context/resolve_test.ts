import assert from "node:assert/strict";
import {
  configuredPythonPath,
  dottedNameOf,
  importRoots,
  iniValue,
  isTestFile,
  type ModuleIndex,
  resolveModule,
} from "../../src/context/resolve.ts";

Deno.test("configuredPythonPath: pyproject ini_options, pyproject [tool.pytest], pytest.ini, setup.cfg", () => {
  assert.deepEqual(
    configuredPythonPath({ "pyproject.toml": '[tool.pytest.ini_options]\npythonpath = ["lib", "./other/"]\n' }),
    ["lib", "other"],
  );
  assert.deepEqual(configuredPythonPath({ "pyproject.toml": '[tool.pytest]\npythonpath = ["."]\n' }), [""]);
  assert.deepEqual(configuredPythonPath({ "pytest.ini": "[pytest]\npythonpath = src\n  extra\naddopts = -q\n" }), [
    "src",
    "extra",
  ]);
  assert.deepEqual(configuredPythonPath({ "setup.cfg": "[metadata]\nname = x\n[tool:pytest]\npythonpath=code\n" }), [
    "code",
  ]);
  // pyproject.toml wins when it configures pytest; an unparsable one is ignored.
  assert.deepEqual(
    configuredPythonPath({ "pyproject.toml": "not [ toml", "pytest.ini": "[pytest]\npythonpath = a\n" }),
    [
      "a",
    ],
  );
  assert.deepEqual(configuredPythonPath({}), []);
  assert.equal(iniValue("[pytest]\naddopts = -q\n", "pytest", "pythonpath"), undefined);
});

Deno.test("resolveModule: src layout, flat layout, configured pythonpath, relative and unknown layouts", () => {
  const files = [
    "app/core/engine.py",
    "app/core/__init__.py",
    "lib/vendor_pkg/__init__.py",
    "lib/vendor_pkg/tool.py",
    "services/billing/invoices.py",
    "src/calc/__init__.py",
    "src/calc/ops.py",
    "tests/helpers.py",
    "tests/test_ops.py",
  ];
  const index: ModuleIndex = { files, roots: importRoots(files, ["lib"]) };
  assert.deepEqual(index.roots, ["lib", "src", ""]);
  assert.equal(resolveModule(index, "calc.ops"), "src/calc/ops.py");
  assert.equal(resolveModule(index, "calc"), "src/calc/__init__.py");
  assert.equal(resolveModule(index, "app.core.engine"), "app/core/engine.py");
  assert.equal(resolveModule(index, "vendor_pkg.tool"), "lib/vendor_pkg/tool.py");
  assert.equal(resolveModule(index, "billing.invoices"), "services/billing/invoices.py");
  assert.equal(resolveModule(index, "os.path"), undefined);
  // pytest puts a test file's directory (not a package) on sys.path.
  assert.equal(resolveModule(index, "helpers", { fromFile: "tests/test_ops.py" }), "tests/helpers.py");
  assert.equal(resolveModule(index, "engine", { level: 1, fromFile: "app/core/__init__.py" }), "app/core/engine.py");
  assert.equal(resolveModule(index, "", { level: 1, fromFile: "app/core/engine.py" }), "app/core/__init__.py");
  assert.equal(dottedNameOf(index, "src/calc/ops.py"), "calc.ops");
  assert.equal(dottedNameOf(index, "src/calc/__init__.py"), "calc");
  assert.equal(dottedNameOf(index, "app/core/engine.py"), "app.core.engine");
});

Deno.test("isTestFile", () => {
  for (const file of ["tests/test_a.py", "test/x.py", "pkg/conftest.py", "pkg/a_test.py", "test_top.py"]) {
    assert.equal(isTestFile(file), true, file);
  }
  for (const file of ["src/pkg/testing.py", "src/contest.py", "pkg/latest/x.py"]) {
    assert.equal(isTestFile(file), false, file);
  }
});
