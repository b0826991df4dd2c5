/** What a `sentries docs` run is given, and the labels its pull requests carry. */
import type { Config } from "../../config/load.ts";
import type { GitHub } from "../../github/mod.ts";
import type { LlmClient } from "../../llm/mod.ts";

export interface DocSentryOptions {
  config: Config;
  dryRun: boolean;
  llm: LlmClient;
  github?: GitHub;
  base?: string;
  head?: string;
  eventPath?: string;
  signal?: AbortSignal;
  now?: () => Date;
}

export const DOCS_LABELS = ["ai-generated", "sentries", "sentry-docsentry", "docs-sentry:done"];
