/** Setup step 1: the machine (platform, memory, disk) and the tools the target repo needs (git, Python, pytest). */
import type { InstalledModel } from "../llm/mod.ts";
import { probeServer, type ServerState } from "./ollama.ts";
import { planPulls, type WantedModel } from "./pull_models.ts";
import type { SetupRun } from "./setup_run.ts";
import {
  checkGitInstalled,
  checkMemory,
  checkModelsDisk,
  checkPlatform,
  checkPythonAndPytest,
} from "./system_checks.ts";

export interface SystemFindings {
  server: ServerState;
  /** What the server has installed, when it answered. */
  installed?: InstalledModel[];
}

/** The profile's models as wanted by setup. */
export function profileModels(run: SetupRun): WantedModel[] {
  const { plan, patch } = run.profile;
  return [
    { name: plan.name, sizeBytes: plan.sizeBytes, purpose: "planner (MODEL_PLAN)" },
    { name: patch.name, sizeBytes: patch.sizeBytes, purpose: "patcher (MODEL_PATCH)" },
  ];
}

export async function checkSystem(run: SetupRun): Promise<SystemFindings> {
  const { probe } = run.deps;
  const { config } = run;
  run.section("System");
  run.report(checkPlatform(probe));
  const remote = run.local ? undefined : new URL(config.llmBase).host;
  run.report(
    remote
      ? { name: "memory", status: "ok", detail: `not checked here: the models run on ${remote}` }
      : checkMemory(probe.memory(), run.profile, run.request.catalog),
  );
  run.report(await checkGitInstalled(config.repoPath));
  for (const check of await checkPythonAndPytest(config.repoPath, config.pytestCommand)) run.report(check);

  // A quick look at the server now, so the disk check counts only what is still missing.
  const server = await probeServer(config.llmBase, run.api);
  const installed = server.answering ? await run.deps.client.listModels().catch(() => undefined) : undefined;
  if (run.local && run.api === "ollama") {
    const plan = planPulls(profileModels(run), installed ?? []);
    run.report(await checkModelsDisk(probe, plan.downloadBytes));
  }
  return { server, installed };
}
