/** Test scenarios beyond one changed function: moves, fixtures, several files, no-ops, refusals, retries. */
import { fillerFunctions, importFiller, pythonModule, testModule } from "./filler.ts";
import { moduleScenario, PYPROJECT, UPDATE } from "./python_repo.ts";
import type { TestsScenarioSpec } from "./types.ts";

const T = (name: string) => `tests/test_${name}.py`;

function movedModule(): TestsScenarioSpec {
  const filler = fillerFunctions("helpers", 30, 13);
  const body = pythonModule(
    "Text helpers.",
    "def slug(s):\n    return s.lower().replace(' ', '-')",
    filler,
  );
  const tests = (module: string) =>
    testModule(
      [`from ${module} import slug`, importFiller(module, filler.slice(0, 12))],
      "def test_slug():\n    assert slug('A B') == 'a-b'",
      filler.slice(0, 12),
    );
  return {
    kind: "tests",
    id: "t13-moved-module",
    title: "moved module",
    files: {
      "pyproject.toml": PYPROJECT,
      "app/__init__.py": "",
      "app/helpers.py": body,
      [T("slug")]: tests("app.helpers"),
    },
    commits: [{
      message: "Move helpers into app.text",
      files: { "app/helpers.py": null, "app/text/__init__.py": "", "app/text/slugs.py": body },
    }],
    expected: "fixed",
    model: {
      plan: UPDATE("app.helpers moved to app.text.slugs.", "1. tests/test_slug.py: import from app.text.slugs"),
      evidence: ["app/text/slugs.py"],
      fix: [{ path: T("slug"), replace: [["from app.helpers import", "from app.text.slugs import"]] }],
      wrongFix: [{ path: T("slug"), replace: [["from app.helpers import", "from app.slugs import"]] }],
    },
  };
}

function conftestFixture(): TestsScenarioSpec {
  const filler = fillerFunctions("client", 25, 14);
  const head = (init: string) =>
    `class Client:\n${init}\n\n    def endpoint(self, path):\n        return self.url + path`;
  const before = pythonModule("An HTTP client.", head("    def __init__(self, url):\n        self.url = url"), filler);
  const after = pythonModule(
    "An HTTP client.",
    head("    def __init__(self, url, timeout):\n        self.url = url\n        self.timeout = timeout"),
    filler,
  );
  const conftest = "import pytest\n\nfrom svc.client import Client\n\n\n@pytest.fixture\ndef client():\n" +
    '    return Client("http://svc")\n';
  return {
    kind: "tests",
    id: "t14-conftest-fixture",
    title: "fixture change in conftest",
    files: {
      "pyproject.toml": PYPROJECT,
      "svc/__init__.py": "",
      "svc/client.py": before,
      "tests/conftest.py": conftest,
      [T("client")]: testModule(
        [importFiller("svc.client", filler.slice(0, 10))],
        'def test_endpoint(client):\n    assert client.endpoint("/x") == "http://svc/x"',
        filler.slice(0, 10),
      ),
      [T("paths")]: 'def test_root(client):\n    assert client.endpoint("/") == "http://svc/"\n',
    },
    commits: [{ message: "Client needs an explicit timeout", files: { "svc/client.py": after } }],
    expected: "fixed",
    model: {
      plan: UPDATE("Client requires a timeout.", "1. tests/conftest.py: build the client fixture with timeout=5"),
      evidence: ["def __init__(self, url, timeout)"],
      fix: [{ path: "tests/conftest.py", replace: [['Client("http://svc")', 'Client("http://svc", timeout=5)']] }],
      wrongFix: [{
        path: T("client"),
        replace: [["def test_endpoint(client):", "def test_endpoint(client, timeout):"]],
      }],
    },
  };
}

function twoFailingFiles(): TestsScenarioSpec {
  const filler = fillerFunctions("money", 30, 15);
  const module = (body: string) => pythonModule("Money formatting.", body, filler);
  const test = (name: string, call: string, expected: string) =>
    testModule(
      ["from fmt.money import money", importFiller("fmt.money", filler.slice(0, 8))],
      `def test_${name}():\n    assert ${call} == '${expected}'`,
      filler.slice(0, 8),
    );
  return {
    kind: "tests",
    id: "t15-two-failing-files",
    title: "two failing files (sloppy answer)",
    files: {
      "pyproject.toml": PYPROJECT,
      "fmt/__init__.py": "",
      "fmt/money.py": module("def money(x):\n    return f'${x:.2f}'"),
      [T("a")]: test("a", "money(1)", "$1.00"),
      [T("b")]: test("b", "money(2.5)", "$2.50"),
    },
    commits: [{
      message: "Money in euros",
      files: { "fmt/money.py": module("def money(x):\n    return f'{x:.2f} EUR'") },
    }],
    expected: "fixed",
    model: {
      plan: UPDATE(
        "money prints euros now.",
        "1. tests/test_a.py: expect 1.00 EUR\n2. tests/test_b.py: expect 2.50 EUR",
      ),
      evidence: ["'1.00 EUR'", "'2.50 EUR'"],
      style: "sloppy",
      fix: [
        { path: T("a"), replace: [["== '$1.00'", "== '1.00 EUR'"]] },
        { path: T("b"), replace: [["== '$2.50'", "== '2.50 EUR'"]] },
      ],
      wrongFix: [{ path: T("a"), replace: [["== '$1.00'", "== '€1.00'"]] }],
    },
  };
}

