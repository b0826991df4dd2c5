/**
 * The pytest fixtures failing tests use, found where pytest finds them: the
 * test module itself, then conftest.py files from its directory up to the
 * repository root. Fixtures that fixtures request are followed too.
 */
import { type Block, fixtureBlocks, parameterNames, requestedFixtures } from "./python_source.ts";
import type { SourceReader } from "./source_reader.ts";

export interface UsedFixtures {
  /** Fixtures defined in the test module. */
  inModule: Block[];
  /** conftest.py path → its fixtures used, nearest conftest first. */
  inConftests: { file: string; source: string; blocks: Block[] }[];
}

/** Following fixtures of fixtures stops after this many, whatever the graph. */
const MAX_FIXTURES = 30;

export async function usedFixtures(
  reader: SourceReader,
  testFile: string,
  testSource: string,
  testBlocks: Block[],
  failingTests: Block[],
): Promise<UsedFixtures> {
  const scopes: { file: string; source: string; blocks: Block[]; fixtures: Map<string, Block> }[] = [
    { file: testFile, source: testSource, blocks: testBlocks, fixtures: fixtureBlocks(testBlocks) },
  ];
  for (const file of conftestsAbove(testFile)) {
    if (file === testFile || !reader.has(file)) continue;
    const source = await reader.text(file);
    if (source === undefined) continue;
    const blocks = await reader.outline(file);
    scopes.push({ file, source, blocks, fixtures: fixtureBlocks(blocks) });
  }

  const found = new Map<string, { scope: number; block: Block }>();
  const queue = failingTests.flatMap((test) => requestedFixtures(testSource, testBlocks, test));
  while (queue.length > 0 && found.size < MAX_FIXTURES) {
    const name = queue.shift()!;
    if (found.has(name)) continue;
    const scope = scopes.findIndex((s) => s.fixtures.has(name));
    if (scope === -1) continue; // a built-in or plugin fixture (tmp_path, monkeypatch, …)
    const block = scopes[scope].fixtures.get(name)!;
    found.set(name, { scope, block });
    queue.push(...parameterNames(scopes[scope].source, block).filter((p) => p !== "request"));
  }

  const inScope = (index: number) =>
    [...found.values()].filter((f) => f.scope === index).map((f) => f.block).sort((a, b) => a.start - b.start);
  return {
    inModule: inScope(0),
    inConftests: scopes.slice(1).map((scope, i) => ({ file: scope.file, source: scope.source, blocks: inScope(i + 1) }))
      .filter((c) => c.blocks.length > 0),
  };
}

/** `tests/unit/test_x.py` → tests/unit/conftest.py, tests/conftest.py, conftest.py. */
export function conftestsAbove(testFile: string): string[] {
  const parts = testFile.split("/").slice(0, -1);
  const files: string[] = [];
  for (let depth = parts.length; depth >= 0; depth--) {
    files.push([...parts.slice(0, depth), "conftest.py"].join("/"));
  }
  return files;
}
