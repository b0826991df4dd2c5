/**
 * Test-weakening guard (tests sentry): a fix must keep the tests testing. Refuses deleted test
 * files and test functions, new skip/xfail markers, fewer assertions in a touched test, trivial
 * assertions, and broad try/except wrapped around test code.
 */
import { addedSkips, countBody, findTestFunctions } from "./python_tests.ts";
import { type FileChange, type PatchProblem, problem } from "./types.ts";

export function isTestFilePath(path: string): boolean {
  const base = path.split("/").pop() ?? "";
  return /^test_.*\.py$/.test(base) || /_test\.py$/.test(base);
}

function multiset(names: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const name of names) counts.set(name, (counts.get(name) ?? 0) + 1);
  return counts;
}

function checkPythonChange(change: FileChange): PatchProblem[] {
  const { path } = change;
  const before = change.oldContent ?? "";
  const after = change.newContent ?? "";
  const problems: PatchProblem[] = [];
  for (const label of addedSkips(before, after)) {
    problems.push(
      problem("weaken.skip_marker", `${path}: adding ${label} hides a failing test instead of fixing it`, path),
    );
  }
  const oldTests = findTestFunctions(before);
  const newTests = findTestFunctions(after);
  const remaining = multiset(newTests.map((t) => t.name));
  for (const test of oldTests) {
    const left = remaining.get(test.name) ?? 0;
    if (left === 0) {
      problems.push(
        problem(
          "weaken.test_deleted",
          `${path}: the patch deletes or renames the test ${test.name}; keep every test`,
          path,
        ),
      );
    } else remaining.set(test.name, left - 1);
  }
  for (const test of oldTests) {
    const updated = newTests.find((t) => t.name === test.name);
    if (!updated || updated.body.join("\n") === test.body.join("\n")) continue;
    const was = countBody(test.body);
    const now = countBody(updated.body);
    if (now.assertions < was.assertions) {
      const how = now.passes > was.passes ? " (an assertion became `pass`)" : "";
      problems.push(
        problem(
          "weaken.fewer_assertions",
          `${path}: ${test.name} has ${now.assertions} assertions instead of ${was.assertions}${how}; fix the code under test or the expectation, do not drop checks`,
          path,
        ),
      );
    }
    if (now.trivialAssertions > was.trivialAssertions) {
      problems.push(
        problem(
          "weaken.trivial_assert",
          `${path}: ${test.name} gains an assertion that is always true (like \`assert True\`)`,
          path,
        ),
      );
    }
    if (now.broadExcepts > was.broadExcepts) {
      problems.push(
        problem(
          "weaken.try_except",
          `${path}: ${test.name} gains a bare or broad \`except\` that would swallow the failure; use pytest.raises for expected errors`,
          path,
        ),
      );
    }
  }
  return problems;
}

export function checkWeakening(changes: readonly FileChange[]): PatchProblem[] {
  const problems: PatchProblem[] = [];
  for (const change of changes) {
    if (change.newContent === null && isTestFilePath(change.path)) {
      problems.push(
        problem(
          "weaken.test_file_deleted",
          `the patch deletes the test file ${change.path}; keep every test`,
          change.path,
        ),
      );
      continue;
    }
    if (change.path.endsWith(".py")) problems.push(...checkPythonChange(change));
  }
  return problems;
}
