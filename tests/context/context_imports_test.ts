import assert from "node:assert/strict";
import { buildTestContext } from "../../src/context/mod.ts";
import { runPytest } from "../../src/pytest/mod.ts";
import { createPyRepo } from "../support/pyrepo.ts";

const FORMATTING =
  "def fmt(amount):\n    return f'{amount:.2f}'\n\n\ndef fmt_cents(cents):\n    return fmt(cents / 100)\n";

Deno.test("buildTestContext: a moved module shows where the name lives now, the module list and the rename", async () => {
  const repo = await createPyRepo({
    files: {
      "pyproject.toml": '[tool.pytest.ini_options]\npythonpath = ["src"]\n',
      "src/money/__init__.py": "",
      "src/money/util.py": FORMATTING,
      "src/money/rates.py": "RATE = 2\n",
      "tests/test_fmt.py": "from money.util import fmt\n\n\ndef test_fmt():\n    assert fmt(2) == '2.00'\n",
    },
    commits: [{
      message: "Move formatting helpers to money.formatting",
      files: { "src/money/util.py": null, "src/money/formatting.py": FORMATTING },
    }],
  });
  try {
    const run = await runPytest(repo.dir, {});
    assert.deepEqual(run.failures.map((f) => [f.nodeId, f.kind]), [["tests/test_fmt.py", "collection_error"]]);
    const context = await buildTestContext(repo.dir, run.failures, { tokenBudget: 6000 });
    assert.deepEqual(context.sections.map((s) => s.title), [
      "Collection error in tests/test_fmt.py",
      "Test module tests/test_fmt.py (whole file)",
      "Where the missing name is defined now: src/money/formatting.py: fmt",
      "Python modules in the repository (tests excluded)",
      "Recent changes to src/money/formatting.py (git log -p, newest first)",
    ]);
    const text = context.text;
    assert.match(text, /ModuleNotFoundError: No module named 'money\.util'/);
    assert.doesNotMatch(text, /Hint: make sure your test modules/);
    assert.match(text, /1 \| def fmt\(amount\):/);
    assert.match(
      text,
      /src\/money\/__init__\.py {2}\(import money\)\nsrc\/money\/formatting\.py {2}\(import money\.formatting\)\nsrc\/money\/rates\.py {2}\(import money\.rates\)/,
    );
    assert.match(text, /Test Author: Move formatting helpers to money\.formatting/);
    assert.match(text, /rename from src\/money\/util\.py\nrename to src\/money\/formatting\.py/);
    assert.deepEqual(context.sourceFiles, ["src/money/formatting.py"]);
  } finally {
    await repo.cleanup();
  }
});

Deno.test("buildTestContext: a renamed function shows the rename commit of the module it was imported from", async () => {
  const repo = await createPyRepo({
    files: {
      "pyproject.toml": '[tool.pytest.ini_options]\npythonpath = ["src"]\n',
      "src/money/__init__.py": "",
      "src/money/util.py": FORMATTING,
      "tests/test_fmt.py": "from money.util import fmt\n\n\ndef test_fmt():\n    assert fmt(2) == '2.00'\n",
    },
    commits: [{
      message: "Rename fmt to format_amount",
      files: { "src/money/util.py": FORMATTING.replaceAll("fmt(", "format_amount(") },
    }],
  });
  try {
    const run = await runPytest(repo.dir, {});
    const context = await buildTestContext(repo.dir, run.failures, { tokenBudget: 6000 });
    assert.match(context.text, /ImportError: cannot import name 'fmt' from 'money\.util'/);
    assert.ok(
      context.sections.some((s) => s.title === "Recent changes to src/money/util.py (git log -p, newest first)"),
    );
    assert.match(context.text, /-def fmt\(amount\):\n\+def format_amount\(amount\):/);
    assert.ok(
      context.sections.some((s) =>
        s.title === "The module the name was imported from: src/money/util.py: format_amount, fmt_cents" &&
        s.text.startsWith("1 | def format_amount(amount):")
      ),
    );
    assert.deepEqual(context.sourceFiles, ["src/money/util.py"]);
  } finally {
    await repo.cleanup();
  }
});

