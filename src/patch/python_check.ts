/**
 * Python files must still parse after the change. Checked with the target repository's own Python (its
 * virtualenv's interpreter, else python3) and `ast`, in one process for all changed files (sources go over
 * stdin as JSON): the run's PythonChecker when it has one, else a process of its own.
 */
import { PythonChecker, type ScriptResult } from "./python_checker.ts";
import { type FileChange, type PatchProblem, problem } from "./types.ts";

// -I: isolated mode, so a module in the repository (say `ast.py`) cannot shadow the stdlib.
const SCRIPT = [
  "import ast, json, sys",
  "files = json.load(sys.stdin)",
  "errors = []",
  "for path, source in files.items():",
  "    try:",
  "        ast.parse(source, filename=path)",
  "    except SyntaxError as e:",
  "        errors.append({'path': path, 'line': e.lineno, 'message': e.msg})",
  "    except ValueError as e:",
  "        errors.append({'path': path, 'line': None, 'message': str(e)})",
  "print(json.dumps(errors))",
].join("\n");

interface SyntaxProblem {
  path: string;
  line: number | null;
  message: string;
}

export async function checkPythonParses(
  changes: readonly FileChange[],
  options: { python?: string; cwd?: string; timeoutMs?: number; checker?: PythonChecker } = {},
): Promise<PatchProblem[]> {
  const sources: Record<string, string> = {};
  for (const change of changes) {
    if (change.newContent !== null && change.path.endsWith(".py")) sources[change.path] = change.newContent;
  }
  if (Object.keys(sources).length === 0) return [];
  const python = options.checker?.python ?? options.python ?? "python3";
  let result: ScriptResult;
  try {
    result = await runScript(options.checker, python, SCRIPT, JSON.stringify(sources), {
      cwd: options.cwd,
      timeoutMs: options.timeoutMs ?? 30_000,
    });
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    return [problem("python.unavailable", `cannot check that the Python files still parse: ${reason}`)];
  }
  if (result.code !== 0 || result.timedOut) {
    const detail = result.stderr.trim().split("\n").pop() ?? "";
    return [
      problem(
        "python.unavailable",
        `${python} failed while checking the Python files (exit ${result.code}): ${detail}`,
      ),
    ];
  }
  let errors: SyntaxProblem[];
  try {
    errors = JSON.parse(result.stdout) as SyntaxProblem[];
  } catch {
    return [problem("python.unavailable", `${python} printed no parse result`)];
  }
  return errors.map((e) =>
    problem(
      "python.syntax_error",
      `${e.path} no longer parses as Python${e.line === null ? "" : ` (line ${e.line})`}: ${e.message}`,
      e.path,
    )
  );
}

/** Runs `script` on `checker`, or on a process of its own when there is none. */
export async function runScript(
  checker: PythonChecker | undefined,
  python: string,
  script: string,
  stdin: string,
  options: { cwd?: string; timeoutMs: number },
): Promise<ScriptResult> {
  if (checker) return await checker.run(script, stdin, options);
  const own = PythonChecker.start({ python });
  try {
    return await own.run(script, stdin, options);
  } finally {
    await own.close();
  }
}
