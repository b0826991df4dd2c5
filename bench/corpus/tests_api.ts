/** Test scenarios where a public API changed: names, signatures, return values, exceptions, keys. */
import { moduleScenario, UPDATE } from "./python_repo.ts";
import type { TestsScenarioSpec } from "./types.ts";

const T = (name: string) => `tests/test_${name}.py`;

export const API_SCENARIOS: TestsScenarioSpec[] = [
  moduleScenario({
    id: "t01-renamed-function",
    title: "renamed function",
    module: "calc/ops",
    before: `def add(a, b):\n    """Add two numbers."""\n    return a + b`,
    after: `def plus(a, b):\n    """Add two numbers."""\n    return a + b`,
    message: "Rename add to plus",
    imports: ["from calc.ops import add"],
    tests: "def test_add():\n    assert add(2, 3) == 5",
    seed: 1,
    model: {
      plan: UPDATE("add was renamed to plus.", "1. tests/test_ops.py: import and call plus instead of add"),
      evidence: ["def plus(a, b)"],
      fix: [{
        path: T("ops"),
        replace: [["import add\n", "import plus\n"], ["assert add(2, 3)", "assert plus(2, 3)"]],
      }],
      wrongFix: [{
        path: T("ops"),
        replace: [["import add\n", "import add_numbers\n"], ["add(2, 3)", "add_numbers(2, 3)"]],
      }],
    },
  }),
  moduleScenario({
    id: "t02-changed-return-format",
    title: "changed return value/format (sloppy answer)",
    module: "report/describe",
    before: `def describe(x):\n    return f"value={x}"`,
    after: `def describe(x):\n    return f"<{x}>"`,
    message: "Angle-bracket values in reports",
    imports: ["from report.describe import describe"],
    tests: 'def test_describe():\n    assert describe(4) == "value=4"',
    seed: 2,
    model: {
      plan: UPDATE("describe now wraps values in angle brackets.", "1. tests/test_describe.py: expect <4>"),
      evidence: ["'<4>' == 'value=4'"],
      style: "sloppy",
      fix: [{ path: T("describe"), replace: [['== "value=4"', '== "<4>"']] }],
      wrongFix: [{ path: T("describe"), replace: [['== "value=4"', '== "value: 4"']] }],
    },
  }),
  moduleScenario({
    id: "t03-new-required-parameter",
    title: "new required parameter",
    module: "net/address",
    before: `def connect(host):\n    """Address of the service on host."""\n    return f"{host}:80"`,
    after: `def connect(host, port):\n    """Address of the service on host:port."""\n    return f"{host}:{port}"`,
    message: "connect takes an explicit port",
    imports: ["from net.address import connect"],
    tests: 'def test_connect():\n    assert connect("db") == "db:80"',
    seed: 3,
    model: {
      plan: UPDATE("connect requires a port now.", "1. tests/test_address.py: pass port 80 to connect"),
      evidence: ["def connect(host, port)"],
      fix: [{ path: T("address"), replace: [['connect("db")', 'connect("db", 80)']] }],
      wrongFix: [{ path: T("address"), replace: [['connect("db")', 'connect("db", port=None)']] }],
    },
  }),
  moduleScenario({
    id: "t04-changed-exception-type",
    title: "changed exception type",
    module: "money/parse",
    before: `def parse_amount(text):\n    try:\n        return int(text)\n    except ValueError:\n` +
      `        raise ValueError(f"not an amount: {text!r}")`,
    after: `class AmountError(Exception):\n    """Raised when text is not an amount."""\n\n\n` +
      `def parse_amount(text):\n    try:\n        return int(text)\n    except ValueError:\n` +
      `        raise AmountError(f"not an amount: {text!r}") from None`,
    message: "A dedicated AmountError",
    imports: ["import pytest", "from money.parse import parse_amount"],
    tests: 'def test_parse_amount_rejects_words():\n    with pytest.raises(ValueError):\n        parse_amount("ten")',
    seed: 4,
    model: {
      plan: UPDATE("parse_amount raises AmountError now.", "1. tests/test_parse.py: expect AmountError"),
      evidence: ["class AmountError"],
      fix: [{
        path: T("parse"),
        replace: [
          ["from money.parse import parse_amount\n", "from money.parse import AmountError, parse_amount\n"],
          ["pytest.raises(ValueError)", "pytest.raises(AmountError)"],
        ],
      }],
      wrongFix: [{ path: T("parse"), replace: [["pytest.raises(ValueError)", "pytest.raises(TypeError)"]] }],
    },
  }),
  moduleScenario({
    id: "t05-renamed-dict-key",
    title: "renamed dict key",
    module: "users/records",
    before: `def user_record(name, uid):\n    return {"name": name, "id": uid}`,
    after: `def user_record(name, uid):\n    return {"full_name": name, "id": uid}`,
    message: "user records carry full_name",
    imports: ["from users.records import user_record"],
    tests: 'def test_user_record():\n    assert user_record("Ada", 1)["name"] == "Ada"',
    seed: 5,
    model: {
      plan: UPDATE("the key is full_name now.", '1. tests/test_records.py: read ["full_name"]'),
      evidence: ['"full_name"'],
      fix: [{ path: T("records"), replace: [['["name"]', '["full_name"]']] }],
      wrongFix: [{ path: T("records"), replace: [['["name"]', '["username"]']] }],
    },
  }),
  moduleScenario({
    id: "t06-changed-default",
    title: "changed default",
    module: "net/retry",
    before: `def retry_policy(times=3, delay=1.0):\n    return {"times": times, "delay": delay}`,
    after: `def retry_policy(times=5, delay=1.0):\n    return {"times": times, "delay": delay}`,
    message: "Retry five times by default",
    imports: ["from net.retry import retry_policy"],
    tests: 'def test_default_policy():\n    assert retry_policy()["times"] == 3',
    seed: 6,
    model: {
      plan: UPDATE("the default is 5 retries now.", "1. tests/test_retry.py: expect 5"),
      evidence: ["assert 5 == 3"],
      fix: [{ path: T("retry"), replace: [['["times"] == 3', '["times"] == 5']] }],
      wrongFix: [{ path: T("retry"), replace: [['["times"] == 3', '["times"] == 4']] }],
    },
  }),
  moduleScenario({
    id: "t07-reordered-output",
    title: "reordered output",
    module: "users/listing",
    before: `def list_users(users):\n    return [u["name"] for u in sorted(users, key=lambda u: u["id"])]`,
    after: `def list_users(users):\n    return [u["name"] for u in sorted(users, key=lambda u: u["name"])]`,
    message: "List users alphabetically",
    imports: ["from users.listing import list_users"],
    tests: 'USERS = [{"id": 1, "name": "zoe"}, {"id": 2, "name": "adam"}, {"id": 3, "name": "mia"}]\n\n\n' +
      'def test_list_users():\n    assert list_users(USERS) == ["zoe", "adam", "mia"]',
    seed: 7,
    model: {
      plan: UPDATE("users are listed by name now.", "1. tests/test_listing.py: expect alphabetical order"),
      evidence: ["['adam', 'mia', 'zoe']"],
      fix: [{ path: T("listing"), replace: [['["zoe", "adam", "mia"]', '["adam", "mia", "zoe"]']] }],
      wrongFix: [{ path: T("listing"), replace: [['["zoe", "adam", "mia"]', '["mia", "adam", "zoe"]']] }],
    },
  }),
  moduleScenario({
    id: "t08-float-formatting",
    title: "float formatting",
    module: "stats/labels",
    before: `def ratio_label(part, whole):\n    return f"{part / whole:.2f}"`,
    after: `def ratio_label(part, whole):\n    return f"{part / whole:.1%}"`,
    message: "Show ratios as percentages",
    imports: ["from stats.labels import ratio_label"],
    tests: 'def test_ratio_label():\n    assert ratio_label(1, 4) == "0.25"',
    seed: 8,
    model: {
      plan: UPDATE("ratios are percentages now.", "1. tests/test_labels.py: expect 25.0%"),
      evidence: ["'25.0%'"],
      fix: [{ path: T("labels"), replace: [['== "0.25"', '== "25.0%"']] }],
      wrongFix: [{ path: T("labels"), replace: [['== "0.25"', '== "25%"']] }],
    },
  }),
  moduleScenario({
    id: "t09-removed-deprecated-api",
    title: "removed deprecated API",
    module: "shop/cart",
    before: `import warnings\n\n\ndef total(items):\n    return sum(price for _, price in items)\n\n\n` +
      `def old_total(items):\n    """Deprecated: use total()."""\n` +
      `    warnings.warn("old_total is deprecated; use total", DeprecationWarning)\n    return total(items)`,
    after: `def total(items):\n    return sum(price for _, price in items)`,
    message: "Remove the deprecated old_total",
    imports: ["from shop.cart import old_total"],
    tests: 'def test_total():\n    assert old_total([("pen", 2), ("ink", 5)]) == 7',
    seed: 9,
    model: {
      plan: UPDATE("old_total was removed in favour of total.", "1. tests/test_cart.py: use total"),
      evidence: ["use total()"],
      fix: [{ path: T("cart"), replace: [["import old_total\n", "import total\n"], ["old_total([", "total(["]] }],
      wrongFix: [{
        path: T("cart"),
        replace: [["import old_total\n", "import sum_total\n"], ["old_total([", "sum_total(["]],
      }],
    },
  }),
  moduleScenario({
    id: "t10-class-split",
    title: "class split",
    module: "bank/account",
    before:
      `class Account:\n    def __init__(self, owner):\n        self.owner = owner\n        self.entries = []\n\n` +
      `    def deposit(self, amount):\n        self.entries.append(amount)\n\n` +
      `    def balance(self):\n        return sum(self.entries)`,
    after: `class Ledger:\n    """Entries and balances, split out of Account."""\n\n    def __init__(self):\n` +
      `        self.entries = []\n\n    def add(self, amount):\n        self.entries.append(amount)\n\n` +
      `    def balance(self):\n        return sum(self.entries)\n\n\n` +
      `class Account:\n    def __init__(self, owner):\n        self.owner = owner\n        self.ledger = Ledger()\n\n` +
      `    def deposit(self, amount):\n        self.ledger.add(amount)`,
    message: "Split Ledger out of Account",
    imports: ["from bank.account import Account"],
    tests: 'def test_balance():\n    acct = Account("ada")\n    acct.deposit(5)\n    acct.deposit(7)\n' +
      "    assert acct.balance() == 12",
    seed: 10,
    model: {
      plan: UPDATE("balances live on Account.ledger now.", "1. tests/test_account.py: use acct.ledger.balance()"),
      evidence: ["self.ledger = Ledger()"],
      fix: [{ path: T("account"), replace: [["acct.balance()", "acct.ledger.balance()"]] }],
      wrongFix: [{ path: T("account"), replace: [["acct.balance()", "acct.total()"]] }],
    },
  }),
  moduleScenario({
    id: "t11-renamed-keyword",
    title: "renamed keyword argument",
    module: "text/layout",
    before: `import textwrap\n\n\ndef wrap(text, width=20):\n    return textwrap.wrap(text, width=width)`,
    after: `import textwrap\n\n\ndef wrap(text, *, columns=20):\n    return textwrap.wrap(text, width=columns)`,
    message: "wrap: width is now columns, keyword-only",
    imports: ["from text.layout import wrap"],
    tests: 'def test_wrap():\n    assert wrap("a b c", width=3) == ["a b", "c"]',
    seed: 11,
    model: {
      plan: UPDATE("the keyword is columns now.", "1. tests/test_layout.py: pass columns=3"),
      evidence: ["columns=20"],
      fix: [{ path: T("layout"), replace: [["width=3", "columns=3"]] }],
      wrongFix: [{ path: T("layout"), replace: [["width=3", "size=3"]] }],
    },
  }),
  moduleScenario({
    id: "t12-changed-return-type",
    title: "changed return type",
    module: "geo/shapes",
    before: `def midpoint(a, b):\n    return ((a[0] + b[0]) / 2, (a[1] + b[1]) / 2)`,
    after:
      `from dataclasses import dataclass\n\n\n@dataclass(frozen=True)\nclass Point:\n    x: float\n    y: float\n\n\n` +
      `def midpoint(a, b):\n    return Point((a[0] + b[0]) / 2, (a[1] + b[1]) / 2)`,
    message: "midpoint returns a Point",
    imports: ["from geo.shapes import midpoint"],
    tests: "def test_midpoint():\n    assert midpoint((0, 0), (2, 4)) == (1.0, 2.0)",
    seed: 12,
    model: {
      plan: UPDATE("midpoint returns a Point now.", "1. tests/test_shapes.py: compare with Point(1.0, 2.0)"),
      evidence: ["class Point"],
      fix: [{
        path: T("shapes"),
        replace: [["import midpoint\n", "import Point, midpoint\n"], ["== (1.0, 2.0)", "== Point(1.0, 2.0)"]],
      }],
      wrongFix: [{ path: T("shapes"), replace: [["== (1.0, 2.0)", "== [1.0, 2.0]"]] }],
    },
  }),
];
