/**
 * The project's own top-level packages and modules, read from the repository tree: `src/` layout
 * (`src/shop/`, `src/shop.py`) and flat layout (`shop/__init__.py`, `shop.py` at the root). The
 * test-integrity guards use them to tell the code under test from external code.
 */
import { join } from "node:path";

/** Root folders that hold no importable project code. */
const NOT_PROJECT = new Set(["tests", "test", "testing", "docs", "doc", "examples", "build", "dist", "src"]);
const NOT_MODULES = new Set(["setup", "conftest", "noxfile", "fabfile"]);
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

async function entries(dir: string): Promise<Deno.DirEntry[]> {
  try {
    return await Array.fromAsync(Deno.readDir(dir));
  } catch (err) {
    if (err instanceof Deno.errors.NotFound || err instanceof Deno.errors.NotADirectory) return [];
    throw err;
  }
}

async function holdsPython(dir: string, requireInit: boolean): Promise<boolean> {
  const names = (await entries(dir)).filter((e) => e.isFile).map((e) => e.name);
  return requireInit ? names.includes("__init__.py") : names.some((n) => n.endsWith(".py"));
}

async function modulesIn(dir: string, layout: "src" | "flat"): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await entries(dir)) {
    const name = entry.name;
    if (entry.isFile && name.endsWith(".py")) {
      const stem = name.slice(0, -3);
      if (IDENTIFIER.test(stem) && !NOT_MODULES.has(stem)) found.push(stem);
    } else if (entry.isDirectory && IDENTIFIER.test(name) && (layout === "src" || !NOT_PROJECT.has(name))) {
      // Under src/ a folder of modules is a (namespace) package; at the root only a folder with __init__.py.
      if (await holdsPython(join(dir, name), layout === "flat")) found.push(name);
    }
  }
  return found;
}

export async function findProjectModules(repoRoot: string): Promise<string[]> {
  const names = [...await modulesIn(join(repoRoot, "src"), "src"), ...await modulesIn(repoRoot, "flat")];
  return [...new Set(names)].sort();
}
