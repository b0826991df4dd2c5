/** What a `sentries docs` run is given, and the labels its pull requests carry. */
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

export const DOCS_LABELS = ["ai-generated", "sentries", "sentry-docsentry", "docs-sentry:done"];
