/**
 * `sentries models`: read what the server has → compare with the catalog and
 * this machine → show it → offer to pull what is worth pulling (asked on a
 * terminal, --yes otherwise; --info-only never pulls; off a terminal without
 * --yes it pulls nothing and stops with exit 2). With --json, stdout carries
 * only the JSON document; everything else goes to stderr.
 */
import { renderCheck } from "../doctor/render.ts";
import type { Config } from "../config/load.ts";
import type { CheckResult } from "../doctor/checks.ts";
import { ConfirmationNeededError, EXIT_FAILURE, EXIT_OK } from "../errors.ts";
import { type JsonErrorBody, renderJson } from "../json_envelope.ts";
import type { LlmClient } from "../llm/mod.ts";
import { askConsent, type SetupConsole } from "./console.ts";
import { formatBytes } from "../format.ts";
import type { SystemProbe } from "./probe.ts";
import { pullModels } from "./pull_models.ts";
import type { Catalog } from "../models/catalog.ts";
import { readInventory } from "../models/inventory.ts";
import { buildModelsReport, type ModelsReport, type PullCandidate } from "../models/recommend.ts";
import { renderModelsReport } from "../models/render.ts";

export interface ModelsRequest {
  config: Config;
  catalog: Catalog;
  infoOnly: boolean;
  yes: boolean;
  json: boolean;
}

export interface ModelsDeps {
  console: SetupConsole;
  probe: SystemProbe;
  client: LlmClient;
}

export interface ModelsOutcome {
  exitCode: number;
  report: ModelsReport;
  pulled: CheckResult[];
}

export async function runModels(request: ModelsRequest, deps: ModelsDeps): Promise<ModelsOutcome> {
  const { console, client } = deps;
  const note = (text: string) => (request.json ? console.err : console.out)(`${text}\n`);
  const server = await readInventory(client);
  const memory = deps.probe.memory();
  const report = buildModelsReport({
    catalog: request.catalog,
    installed: server.installed,
    configured: { plan: request.config.modelPlan, patch: request.config.modelPatch },
    memoryBytes: memory.totalBytes,
  });
  if (!request.json) console.out(renderModelsReport(report, server, memory));
  const { installed: _installed, ...serverFacts } = server;
  const fields = (pulled: CheckResult[]) => ({ server: serverFacts, memory, ...report, pulled });

  let pulled: CheckResult[] = [];
  let error: JsonErrorBody | undefined;
  if (!server.reachable) {
    // The same clean words as doctor's "LLM endpoint" check, never the raw fetch error.
    const hint = server.hint ?? "start it (`ollama serve`, or `sentries setup`), or set LLM_BASE";
    error = { code: server.errorCode ?? "llm.unreachable", message: server.error ?? "", hint, exitCode: EXIT_FAILURE };
    console.err(`error: ${error.message}\nhint: ${hint}\n`);
  } else if (!request.infoOnly) {
    const offered = await offerPulls(report.toPull, request, deps, note);
    if (offered === "cannot-ask") throw pullNeedsConfirmation(report.toPull, fields([]));
    pulled = offered;
  }
  const failed = !server.reachable || pulled.some((r) => r.status === "fail");
  const exitCode = failed ? EXIT_FAILURE : EXIT_OK;
  if (request.json) console.out(renderJson("models", exitCode, fields(pulled), error));
  return { exitCode, report, pulled };
}

function pullSummary(candidates: PullCandidate[]): string {
  const size = formatBytes(candidates.reduce((sum, c) => sum + (c.sizeBytes ?? 0), 0));
  const count = candidates.length === 1 ? "1 model" : `${candidates.length} models`;
  return `${count} (${size})`;
}

/** Off a terminal without --yes: the report above is what it would do; nothing is pulled, exit 2. */
function pullNeedsConfirmation(candidates: PullCandidate[], report: object): ConfirmationNeededError {
  return new ConfirmationNeededError(
    `models pulled nothing: pulling ${pullSummary(candidates)} needs a yes, and there is no terminal to ask on`,
    {
      hint: "run `sentries models --yes` to pull them, or `sentries models --info-only` to only look",
      report,
    },
  );
}

async function offerPulls(
  candidates: PullCandidate[],
  request: ModelsRequest,
  deps: ModelsDeps,
  note: (text: string) => void,
): Promise<CheckResult[] | "cannot-ask"> {
  if (candidates.length === 0) {
    note("\nNothing to pull: the configured models are installed and none in the catalog fits better.");
    return [];
  }
  if (deps.client.api !== "ollama") {
    note("\nOnly Ollama can pull models; load the ones above in your model server by hand.");
    return [];
  }
  const answer = askConsent(deps.console, request.yes, `Pull ${pullSummary(candidates)} now?`);
  if (answer === "cannot-ask") return "cannot-ask";
  if (answer === "no") {
    note("\nNot pulling.");
    return [];
  }
  const wanted = candidates.map((c) => ({ name: c.name, sizeBytes: c.sizeBytes, purpose: c.reason }));
  const results = await pullModels(deps.client, wanted, deps.console);
  note("");
  for (const result of results) note(renderCheck(result));
  for (const c of candidates) {
    const ok = results.some((r) => r.name === `pull ${c.name}` && r.status === "ok");
    if (ok && c.switchSetting) note(`to use ${c.name}: set ${c.switchSetting} in .env or the environment`);
  }
  return results;
}
