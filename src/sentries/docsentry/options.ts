/** What a `sentries docs` run is given. Its pull requests' labels are in delivery/plan.ts. */
import type { Config } from "../../config/load.ts";
import type { GitHubReader } from "../../delivery/github_reader.ts";
import type { GitHub } from "../../github/mod.ts";
import type { LlmClient } from "../../llm/mod.ts";

export interface DocSentryOptions {
  config: Config;
  dryRun: boolean;
  llm: LlmClient;
  github?: GitHub;
  /** With --dry-run and a token: GitHub read-only, to plan the delivery the run would make. */
  githubReader?: GitHubReader;
  base?: string;
  head?: string;
  eventPath?: string;
  signal?: AbortSignal;
  now?: () => Date;
}
