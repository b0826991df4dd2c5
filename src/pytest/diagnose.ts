/**
 * Before any model call: is what failed something a test-only fix can repair at all? Two answers stop
 * the run (issue 13.4, 15.6): failures that are imports of a module the environment lacks (a third-party
 * test dependency, or the project's own package not installed), and a mass failure far beyond what a
 * small test-only patch could repair. A module the project renamed or moved (its old path is in the
 * history) is a test fix, so it goes on. Pure: the repository's paths come in as facts.
 */
import type { Discovery } from "./discover.ts";
import type { TestFailure } from "./results.ts";

export interface DiagnosisFacts {
  /** Files at HEAD, repository-relative (`git ls-files`). */
  trackedFiles: readonly string[];
  /** Every path any commit touched (`git log --all --format= --name-only`). */
  historyFiles: readonly string[];
  /** Most files a test-only patch may change (the tests guard's max_files). */
  maxFiles: number;
  /** A shallow clone: the history is cut, so "never in any commit" cannot be known. */
  shallow?: boolean;
}

export interface EnvironmentDiagnosis {
  kind: "missing_module" | "mass_failure";
  /** What is likely wrong, in one or two sentences. */
  message: string;
  /** What to do about it. */
  hint: string;
  /** The modules that could not be imported, sorted. */
  modules: string[];
  /** How many confirmed failures the diagnosis covers. */
  failures: number;
}

/** `No module named 'a.b'` → "a.b"; undefined for other failures. */
export function missingModuleOf(failure: TestFailure): string | undefined {
  const match = /ModuleNotFoundError: No module named '([\w.]+)'/.exec(failure.traceback + "\n" + failure.message);
  return match?.[1];
}

/** Where a dotted module would live in a repository: `a/b.py`, `a/b/__init__.py` or a namespace folder `a/b/`. */
function moduleIn(paths: readonly string[], module: string): boolean {
  const rel = module.split(".").join("/");
  return paths.some((p) => {
    const path = "/" + p;
    return path.endsWith(`/${rel}.py`) || path.endsWith(`/${rel}/__init__.py`) || path.includes(`/${rel}/`) ||
      path.endsWith(`/${rel}.pyi`);
  });
}

/**
 * Whether the tree has `module` as the project's own code, importable under that name: `shop/helpers.py` in
 * the package `shop` (shop/__init__.py tracked) is `shop.helpers`, not `helpers`; `src/shop/__init__.py` is
 * `shop`. A helper under `tests/` or `test/` is the tests' own: a test that cannot import it has a wrong
 * import or path, which a test fix repairs, not a project to install.
 */
