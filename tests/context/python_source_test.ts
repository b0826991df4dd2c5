import assert from "node:assert/strict";
import {
  blockForNodeId,
  enclosingBlock,
  fixtureBlocks,
  numberedExcerpt,
  outlineBlocks,
  parameterNames,
  parseImports,
  requestedFixtures,
  topLevelImportRanges,
} from "../../src/context/python_source.ts";
import { missingImportOf, traceLocations, trimTraceback } from "../../src/context/traceback.ts";

const SOURCE = [
  "import os, sys as system", // 1
  "from pkg.mod import (", // 2
  "    alpha,", // 3
  "    beta as b,", // 4
  ")", // 5
  "from . import sibling", // 6
  "", // 7
  "LIMIT: int = (", // 8
  "    10", // 9
  ")", // 10
  "", // 11
  "", // 12
  "@decorate(", // 13
  "    1)", // 14
  "def first(a, b=2, *args, c: int = 3, **kw):", // 15
  '    """Docstring', // 16
  "def not_a_def(): at column 0 inside a string", // 17
  '    """', // 18
  "    return a", // 19
  "", // 20
  "# a comment at column 0", // 21
  "", // 22
  "class Box:", // 23
  "    size = 1", // 24
  "", // 25
  "    async def open(self, key):", // 26
  "        import json", // 27
  "        return json.dumps(key)", // 28
  "", // 29
  "", // 30
  "def last(): return 1", // 31
].join("\n");

Deno.test("outlineBlocks: decorators, multi-line strings, methods and assignments", () => {
  const blocks = outlineBlocks(SOURCE);
  assert.deepEqual(blocks.map((b) => [b.name, b.kind, b.start, b.headerLine, b.end, b.parents.join(".")]), [
    ["LIMIT", "assign", 8, 8, 10, ""],
    ["first", "def", 13, 15, 19, ""],
    ["Box", "class", 23, 23, 28, ""],
    ["open", "def", 26, 26, 28, "Box"],
    ["last", "def", 31, 31, 31, ""],
  ]);
  assert.equal(enclosingBlock(blocks, 27)?.name, "open");
  assert.equal(enclosingBlock(blocks, 24)?.name, "Box");
  assert.equal(enclosingBlock(blocks, 21), undefined);
  assert.equal(blockForNodeId(blocks, "t.py::Box::open[x-1]")?.headerLine, 26);
  assert.equal(blockForNodeId(blocks, "t.py::open"), undefined);
  assert.deepEqual(parameterNames(SOURCE, blocks[1]), ["a", "b", "args", "c", "kw"]);
  assert.deepEqual(parameterNames(SOURCE, blocks[3]), ["key"]);
});

Deno.test("parseImports: plain, aliased, parenthesized, relative and nested imports", () => {
  assert.deepEqual(parseImports(SOURCE).map((i) => [i.line, i.level, i.module, i.names, i.alias]), [
    [1, 0, "os", [], undefined],
    [1, 0, "sys", [], "system"],
    [2, 0, "pkg.mod", [{ name: "alpha", alias: "alpha" }, { name: "beta", alias: "b" }], undefined],
    [6, 1, "", [{ name: "sibling", alias: "sibling" }], undefined],
    [27, 0, "json", [], undefined],
  ]);
  assert.deepEqual(topLevelImportRanges(SOURCE), [[1, 1], [2, 5], [6, 6]]);
});

Deno.test("fixtures: pytest.fixture, renamed fixtures and usefixtures", () => {
  const source = [
    "import pytest",
    "",
    "@pytest.fixture",
    "def db(tmp_path):",
    "    return tmp_path",
    "",
    '@pytest.fixture(name="client")',
    "def make_client(db):",
    "    return db",
    "",
    '@pytest.mark.usefixtures("db")',
    "class TestX:",
    "    def test_a(self, client):",
    "        assert client",
  ].join("\n");
  const blocks = outlineBlocks(source);
  assert.deepEqual([...fixtureBlocks(blocks).keys()], ["db", "client"]);
  const test = blockForNodeId(blocks, "t.py::TestX::test_a")!;
  assert.deepEqual(requestedFixtures(source, blocks, test).sort(), ["client", "db"]);
});

Deno.test("numberedExcerpt: aligned numbers and a gap marker between ranges", () => {
  const source = Array.from({ length: 12 }, (_, i) => `line${i + 1}`).join("\n");
  assert.equal(
    numberedExcerpt(source, [[10, 11], [1, 2]]),
    [" 1 | line1", " 2 | line2", "   | ...", "10 | line10", "11 | line11"].join("\n"),
  );
  // Ranges that touch or are one line apart merge.
  assert.equal(
    numberedExcerpt(source, [[1, 2], [4, 4]]),
    ["1 | line1", "2 | line2", "3 | line3", "4 | line4"].join("\n"),
  );
});

Deno.test("traceback: locations, trimming of outside frames and long reports, import errors", () => {
  const report = [
    "/usr/lib/python3.11/importlib/__init__.py:126: in import_module",
    "    return _bootstrap._gcd_import(name[level:], package, level)",
    "tests/test_x.py:1: in <module>",
    "    from pkg.gone import thing",
    "E   ModuleNotFoundError: No module named 'pkg.gone'",
  ].join("\n");
  assert.deepEqual(traceLocations(report), [
    { file: "/usr/lib/python3.11/importlib/__init__.py", line: 126 },
    { file: "tests/test_x.py", line: 1 },
  ]);
  assert.equal(trimTraceback(report), report.split("\n").slice(2).join("\n"));
  const long = Array.from({ length: 100 }, (_, i) => `line ${i}`).join("\n");
  const trimmed = trimTraceback(long, 10).split("\n");
  assert.equal(trimmed.length, 10);
  assert.equal(trimmed[0], "line 0");
  assert.equal(trimmed[3], "... (91 lines of the traceback cut)");
  assert.equal(trimmed[9], "line 99");
  assert.deepEqual(missingImportOf(report), { missingModule: "pkg.gone" });
  assert.deepEqual(missingImportOf("ImportError: cannot import name 'old' from 'pkg.mod' (/x/pkg/mod.py)"), {
    missingName: "old",
    fromModule: "pkg.mod",
  });
  assert.equal(missingImportOf("assert 1 == 2"), undefined);
});
