/** What a `sentries tests` run is given. Its pull requests' labels are in delivery/plan.ts. */
import type { Config } from "../../config/load.ts";
import type { buildTestContext } from "../../context/mod.ts";
import type { GitHubReader } from "../../delivery/github_reader.ts";
import type { GitHub } from "../../github/mod.ts";
import type { LlmClient } from "../../llm/mod.ts";
import type { EarlyWarmUp } from "./warm_up.ts";

export interface TestSentryOptions {
  config: Config;
  dryRun: boolean;
  llm: LlmClient;
  /** Present when GITHUB_TOKEN and GITHUB_REPOSITORY are set. */
  github?: GitHub;
  /** With --dry-run and a token: GitHub read-only, to plan the delivery the run would make. */
  githubReader?: GitHubReader;
  signal?: AbortSignal;
  /** `--junit-xml`: take the failures from this report of the CI's own pytest run instead of running the suite. */
  junitXml?: string;
  /**
   * The pytest warm-up the caller started for `config` before the pipeline's code was loaded (cli/tests.ts:
   * startEarlyWarmUp); the run takes it over. Without it the run starts its own.
   */
  earlyWarmUp?: EarlyWarmUp;
  now?: () => Date;
  /**
   * Strategy seams for the benchmark's naive baseline (whole files as context, full-suite
   * re-runs); the CLI always uses the defaults.
   */
  strategy?: {
    buildContext?: typeof buildTestContext;
    verifyScope?: "auto" | "full";
  };
}
