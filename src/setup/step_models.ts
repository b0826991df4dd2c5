/** Setup step 3: the profile's planner and patcher, skipping what is installed and pulling the rest. */
import type { CheckResult } from "../doctor/checks.ts";
import { describeError } from "../errors.ts";
import { formatBytes } from "../format.ts";
import { planPulls, pullModels } from "./pull_models.ts";
import type { SetupRun } from "./setup_run.ts";
import { profileModels } from "./step_system.ts";
import { checkModelsDisk } from "./system_checks.ts";

export async function ensureModels(run: SetupRun, serverReady: boolean): Promise<void> {
  const wanted = profileModels(run);
  run.section(`Models (profile ${run.profile.name})`);
  if (!serverReady) {
    for (const m of wanted) {
      run.line(`  ${m.purpose}: ${m.name} (${formatBytes(m.sizeBytes ?? 0)}), once the server runs`);
    }
    return;
  }
  let installed;
  try {
    installed = await run.deps.client.listModels();
  } catch (err) {
    run.report({ name: "models", status: "fail", detail: `cannot list installed models: ${describeError(err)}` });
    return;
  }
  const plan = planPulls(wanted, installed);
  for (const m of plan.present) {
    run.report({ name: m.purpose, status: "ok", detail: `${m.name} is installed` });
  }
  if (plan.missing.length === 0) return;
  if (run.api !== "ollama") {
    for (const m of plan.missing) {
      run.report({
        name: m.purpose,
        status: "fail",
        detail: `${m.name} is not served by ${run.config.llmBase}`,
        hint: "load it in your model server by hand; only Ollama can pull models",
      });
    }
    return;
  }
  for (const m of plan.missing) {
    run.line(`  to pull: ${m.name} (${formatBytes(m.sizeBytes ?? 0)}) for the ${m.purpose}`);
  }
  if (run.local) {
    const disk = await checkModelsDisk(run.deps.probe, plan.downloadBytes);
    if (disk.status === "fail") {
      reportOnce(run, disk);
      run.line("  not pulling: not enough free disk");
      return;
    }
  }
  const names = plan.missing.map((m) => m.name).join(", ");
  const size = formatBytes(plan.downloadBytes);
  const count = plan.missing.length === 1 ? "1 model" : `${plan.missing.length} models`;
  if (!run.consent(`Pull ${count} (${size} in all) now?`, `pull ${names} (${size})`)) return;
  for (const result of await pullModels(run.deps.client, plan.missing, run.deps.console)) run.report(result);
}

/** Reports a check unless the same verdict was already shown (the disk check of step 1). */
function reportOnce(run: SetupRun, check: CheckResult): void {
  const shown = run.checks.some((c) => c.name === check.name && c.detail === check.detail);
  if (!shown) run.report(check);
}
