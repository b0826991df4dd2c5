/**
 * The patch pipeline: extract → parse → guard paths → apply in memory → guard size, test
 * weakening and Python syntax. Never writes; every refusal reason is collected for the model.
 */
import { canonicalDiff } from "./canonical_diff.ts";
import { computeChanges } from "./compute_changes.ts";
import { extractEdits } from "./extract.ts";
import { checkDocsFileMode, checkDocsTextPath } from "./guard_docs_text.ts";
import { checkRealPath } from "./guard_fs.ts";
import { checkEditPaths } from "./guard_paths.ts";
import { checkSize } from "./guard_size.ts";
import { checkTestFiles } from "./guard_test_files.ts";
import { checkTestIntegrity } from "./guard_test_integrity.ts";
import { checkWeakening } from "./guard_weakening.ts";
import { findProjectModules } from "./project_modules.ts";
import { checkPythonParses } from "./python_check.ts";
import { PythonChecker } from "./python_checker.ts";
import { TEST_INTEGRITY_SCRIPT } from "./test_integrity_script.ts";
import type { EditFormat, FileChange, FileEdit, GuardPolicy, PatchProblem, PreparedPatch } from "./types.ts";
import { problem } from "./types.ts";

export interface PrepareOptions {
  repoRoot: string;
  policy: GuardPolicy;
  format?: EditFormat;
  /** The target repository's python3 (default `python3` on PATH). */
  python?: string;
  /**
   * The run's Python process for the guards' checks, started ahead of time; without it, preparePatch starts
   * one for its checks (one process for all of them) and ends it.
   */
  checker?: PythonChecker;
}

/** Path guards on the text and then on the real filesystem; returns which paths exist as files. */
async function guardEditOnDisk(
  repoRoot: string,
  edit: FileEdit,
  policy: GuardPolicy,
): Promise<{ problems: PatchProblem[]; existing: Set<string> }> {
  const paths = edit.sourcePath === undefined ? [edit.path] : [edit.sourcePath, edit.path];
  const textual = checkEditPaths(edit, policy);
  if (policy.sentry === "docs" && textual.length === 0) textual.push(...paths.flatMap(checkDocsTextPath));
  if (textual.length > 0) return { problems: textual, existing: new Set() };
  const existing = new Set<string>();
  const problems: PatchProblem[] = [];
  for (const path of paths) {
    const check = await checkRealPath(repoRoot, path, policy.allow);
    problems.push(...check.problems);
    if (check.exists) existing.add(path);
    if (check.exists && policy.sentry === "docs") problems.push(...await checkDocsFileMode(repoRoot, path));
  }
  return { problems, existing };
}

export async function preparePatch(modelText: string, opts: PrepareOptions): Promise<PreparedPatch> {
  const extraction = extractEdits(modelText, opts.format ?? "udiff");
  if (extraction.kind === "no_changes") return { kind: "no_changes" };
  const problems: PatchProblem[] = [...extraction.problems];
  const changes: FileChange[] = [];
  const touched = new Set<string>();

  for (const edit of extraction.edits) {
    const guarded = await guardEditOnDisk(opts.repoRoot, edit, opts.policy);
    if (guarded.problems.length > 0) {
      problems.push(...guarded.problems);
      continue;
    }
    const computed = await computeChanges(opts.repoRoot, edit, (p) => guarded.existing.has(p));
    problems.push(...computed.problems);
    for (const change of computed.changes) {
      if (touched.has(change.path)) {
        problems.push(
          problem(
            "parse.duplicate_file",
            `the answer changes ${change.path} in two conflicting ways; send one edit per file`,
            change.path,
          ),
        );
        continue;
      }
      touched.add(change.path);
      changes.push(change);
    }
  }
  if (problems.length === 0 && changes.length === 0) {
    problems.push(problem("apply.no_effect", "the edit changes nothing; answer NO_CHANGES if nothing should change"));
  }

  const canonical = canonicalDiff(changes);
  problems.push(...checkSize(changes.length, canonical.linesAdded + canonical.linesRemoved, opts.policy));
  problems.push(
    ...await withChecker(changes, opts, async (checker) => [
      ...(opts.policy.sentry === "tests" ? await guardTestChanges(changes, opts, checker) : []),
      ...await checkPythonParses(changes, { python: opts.python, cwd: opts.repoRoot, checker }),
    ]),
  );

  if (problems.length > 0) return { kind: "rejected", problems: dedupe(problems) };
  return {
    kind: "ok",
    changes,
    diff: canonical.diff,
    filesChanged: changes.length,
    linesAdded: canonical.linesAdded,
    linesRemoved: canonical.linesRemoved,
  };
}

/** The scripts TestSentry's guards run on the checker: compiled when it starts (PythonChecker.start). */
export const TESTS_GUARD_SCRIPTS: readonly string[] = [TEST_INTEGRITY_SCRIPT];

/** The Python checks on the run's checker, or on one process started for them when there is none. */
async function withChecker(
  changes: FileChange[],
  opts: PrepareOptions,
  checks: (checker: PythonChecker | undefined) => Promise<PatchProblem[]>,
): Promise<PatchProblem[]> {
  if (opts.checker || !changes.some((c) => c.newContent !== null && c.path.endsWith(".py"))) {
    return await checks(opts.checker);
  }
  const own = PythonChecker.start({ python: opts.python });
  try {
    return await checks(own);
  } finally {
    await own.close();
  }
}

/** The line-based weakening guard, the path rules for test folders, and the `ast` reading of the tests. */
async function guardTestChanges(
  changes: FileChange[],
  opts: PrepareOptions,
  checker: PythonChecker | undefined,
): Promise<PatchProblem[]> {
  const project = await findProjectModules(opts.repoRoot);
  const lineBased = checkWeakening(changes);
  const skipsSeen = new Set(lineBased.filter((p) => p.code === "weaken.skip_marker").map((p) => p.path));
  const read = await checkTestIntegrity(changes, { python: opts.python, cwd: opts.repoRoot, project, checker });
  // A skip the line-based guard already named is not reported twice.
  const fromAst = read.filter((p) => !(p.code === "weaken.skip_marker" && skipsSeen.has(p.path)));
  return [...lineBased, ...checkTestFiles(changes, project), ...fromAst];
}

function dedupe(problems: PatchProblem[]): PatchProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.code}\u0000${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
