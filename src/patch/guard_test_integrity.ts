/**
 * Static guards for what a test-only patch may not do even when the tests pass: add pytest hooks,
 * plugins or process exits; skip a test under another name; redefine or monkeypatch the project's
 * own code; or make an assertion weaker in form. Python is read with the target's python3 and `ast`
 * (one process for every changed file, like python_check.ts), not with regexes that an alias or a
 * `getattr` would get past.
 */
import type { PythonChecker, ScriptResult } from "./python_checker.ts";
import { runScript } from "./python_check.ts";
import { TEST_INTEGRITY_SCRIPT } from "./test_integrity_script.ts";
import { type FileChange, type PatchProblem, problem } from "./types.ts";

interface Finding {
  path: string;
  code: string;
  detail: string;
}

/** The one-line reason the patcher gets for each whole-module finding; per-function ones carry their own. */
const REASONS: Record<string, (path: string, detail: string) => string> = {
  "weaken.pytest_hook": (path, detail) =>
    `${path}: adds ${detail}; a test fix may not add pytest hooks, plugins or process exits`,
  "weaken.skip_marker": (path, detail) => `${path}: adding ${detail} hides a failing test instead of fixing it`,
  "weaken.patch_project": (path, detail) =>
    `${path}: ${detail}, the project's own code that the test checks; test the real code and patch only external things (time, network, environment, files)`,
};

export interface IntegrityOptions {
  python?: string;
  /** The repository root: the script reads the project's sources there. */
  cwd: string;
  /** The project's own top-level packages and modules (findProjectModules). */
  project: readonly string[];
  timeoutMs?: number;
  /** The run's Python process for the guards; without it the check starts one of its own. */
  checker?: PythonChecker;
}

export async function checkTestIntegrity(
  changes: readonly FileChange[],
  options: IntegrityOptions,
): Promise<PatchProblem[]> {
  const files = changes
    .filter((c) => c.newContent !== null && c.path.endsWith(".py"))
    .map((c) => ({ path: c.path, before: c.oldContent, after: c.newContent }));
  if (files.length === 0) return [];
  const python = options.checker?.python ?? options.python ?? "python3";
  let result: ScriptResult;
  try {
    result = await runScript(
      options.checker,
      python,
      TEST_INTEGRITY_SCRIPT,
      JSON.stringify({ project: options.project, files }),
      { cwd: options.cwd, timeoutMs: options.timeoutMs ?? 30_000 },
    );
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    return [problem("python.unavailable", `cannot check the changed tests with ${python}: ${reason}`)];
  }
  let findings: Finding[] | undefined;
  try {
    findings = result.code === 0 && !result.timedOut ? JSON.parse(result.stdout) as Finding[] : undefined;
  } catch {
    findings = undefined;
  }
  if (findings === undefined) {
    const detail = result.stderr.trim().split("\n").pop() ?? "";
    return [
      problem(
        "python.unavailable",
        `${python} failed while checking the changed tests (exit ${result.code}): ${detail}`,
      ),
    ];
  }
  return findings.map((f) => {
    const reason = REASONS[f.code];
    return problem(f.code, reason ? reason(f.path, f.detail) : `${f.path}: ${f.detail}`, f.path);
  });
}
