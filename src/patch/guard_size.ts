/** Size guard: at most `maxFiles` files and `maxChangedLines` added + removed lines. */
import { type GuardPolicy, type PatchProblem, problem } from "./types.ts";

export function checkSize(filesChanged: number, linesChanged: number, policy: GuardPolicy): PatchProblem[] {
  const problems: PatchProblem[] = [];
  if (filesChanged > policy.maxFiles) {
    problems.push(
      problem(
        "guard.too_many_files",
        `the patch changes ${filesChanged} files; the limit is ${policy.maxFiles} — make a smaller, focused fix`,
      ),
    );
  }
  if (linesChanged > policy.maxChangedLines) {
    problems.push(
      problem(
        "guard.too_many_lines",
        `the patch changes ${linesChanged} lines (added + removed); the limit is ${policy.maxChangedLines} — change only what the fix needs`,
      ),
    );
  }
  return problems;
}
