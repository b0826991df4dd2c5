/**
 * Which source definitions a failing test depends on: the names its module
 * imports (followed through re-exports) and the functions its traceback
 * passes through; and, for an import that fails, where the name lives now.
 */
import { type Block, enclosingBlock, findTopLevel, parseImports } from "./python_source.ts";
import { isTestFile, resolveModule } from "./resolve.ts";
import type { SourceReader } from "./source_reader.ts";
import { traceLocations } from "./traceback.ts";

/** A definition to show: lines of a file, why, and how important (0 is most). */
export interface Definition {
  file: string;
  /** 1-based, inclusive. */
  from: number;
  to: number;
  label: string;
  rank: number;
}

/** Blocks longer than this are cut: the head of a long class says enough. */
const MAX_BLOCK_LINES = 80;
/** Re-exports (`from .impl import name` in `__init__.py`) followed at most this deep. */
const MAX_REEXPORT_HOPS = 3;

export function blockDefinition(file: string, block: Block, rank: number): Definition {
  return {
    file,
    from: block.start,
    to: Math.min(block.end, block.start + MAX_BLOCK_LINES - 1),
    label: block.name,
    rank,
  };
}

/** The top-level definition of `name` in `file`, following re-exports. */
export async function locateSymbol(
  reader: SourceReader,
  file: string,
  name: string,
  hops = 0,
): Promise<{ file: string; block: Block } | undefined> {
  const block = findTopLevel(await reader.outline(file), name);
  if (block) return { file, block };
  const text = await reader.text(file);
  if (text === undefined || hops >= MAX_REEXPORT_HOPS) return undefined;
  for (const imp of parseImports(text)) {
    const imported = imp.names.find((n) => n.alias === name);
    if (!imported) continue;
    const target = resolveModule(reader.index, imp.module, { level: imp.level, fromFile: file });
    if (target && target !== file) return locateSymbol(reader, target, imported.name, hops + 1);
  }
  return undefined;
}

/**
 * Definitions of what a test module imports from the repository. Names the
 * failing tests use (`usedText`) rank 0; other imported names rank 1.
 */
export async function importedDefinitions(
  reader: SourceReader,
  testFile: string,
  testSource: string,
  usedText: string,
): Promise<Definition[]> {
  const definitions: Definition[] = [];
  const isUsed = (word: string) => new RegExp(`(^|[^\\w.])${escapeRegExp(word)}\\b`).test(usedText);
  const addSymbol = async (file: string, name: string, rank: number) => {
    const found = await locateSymbol(reader, file, name);
    if (found) definitions.push(blockDefinition(found.file, found.block, rank));
  };
  const addAttributeUses = async (file: string, alias: string) => {
    const pattern = new RegExp(`(^|[^\\w.])${escapeRegExp(alias)}\\.([A-Za-z_]\\w*)`, "g");
    const attributes = new Set([...testSource.matchAll(pattern)].map((m) => m[2]));
    for (const attribute of [...attributes].sort()) {
      await addSymbol(file, attribute, isUsed(`${alias}.${attribute}`) ? 0 : 1);
    }
  };

  for (const imp of parseImports(testSource)) {
    const options = { level: imp.level, fromFile: testFile };
    if (imp.names.length === 0) {
      const file = resolveModule(reader.index, imp.module, options);
      if (file && file !== testFile) await addAttributeUses(file, imp.alias ?? imp.module);
      continue;
    }
    const moduleFile = resolveModule(reader.index, imp.module, options);
    for (const { name, alias } of imp.names) {
      if (name === "*") continue;
      const dotted = imp.module === "" ? name : `${imp.module}.${name}`;
      const submodule = resolveModule(reader.index, dotted, options);
      if (submodule && submodule !== moduleFile) await addAttributeUses(submodule, alias);
      else if (moduleFile && moduleFile !== testFile) await addSymbol(moduleFile, name, isUsed(alias) ? 0 : 1);
    }
  }
  return definitions;
}

/** The functions a traceback passes through in repository files other than `testFile`. */
export async function tracebackDefinitions(
  reader: SourceReader,
  traceback: string,
  testFile: string,
): Promise<Definition[]> {
  const definitions: Definition[] = [];
  for (const location of traceLocations(traceback)) {
    const file = reader.relative(location.file);
    if (!file || file === testFile) continue;
    const block = enclosingBlock(await reader.outline(file), location.line);
    definitions.push(
      block ? blockDefinition(file, block, 0) : {
        file,
        from: Math.max(1, location.line - 2),
        to: location.line + 2,
        label: `line ${location.line}`,
        rank: 0,
      },
    );
  }
  return definitions;
}

/** Top-level definitions of `names` anywhere outside the tests: where a moved or renamed name lives now. */
export async function definitionsAnywhere(
  reader: SourceReader,
  names: string[],
  limitPerName = 3,
): Promise<Definition[]> {
  const definitions: Definition[] = [];
  for (const name of [...new Set(names)].sort()) {
    let found = 0;
    for (const file of reader.index.files) {
      if (found >= limitPerName) break;
      if (isTestFile(file)) continue;
      const text = await reader.text(file);
      if (text === undefined || !text.includes(name)) continue;
      const block = findTopLevel(await reader.outline(file), name);
      if (block && block.kind !== "assign") {
        definitions.push(blockDefinition(file, block, 0));
        found++;
      }
    }
  }
  return definitions;
}

/** The names a test module imports from `module` (or a submodule of it): what a failing import was after. */
export function namesImportedFrom(testSource: string, module: string): string[] {
  const names: string[] = [];
  for (const imp of parseImports(testSource)) {
    if (imp.level > 0 || !(imp.module === module || imp.module.startsWith(module + "."))) continue;
    names.push(...imp.names.map((n) => n.name).filter((n) => n !== "*"));
    if (imp.names.length === 0) names.push(imp.module.split(".").at(-1)!);
  }
  return names;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
