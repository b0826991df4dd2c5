/** Builds the LLM client and (when configured) the GitHub adapter a sentry run needs, and runs a sentry. */
import type { Config } from "../config/load.ts";
import { type GitHubReader, readOnly } from "../delivery/github_reader.ts";
import { createGitHub, type GitHub } from "../github/mod.ts";
import { llmClientFor } from "../llm/for_config.ts";
import { withInterruptSignal } from "../interrupt.ts";
import type { LlmClient } from "../llm/mod.ts";
import { log } from "../log.ts";
import { exitState } from "./exit.ts";
import { writeOut } from "../term.ts";
import { renderJson } from "../json_envelope.ts";

export function githubFor(config: Config): GitHub | undefined {
  if (!config.githubToken) return undefined;
  if (!config.githubRepository) {
    log.warn(
      "GITHUB_TOKEN is set but GITHUB_REPOSITORY is not, so GitHub is not used (no push, no pull requests): " +
        "set GITHUB_REPOSITORY=owner/name",
    );
    return undefined;
  }
  return createGitHub({ token: config.githubToken, repository: config.githubRepository, apiUrl: config.githubApiUrl });
}

function githubDeps(config: Config, dryRun: boolean): Pick<SentryDeps, "github" | "githubReader"> {
  const github = githubFor(config);
  if (!github) return {};
  return dryRun ? { githubReader: readOnly(github) } : { github };
}

export interface SentryDeps {
  config: Config;
  dryRun: boolean;
  llm: LlmClient;
  /** Never with --dry-run: a dry run changes nothing on GitHub. */
  github?: GitHub;
  /** With --dry-run and a token: GitHub read-only, so the run can say how it would deliver. */
  githubReader?: GitHubReader;
  signal: AbortSignal;
}

/** Runs one sentry for a CLI command: interruptible, its report on stdout (JSON or text), its exit code. */
export async function runSentryCommand<R extends { exitCode: number }>(
  command: "tests" | "docs",
  config: Config,
  options: { dryRun?: boolean; json?: boolean },
  run: (deps: SentryDeps) => Promise<R>,
  render: (report: R) => string,
): Promise<void> {
  const dryRun = options.dryRun === true;
  const report = await withInterruptSignal((signal) =>
    run({ config, dryRun, llm: llmClientFor(config), ...githubDeps(config, dryRun), signal })
  );
  writeOut(options.json ? renderJson(command, report.exitCode, report) : render(report));
  exitState.code = report.exitCode;
}
