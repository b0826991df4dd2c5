/**
 * Setup's machine checks: platform, memory against the profile, free disk
 * where Ollama keeps models, git and Python/pytest in the target repository.
 * The memory and disk verdicts are pure functions of readings from the
 * SystemProbe seam, so tests drive them with fake numbers.
 */
import type { CheckResult } from "../doctor/checks.ts";
import { describeError } from "../errors.ts";
import { bestProfileFor, type Catalog, type Profile } from "../models/catalog.ts";
import { ProgramNotFoundError, ProgramNotPermittedError, runProgram } from "../proc/run.ts";
import { formatBytes } from "../format.ts";
import { ollamaModelsDir, type SystemProbe } from "./probe.ts";

/** Room kept free beyond the downloads: Ollama unpacks and verifies next to them. */
export const DISK_MARGIN_BYTES = 2 * 1024 ** 3;
const SUPPORTED_OS = ["linux", "darwin", "windows"];

export function checkPlatform(probe: SystemProbe): CheckResult {
  const release = probe.osRelease();
  const what = `${probe.os} ${probe.arch}${release ? ` (${release})` : ""}`;
  if (!SUPPORTED_OS.includes(probe.os)) {
    return {
      name: "platform",
      status: "warn",
      detail: `${what}: Ollama ships for Linux, macOS and Windows only`,
      hint: "run the model server on another machine and point LLM_BASE at it",
    };
  }
  return { name: "platform", status: "ok", detail: what };
}

/** Total memory below the profile's need fails; available memory below it only warns (it frees up). */
export function checkMemory(
  memory: { totalBytes: number; availableBytes: number },
  profile: Profile,
  catalog: Catalog,
): CheckResult {
  const need = profile.minMemoryBytes;
  const have = `${formatBytes(memory.totalBytes)} total, ${formatBytes(memory.availableBytes)} available`;
  if (memory.totalBytes < need) {
    const smaller = bestProfileFor(catalog, memory.totalBytes);
    return {
      name: "memory",
      status: "fail",
      detail: `${have}; the ${profile.name} profile needs ${formatBytes(need)}`,
      hint: smaller
        ? `use --profile ${smaller.name} (needs ${formatBytes(smaller.minMemoryBytes)})`
        : "run the model server on a bigger machine and point LLM_BASE at it",
    };
  }
  if (memory.availableBytes < need) {
    return {
      name: "memory",
      status: "warn",
      detail: `${have}; the ${profile.name} profile needs ${formatBytes(need)} free while a model runs`,
      hint: "close memory-hungry programs before running sentries, or models will swap and crawl",
    };
  }
  return { name: "memory", status: "ok", detail: `${have} (the ${profile.name} profile needs ${formatBytes(need)})` };
}

/** Free disk against the downloads still to do plus a margin. */
export function checkDisk(freeBytes: number, downloadBytes: number, where: string): CheckResult {
  const need = downloadBytes + DISK_MARGIN_BYTES;
  const detail = `${formatBytes(freeBytes)} free at ${where}`;
  if (downloadBytes === 0) return { name: "disk", status: "ok", detail: `${detail}; nothing to download` };
  if (freeBytes < need) {
    return {
      name: "disk",
      status: "fail",
      detail: `${detail}; the models need ${formatBytes(downloadBytes)} plus ${
        formatBytes(DISK_MARGIN_BYTES)
      } to spare`,
      hint: "free some space, or set OLLAMA_MODELS to a directory on a bigger disk (and restart Ollama)",
    };
  }
  return { name: "disk", status: "ok", detail: `${detail}; the models need ${formatBytes(downloadBytes)}` };
}

/** Reads free disk through the probe and judges it; a path that cannot be read is a warning, not a stop. */
export async function checkModelsDisk(probe: SystemProbe, downloadBytes: number): Promise<CheckResult> {
  const dir = ollamaModelsDir(probe);
  if (!dir) {
    return { name: "disk", status: "warn", detail: "cannot tell where Ollama keeps models (no home directory)" };
  }
  try {
    return checkDisk(await probe.freeDiskBytes(dir), downloadBytes, dir);
  } catch (err) {
    return { name: "disk", status: "warn", detail: `cannot read free space at ${dir}: ${describeError(err)}` };
  }
}

/** The first line a `--version` run prints, or undefined when the program is missing, not allowed or fails. */
async function versionOf(program: string, args: string[], cwd: string): Promise<string | undefined> {
  try {
    const result = await runProgram(program, args, { cwd, timeoutMs: 30_000 });
    if (result.code !== 0) return undefined;
    return (result.stdout + result.stderr).trim().split("\n")[0];
  } catch (err) {
    if (err instanceof ProgramNotFoundError || err instanceof ProgramNotPermittedError) return undefined;
    throw err;
  }
}

export async function checkGitInstalled(repoPath: string): Promise<CheckResult> {
  const version = await versionOf("git", ["--version"], repoPath);
  return version
    ? { name: "git", status: "ok", detail: version }
    : { name: "git", status: "fail", detail: "git is not on PATH", hint: "install git: https://git-scm.com/downloads" };
}

/** Python and pytest as the target repo sees them (PATH, an active virtualenv). */
export async function checkPythonAndPytest(repoPath: string, pytestCommand?: string[]): Promise<CheckResult[]> {
  const python = await versionOf("python3", ["--version"], repoPath) ??
    await versionOf("python", ["--version"], repoPath);
  if (!python) {
    return [{
      name: "python",
      status: "fail",
      detail: "neither python3 nor python is on PATH",
      hint: "install Python 3 (https://www.python.org/downloads/) or activate the project's virtualenv",
    }];
  }
  const results: CheckResult[] = [{ name: "python", status: "ok", detail: python }];
  const [program, ...rest] = pytestCommand && pytestCommand.length > 0 ? pytestCommand : ["python3", "-m", "pytest"];
  const pytest = await versionOf(program, [...rest, "--version"], repoPath);
  results.push(
    pytest ? { name: "pytest", status: "ok", detail: `${pytest} (in ${repoPath})` } : {
      name: "pytest",
      status: "fail",
      detail: `\`${[program, ...rest].join(" ")}\` does not run in ${repoPath}`,
      hint: "install it in the project's environment: python3 -m pip install pytest",
    },
  );
  return results;
}
