/** Builds the LLM client and (when configured) the GitHub adapter a sentry run needs. */
import type { Config } from "../config/load.ts";
import { createGitHub, type GitHub } from "../github/mod.ts";
import { llmClientFor } from "../doctor/checks.ts";
import { log } from "../log.ts";

export { llmClientFor };

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
