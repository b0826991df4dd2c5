/**
 * The import graph of src/: which module imports which (relative imports only; `import type` counts too,
 * because a type import still ties the two files' designs together). Pure helpers plus one reader.
 */
import { dirname, join, relative, resolve } from "node:path";

export type ImportGraph = Map<string, string[]>;

const IMPORT = /(?:^|\n)\s*(?:import|export)\s+(?:type\s+)?(?:[^"'`;]*?\sfrom\s+)?["']([^"']+)["']/g;

/** The relative module specifiers a source file imports or re-exports (comments are not code). */
export function importsOf(source: string): string[] {
  const code = source.replace(/\/\*[\s\S]*?\*\//g, "").replace(/(^|[^:"'])\/\/.*$/gm, "$1");
  return [...code.matchAll(IMPORT)].map((m) => m[1]).filter((s) => s.startsWith("."));
}

/** Every .ts file under `root/dir`, as paths relative to `root`, with its resolved relative imports. */
export async function readImportGraph(root: string, dir = "src"): Promise<ImportGraph> {
  const graph: ImportGraph = new Map();
  async function walk(folder: string): Promise<void> {
    for await (const entry of Deno.readDir(join(root, folder))) {
      const path = join(folder, entry.name);
      if (entry.isDirectory) await walk(path);
      else if (entry.isFile && entry.name.endsWith(".ts")) {
        const source = await Deno.readTextFile(join(root, path));
        const targets = importsOf(source)
          .filter((s) => s.endsWith(".ts"))
          .map((s) => relative(root, resolve(root, dirname(path), s)));
        graph.set(path, [...new Set(targets)].sort());
      }
    }
  }
  await walk(dir);
  return graph;
}

/** Every import cycle, each once, as the list of modules around it (Tarjan's strongly connected components). */
export function findCycles(graph: ImportGraph): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (node: string) => {
    index.set(node, next);
    low.set(node, next);
    next++;
    stack.push(node);
    onStack.add(node);
    for (const to of graph.get(node) ?? []) {
      if (!index.has(to)) {
        visit(to);
        low.set(node, Math.min(low.get(node)!, low.get(to)!));
      } else if (onStack.has(to)) {
        low.set(node, Math.min(low.get(node)!, index.get(to)!));
      }
    }
    if (low.get(node) !== index.get(node)) return;
    const component: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      component.push(member);
    } while (member !== node);
    const selfLoop = (graph.get(node) ?? []).includes(node);
    if (component.length > 1 || selfLoop) cycles.push(component.sort());
  };
  for (const node of [...graph.keys()].sort()) if (!index.has(node)) visit(node);
  return cycles;
}

/**
 * Imports that point up into the command-line layer: only `src/cli/**` itself (and main.ts, outside src/)
 * may import `src/cli/`.
 */
export function importsIntoCli(graph: ImportGraph): string[] {
  const wrong: string[] = [];
  for (const [from, targets] of graph) {
    if (from.startsWith("src/cli/")) continue;
    for (const to of targets) if (to.startsWith("src/cli/")) wrong.push(`${from} → ${to}`);
  }
  return wrong.sort();
}

/** Imports from one folder into another, e.g. every `src/setup/` module importing `src/models/`. */
export function importsBetween(graph: ImportGraph, fromDir: string, toDir: string): string[] {
  const wrong: string[] = [];
  for (const [from, targets] of graph) {
    if (!from.startsWith(fromDir)) continue;
    for (const to of targets) if (to.startsWith(toDir)) wrong.push(`${from} → ${to}`);
  }
  return wrong.sort();
}
