/**
 * A light, line-based reading of pytest files: test functions (with their class) and what their
 * bodies contain. Enough for the weakening guard; the python parse check catches broken syntax.
 */

export interface TestFunction {
  /** `TestClass.test_name` or `test_name`. */
  name: string;
  body: string[];
}

const DEF = /^([ \t]*)(?:async[ \t]+)?def[ \t]+(test\w*)[ \t]*\(/;
const CLASS = /^([ \t]*)class[ \t]+(\w+)/;

function indentWidth(line: string): number {
  return (/^[ \t]*/.exec(line) ?? [""])[0].length;
}

export function findTestFunctions(source: string): TestFunction[] {
  const lines = source.replace(/\r\n/g, "\n").split("\n");
  const classes: Array<{ indent: number; name: string }> = [];
  const tests: TestFunction[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line.trim() === "" || line.trim().startsWith("#")) continue;
    const indent = indentWidth(line);
    while (classes.length > 0 && classes[classes.length - 1].indent >= indent) classes.pop();
    const cls = CLASS.exec(line);
    if (cls) {
      classes.push({ indent, name: cls[2] });
      continue;
    }
    const def = DEF.exec(line);
    if (!def) continue;
    const body: string[] = [];
    let j = i + 1;
    // The signature may continue over several lines; the body is what is indented deeper after it.
    for (; j < lines.length; j++) {
      const next = lines[j];
      if (next.trim() !== "" && indentWidth(next) <= indent && !/^\s*[)\]]/.test(next)) break;
      body.push(next);
    }
    const prefix = classes.map((c) => c.name).join(".");
    tests.push({ name: prefix ? `${prefix}.${def[2]}` : def[2], body });
  }
  return tests;
}

const ASSERT_STATEMENT = /^\s*assert\b/;
const TRIVIAL_ASSERT = /^\s*assert\s*\(?\s*(True|1|not\s+False|not\s+None|"[^"]*"|'[^']*')\s*\)?\s*(,.*)?$/;
const ASSERT_CALLS =
  /\bpytest\.(raises|warns|deprecated_call)\b|\bself\.assert\w*\s*\(|\bassert_\w+\s*\(|\bself\.fail\s*\(/g;
const PASS = /^\s*pass\s*(#.*)?$/;
const BROAD_EXCEPT = /^\s*except\s*(\(\s*)?((Base)?Exception\s*\)?\s*(as\s+\w+\s*)?)?:/;

export interface BodyCounts {
  /** Assertions that test something (`assert x == y`, `pytest.raises`, `self.assertEqual`…). */
  assertions: number;
  /** `assert True` and friends. */
  trivialAssertions: number;
  passes: number;
  broadExcepts: number;
}

export function countBody(body: readonly string[]): BodyCounts {
  const counts: BodyCounts = { assertions: 0, trivialAssertions: 0, passes: 0, broadExcepts: 0 };
  for (const line of body) {
    const code = line.replace(/#.*$/, "");
    if (TRIVIAL_ASSERT.test(code)) counts.trivialAssertions++;
    else if (ASSERT_STATEMENT.test(code)) counts.assertions++;
    counts.assertions += (code.match(ASSERT_CALLS) ?? []).length;
    if (PASS.test(line)) counts.passes++;
    if (BROAD_EXCEPT.test(code)) counts.broadExcepts++;
  }
  return counts;
}

const SKIP_PATTERNS: ReadonlyArray<readonly [RegExp, string]> = [
  [/\bpytest\.mark\.(skip|skipif|xfail)\b/g, "a pytest skip/xfail marker"],
  [/\bpytest\.(skip|xfail|importorskip)\s*\(/g, "a pytest.skip()/xfail() call"],
  [/@\s*(unittest\.)?(skip|skipIf|skipUnless|expectedFailure)\b/g, "a unittest skip decorator"],
  [/\bself\.skipTest\s*\(/g, "a skipTest() call"],
  [/\bcollect_ignore(_glob)?\b/g, "collect_ignore"],
];

/** Skip-like constructs that `after` has more of than `before`. */
export function addedSkips(before: string, after: string): string[] {
  const found: string[] = [];
  for (const [pattern, label] of SKIP_PATTERNS) {
    const count = (text: string) => (text.match(pattern) ?? []).length;
    if (count(after) > count(before)) found.push(label);
  }
  return found;
}
