/**
 * When the change only removed a name (a deprecated alias `old_total` next to `total`), the honest repair
 * renames it in the tests, and that test passes on the old source too: there is no behaviour to tell apart.
 * Such a test is not refused but left unproven, when it failed before because the name was missing
 * (ImportError, AttributeError on a module, NameError), the old source defines that name and the new does
 * not, and the test's module and every other file the patch changed that can bear on it (all but other test
 * modules it does not name) differ from HEAD only by renaming removed names to names the new source defines
 * (rename_only_script.ts): defined there or imported from the project, and imported, when an import changes,
 * under its own name from the module the removed name came from. A changed literal, operator or statement, a
 * library function bound to the new name, or a function renamed to a class that an assert only constructs keeps
 * the refusal.
 */
import type { Git } from "../../git/git.ts";
import { runScript } from "../../patch/python_check.ts";
import type { PythonChecker } from "../../patch/python_checker.ts";
import type { TestFailure } from "../../pytest/results.ts";
import { RENAME_ONLY_SCRIPT } from "./rename_only_script.ts";

export interface RemovedName {
  /** The name the test used that the change removed. */
  name: string;
  /** What the patch renamed it to; absent when the patch only dropped its import. */
  now?: string;
}

export interface RemovedNameQuery {
  repo: Git;
  headSha: string;
  oldSha: string;
  /** Non-test files the failure context pointed at (where the name was defined). */
  sourceFiles: string[];
  /** The project's top-level packages: a missing name of another module (a dependency) does not count. */
  projectNames: string[];
  /** The failures before the patch of the repaired tests that pass on the old source too. */
  failures: TestFailure[];
  /** The patch's files (new content, or null for a deletion). */
  changes: { path: string; content: string | null }[];
  checker?: PythonChecker;
}

export interface RemovedNameVerdict {
  /** Per repaired node id that is excused: the name it used. Empty when none is. */
  excused: Map<string, RemovedName>;
  /** Why the excuse does not hold, when some failure was about a missing name; for logs and tests. */
  problem?: string;
}

const MISSING_NAME: { pattern: RegExp; name: number; module?: number }[] = [
  { pattern: /cannot import name '(\w+)' from '([\w.]+)'/g, name: 1, module: 2 },
  { pattern: /module '([\w.]+)' has no attribute '(\w+)'/g, name: 2, module: 1 },
  { pattern: /NameError: name '(\w+)' is not defined/g, name: 1 },
];

/** The names a failure says were missing from the project's own modules (or, for a NameError, anywhere). */
export function missingNames(failure: Pick<TestFailure, "message" | "traceback">, projectNames: string[]): string[] {
  const text = failure.message + "\n" + failure.traceback;
  const names = MISSING_NAME.flatMap(({ pattern, name, module }) =>
    [...text.matchAll(pattern)]
      .filter((m) => module === undefined || projectNames.includes(m[module].split(".")[0]))
      .map((m) => m[name])
  );
  return [...new Set(names)].sort();
}

interface ScriptReply {
  removed: string[];
  renames: Record<string, string>;
  problem: string | null;
}

/** Which of `failures` only used a name the change removed, with a rename-only patch. */
export async function excuseRemovedNames(q: RemovedNameQuery): Promise<RemovedNameVerdict> {
  const candidates = q.failures.map((failure) => ({ failure, names: missingNames(failure, q.projectNames) }))
    .filter((c) => c.names.length > 0);
  if (candidates.length === 0) return { excused: new Map() };
  const sources = q.sourceFiles.filter((f) => f.endsWith(".py"));
  const present = (texts: (string | null)[]) => texts.filter((t): t is string => t !== null);
  const [oldSources, newSources, files] = await Promise.all([
    Promise.all(sources.map((f) => showFile(q.repo, q.oldSha, f))).then(present),
    Promise.all(sources.map((f) => showFile(q.repo, q.headSha, f))).then(present),
    Promise.all(q.changes.map(async (c): Promise<ChangedFile> => ({
      path: c.path,
      before: await showFile(q.repo, q.headSha, c.path),
      after: c.content,
    }))),
  ]);
  const excused = new Map<string, RemovedName>();
  const problems: string[] = [];
  for (const { failure, names } of candidates) {
    const own = files.find((f) => f.path === failure.file);
    if (!own) {
      problems.push(`${failure.nodeId}: the patch did not change ${failure.file}`);
      continue;
    }
    const reply = await checkRenames(q, {
      missing: names,
      projectNames: q.projectNames,
      oldSources,
      newSources,
      files: files.filter((f) => bearsOn(f, own)),
      testFile: failure.file,
      // The repaired test's top-level name (a function, or its class): another test function may change.
      test: failure.nodeId.split("::")[1]?.replace(/\[.*$/, ""),
    });
    if (typeof reply === "string") {
      problems.push(`${failure.nodeId}: ${reply}`);
      continue;
    }
    const name = names.find((n) => reply.removed.includes(n));
    if (name) excused.set(failure.nodeId, reply.renames[name] ? { name, now: reply.renames[name] } : { name });
  }
  return problems.length > 0 ? { excused, problem: problems.join("; ") } : { excused };
}

interface ChangedFile {
  path: string;
  before: string | null;
  after: string | null;
}

const TEST_MODULE = /(^|\/)(test_[^/]*|[^/]*_test)\.py$/;

/**
 * The changed files that can change what `test` runs: the module itself and everything that is not another
 * test module (conftest.py, helpers, data), and another test module only when `test` names it.
 */
function bearsOn(file: ChangedFile, test: ChangedFile): boolean {
  if (file.path === test.path || !TEST_MODULE.test(file.path)) return true;
  const stem = file.path.slice(file.path.lastIndexOf("/") + 1).replace(/\.py$/, "").replace(
    /[.*+?^${}()|[\]\\]/g,
    "\\$&",
  );
  return new RegExp(`\\b${stem}\\b`).test(test.after ?? "");
}

/** The script's verdict, or why it could not give one. */
async function checkRenames(
  q: RemovedNameQuery,
  input: {
    missing: string[];
    projectNames: string[];
    oldSources: string[];
    newSources: string[];
    files: ChangedFile[];
    testFile: string;
    test?: string;
  },
): Promise<ScriptReply | string> {
  try {
    const result = await runScript(
      q.checker,
      q.checker?.python ?? "python3",
      RENAME_ONLY_SCRIPT,
      JSON.stringify(input),
      { cwd: q.repo.dir, timeoutMs: 30_000 },
    );
    if (result.code !== 0 || result.timedOut) {
      return `the rename check failed: ${result.timedOut ? "timed out" : result.stderr.trim().split("\n").pop()}`;
    }
    const reply = JSON.parse(result.stdout) as ScriptReply;
    return reply.problem ?? reply;
  } catch (err) {
    return `the rename check could not run: ${err instanceof Error ? err.message : err}`;
  }
}

/** A file's content at a commit; null when it is not there. */
async function showFile(repo: Git, sha: string, path: string): Promise<string | null> {
  const shown = await repo.run(["show", `${sha}:${path}`], { allowFail: true });
  return shown.code === 0 ? shown.stdout : null;
}
