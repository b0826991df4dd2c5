import assert from "node:assert/strict";
import { parseJunitCases } from "../../src/pytest/junit.ts";
import { conftestFailureFrom, summarizeCases } from "../../src/pytest/results.ts";
import { parseXml, XmlSyntaxError } from "../../src/pytest/xml.ts";

Deno.test("parseXml: attributes, entities, CDATA, comments and self-closing elements", () => {
  const root = parseXml(
    `<?xml version="1.0" encoding="utf-8"?><!-- made by hand --><a x="1 &lt; 2" y='it&apos;s &#10;&#x41;'>` +
      `<b/><c>text &amp; more<![CDATA[<raw> & stuff]]></c></a>`,
  );
  assert.equal(root.name, "a");
  assert.deepEqual(root.attributes, { x: "1 < 2", y: "it's \nA" });
  assert.deepEqual(root.children.map((c) => c.name), ["b", "c"]);
  assert.equal(root.children[1].text, "text & more<raw> & stuff");
});

Deno.test("parseXml: a `>` inside an attribute value does not end the tag", () => {
  const root = parseXml(`<a message="x > y">body</a>`);
  assert.equal(root.attributes.message, "x > y");
  assert.equal(root.text, "body");
});

Deno.test("parseXml: malformed documents throw XmlSyntaxError", () => {
  for (const bad of ["<a><b></a>", "<a>", "", "<a></a><b/>", "<a x=1/>"]) {
    assert.throws(() => parseXml(bad), XmlSyntaxError, bad);
  }
});

Deno.test("parseJunitCases: xunit2 without file attributes still yields node ids when the module exists", () => {
  const xml = `<testsuites><testsuite>
    <testcase classname="tests.unit.test_a.TestK" name="test_p[a.b]"><failure message="boom">tests/unit/test_a.py:9: AssertionError</failure></testcase>
    <testcase classname="" name="tests.test_gone"><error message="collection failure">E   ModuleNotFoundError: No module named 'x'</error></testcase>
  </testsuite></testsuites>`;
  const cases = parseJunitCases(xml, (path) => path === "tests/unit/test_a.py");
  assert.deepEqual(cases.map((c) => [c.nodeId, c.file, c.outcome]), [
    ["tests/unit/test_a.py::TestK::test_p[a.b]", "tests/unit/test_a.py", "failed"],
    ["tests/test_gone.py", "tests/test_gone.py", "collection_error"],
  ]);
  assert.equal(cases[1].message, "ModuleNotFoundError: No module named 'x'");
});

Deno.test("summarizeCases: a test reported twice keeps its worst outcome and counts once", () => {
  const xml = `<testsuite>
    <testcase classname="tests.test_t" name="test_b" file="tests/test_t.py" line="4"/>
    <testcase classname="tests.test_t" name="test_a" file="tests/test_t.py" line="0"/>
    <testcase classname="tests.test_t" name="test_a" file="tests/test_t.py" line="0"><error message="failed on teardown with &quot;ValueError&quot;">tests/test_t.py:2: ValueError</error></testcase>
  </testsuite>`;
  const summary = summarizeCases(parseJunitCases(xml));
  assert.deepEqual(summary.collected, ["tests/test_t.py::test_a", "tests/test_t.py::test_b"]);
  assert.equal(summary.passed, 1);
  assert.equal(summary.errors, 1);
  assert.deepEqual(summary.failures.map((f) => [f.nodeId, f.kind, f.line]), [["tests/test_t.py::test_a", "error", 2]]);
});

Deno.test("summarizeCases: the failure line falls back to the definition line", () => {
  const xml = `<testsuite><testcase classname="tests.test_t" name="test_a" file="tests/test_t.py" line="6">` +
    `<failure message="boom">conftest.py:3: ValueError</failure></testcase></testsuite>`;
  const [failure] = summarizeCases(parseJunitCases(xml)).failures;
  assert.equal(failure.line, 7);
});

Deno.test("conftestFailureFrom: reads pytest's conftest ImportError into a collection error", () => {
  const output = "ImportError while loading conftest '/repo/tests/conftest.py'.\n" +
    "tests/conftest.py:1: in <module>\n    from pkg.gone import x\nE   ModuleNotFoundError: No module named 'pkg.gone'\n";
  const failure = conftestFailureFrom(output, "/repo");
  assert.deepEqual(failure && { ...failure, traceback: undefined }, {
    nodeId: "tests/conftest.py",
    file: "tests/conftest.py",
    line: 1,
    kind: "collection_error",
    message: "ModuleNotFoundError: No module named 'pkg.gone'",
    traceback: undefined,
  });
  assert.equal(conftestFailureFrom("ERROR: usage: pytest [options]", "/repo"), undefined);
});
