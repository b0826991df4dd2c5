/** Test scenarios about test shape: parametrized cases, a big test module, renamed classes, a refused first answer. */
import { moduleScenario, UPDATE } from "./python_repo.ts";
import type { TestsScenarioSpec } from "./types.ts";

const T = (name: string) => `tests/test_${name}.py`;

export const CASE_SCENARIOS: TestsScenarioSpec[] = [
  moduleScenario({
    id: "t20-parametrized-cases",
    title: "parametrized cases",
    module: "text/slugify",
    before: 'def slugify(text):\n    return "-".join(text.lower().split(" "))',
    after: 'def slugify(text):\n    return "-".join(text.lower().split())',
    message: "slugify collapses runs of spaces",
    imports: ["import pytest", "from text.slugify import slugify"],
    tests: '@pytest.mark.parametrize(\n    "text, expected",\n    [\n        ("Hello World", "hello-world"),\n' +
      '        ("a  b", "a--b"),\n        ("One", "one"),\n    ],\n)\ndef test_slugify(text, expected):\n' +
      "    assert slugify(text) == expected",
    seed: 20,
    model: {
      plan: UPDATE("runs of spaces collapse now.", '1. tests/test_slugify.py: the "a  b" case expects a-b'),
      evidence: ["'a-b' == 'a--b'"],
      fix: [{ path: T("slugify"), replace: [['("a  b", "a--b")', '("a  b", "a-b")']] }],
      wrongFix: [{ path: T("slugify"), replace: [['("a  b", "a--b")', '("a  b", "a_b")']] }],
    },
  }),
  moduleScenario({
    id: "t21-renamed-class",
    title: "renamed class",
    module: "web/http",
    before: "class HttpClient:\n    def __init__(self, base):\n        self.base = base\n\n" +
      "    def url(self, path):\n        return self.base.rstrip('/') + '/' + path.lstrip('/')",
    after: "class HTTPClient:\n    def __init__(self, base):\n        self.base = base\n\n" +
      "    def url(self, path):\n        return self.base.rstrip('/') + '/' + path.lstrip('/')",
    message: "HttpClient is HTTPClient (PEP 8 acronyms)",
    imports: ["from web.http import HttpClient"],
    tests: "def test_url():\n    assert HttpClient('http://h/').url('/a') == 'http://h/a'",
    seed: 21,
    model: {
      plan: UPDATE("the class is HTTPClient now.", "1. tests/test_http.py: use HTTPClient"),
      evidence: ["class HTTPClient"],
      fix: [{
        path: T("http"),
        replace: [["import HttpClient\n", "import HTTPClient\n"], ["assert HttpClient(", "assert HTTPClient("]],
      }],
      wrongFix: [{
        path: T("http"),
        replace: [["import HttpClient\n", "import HTTPclient\n"], ["assert HttpClient(", "assert HTTPclient("]],
      }],
    },
  }),
  moduleScenario({
    id: "t22-big-test-module",
    title: "one failure in a big test module",
    module: "stats/percent",
    before: "def percent(part, whole):\n    return round(100 * part / whole)",
    after: "def percent(part, whole):\n    return round(100 * part / whole, 1)",
    message: "Percentages keep one decimal",
    imports: ["from stats.percent import percent"],
    tests: "def test_percent():\n    assert percent(1, 3) == 33",
    seed: 22,
    filler: 80,
    fillerTests: 80,
    model: {
      plan: UPDATE("percent keeps one decimal.", "1. tests/test_percent.py: expect 33.3"),
      evidence: ["33.3 == 33"],
      fix: [{ path: T("percent"), replace: [["percent(1, 3) == 33\n", "percent(1, 3) == 33.3\n"]] }],
      wrongFix: [{ path: T("percent"), replace: [["percent(1, 3) == 33\n", "percent(1, 3) == 33.0\n"]] }],
    },
  }),
  moduleScenario({
    id: "t23-weakened-then-fixed",
    title: "a weakened test is refused, then fixed",
    module: "greet/words",
    before: 'def greeting(name):\n    return f"Hello, {name}"',
    after: 'def greeting(name):\n    return f"Hello, {name}!"',
    message: "Friendlier greeting",
    imports: ["from greet.words import greeting"],
    tests: 'def test_greeting():\n    assert greeting("Ada") == "Hello, Ada"',
    seed: 23,
    fillerTests: 0,
    filler: 20,
    model: {
      plan: UPDATE("greetings end with an exclamation mark.", "1. tests/test_words.py: expect Hello, Ada!"),
      evidence: ["'Hello, Ada!' == 'Hello, Ada'"],
      // A small model's shortcut: make the test pass by asserting nothing. The guard refuses it.
      firstTry: {
        fix: [{ path: T("words"), replace: [['greeting("Ada") == "Hello, Ada"', "True"]] }],
        retryEvidence: [],
      },
      fix: [{ path: T("words"), replace: [['== "Hello, Ada"', '== "Hello, Ada!"']] }],
      wrongFix: [{ path: T("words"), replace: [['== "Hello, Ada"', '== "Hello Ada!"']] }],
    },
  }),
];
