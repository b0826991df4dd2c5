/**
 * The layers point one way: no import cycle among src/ modules, nothing but src/cli/ (and main.ts) imports
 * src/cli/, and setup/ and models/ depend on each other in one direction only.
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import {
  findCycles,
  type ImportGraph,
  importsBetween,
  importsIntoCli,
  importsOf,
  readImportGraph,
} from "./import_graph.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const graph = await readImportGraph(ROOT);

Deno.test("the import graph covers src/ (the reader is not silently empty)", () => {
  assert.ok(graph.size > 100, `only ${graph.size} modules read`);
  assert.ok(graph.get("src/cli/main.ts")?.length, "src/cli/main.ts imports nothing?");
});

Deno.test("no import cycle among src/ modules", () => {
  const cycles = findCycles(graph);
  assert.deepEqual(cycles.map((c) => c.join(" ↔ ")), []);
});

Deno.test("nothing outside src/cli/ imports src/cli/ (main.ts is outside src/)", () => {
  assert.deepEqual(importsIntoCli(graph), []);
});

Deno.test("models/ does not import setup/: setup uses the model catalog, one way", () => {
  assert.deepEqual(importsBetween(graph, "src/models/", "src/setup/"), []);
});

Deno.test("main.ts imports the CLI only through src/cli/main.ts", async () => {
  const imports = importsOf(await Deno.readTextFile(`${ROOT}main.ts`));
  assert.deepEqual(imports.filter((s) => s.includes("src/") && !s.endsWith("src/cli/main.ts")), []);
});

// The checks above must be able to fail: the same functions on small graphs with known answers.

function graphOf(edges: Record<string, string[]>): ImportGraph {
  return new Map(Object.entries(edges));
}

Deno.test("findCycles finds a two-module cycle, a longer one, and a self-import; not a diamond", () => {
  const cycles = findCycles(graphOf({
    "src/a.ts": ["src/b.ts"],
    "src/b.ts": ["src/a.ts", "src/c.ts"],
    "src/c.ts": ["src/d.ts"],
    "src/d.ts": ["src/e.ts"],
    "src/e.ts": ["src/c.ts"],
    "src/self.ts": ["src/self.ts"],
    "src/top.ts": ["src/left.ts", "src/right.ts"],
    "src/left.ts": ["src/bottom.ts"],
    "src/right.ts": ["src/bottom.ts"],
    "src/bottom.ts": [],
  }));
  assert.deepEqual(cycles.map((c) => c.join(",")).sort(), [
    "src/a.ts,src/b.ts",
    "src/c.ts,src/d.ts,src/e.ts",
    "src/self.ts",
  ]);
});

Deno.test("findCycles finds nothing in a graph that points one way", () => {
  assert.deepEqual(findCycles(graphOf({ "src/a.ts": ["src/b.ts"], "src/b.ts": ["src/c.ts"], "src/c.ts": [] })), []);
});

Deno.test("importsIntoCli names a module below the CLI that imports it; CLI-internal imports are fine", () => {
  const wrong = importsIntoCli(graphOf({
    "src/cli/main.ts": ["src/cli/term.ts", "src/log.ts"],
    "src/sentries/ask.ts": ["src/cli/term.ts"],
    "src/log.ts": [],
  }));
  assert.deepEqual(wrong, ["src/sentries/ask.ts → src/cli/term.ts"]);
});

Deno.test("importsOf reads import, import type, export from and multi-line imports; skips comments and packages", () => {
  const source = [
    `import { a } from "./a.ts";`,
    `import type { B } from "../b.ts";`,
    `export { c } from "./c.ts";`,
    `export * from "./d.ts";`,
    `import {\n  e,\n  type F,\n} from "./e.ts";`,
    `import "./side_effect.ts";`,
    `import x from "npm:diff";`,
    `// import { z } from "./commented.ts";`,
    `/* import { y } from "./block.ts"; */`,
    `const url = "https://example.com"; // a comment`,
  ].join("\n");
  assert.deepEqual(importsOf(source), ["./a.ts", "../b.ts", "./c.ts", "./d.ts", "./e.ts", "./side_effect.ts"]);
});