function importableIn(paths: readonly string[], module: string): boolean {
  const rel = module.split(".").join("/");
  const tracked = new Set(paths);
  return paths.some((p) => {
    const path = "/" + p;
    if (/\/(tests?)\//.test(path)) return false;
    const at = [`/${rel}.py`, `/${rel}/__init__.py`, `/${rel}.pyi`].find((end) => path.endsWith(end)) ??
      (path.includes(`/${rel}/`) ? `/${rel}/` : undefined);
    if (at === undefined) return false;
    const folder = path.slice(1, path.lastIndexOf(at) + 1);
    return !tracked.has(`${folder}__init__.py`);
  });
}

/** Why a missing module is the environment's problem, or undefined when it is the tests' (renamed, moved). */
function environmentReason(module: string, facts: DiagnosisFacts): "not_installed" | "dependency" | undefined {
  // The project's own module is in the tree but not importable: the package is not installed / on the path.
  if (importableIn(facts.trackedFiles, module)) return "not_installed";
  const top = module.split(".")[0];
  // Never part of the project at any time: a third-party dependency that is not installed.
  if (!moduleIn(facts.trackedFiles, top) && !moduleIn(facts.historyFiles, top)) return "dependency";
  return undefined;
}

/** The error line pytest reports for a failure (`E   ModuleNotFoundError: …`), or its message. */
function errorLine(failure: TestFailure): string {
  const line = failure.traceback.split("\n").find((l) => /^E\s+\w+(Error|Exception)\b/.test(l));
  return (line ? line.replace(/^E\s+/, "") : failure.message.split("\n")[0]).trim();
}

const ENVIRONMENT_ERRORS =
  /^(ModuleNotFoundError|ImportError|FileNotFoundError|PermissionError|OSError|ConnectionRefusedError)\b/;

export function diagnoseFailures(discovery: Discovery, facts: DiagnosisFacts): EnvironmentDiagnosis | undefined {
  const failures = discovery.confirmed;
  if (failures.length === 0) return undefined;

  const missing = new Map<string, { reason: "not_installed" | "dependency"; count: number }>();
  let environmentFailures = 0;
  for (const failure of failures) {
    const module = missingModuleOf(failure);
    const reason = module === undefined ? undefined : environmentReason(module, facts);
    if (module === undefined || reason === undefined) continue;
    environmentFailures++;
    const seen = missing.get(module) ?? { reason, count: 0 };
    seen.count++;
    missing.set(module, seen);
  }
  // Every failure, or most of them, cannot import a module the environment lacks.
  if (missing.size > 0 && environmentFailures * 2 > failures.length) {
    const modules = [...missing.keys()].sort();
    const own = modules.filter((m) => missing.get(m)!.reason === "not_installed");
    const deps = modules.filter((m) => missing.get(m)!.reason === "dependency");
    const parts = [
      deps.length ? `${list(deps)} ${deps.length === 1 ? "is" : "are"} not installed` : "",
      own.length
        ? `the project's own ${list(own)} ${own.length === 1 ? "is" : "are"} in the repository but not importable`
        : "",
    ].filter(Boolean);
    return {
      kind: "missing_module",
      message: `${environmentFailures} of ${failures.length} failure(s) cannot import a module: ${parts.join("; ")}. ` +
        "That is the test environment, not the tests: no model was asked and nothing was changed." +
        (deps.length && facts.shallow
          ? " This clone is shallow, so a package the project renamed looks the same as one not installed."
          : ""),
      hint: [
        deps.length
          ? "install the test dependencies (e.g. pip install -e '.[test]' or pip install -r requirements-dev.txt)"
          : "",
        own.length
          ? 'install the project (pip install -e .) or put its source on the path (pythonpath = ["src"] in [tool.pytest.ini_options])'
          : "",
        "or activate the project's virtualenv (VIRTUAL_ENV, .venv) or set SENTRIES_PYTEST_COMMAND to its pytest",
        deps.length && facts.shallow
          ? "if the tests import the project's old name, fetch the whole history (actions/checkout fetch-depth: 0; " +
            "git fetch --unshallow) and run again"
          : "",
      ].filter(Boolean).join("; "),
      modules,
      failures: environmentFailures,
    };
  }

  // One error behind most failures, of a kind that points at the environment: not a module the project moved
  // or a name it removed, which many tests of one file can share and one test fix repairs.
  const byError = new Map<string, number>();
  for (const failure of failures) {
    if (isTestFix(failure, facts)) continue;
    byError.set(errorLine(failure), (byError.get(errorLine(failure)) ?? 0) + 1);
  }
  const [common, count] = [...byError.entries()].sort((a, b) => b[1] - a[1])[0] ?? ["", 0];
  if (count >= 10 && count * 2 > failures.length && ENVIRONMENT_ERRORS.test(common)) {
    return {
      kind: "mass_failure",
      message: `${count} of ${failures.length} failures stop with the same error (${common}): ` +
        "one cause in the environment, not out-of-date tests. No model was asked and nothing was changed.",
      hint: "run pytest yourself in the project's environment and fix that error first (a missing dependency, " +
        "file, or the project not installed: pip install -e .)",
      modules: [],
      failures: count,
    };
  }

  // Far more failing modules than a test-only patch of max_files files could touch.
  const modules = new Set(failures.map((f) => f.file));
  if (modules.size > facts.maxFiles * 2 && failures.length >= 20) {
    return {
      kind: "mass_failure",
      message: `${failures.length} failures in ${modules.size} test files: far more than a test-only fix of at most ` +
        `${facts.maxFiles} files can repair. Something broader is likely wrong (the environment, a dependency, or a ` +
        "source change). No model was asked and nothing was changed.",
      hint: "run pytest yourself and look for the shared cause; narrow the run with --pytest-args (e.g. -k or a " +
        "test path) to let Sentries fix a few tests at a time",
      modules: [],
      failures: failures.length,
    };
  }
  return undefined;
}

/** A name missing from one of the project's own modules (`cannot import name 'x' from 'shop.cart'`). */
export function projectNameMissingFrom(failure: TestFailure): string | undefined {
  return /cannot import name '\w+' from '([\w.]+)'/.exec(failure.traceback + "\n" + failure.message)?.[1];
}

/** A failure the project's own change explains: a module it moved, or a name it removed from its module. */
function isTestFix(failure: TestFailure, facts: DiagnosisFacts): boolean {
  const module = missingModuleOf(failure);
  if (module !== undefined) return environmentReason(module, facts) === undefined;
  const from = projectNameMissingFrom(failure);
  return from !== undefined && moduleIn(facts.trackedFiles, from.split(".")[0]);
}

function list(modules: string[]): string {
  const shown = modules.slice(0, 5).map((m) => `\`${m}\``);
  return modules.length > 5 ? `${shown.join(", ")} and ${modules.length - 5} more` : shown.join(", ");
}
