/**
 * The state one `sentries setup` carries from step to step: what was asked
 * for, the seams it talks through, every check reported so far, and the
 * actions it could not ask about (no terminal and no --yes).
 */
import { renderCheck } from "../doctor/render.ts";
import type { Config } from "../config/load.ts";
import type { CheckResult } from "../doctor/checks.ts";
import { detectApi, type LlmApi, type LlmClient } from "../llm/mod.ts";
import type { Catalog, Profile } from "../models/catalog.ts";
import { askConsent, type SetupConsole } from "./console.ts";
import { isLoopback, type OllamaLauncher } from "./ollama.ts";
import type { SystemProbe } from "./probe.ts";

export interface SetupRequest {
  config: Config;
  profile: Profile;
  catalog: Catalog;
  /** Answer yes to every question. */
  yes: boolean;
  /** Overwrite an existing .env / .env.example. */
  force: boolean;
}

export interface SetupDeps {
  console: SetupConsole;
  probe: SystemProbe;
  launcher: OllamaLauncher;
  client: LlmClient;
  /** The doctor checks run at the end, with the config as it is after .env was written. */
  doctor: (config: Config) => Promise<CheckResult[]>;
  /** Loads the config again (after .env was written). */
  reloadConfig: (config: Config) => Promise<Config>;
  /** How long to wait for a freshly started `ollama serve` to answer. */
  serverWaitMs: number;
}

export class SetupRun {
  readonly checks: CheckResult[] = [];
  /** What setup would have done had it been allowed to ask. */
  readonly pending: string[] = [];
  /** Lines for the "next steps" list, beyond the standard ones. */
  readonly notes: string[] = [];
  readonly api: LlmApi;
  /** LLM_BASE is on this machine: setup may start Ollama, and memory and disk readings apply to it. */
  readonly local: boolean;

  constructor(readonly request: SetupRequest, readonly deps: SetupDeps) {
    const { llmApi, llmBase } = request.config;
    this.api = llmApi === "auto" ? detectApi(llmBase) : llmApi;
    this.local = isLoopback(llmBase);
  }

  get config(): Config {
    return this.request.config;
  }

  get profile(): Profile {
    return this.request.profile;
  }

  section(title: string): void {
    this.deps.console.out(`\n${title}\n`);
  }

  line(text: string): void {
    this.deps.console.out(`${text}\n`);
  }

  report(check: CheckResult): void {
    this.checks.push(check);
    this.deps.console.out(renderCheck(check) + "\n");
  }

  /** Asks before a change; without a terminal and --yes, records it as pending and answers no. */
  consent(question: string, action: string): boolean {
    const answer = askConsent(this.deps.console, this.request.yes, question);
    if (answer === "cannot-ask") this.pending.push(action);
    if (answer === "no") this.line(`  skipped: ${action}`);
    return answer === "yes";
  }

  failed(): boolean {
    return this.checks.some((c) => c.status === "fail");
  }
}
