import assert from "node:assert/strict";
import { checkWeakening } from "../../src/patch/guard_weakening.ts";
import { countBody, findTestFunctions } from "../../src/patch/python_tests.ts";

const BASE = `import pytest
import unittest


def helper():
    pass


def test_a():
    value = compute()
    assert value == 1
    assert value > 0


class TestB:
    def test_raises(self):
        with pytest.raises(ValueError):
            compute(-1)

    async def test_async(self):
        self.assertEqual(await fetch(), 2)
`;

Deno.test("findTestFunctions names tests with their class", () => {
  assert.deepEqual(findTestFunctions(BASE).map((t) => t.name), ["test_a", "TestB.test_raises", "TestB.test_async"]);
  assert.deepEqual(countBody(findTestFunctions(BASE)[0].body), {
    assertions: 2,
    trivialAssertions: 0,
    passes: 0,
    broadExcepts: 0,
  });
});

const CASES: Array<[name: string, after: string | null, codes: string[]]> = [
  ["unchanged", BASE, []],
  ["expected value corrected", BASE.replace("value == 1", "value == 2"), []],
  ["helper changed (not a test)", BASE.replace("    pass\n", "    return 1\n"), []],
  ["assertion rewritten, same count", BASE.replace("assert value > 0", "assert value >= 1"), []],
  ["new test added", BASE + "\n\ndef test_new():\n    assert True is not False\n", []],
  ["test deleted", BASE.replace(/def test_a\(\):[\s\S]*?assert value > 0\n/, ""), ["weaken.test_deleted"]],
  ["test renamed so pytest skips it", BASE.replace("def test_a", "def _test_a"), ["weaken.test_deleted"]],
  ["file deleted", null, ["weaken.test_file_deleted"]],
  ["skip marker", BASE.replace("def test_a", "@pytest.mark.skip\ndef test_a"), ["weaken.skip_marker"]],
  ["skipif marker", BASE.replace("def test_a", "@pytest.mark.skipif(True, reason='x')\ndef test_a"), [
    "weaken.skip_marker",
  ]],
  ["xfail marker on class", BASE.replace("class TestB", "@pytest.mark.xfail\nclass TestB"), ["weaken.skip_marker"]],
  ["module pytestmark", BASE.replace("import unittest\n", "import unittest\npytestmark = pytest.mark.skip\n"), [
    "weaken.skip_marker",
  ]],
  ["pytest.skip call", BASE.replace("    value = compute()", "    pytest.skip('no')\n    value = compute()"), [
    "weaken.skip_marker",
  ]],
  ["pytest.xfail call", BASE.replace("    value = compute()", "    pytest.xfail('no')\n    value = compute()"), [
    "weaken.skip_marker",
  ]],
  ["unittest skip", BASE.replace("    async def", "    @unittest.skip('x')\n    async def"), ["weaken.skip_marker"]],
  ["assertion removed", BASE.replace("    assert value > 0\n", ""), ["weaken.fewer_assertions"]],
  ["assertion → assert True", BASE.replace("assert value > 0", "assert True"), [
    "weaken.fewer_assertions",
    "weaken.trivial_assert",
  ]],
  ["assertion → pass", BASE.replace("assert value > 0", "pass"), ["weaken.fewer_assertions"]],
  ["pytest.raises removed", BASE.replace("with pytest.raises(ValueError):\n            compute(-1)", "compute(-1)"), [
    "weaken.fewer_assertions",
  ]],
  ["unittest assert removed", BASE.replace("self.assertEqual(await fetch(), 2)", "await fetch()"), [
    "weaken.fewer_assertions",
  ]],
  [
    "body wrapped in bare try/except",
    BASE.replace(
      "    value = compute()\n    assert value == 1\n    assert value > 0\n",
      "    try:\n        value = compute()\n        assert value == 1\n        assert value > 0\n    except:\n        pass\n",
    ),
    ["weaken.try_except"],
  ],
  [
    "body wrapped in except Exception as e",
    BASE.replace(
      "    value = compute()\n    assert value == 1\n    assert value > 0\n",
      "    try:\n        value = compute()\n        assert value == 1\n        assert value > 0\n    except Exception as e:\n        print(e)\n",
    ),
    ["weaken.try_except"],
  ],
  [
    "specific except is fine",
    BASE.replace(
      "    value = compute()\n",
      "    try:\n        value = compute()\n    except KeyError:\n        value = 1\n",
    ),
    [],
  ],
];

Deno.test("test-weakening table", () => {
  for (const [name, after, codes] of CASES) {
    const problems = checkWeakening([{ path: "tests/test_mod.py", oldContent: BASE, newContent: after }]);
    assert.deepEqual([...new Set(problems.map((p) => p.code))].sort(), [...codes].sort(), name);
  }
});

Deno.test("deleting a non-test data file is not weakening", () => {
  assert.deepEqual(checkWeakening([{ path: "tests/data/x.json", oldContent: "{}", newContent: null }]), []);
});
