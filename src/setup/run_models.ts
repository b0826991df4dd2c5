/**
 * `sentries models`: read what the server has → compare with the catalog and
 * this machine → show it → offer to pull what is worth pulling (asked on a
 * terminal, --yes otherwise; --info-only never pulls). With --json, stdout
 * carries only the JSON document; everything else goes to stderr.
 */
import { renderCheck } from "../doctor/render.ts";
import type { Config } from "../config/load.ts";
import type { CheckResult } from "../doctor/checks.ts";
import { EXIT_FAILURE, EXIT_OK } from "../errors.ts";
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

  let pulled: CheckResult[] = [];
  if (!server.reachable) {
    note(`\nCannot reach the model server at ${server.url}: start it (\`ollama serve\`, or \`sentries setup\`).`);
  } else if (!request.infoOnly) {
    pulled = await offerPulls(report.toPull, request, deps, note);
  }
  if (request.json) {
    const { installed: _installed, ...serverFacts } = server;
    console.out(JSON.stringify({ server: serverFacts, memory, ...report, pulled }, null, 2) + "\n");
  }
  const failed = !server.reachable || pulled.some((r) => r.status === "fail");
  return { exitCode: failed ? EXIT_FAILURE : EXIT_OK, report, pulled };
}

async function offerPulls(
  candidates: PullCandidate[],
  request: ModelsRequest,
  deps: ModelsDeps,
  note: (text: string) => void,
): Promise<CheckResult[]> {
  if (candidates.length === 0) {
    note("\nNothing to pull: the configured models are installed and none in the catalog fits better.");
    return [];
  }
  if (deps.client.api !== "ollama") {
    note("\nOnly Ollama can pull models; load the ones above in your model server by hand.");
    return [];
  }
  const size = formatBytes(candidates.reduce((sum, c) => sum + (c.sizeBytes ?? 0), 0));
  const count = candidates.length === 1 ? "1 model" : `${candidates.length} models`;
  const answer = askConsent(deps.console, request.yes, `Pull ${count} (${size}) now?`);
  if (answer === "cannot-ask") {
    note(
      `\nNot pulling: this is not a terminal and --yes was not given. ` +
        "Run `sentries models --yes` to pull them, or `sentries models --info-only` to only look.",
    );
    return [];
  }
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
