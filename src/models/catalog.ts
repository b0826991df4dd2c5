/**
 * The model catalog (catalog.json) as typed data: which models Sentries knows,
 * what they cost (download size, memory), how good and quick they are, which
 * role each can fill, and the three setup profiles. The JSON is checked once
 * when first read, so a bad edit fails loudly instead of misguiding setup.
 */
import catalogJson from "./catalog.json" with { type: "json" };
import { sameModelName } from "../llm/mod.ts";

export type ModelRole = "plan" | "patch";
export const ROLES: readonly ModelRole[] = ["plan", "patch"];
/** The setting each role is configured by. */
export const ROLE_SETTING: Record<ModelRole, "MODEL_PLAN" | "MODEL_PATCH"> = {
  plan: "MODEL_PLAN",
  patch: "MODEL_PATCH",
};

export const PROFILE_NAMES = ["fast", "balanced", "quality"] as const;
export type ProfileName = typeof PROFILE_NAMES[number];

export interface CatalogModel {
  name: string;
  family: string;
  parameters: string;
  quantization: string;
  /** Download size in bytes. */
  sizeBytes: number;
  /** 1 (low) to 5 (high), relative to the other catalog models. */
  quality: number;
  speed: number;
  roles: ModelRole[];
  /** Machine memory below which the model swaps or does not load. */
  minMemoryBytes: number;
  note: string;
}

export interface Profile {
  name: ProfileName;
  description: string;
  plan: CatalogModel;
  patch: CatalogModel;
  /** Memory the profile needs: planner and patcher run one after the other, so the larger of the two. */
  minMemoryBytes: number;
}

export interface Catalog {
  models: CatalogModel[];
  profiles: Record<ProfileName, Profile>;
}

const GIB = 1024 ** 3;

function fail(why: string): never {
  throw new Error(`src/models/catalog.json is invalid: ${why}`);
}

function parseModel(raw: unknown, index: number): CatalogModel {
  if (typeof raw !== "object" || raw === null) fail(`models[${index}] is not an object`);
  const m = raw as Record<string, unknown>;
  const text = (key: string) =>
    typeof m[key] === "string" && m[key] !== "" ? m[key] as string : fail(`models[${index}].${key}`);
  const num = (key: string) =>
    typeof m[key] === "number" && (m[key] as number) > 0 ? m[key] as number : fail(`models[${index}].${key}`);
  const roles = Array.isArray(m.roles) && m.roles.length > 0 && m.roles.every((r) => ROLES.includes(r as ModelRole))
    ? m.roles as ModelRole[]
    : fail(`models[${index}].roles must list plan and/or patch`);
  const score = (key: string) => {
    const n = num(key);
    return Number.isInteger(n) && n <= 5 ? n : fail(`models[${index}].${key} must be 1..5`);
  };
  return {
    name: text("name"),
    family: text("family"),
    parameters: text("parameters"),
    quantization: text("quantization"),
    sizeBytes: num("sizeBytes"),
    quality: score("quality"),
    speed: score("speed"),
    roles,
    minMemoryBytes: num("minMemoryGiB") * GIB,
    note: typeof m.note === "string" ? m.note : "",
  };
}

/** Checks and types the catalog's JSON; exported so tests can feed it broken data. */
export function parseCatalog(raw: unknown): Catalog {
  if (typeof raw !== "object" || raw === null) fail("not an object");
  const doc = raw as Record<string, unknown>;
  if (!Array.isArray(doc.models)) fail("models must be a list");
  const models = doc.models.map(parseModel);
  const rawProfiles = (doc.profiles ?? {}) as Record<string, Record<string, unknown> | undefined>;
  const profiles = {} as Record<ProfileName, Profile>;
  for (const name of PROFILE_NAMES) {
    const p = rawProfiles[name] ?? fail(`profile ${name} is missing`);
    const pick = (role: ModelRole) => {
      const model = models.find((m) => m.name === p[role]) ?? fail(`profile ${name}.${role} is not a catalog model`);
      return model.roles.includes(role) ? model : fail(`profile ${name}.${role}: ${model.name} cannot ${role}`);
    };
    const plan = pick("plan");
    const patch = pick("patch");
    profiles[name] = {
      name,
      description: typeof p.description === "string" ? p.description : "",
      plan,
      patch,
      minMemoryBytes: Math.max(plan.minMemoryBytes, patch.minMemoryBytes),
    };
  }
  return { models, profiles };
}

let cached: Catalog | undefined;

export function loadCatalog(): Catalog {
  cached ??= parseCatalog(catalogJson);
  return cached;
}

export function isProfileName(value: string): value is ProfileName {
  return (PROFILE_NAMES as readonly string[]).includes(value);
}

/** The catalog entry for a model name (`name` and `name:latest` are the same), if any. */
export function findCatalogModel(catalog: Catalog, name: string): CatalogModel | undefined {
  return catalog.models.find((m) => sameModelName(m.name, name));
}

/**
 * The best model for a role that fits in this much memory: highest quality,
 * then fastest. Undefined when even the smallest does not fit.
 */
export function bestModelFor(catalog: Catalog, role: ModelRole, memoryBytes: number): CatalogModel | undefined {
  return catalog.models
    .filter((m) => m.roles.includes(role) && m.minMemoryBytes <= memoryBytes)
    .sort((a, b) => b.quality - a.quality || b.speed - a.speed)[0];
}

/** The best profile whose needs fit this much memory, or undefined when none does. */
export function bestProfileFor(catalog: Catalog, memoryBytes: number): Profile | undefined {
  return [...PROFILE_NAMES].reverse().map((n) => catalog.profiles[n]).find((p) => p.minMemoryBytes <= memoryBytes);
}