function alreadyGreen(): TestsScenarioSpec {
  const spec = moduleScenario({
    id: "t16-already-green",
    title: "already green",
    module: "calc/green",
    before: "def double(x):\n    return 2 * x",
    after: "def double(x):\n    return x + x",
    message: "Refactor double",
    imports: ["from calc.green import double"],
    tests: "def test_double():\n    assert double(4) == 8",
    seed: 16,
    expected: "no_failures",
    model: { plan: "VERDICT: NO_CHANGES\nREASON: nothing fails.\nPLAN:\n1. none", evidence: [] },
  });
  return spec;
}

function flaky(): TestsScenarioSpec {
  // Fails on the first run and passes on the next, alternating: the mark lives outside the worktree.
  const test = "import os\nimport tempfile\n\nMARK = os.path.join(tempfile.gettempdir(), 'sentries-bench-flaky-' + " +
    "os.path.basename(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))\n\n\n" +
    "def test_sometimes():\n    if os.path.exists(MARK):\n        os.remove(MARK)\n        return\n" +
    "    open(MARK, 'w').close()\n    assert False, 'first run fails'\n";
  const filler = fillerFunctions("jobs", 20, 17);
  return {
    kind: "tests",
    id: "t17-flaky-test",
    title: "a flaky test",
    files: {
      "pyproject.toml": PYPROJECT,
      "jobs/__init__.py": "",
      "jobs/queue.py": pythonModule("Jobs.", "", filler),
      [T("flaky")]: test,
      [T("queue")]: testModule([importFiller("jobs.queue", filler.slice(0, 10))], "", filler.slice(0, 10)),
    },
    commits: [{ message: "Touch the queue", files: { "jobs/queue.py": pythonModule("Job queue.", "", filler) } }],
    expected: "flaky_only",
    model: { plan: "VERDICT: NO_CHANGES\nREASON: flaky.\nPLAN:\n1. none", evidence: [] },
  };
}

function sourceBug(): TestsScenarioSpec {
  return moduleScenario({
    id: "t18-genuine-source-bug",
    title: "a genuine source bug (refuse)",
    module: "shop/pricing",
    before: "def apply_discount(price, percent):\n    return round(price * (1 - percent / 100), 2)",
    after: "def apply_discount(price, percent):\n    return round(price * (1 - percent), 2)",
    message: "Simplify discount maths",
    imports: ["from shop.pricing import apply_discount"],
    tests: "def test_ten_percent_off():\n    assert apply_discount(200, 10) == 180",
    seed: 18,
    expected: "source_bug",
    model: {
      plan: "VERDICT: SOURCE_BUG\nREASON: apply_discount dropped the division by 100, so a 10% discount " +
        "gives a negative price; the test is right.\nPLAN:\n1. none: fix shop/pricing.py",
      evidence: ["percent / 100", "price * (1 - percent)"],
      // Without the history that shows the dropped division, "update the expectation" looks plausible.
      wrongPlan: UPDATE("the discount maths changed.", "1. tests/test_pricing.py: expect -1800"),
      wrongFix: [{ path: T("pricing"), replace: [["== 180\n", "== -1800\n"]] }],
    },
  });
}

function feedbackRetry(): TestsScenarioSpec {
  return moduleScenario({
    id: "t19-feedback-retry",
    title: "wrong first, right after feedback",
    module: "orders/totals",
    before: "def total_price(items):\n    return sum(items)\n\n\ndef format_total(value):\n    return f'{value:.2f}'",
    after: "def order_total(items):\n    return sum(items)\n\n\ndef format_total(value):\n    return f'${value:.2f}'",
    message: "Rename total_price; totals carry a currency sign",
    imports: ["from orders.totals import format_total, total_price"],
    tests: "def test_total():\n    assert total_price([1, 2]) == 3\n\n\n" +
      "def test_format_total():\n    assert format_total(12.5) == '12.50'",
    seed: 19,
    model: {
      plan: UPDATE("total_price was renamed to order_total.", "1. tests/test_totals.py: use order_total"),
      evidence: ["def order_total("],
      // The import error hides the format change; only the retry's still-failing assertion shows it.
      firstTry: {
        fix: [{
          path: T("totals"),
          replace: [["format_total, total_price\n", "format_total, order_total\n"], ["total_price([", "order_total(["]],
        }],
        retryEvidence: ["still fail", "'$12.50' == '12.50'"],
      },
      fix: [{
        path: T("totals"),
        replace: [
          ["format_total, total_price\n", "format_total, order_total\n"],
          ["total_price([", "order_total(["],
          ["== '12.50'", "== '$12.50'"],
        ],
      }],
      wrongFix: [{
        path: T("totals"),
        replace: [["format_total, total_price\n", "format_total, price_total\n"], ["total_price([", "price_total(["]],
      }],
    },
  });
}

export const MORE_SCENARIOS: TestsScenarioSpec[] = [
  movedModule(),
  conftestFixture(),
  twoFailingFiles(),
  alreadyGreen(),
  flaky(),
  sourceBug(),
  feedbackRetry(),
];
