/**
 * Resolves the configuration: defaults < `[tool.sentries]` in pyproject.toml <
 * `.env` < environment < flags, both files at the repository's root even when
 * the run starts in a subfolder.
 * Every value remembers where it came from, so an invalid one is reported
 * with its source (file and key) and exit code 2.
 */
import { join } from "node:path";
import { parse as parseToml } from "smol-toml";
import { parse as parseDotenv } from "dotenv";
import { ConfigError } from "../errors.ts";
import { GUARD_KEYS, type SettingDef, SETTINGS } from "./settings.ts";
import { readEnv } from "../env.ts";
import { splitShellWords } from "./shell_words.ts";
import { closestWord } from "./closest.ts";
import { configRoot } from "./root.ts";
import {
  type GuardOverrides,
  validateDotenvKeys,
  validateGuards,
  validateRepository,
  validateWorktreeDir,
} from "./validate.ts";

export type { GuardOverrides } from "./validate.ts";

export interface Config {
  repoPath: string;
  llmBase: string;
  llmApi: "ollama" | "openai" | "auto";
  llmApiKey?: string;
  modelPlan: string;
  modelPatch: string;
  editFormat: "udiff" | "search-replace" | "whole";
  logLevel: "debug" | "info" | "warn" | "error";
  llmTimeoutSec: number;
  llmConnectTimeoutSec: number;
  pytestTimeoutSec: number;
  pytestCommand?: string[];
  pytestArgs: string[];
  pytestFork: "auto" | "on" | "off";
  /** `auto`, `temp`, or an absolute path to an existing folder (checked at load). */
  worktreeDir: string;
  contextTokens: number;
  maxOutputTokens: number;
  maxAttempts: number;
  authorName: string;
  authorEmail: string;
  /** `cleanup`'s default age limit in days; unset: no limit (`cleanup --force` takes every verified artifact). */
  retentionDays?: number;
  githubToken?: string;
  githubRepository?: string;
  githubApiUrl: string;
  guards: { tests: GuardOverrides; docs: GuardOverrides };
  /** Setting key → where its value came from ("default", "flag --x", "environment X", ".env X", "pyproject.toml [tool.sentries] x"). */
  sources: Record<string, string>;
}

export type RawValue = string | number | boolean | string[];

export interface LoadOptions {
  repoPath: string;
  /** Values from command-line flags, by setting key, with the flag's name for messages. */
  flags?: Record<string, { value: RawValue; flag: string } | undefined>;
  /** Reads an environment variable; a seam for tests. */
  env?: (name: string) => string | undefined;
}

async function readTextIfExists(path: string): Promise<string | undefined> {
  try {
    return await Deno.readTextFile(path);
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) return undefined;
    throw err;
  }
}

function showDefault(def: SettingDef): string {
  return Array.isArray(def.default) ? def.default.join(" ") || "none" : String(def.default);
}

/** Converts and validates one raw value; throws ConfigError naming the source. */
export function coerceSetting(def: SettingDef, raw: RawValue, source: string): string | number | string[] {
  const bad = (why: string, hint?: string) =>
    new ConfigError(`invalid value ${JSON.stringify(raw)} for ${source}: ${why}`, {
      hint: hint ??
        (def.default === undefined ? undefined : `fix it, or leave it out for the default (${showDefault(def)})`),
    });
  switch (def.type) {
    case "int": {
      const n = typeof raw === "number"
        ? raw
        : typeof raw === "string" && /^-?\d+$/.test(raw.trim())
        ? Number(raw)
        : NaN;
      if (!Number.isInteger(n)) throw bad("expected a whole number");
      if (def.min !== undefined && n < def.min) throw bad(`must be at least ${def.min}`);
      return n;
    }
    case "url": {
      if (typeof raw !== "string") throw bad("expected a URL string");
      let url: URL;
      try {
        url = new URL(raw);
      } catch {
        throw bad("not a URL", "use a full URL such as http://127.0.0.1:11434");
      }
      if (url.protocol !== "http:" && url.protocol !== "https:") throw bad("only http:// and https:// URLs work");
      return raw.replace(/\/+$/, "");
    }
    case "enum": {
      const value = String(raw).trim();
      if (!def.choices?.includes(value)) throw bad(`expected one of ${def.choices?.join(", ")}`);
      return value;
    }
    case "list": {
      if (Array.isArray(raw)) return raw.map(String);
      if (typeof raw === "string") {
        try {
          return splitShellWords(raw);
        } catch (err) {
          throw bad(`${(err as Error).message}`, "quote it as in a shell: -k 'receipt or pricing'");
        }
      }
      throw bad("expected a list of strings");
    }
    case "string":
    case "secret": {
      if (typeof raw !== "string" && typeof raw !== "number") throw bad("expected a string");
      const value = String(raw).trim();
      if (value === "") throw bad("must not be empty");
      return value;
    }
  }
}

interface TomlSection {
  values: Record<string, RawValue>;
  guards: { tests: Record<string, RawValue>; docs: Record<string, RawValue> };
}