Deno.test("buildTestContext: flat layout and a pyproject pythonpath both resolve to their files", async () => {
  const repo = await createPyRepo({
    files: {
      "pyproject.toml": '[tool.pytest.ini_options]\npythonpath = [".", "lib"]\n',
      "shop/__init__.py": "",
      "shop/prices.py": "def net(gross):\n    return gross / 1.25\n",
      "lib/inventory/__init__.py": "from .stock import count as count\n",
      "lib/inventory/stock.py": "def count(items):\n    return len(items) + 1\n",
      "tests/test_mixed.py": [
        "import shop.prices",
        "from inventory import count",
        "",
        "",
        "def test_net():",
        "    assert shop.prices.net(125) == 99",
        "",
        "",
        "def test_count():",
        "    assert count([1, 2]) == 2",
        "",
      ].join("\n"),
    },
  });
  try {
    const run = await runPytest(repo.dir, {});
    assert.deepEqual(run.failures.map((f) => f.nodeId), [
      "tests/test_mixed.py::test_count",
      "tests/test_mixed.py::test_net",
    ]);
    const context = await buildTestContext(repo.dir, run.failures, { tokenBudget: 6000 });
    const titles = context.sections.map((s) => s.title);
    // `from inventory import count` is followed through the package's re-export to the defining file.
    assert.ok(titles.includes("Source lib/inventory/stock.py: count"), titles.join("\n"));
    assert.ok(titles.includes("Source shop/prices.py: net"), titles.join("\n"));
    assert.deepEqual(context.sourceFiles, ["lib/inventory/stock.py", "shop/prices.py"]);
    assert.match(context.text, /1 \| def count\(items\):\n2 \| {5}return len\(items\) \+ 1/);
  } finally {
    await repo.cleanup();
  }
});

Deno.test("buildTestContext: a large test module is excerpted with the failing test, its fixtures and conftest fixtures", async () => {
  const filler = Array.from({ length: 60 }, (_, i) => `def test_filler_${i}():\n    assert True\n\n`).join("\n");
  const repo = await createPyRepo({
    files: {
      "tests/conftest.py": [
        "import pytest",
        "",
        "",
        "@pytest.fixture",
        "def bank():",
        "    return {'balance': 10}",
        "",
        "",
        "@pytest.fixture",
        "def account(bank):",
        "    return bank['balance']",
        "",
        "",
        "@pytest.fixture",
        "def unused():",
        "    return 0",
        "",
      ].join("\n"),
      "tests/test_bank.py": [
        "import pytest",
        "",
        "",
        "@pytest.fixture",
        "def fee():",
        "    return 3",
        "",
        "",
        filler,
        "def test_withdraw(account, fee, tmp_path):",
        "    assert account - fee == 8",
        "",
      ].join("\n"),
    },
  });
  try {
    const run = await runPytest(repo.dir, {});
    assert.deepEqual(run.failures.map((f) => f.nodeId), ["tests/test_bank.py::test_withdraw"]);
    const context = await buildTestContext(repo.dir, run.failures, { tokenBudget: 6000 });
    const titles = context.sections.map((s) => s.title);
    assert.deepEqual(titles.slice(0, 3), [
      "Failing test tests/test_bank.py::test_withdraw (failed)",
      "Test module tests/test_bank.py (excerpt: imports, failing tests, their fixtures)",
      "Fixtures from tests/conftest.py: bank, account",
    ]);
    const excerpt = context.sections[1].text;
    assert.match(excerpt, /^ {2}1 \| import pytest\n/);
    assert.match(excerpt, / {2}5 \| def fee\(\):/);
    assert.match(excerpt, /def test_withdraw\(account, fee, tmp_path\):\n.*assert account - fee == 8/);
    assert.doesNotMatch(excerpt, /test_filler_30/);
    assert.match(excerpt, /\n {4}\| \.\.\.\n/);
    assert.doesNotMatch(context.sections[2].text, /def unused/);
    assert.deepEqual(context.testFiles, ["tests/conftest.py", "tests/test_bank.py"]);
  } finally {
    await repo.cleanup();
  }
});
