/**
 * What `sentries models` shows, computed without I/O: the catalog next to what
 * the server has installed, which role each model serves now, the best model
 * per role for this machine's memory, and which models are worth pulling.
 */
import { type InstalledModel, sameModelName } from "../llm/mod.ts";
import {
  bestModelFor,
  type Catalog,
  type CatalogModel,
  findCatalogModel,
  type ModelRole,
  PROFILE_NAMES,
  ROLE_SETTING,
  ROLES,
} from "./catalog.ts";

export interface ModelRow {
  name: string;
  inCatalog: boolean;
  /** Undefined when the server could not be asked. */
  installed?: boolean;
  /** The installed size when installed, else the catalog's download size. */
  sizeBytes?: number;
  parameters?: string;
  quantization?: string;
  quality?: number;
  speed?: number;
  roles: ModelRole[];
  minMemoryBytes?: number;
  /** Whether this machine has the memory the catalog asks for. */
  fitsMemory?: boolean;
  /** The settings that name this model now. */
  servesNow: string[];
  note?: string;
}

export interface RoleAdvice {
  role: ModelRole;
  setting: string;
  configured: string;
  configuredInstalled?: boolean;
  /** The best catalog model for this role that fits the machine's memory. */
  recommended?: string;
  recommendedInstalled?: boolean;
  /** One sentence for people. */
  advice: string;
}

export interface PullCandidate {
  name: string;
  sizeBytes?: number;
  reason: string;
  /** The setting to change to use it, when it is not what the config names already. */
  switchSetting?: string;
}

export interface ModelsReportInput {
  catalog: Catalog;
  /** Undefined when the server did not answer. */
  installed?: InstalledModel[];
  configured: Record<ModelRole, string>;
  memoryBytes: number;
}

export interface ModelsReport {
  rows: ModelRow[];
  roles: RoleAdvice[];
  toPull: PullCandidate[];
  profiles: Array<
    { name: string; description: string; plan: string; patch: string; minMemoryBytes: number; fits: boolean }
  >;
}

function rowFor(
  catalogModel: CatalogModel | undefined,
  installedModel: InstalledModel | undefined,
  input: ModelsReportInput,
): ModelRow {
  const name = catalogModel?.name ?? installedModel?.name ?? "";
  const servesNow = ROLES.filter((r) => sameModelName(input.configured[r], name)).map((r) => ROLE_SETTING[r]);
  return {
    name,
    inCatalog: catalogModel !== undefined,
    installed: input.installed === undefined ? undefined : installedModel !== undefined,
    sizeBytes: installedModel?.sizeBytes ?? catalogModel?.sizeBytes,
    parameters: installedModel?.parameterSize ?? catalogModel?.parameters,
    quantization: installedModel?.quantization ?? catalogModel?.quantization,
    quality: catalogModel?.quality,
    speed: catalogModel?.speed,
    roles: catalogModel?.roles ?? [],
    minMemoryBytes: catalogModel?.minMemoryBytes,
    fitsMemory: catalogModel ? catalogModel.minMemoryBytes <= input.memoryBytes : undefined,
    servesNow,
    note: catalogModel?.note,
  };
}

function isInstalled(input: ModelsReportInput, name: string): boolean | undefined {
  return input.installed === undefined ? undefined : input.installed.some((m) => sameModelName(m.name, name));
}

function adviseRole(input: ModelsReportInput, role: ModelRole, toPull: PullCandidate[]): RoleAdvice {
  const setting = ROLE_SETTING[role];
  const configured = input.configured[role];
  const current = findCatalogModel(input.catalog, configured);
  const best = bestModelFor(input.catalog, role, input.memoryBytes);
  const configuredInstalled = isInstalled(input, configured);
  const base = { role, setting, configured, configuredInstalled, recommended: best?.name };
  const recommendedInstalled = best ? isInstalled(input, best.name) : undefined;
  const add = (candidate: PullCandidate) => {
    if (!toPull.some((c) => sameModelName(c.name, candidate.name))) toPull.push(candidate);
  };
  if (configuredInstalled === false) {
    add({ name: configured, sizeBytes: current?.sizeBytes, reason: `${setting} names it but it is not installed` });
  }
  if (!best) {
    return {
      ...base,
      recommendedInstalled,
      advice: "no catalog model fits this machine's memory; run the model server on a bigger machine (LLM_BASE)",
    };
  }
  if (sameModelName(best.name, configured)) {
    return { ...base, recommendedInstalled, advice: `${configured} is the best fit for this machine` };
  }
  if (!current) {
    return {
      ...base,
      recommendedInstalled,
      advice: `${configured} is not in the catalog; for this machine the catalog suggests ${best.name}`,
    };
  }
  if (best.quality > current.quality) {
    if (recommendedInstalled === false) {
      add({
        name: best.name,
        sizeBytes: best.sizeBytes,
        reason: `a better ${
          role === "plan" ? "planner" : "patcher"
        } for this machine (quality ${best.quality} vs ${current.quality})`,
        switchSetting: `${setting}=${best.name}`,
      });
    }
    return {
      ...base,
      recommendedInstalled,
      advice: `${best.name} is better (quality ${best.quality} vs ${current.quality}) and fits this machine; ` +
        `to use it set ${setting}=${best.name}`,
    };
  }
  const tooBig = current.minMemoryBytes > input.memoryBytes;
  return {
    ...base,
    recommendedInstalled,
    advice: tooBig
      ? `${configured} needs more memory than this machine has; ${best.name} fits (set ${setting}=${best.name})`
      : `${configured} is a fine choice; ${best.name} is the catalog's pick for this machine`,
  };
}

export function buildModelsReport(input: ModelsReportInput): ModelsReport {
  const rows: ModelRow[] = input.catalog.models.map((m) =>
    rowFor(m, input.installed?.find((i) => sameModelName(i.name, m.name)), input)
  );
  for (const model of input.installed ?? []) {
    if (!findCatalogModel(input.catalog, model.name)) rows.push(rowFor(undefined, model, input));
  }
  const toPull: PullCandidate[] = [];
  const roles = ROLES.map((role) => adviseRole(input, role, toPull));
  const profiles = PROFILE_NAMES.map((name) => {
    const p = input.catalog.profiles[name];
    return {
      name,
      description: p.description,
      plan: p.plan.name,
      patch: p.patch.name,
      minMemoryBytes: p.minMemoryBytes,
      fits: p.minMemoryBytes <= input.memoryBytes,
    };
  });
  return { rows, roles, toPull, profiles };
}
