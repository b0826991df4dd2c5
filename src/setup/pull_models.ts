/**
 * Which of a set of models still need pulling, and pulling them one by one
 * with live progress. A dropped stream is resumed by the client; what still
 * fails (unknown model, full disk) becomes a check result in plain words.
 */
import type { CheckResult } from "../doctor/checks.ts";
import { describeError, SentriesError } from "../errors.ts";
import { type InstalledModel, type LlmClient, sameModelName } from "../llm/mod.ts";
import type { SetupConsole } from "./console.ts";
import { formatBytes, formatDuration } from "../format.ts";
import { PullTracker } from "./pull_progress.ts";

export interface WantedModel {
  name: string;
  /** Download size when known (catalog models). */
  sizeBytes?: number;
  /** Why it is wanted, e.g. "planner (MODEL_PLAN)". */
  purpose: string;
}

export interface PullPlan {
  present: WantedModel[];
  missing: WantedModel[];
  /** Sum of the known sizes of the missing models. */
  downloadBytes: number;
}

/** Splits wanted models into present and missing; the same model wanted twice is pulled once. */
export function planPulls(wanted: WantedModel[], installed: Array<Pick<InstalledModel, "name">>): PullPlan {
  const present: WantedModel[] = [];
  const missing: WantedModel[] = [];
  for (const model of wanted) {
    const list = installed.some((m) => sameModelName(m.name, model.name)) ? present : missing;
    const same = list.find((m) => sameModelName(m.name, model.name));
    if (same) same.purpose = `${same.purpose}, ${model.purpose}`;
    else list.push({ ...model });
  }
  return { present, missing, downloadBytes: missing.reduce((sum, m) => sum + (m.sizeBytes ?? 0), 0) };
}

export interface PullModelsOptions {
  signal?: AbortSignal;
  now?: () => number;
}

/** Pulls each model in turn; one failure does not stop the others. */
export async function pullModels(
  client: LlmClient,
  models: WantedModel[],
  console: SetupConsole,
  options: PullModelsOptions = {},
): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  for (const model of models) {
    const size = model.sizeBytes ? ` (${formatBytes(model.sizeBytes)})` : "";
    console.err(`pulling ${model.name}${size} from the Ollama library…\n`);
    const tracker = new PullTracker(model.name, options.now);
    const live = console.liveLines();
    try {
      await client.pullModel(model.name, (progress) => {
        tracker.update(progress);
        live.update(tracker.lines(), tracker.summary());
      }, options.signal);
      const { total } = tracker.totals();
      live.done();
      results.push({
        name: `pull ${model.name}`,
        status: "ok",
        detail: `pulled ${formatBytes(total)} in ${formatDuration(tracker.elapsedMs())}`,
      });
    } catch (err) {
      live.done();
      if (options.signal?.aborted) throw err;
      results.push({
        name: `pull ${model.name}`,
        status: "fail",
        detail: err instanceof SentriesError ? err.message : describeError(err),
        hint: err instanceof SentriesError ? err.hint : undefined,
      });
    }
  }
  return results;
}
