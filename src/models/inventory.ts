/**
 * What the model server has: GET /api/tags for the list and sizes, then
 * POST /api/show per model for its parameter count and quantization.
 */
import { describeError, SentriesError } from "../errors.ts";
import type { InstalledModel, LlmApi, LlmClient } from "../llm/mod.ts";

export interface ServerInventory {
  url: string;
  api: LlmApi;
  reachable: boolean;
  version?: string;
  /** Why it is not reachable, in the words `doctor` uses (the LLM client's message, not the raw fetch error). */
  error?: string;
  /** The machine-readable code of that error (`llm.unreachable`) and its fix. */
  errorCode?: string;
  hint?: string;
  /** Undefined when the server did not answer. */
  installed?: InstalledModel[];
}

export async function readInventory(client: LlmClient): Promise<ServerInventory> {
  const base = { url: client.baseUrl, api: client.api };
  let installed: InstalledModel[];
  let version: string | undefined;
  try {
    version = await client.version();
    installed = await client.listModels();
  } catch (err) {
    if (err instanceof SentriesError) {
      return { ...base, reachable: false, error: err.message, errorCode: err.code, hint: err.hint };
    }
    return { ...base, reachable: false, error: describeError(err) };
  }
  const described = await Promise.all(installed.map(async (model) => {
    if (client.api !== "ollama") return model;
    try {
      const shown = await client.showModel(model.name);
      // /api/show knows the details; the list knows the size and digest.
      return {
        ...model,
        parameterSize: shown.parameterSize ?? model.parameterSize,
        quantization: shown.quantization ?? model.quantization,
        family: shown.family ?? model.family,
      };
    } catch {
      return model;
    }
  }));
  return { ...base, reachable: true, version, installed: described };
}
