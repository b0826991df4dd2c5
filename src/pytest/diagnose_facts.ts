/** The git facts diagnoseFailures needs, read only when a failure is a missing module (history can be long). */
import { runProgram } from "../proc/run.ts";
import type { Discovery } from "./discover.ts";
import { diagnoseFailures, type EnvironmentDiagnosis, missingModuleOf, projectNameMissingFrom } from "./diagnose.ts";

async function gitPaths(repoDir: string, args: string[]): Promise<string[]> {
  const result = await runProgram("git", args, { cwd: repoDir, timeoutMs: 60_000 });
  if (result.code !== 0) return [];
  return [...new Set(result.stdout.split("\n").filter((l) => l.trim() !== ""))];
}

/** Whether the run's failures are an environment problem or a mass failure; undefined to go on. */
export async function diagnoseEnvironment(
  repoDir: string,
  discovery: Discovery,
  maxFiles: number,
): Promise<EnvironmentDiagnosis | undefined> {
  const needsHistory = discovery.confirmed.some((f) =>
    missingModuleOf(f) !== undefined || projectNameMissingFrom(f) !== undefined
  );
  const [trackedFiles, historyFiles, shallow] = needsHistory
    ? await Promise.all([
      gitPaths(repoDir, ["ls-files"]),
      gitPaths(repoDir, ["log", "--all", "--format=", "--name-only", "--no-renames"]),
      gitPaths(repoDir, ["rev-parse", "--is-shallow-repository"]),
    ])
    : [[], [], []];
  return diagnoseFailures(discovery, { trackedFiles, historyFiles, maxFiles, shallow: shallow[0] === "true" });
}
