/**
 * Turns global CLI options into a loaded Config: the repo path (honouring
 * INIT_CWD under `deno task`), the log level, and the flag overrides.
 */
import { isAbsolute, resolve } from "node:path";
import { type Config, loadConfig, type RawValue } from "../config/load.ts";
import { UsageError } from "../errors.ts";
import { isLogLevel, log } from "../log.ts";
import { readEnv } from "../env.ts";

export interface GlobalOptions {
  repoPath?: string;
  logLevel?: string;
}

/** The directory the user ran the command from: `deno task` changes cwd but keeps INIT_CWD. */
export function invocationDir(): string {
  return readEnv("INIT_CWD") || Deno.cwd();
}

export async function resolveRepoPath(repoPath: string | undefined): Promise<string> {
  const base = invocationDir();
  const dir = repoPath ? (isAbsolute(repoPath) ? repoPath : resolve(base, repoPath)) : base;
  let info: Deno.FileInfo;
  try {
    info = await Deno.stat(dir);
  } catch {
    throw new UsageError(`repository path ${dir} does not exist`, {
      hint: "pass an existing directory with --repo-path",
    });
  }
  if (!info.isDirectory) {
    throw new UsageError(`repository path ${dir} is not a directory`, { hint: "pass a directory with --repo-path" });
  }
  return await Deno.realPath(dir);
}

export async function loadRunConfig(
  global: GlobalOptions,
  flags: Record<string, { value: RawValue; flag: string } | undefined> = {},
): Promise<Config> {
  if (global.logLevel !== undefined && !isLogLevel(global.logLevel)) {
    throw new UsageError(`unknown log level "${global.logLevel}"`, { hint: "use debug, info, warn or error" });
  }
  const repoPath = await resolveRepoPath(global.repoPath);
  const allFlags = { ...flags };
  if (global.logLevel) allFlags.logLevel = { value: global.logLevel, flag: "--log-level" };
  const config = await loadConfig({ repoPath, flags: allFlags });
  log.level = config.logLevel;
  return config;
}
