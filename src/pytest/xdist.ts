/**
 * pytest-xdist and Sentries' narrow re-runs: the suite's own run may be distributed (`-n auto`); a re-run
 * of a few node ids runs in one process, since starting workers costs more than a handful of tests take.
 */
import { join } from "node:path";
import { readEnv } from "../env.ts";
import type { PytestConfig } from "./run.ts";

/** pytest-xdist's options on a command line: `-n 4`, `-nauto`, `--numprocesses=auto`, `--dist load`. */
const XDIST_OPTION = /(?:^|[\s"'=])(?:-n\s*\S|--numprocesses\b|--dist\b|-p\s*xdist\b)/;
const PYTEST_INI_FILES = ["pytest.ini", ".pytest.ini", "pyproject.toml", "tox.ini", "setup.cfg"];

/**
 * The config for a narrow re-run: when the suite's own run is distributed (pytest-xdist options in
 * pytest_args, PYTEST_ADDOPTS or an ini file's addopts), `-n 0` is added last, which wins over them and runs
 * the few selected tests in one process (workers cost more to start than a handful of tests take).
 */
export async function narrowRunConfig(config: PytestConfig, repoDir: string): Promise<PytestConfig> {
  if (!(await usesXdist(config, repoDir))) return config;
  return { ...config, extraArgs: [...(config.extraArgs ?? []), "-n", "0"] };
}

async function usesXdist(config: PytestConfig, repoDir: string): Promise<boolean> {
  if (XDIST_OPTION.test((config.extraArgs ?? []).join(" "))) return true;
  if (XDIST_OPTION.test(readEnv("PYTEST_ADDOPTS") ?? "")) return true;
  for (const name of PYTEST_INI_FILES) {
    const text = await Deno.readTextFile(join(repoDir, name)).catch(() => "");
    for (const line of text.split("\n")) {
      if (/^\s*addopts\s*=/.test(line) && XDIST_OPTION.test(line.replace(/^\s*addopts\s*=/, " "))) return true;
    }
  }
  return false;
}