function readToolSection(text: string, file: string): TomlSection {
  let doc: Record<string, unknown>;
  try {
    doc = parseToml(text) as Record<string, unknown>;
  } catch (err) {
    throw new ConfigError(`${file} is not valid TOML: ${(err as Error).message.split("\n")[0]}`);
  }
  const tool = doc.tool as Record<string, unknown> | undefined;
  const section = (tool?.sentries ?? {}) as Record<string, unknown>;
  const result: TomlSection = { values: {}, guards: { tests: {}, docs: {} } };
  const known = SETTINGS.filter((s) => s.toml).map((s) => s.toml as string);
  for (const [key, value] of Object.entries(section)) {
    if (key === "tests" || key === "docs") {
      if (typeof value !== "object" || value === null || Array.isArray(value)) {
        throw new ConfigError(`${file}: [tool.sentries] ${key} must be a table ([tool.sentries.${key}])`);
      }
      for (const [gk, gv] of Object.entries(value as Record<string, unknown>)) {
        if (!(GUARD_KEYS as readonly string[]).includes(gk)) {
          throw new ConfigError(`${file}: unknown key "${gk}" in [tool.sentries.${key}]`, {
            hint: `known keys: ${GUARD_KEYS.join(", ")}`,
          });
        }
        result.guards[key][gk] = gv as RawValue;
      }
      continue;
    }
    if (!known.includes(key)) {
      const guess = closestWord(key, [...known, "tests", "docs"]);
      throw new ConfigError(`${file}: unknown key "${key}" in [tool.sentries]`, {
        hint: guess ? `did you mean "${guess}"?` : `known keys: ${known.join(", ")}`,
      });
    }
    result.values[key] = value as RawValue;
  }
  return result;
}

function guardOverrides(raw: Record<string, RawValue>, file: string, sentry: string): GuardOverrides {
  const out: GuardOverrides = {};
  const where = `${file} [tool.sentries.${sentry}]`;
  if (raw.allow !== undefined) {
    if (!Array.isArray(raw.allow) || raw.allow.some((g) => typeof g !== "string" || g.trim() === "")) {
      throw new ConfigError(`${where} allow must be a list of glob strings`);
    }
    out.allow = raw.allow as string[];
  }
  for (const [tomlKey, prop] of [["max_files", "maxFiles"], ["max_changed_lines", "maxChangedLines"]] as const) {
    const v = raw[tomlKey];
    if (v === undefined) continue;
    if (typeof v !== "number" || !Number.isInteger(v) || v < 1) {
      throw new ConfigError(`${where} ${tomlKey} must be a positive whole number, got ${JSON.stringify(v)}`);
    }
    out[prop] = v;
  }
  return out;
}

export async function loadConfig(options: LoadOptions): Promise<Config> {
  const env = options.env ?? readEnv;
  const repoPath = options.repoPath;
  const root = await configRoot(repoPath);
  const pyprojectPath = join(root, "pyproject.toml");
  const dotenvPath = join(root, ".env");

  const pyprojectText = await readTextIfExists(pyprojectPath);
  const toml = pyprojectText === undefined
    ? { values: {}, guards: { tests: {}, docs: {} } }
    : readToolSection(pyprojectText, pyprojectPath);
  const dotenvText = await readTextIfExists(dotenvPath);
  const dotenv: Record<string, string> = dotenvText === undefined ? {} : parseDotenv(dotenvText);
  validateDotenvKeys(dotenv, dotenvPath);

  const values: Record<string, unknown> = {};
  const sources: Record<string, string> = {};
  for (const def of SETTINGS) {
    let raw: RawValue | undefined;
    let source = "default";
    if (def.toml && toml.values[def.toml] !== undefined) {
      raw = toml.values[def.toml];
      source = `${pyprojectPath} [tool.sentries] ${def.toml}`;
    }
    if (dotenv[def.env] !== undefined && dotenv[def.env] !== "") {
      raw = dotenv[def.env];
      source = `${dotenvPath} ${def.env}`;
    }
    const fromEnv = env(def.env);
    if (fromEnv !== undefined && fromEnv !== "") {
      raw = fromEnv;
      source = `environment variable ${def.env}`;
    }
    const flag = options.flags?.[def.key];
    if (flag !== undefined) {
      raw = flag.value;
      source = `flag ${flag.flag}`;
    }
    if (raw === undefined) {
      if (def.default !== undefined) values[def.key] = def.default;
      sources[def.key] = "default";
      continue;
    }
    values[def.key] = coerceSetting(def, raw, source);
    sources[def.key] = source;
  }
  // GH_TOKEN is what the gh CLI uses; accept it when GITHUB_TOKEN is absent.
  if (values.githubToken === undefined) {
    const gh = env("GH_TOKEN");
    if (gh) {
      values.githubToken = gh;
      sources.githubToken = "environment variable GH_TOKEN";
    }
  }

  const guards = {
    tests: guardOverrides(toml.guards.tests, pyprojectPath, "tests"),
    docs: guardOverrides(toml.guards.docs, pyprojectPath, "docs"),
  };
  validateGuards(guards, pyprojectPath);
  validateRepository(values.githubRepository as string | undefined, sources.githubRepository);
  validateWorktreeDir(values.worktreeDir as string, sources.worktreeDir);
  return {
    ...(values as Omit<Config, "repoPath" | "guards" | "sources">),
    repoPath,
    guards,
    sources,
  };
}
