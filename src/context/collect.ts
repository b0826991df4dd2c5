/**
 * Gathers the material for one group of failures (one test file): its
 * sections, the source definitions it depends on, and — for a failing import —
 * where the missing name lives now and which paths' history to show.
 */
import type { TestFailure } from "../pytest/results.ts";
import type { ContextSection } from "./budget.ts";
import { usedFixtures } from "./fixtures.ts";
import { type Block, blockForNodeId, findTopLevel } from "./python_source.ts";
import { moduleCandidates, resolveModule } from "./resolve.ts";
import { failureSection, fixturesSection, testSourceSection } from "./sections.ts";
import type { SourceReader } from "./source_reader.ts";
import {
  blockDefinition,
  type Definition,
  definitionsAnywhere,
  importedDefinitions,
  namesImportedFrom,
  tracebackDefinitions,
} from "./symbols.ts";
import { missingImportOf } from "./traceback.ts";

export type GroupDefinition = Definition & { group: number };

/** Everything gathered over all groups, in group order. */
export class ContextMaterial {
  readonly groupSections: ContextSection[] = [];
  /** What the tests import or the tracebacks pass through. */
  readonly definitions: GroupDefinition[] = [];
  /** Where a name that failed to import is defined now. */
  readonly moved: GroupDefinition[] = [];
  /** The top-level definitions of a module a name could not be imported from. */
  readonly importedFrom: GroupDefinition[] = [];
  /** Pathspecs for `git log`: the files involved, and where a missing module used to be. */
  readonly historyPaths = new Set<string>();
  /** The files involved that exist: what the history section says it covers. */
  readonly historyFiles = new Set<string>();
  readonly testFiles = new Set<string>();
  /** The first group with a failing import, which gets the module list. */
  moduleListGroup: number | undefined;
}

/** Top-level definitions shown of a module that lacks an imported name. */
const MAX_IMPORTED_FROM_BLOCKS = 12;

export async function collectGroup(
  reader: SourceReader,
  material: ContextMaterial,
  group: number,
  file: string,
  failures: TestFailure[],
): Promise<void> {
  material.testFiles.add(file);
  for (const failure of failures) material.groupSections.push(failureSection(failure, group));
  const source = await reader.text(file);
  if (source === undefined) return;
  const blocks = await reader.outline(file);
  const failingBlocks = failures.map((f) => blockForNodeId(blocks, f.nodeId)).filter((b): b is Block =>
    b !== undefined
  );
  const fixtures = await usedFixtures(reader, file, source, blocks, failingBlocks);
  const aroundErrors = failures.filter((f) => f.kind === "collection_error" && f.line !== undefined)
    .map((f): [number, number] => [f.line! - 3, f.line! + 3]);
  const extraRanges = [...fixtures.inModule.map((b): [number, number] => [b.start, b.end]), ...aroundErrors];
  material.groupSections.push(testSourceSection(file, source, failingBlocks, extraRanges, group));
  for (const conftest of fixtures.inConftests) {
    material.testFiles.add(conftest.file);
    material.groupSections.push(fixturesSection(conftest.file, conftest.source, conftest.blocks, group));
  }

  // Names the failing tests and their fixtures use rank above the module's other imports.
  const lines = source.split("\n");
  const usedBlocks = [...failingBlocks, ...fixtures.inModule];
  const usedText = usedBlocks.length > 0
    ? usedBlocks.map((b) => lines.slice(b.start - 1, b.end).join("\n")).join("\n")
    : source;
  const found = await importedDefinitions(reader, file, source, usedText);
  for (const failure of failures) found.push(...await tracebackDefinitions(reader, failure.traceback, file));
  material.definitions.push(...found.filter((d) => d.file !== file).map((d) => ({ ...d, group })));

  for (const failure of failures) await collectMissingImport(reader, material, group, file, source, failure);
}

async function collectMissingImport(
  reader: SourceReader,
  material: ContextMaterial,
  group: number,
  file: string,
  source: string,
  failure: TestFailure,
): Promise<void> {
  const missing = missingImportOf(failure.message + "\n" + failure.traceback);
  if (!missing) return;
  material.moduleListGroup ??= group;
  const names = missing.missingName ? [missing.missingName] : namesImportedFrom(source, missing.missingModule!);
  material.moved.push(...(await definitionsAnywhere(reader, names)).map((d) => ({ ...d, group })));
  if (missing.missingModule) {
    for (const root of reader.index.roots) {
      for (const candidate of moduleCandidates(root, missing.missingModule)) material.historyPaths.add(candidate);
    }
  }
  const from = missing.fromModule && resolveModule(reader.index, missing.fromModule, { fromFile: file });
  if (!from) return;
  material.historyPaths.add(from);
  material.historyFiles.add(from);
  const blocks = (await reader.outline(from)).filter((b) => b.parents.length === 0 && b.kind !== "assign");
  for (const block of blocks.slice(0, MAX_IMPORTED_FROM_BLOCKS)) {
    if (findTopLevel(blocks, block.name) === block) {
      material.importedFrom.push({ ...blockDefinition(from, block, 0), group });
    }
  }
}
