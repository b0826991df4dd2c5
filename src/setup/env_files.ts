/**
 * The `.env` and `.env.example` that setup writes into the target repository.
 * `.env.example` is generated from the SETTINGS table, so it always lists
 * every variable with its default. `.env` holds only what setup chose, never a
 * token, and is not overwritten without --force.
 */
import { join } from "node:path";
import { SentriesError } from "../errors.ts";
import { type SettingDef, SETTINGS } from "../config/settings.ts";

function quoted(value: string): string {
  return /^[\w.:/@+,=-]*$/.test(value) ? value : JSON.stringify(value);
}

function defaultText(def: SettingDef): string | undefined {
  if (def.default === undefined) return undefined;
  return Array.isArray(def.default) ? def.default.join(" ") : String(def.default);
}

/** Every setting, commented out, with its description and default. */
export function renderEnvExample(settings: readonly SettingDef[] = SETTINGS): string {
  const lines = [
    "# Every variable Sentries reads, with its default. Written by `sentries setup`.",
    "# Copy a line into .env (or your environment) and uncomment it to change it.",
    "# Precedence: defaults < [tool.sentries] in pyproject.toml < .env < environment < command-line flags.",
  ];
  for (const def of settings) {
    lines.push("", `# ${def.description}`);
    const choicesShown = def.choices?.every((c) => def.description.includes(c)) ?? true;
    if (!choicesShown) lines.push(`# One of: ${def.choices?.join(", ")}`);
    if (def.type === "secret") {
      lines.push("# A secret: set it in your shell or CI secrets, never in a file that can be committed.");
      lines.push(`# ${def.env}=`);
      continue;
    }
    const value = defaultText(def);
    lines.push(value === undefined ? `# ${def.env}=        (no default)` : `# ${def.env}=${quoted(value)}`);
  }
  return lines.join("\n") + "\n";
}

export interface DotEnvValues {
  profile: string;
  llmBase: string;
  llmApi: string;
  modelPlan: string;
  modelPatch: string;
}

/** What setup writes to `.env`: the model server and the profile's models. Never a token. */
export function renderDotEnv(values: DotEnvValues): string {
  const lines = [
    `# Written by \`sentries setup --profile ${values.profile}\`. Every other variable: see .env.example.`,
    `LLM_BASE=${quoted(values.llmBase)}`,
  ];
  if (values.llmApi !== "auto") lines.push(`LLM_API=${quoted(values.llmApi)}`);
  lines.push(
    `MODEL_PLAN=${quoted(values.modelPlan)}`,
    `MODEL_PATCH=${quoted(values.modelPatch)}`,
    "",
    "# GITHUB_TOKEN is deliberately not stored here: a token in a file ends up in backups and commits.",
    "# Set it in your shell (export GITHUB_TOKEN=…) or as a CI secret to let sentries open pull requests.",
    "# GITHUB_TOKEN=",
  );
  return lines.join("\n") + "\n";
}

export type FileAction = "create" | "overwrite" | "unchanged" | "keep";

export interface FilePlan {
  path: string;
  content: string;
  /** create: new; overwrite: --force over a different file; unchanged: same content; keep: differs, no --force. */
  action: FileAction;
}

async function readIfExists(path: string): Promise<string | undefined> {
  try {
    return await Deno.readTextFile(path);
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) return undefined;
    throw err;
  }
}

/** A link (even a dangling one) would carry the write out of the repository: refused. */
async function refuseLink(path: string): Promise<void> {
  let info: Deno.FileInfo;
  try {
    info = await Deno.lstat(path);
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) return;
    throw err;
  }
  if (info.isSymlink || !info.isFile) {
    throw new SentriesError(`${path} is ${info.isSymlink ? "a symbolic link" : "not a regular file"}`, {
      hint: "setup never writes through links; remove it or write the file yourself",
      code: "setup.env_symlink",
    });
  }
}

async function planFile(path: string, content: string, force: boolean): Promise<FilePlan> {
  await refuseLink(path);
  const existing = await readIfExists(path);
  if (existing === undefined) return { path, content, action: "create" };
  if (existing === content) return { path, content, action: "unchanged" };
  return { path, content, action: force ? "overwrite" : "keep" };
}

/**
 * Decides what happens to both files. A `.env` that exists and differs is
 * refused without --force (exit 1), before setup does anything else; a
 * different `.env.example` is only kept, since it holds nothing of the user's.
 */
export async function planEnvFiles(
  repoPath: string,
  values: DotEnvValues,
  force: boolean,
): Promise<{ dotEnv: FilePlan; example: FilePlan }> {
  const dotEnv = await planFile(join(repoPath, ".env"), renderDotEnv(values), force);
  if (dotEnv.action === "keep") {
    throw new SentriesError(`${dotEnv.path} already exists and setup would change it`, {
      hint: "pass --force to overwrite it, or edit it yourself (MODEL_PLAN, MODEL_PATCH); " +
        "`sentries models` pulls models without touching files",
      code: "setup.env_exists",
    });
  }
  const example = await planFile(join(repoPath, ".env.example"), renderEnvExample(), force);
  return { dotEnv, example };
}

/** Writes the files whose plan says so; returns what was written. */
export async function writeEnvFiles(plans: FilePlan[]): Promise<FilePlan[]> {
  const written: FilePlan[] = [];
  for (const plan of plans) {
    if (plan.action !== "create" && plan.action !== "overwrite") continue;
    await refuseLink(plan.path);
    // createNew: a file that appeared (or a link) since the plan is not overwritten by a "create".
    await Deno.writeTextFile(plan.path, plan.content, { createNew: plan.action === "create" });
    written.push(plan);
  }
  return written;
}
