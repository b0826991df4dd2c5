/**
 * Resolves Python module names to repository files, whatever the layout: the
 * `pythonpath` that pytest is configured with, a `src/` layout, a flat layout,
 * the directories pytest's default import mode puts on sys.path for a test
 * file, and as a last resort any file whose path ends in the module's path. Pure.
 */
import { parse as parseToml } from "smol-toml";
import { compareText } from "../pytest/results.ts";

export interface ModuleIndex {
  /** Repository-relative python files, sorted. */
  files: string[];
  /** Directories tried first, in order ("" is the repository root). */
  roots: string[];
}

/** The `pythonpath` pytest is configured with, from whichever config file pytest would read. */
export function configuredPythonPath(configFiles: Record<string, string | undefined>): string[] {
  const pyproject = configFiles["pyproject.toml"];
  if (pyproject !== undefined) {
    try {
      const tool = (parseToml(pyproject) as { tool?: Record<string, unknown> }).tool ?? {};
      const pytest = tool.pytest as Record<string, unknown> | undefined;
      const ini = pytest?.ini_options as Record<string, unknown> | undefined;
      const value = ini?.pythonpath ?? pytest?.pythonpath;
      if (Array.isArray(value)) return value.filter((v): v is string => typeof v === "string").map(normalizeDir);
      if (typeof value === "string") return value.split(/\s+/).filter(Boolean).map(normalizeDir);
    } catch {
      // An unparsable pyproject.toml: pytest will complain itself; resolve without it.
    }
  }
  for (const [file, section] of [["pytest.ini", "pytest"], ["tox.ini", "pytest"], ["setup.cfg", "tool:pytest"]]) {
    const text = configFiles[file];
    if (text === undefined) continue;
    const value = iniValue(text, section, "pythonpath");
    if (value !== undefined) return value.split(/\s+/).filter(Boolean).map(normalizeDir);
  }
  return [];
}

/** One key of one section of an ini file, continuation lines included. */
export function iniValue(text: string, section: string, key: string): string | undefined {
  let inSection = false;
  let value: string | undefined;
  for (const line of text.split("\n")) {
    const header = /^\s*\[([^\]]+)\]\s*$/.exec(line);
    if (header) {
      if (value !== undefined) break;
      inSection = header[1].trim() === section;
      continue;
    }
    if (!inSection) continue;
    if (value !== undefined) {
      if (/^\s+\S/.test(line)) {
        value += " " + line.trim();
        continue;
      }
      break;
    }
    const entry = new RegExp(`^${key}\\s*[=:]\\s*(.*)$`).exec(line);
    if (entry) value = entry[1].trim();
  }
  return value;
}

function normalizeDir(dir: string): string {
  const clean = dir.replace(/^\.\/?/, "").replace(/\/+$/, "");
  return clean === "." ? "" : clean;
}

/** Roots in pytest's order of preference: configured pythonpath, then `src/`, then the repository root. */
export function importRoots(files: string[], pythonPath: string[]): string[] {
  const roots = [...pythonPath];
  if (files.some((f) => f.startsWith("src/"))) roots.push("src");
  roots.push("");
  return [...new Set(roots)];
}

/**
 * pytest's default `prepend` import mode puts the first directory above the
 * test file that is not a package on sys.path, so a test can import its siblings.
 */
export function testFileRoot(testFile: string, files: Set<string>): string {
  let dir = parentDir(testFile);
  while (dir !== "" && files.has(join(dir, "__init__.py"))) dir = parentDir(dir);
  return dir;
}

function parentDir(path: string): string {
  const slash = path.lastIndexOf("/");
  return slash === -1 ? "" : path.slice(0, slash);
}

function join(dir: string, name: string): string {
  return dir === "" ? name : `${dir}/${name}`;
}

/** The candidate files for a dotted module under one root. */
export function moduleCandidates(root: string, dotted: string): string[] {
  const path = dotted.replaceAll(".", "/");
  return [join(root, path + ".py"), join(root, path + "/__init__.py")];
}

/**
 * The file for a dotted module name, or undefined when it is not in the
 * repository (stdlib, third party, or missing). `fromFile` anchors relative imports.
 */
export function resolveModule(
  index: ModuleIndex,
  dotted: string,
  options: { level?: number; fromFile?: string } = {},
): string | undefined {
  const fileSet = new Set(index.files);
  const level = options.level ?? 0;
  if (level > 0) {
    if (!options.fromFile) return undefined;
    let base = parentDir(options.fromFile);
    for (let i = 1; i < level; i++) base = parentDir(base);
    const path = dotted === "" ? join(base, "__init__.py") : undefined;
    if (path) return fileSet.has(path) ? path : undefined;
    return moduleCandidates(base, dotted).find((f) => fileSet.has(f));
  }
  if (dotted === "") return undefined;
  const roots = options.fromFile ? [...index.roots, testFileRoot(options.fromFile, fileSet)] : index.roots;
  for (const root of roots) {
    const found = moduleCandidates(root, dotted).find((f) => fileSet.has(f));
    if (found) return found;
  }
  // Any layout we do not know: a file whose path ends in the module's path; shortest, then alphabetical.
  const suffixes = moduleCandidates("", dotted).map((c) => "/" + c);
  const matches = index.files.filter((f) => suffixes.some((s) => f.endsWith(s)));
  return matches.sort((a, b) => a.length - b.length || compareText(a, b))[0];
}

/** The dotted name a file is imported as, relative to the first root that contains it. */
export function dottedNameOf(index: ModuleIndex, file: string): string {
  const root = index.roots.find((r) => r !== "" && file.startsWith(r + "/")) ?? "";
  const relative = root === "" ? file : file.slice(root.length + 1);
  return relative.replace(/(\/__init__)?\.py$/, "").replaceAll("/", ".");
}

/** Test modules, conftest files and anything under a tests directory: not where source symbols live. */
export function isTestFile(file: string): boolean {
  const base = file.slice(file.lastIndexOf("/") + 1);
  return base === "conftest.py" || /^test_.*\.py$/.test(base) || /_test\.py$/.test(base) ||
    /(^|\/)tests?\//.test(file);
}
