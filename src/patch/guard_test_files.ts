/**
 * Files a test-only patch may not create under the test folders, decided from paths alone: a module
 * or package named like one of the project's own (pytest puts test folders on `sys.path`, so
 * `tests/shop.py` or `tests/shop/__init__.py` would be imported instead of the real `shop`), pytest
 * configuration (`pytest.ini`, `tox.ini`, `setup.cfg`, `pyproject.toml` in a test folder become the
 * rootdir's config and can add plugins or change what is collected), and start-up hooks.
 */
import { isTestFilePath } from "./guard_weakening.ts";
import { type FileChange, type PatchProblem, problem } from "./types.ts";

const PYTEST_CONFIG = new Set(["pytest.ini", ".pytest.ini", "tox.ini", "setup.cfg", "pyproject.toml"]);
const STARTUP = new Set(["sitecustomize.py", "usercustomize.py"]);

function shadowedName(path: string, project: ReadonlySet<string>): string | undefined {
  const segments = path.split("/");
  const base = segments[segments.length - 1];
  const stem = base.replace(/\.pyi?$/, "");
  if (stem !== base && project.has(stem)) return stem;
  const folders = segments.slice(0, -1);
  if (base === "__init__.py" && folders.length > 0 && project.has(folders[folders.length - 1])) {
    return folders[folders.length - 1];
  }
  // A helper module in a folder named like a project package can merge into it as a namespace
  // portion; test modules and conftest.py there are ordinary tests.
  const isHelper = base.endsWith(".py") && !isTestFilePath(base) && base !== "conftest.py";
  return isHelper ? folders.find((f) => project.has(f)) : undefined;
}

export function checkTestFiles(changes: readonly FileChange[], project: readonly string[]): PatchProblem[] {
  const names = new Set(project);
  const problems: PatchProblem[] = [];
  for (const change of changes) {
    if (change.newContent === null) continue;
    const { path } = change;
    const base = path.split("/").pop() ?? "";
    if (PYTEST_CONFIG.has(base) || base.endsWith(".pth")) {
      problems.push(problem(
        "weaken.pytest_config",
        `${path} is configuration pytest or Python reads (it can load plugins or change what is collected); leave it alone and fix the test`,
        path,
      ));
      continue;
    }
    if (change.oldContent !== null) continue;
    if (STARTUP.has(base)) {
      problems.push(problem(
        "weaken.pytest_hook",
        `${path}: ${base} runs whenever Python starts; a test fix may not add start-up hooks`,
        path,
      ));
      continue;
    }
    const shadowed = shadowedName(path, names);
    if (shadowed !== undefined) {
      problems.push(problem(
        "weaken.shadow_module",
        `${path} would be imported instead of the project's own ${shadowed}; test the real code, and name helper modules differently`,
        path,
      ));
    }
  }
  return problems;
}
