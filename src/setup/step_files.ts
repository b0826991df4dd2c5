/** Setup step 4: `.env` (the chosen server and models, never a token) and `.env.example` in the target repo. */
import { basename, join } from "node:path";
import { SETTINGS } from "../config/settings.ts";
import { runProgram } from "../proc/run.ts";
import { type DotEnvValues, type FilePlan, planEnvFiles, writeEnvFiles } from "./env_files.ts";
import type { SetupRun } from "./setup_run.ts";

export function dotEnvValues(run: SetupRun): DotEnvValues {
  return {
    profile: run.profile.name,
    llmBase: run.config.llmBase,
    llmApi: run.config.llmApi,
    modelPlan: run.profile.plan.name,
    modelPatch: run.profile.patch.name,
  };
}

/** Decided before anything else runs, so a refused `.env` stops setup before minutes of downloads. */
export function planFiles(run: SetupRun): Promise<{ dotEnv: FilePlan; example: FilePlan }> {
  return planEnvFiles(run.config.repoPath, dotEnvValues(run), run.request.force);
}

function describeWrite(plan: FilePlan, run: SetupRun): string {
  if (basename(plan.path) === ".env") {
    return `${plan.path}: LLM_BASE, MODEL_PLAN=${run.profile.plan.name}, MODEL_PATCH=${run.profile.patch.name} ` +
      "(no token)";
  }
  return `${plan.path}: all ${SETTINGS.length} variables with their defaults, commented`;
}

export async function writeFiles(run: SetupRun, plans: { dotEnv: FilePlan; example: FilePlan }): Promise<void> {
  run.section("Files");
  const all = [plans.dotEnv, plans.example];
  for (const plan of all) {
    const name = basename(plan.path);
    if (plan.action === "unchanged") run.report({ name, status: "ok", detail: `${plan.path} is already up to date` });
    if (plan.action === "keep") {
      run.report({
        name,
        status: "warn",
        detail: `${plan.path} differs from the current list of variables; left as it is`,
        hint: "pass --force to regenerate it",
      });
    }
  }
  const toWrite = all.filter((p) => p.action === "create" || p.action === "overwrite");
  if (toWrite.length > 0) {
    const names = toWrite.map((p) => `${basename(p.path)}${p.action === "overwrite" ? " (overwrite)" : ""}`);
    const question = `Write ${names.join(" and ")} in ${run.config.repoPath}?`;
    if (run.consent(question, `write ${names.join(" and ")} in ${run.config.repoPath}`)) {
      for (const plan of await writeEnvFiles(toWrite)) {
        run.report({ name: basename(plan.path), status: "ok", detail: `wrote ${describeWrite(plan, run)}` });
      }
      run.notes.push(UNTRACKED_NOTE);
    }
  }
  await warnIfEnvTracked(run);
}

/** Said whenever setup writes the files, so the later runs' silence about them is not a surprise. */
export const UNTRACKED_NOTE = "`.env` and `.env.example` may stay untracked: `sentries tests` does not count them " +
  "as uncommitted work. Never commit `.env`; commit `.env.example` if you want to share the list of settings.";

/** `.env` belongs in .gitignore: a later `git add -A` should not commit local settings. */
async function warnIfEnvTracked(run: SetupRun): Promise<void> {
  try {
    await Deno.stat(join(run.config.repoPath, ".env"));
  } catch {
    return;
  }
  const result = await runProgram("git", ["check-ignore", "-q", ".env"], { cwd: run.config.repoPath })
    .catch(() => undefined);
  // 0: ignored; 1: not ignored; 128: not a git repository (nothing to warn about).
  if (result?.code === 1) {
    run.report({
      name: ".gitignore",
      status: "warn",
      detail: ".env is not ignored by git, so `git add -A` would commit it",
      hint: "add `.env` to .gitignore (and commit that) so local settings are never committed",
    });
  }
}
