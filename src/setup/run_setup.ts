/**
 * `sentries setup` as its story: plan the files → check the system → make the
 * model server answer → get the models → write the files → doctor → next
 * steps. Every change asks first (or takes --yes); with no terminal and no
 * --yes it changes nothing, says what it would do, and stops with a
 * ConfirmationNeededError (exit 2), or exit 1 when a check failed as well.
 */
import { ConfirmationNeededError, EXIT_FAILURE, EXIT_OK } from "../errors.ts";
import { formatBytes } from "../format.ts";
import { type SetupDeps, type SetupRequest, SetupRun } from "./setup_run.ts";
import { planFiles, writeFiles } from "./step_files.ts";
import { ensureModels } from "./step_models.ts";
import { ensureServer } from "./step_server.ts";
import { checkSystem } from "./step_system.ts";

export type { SetupDeps, SetupRequest };

export interface SetupOutcome {
  exitCode: number;
  run: SetupRun;
}

/** What `setup --json` reports: the checks as they were shown, what it would still do, and the next steps' notes. */
export function setupReport(run: SetupRun) {
  return {
    repoPath: run.config.repoPath,
    profile: run.profile.name,
    checks: run.checks,
    pending: run.pending,
    notes: run.notes,
  };
}

export async function runSetup(request: SetupRequest, deps: SetupDeps): Promise<SetupOutcome> {
  const run = new SetupRun(request, deps);
  const files = await planFiles(run);
  const { profile } = run;
  run.line(
    `Sentries setup for ${run.config.repoPath}\n` +
      `profile ${profile.name} (${profile.description}): planner ${profile.plan.name}, ` +
      `patcher ${profile.patch.name}; ${formatBytes(profile.plan.sizeBytes + profile.patch.sizeBytes)} of models, ` +
      `${formatBytes(profile.minMemoryBytes)} of memory`,
  );

  const findings = await checkSystem(run);
  const server = await ensureServer(run, findings.server);
  if (server === "not-installed") return { exitCode: EXIT_FAILURE, run };
  await ensureModels(run, server === "ready");
  await writeFiles(run, files);
  if (server === "ready" && run.pending.length === 0) await runDoctorStep(run);

  if (run.pending.length > 0) {
    const refusal = pendingNeedsConfirmation(run);
    // A failed check is the bigger problem: --yes alone would not make setup succeed.
    if (!run.failed()) throw refusal;
    run.line(`Fix the FAIL lines above first; then ${refusal.hint}.`);
    return { exitCode: EXIT_FAILURE, run };
  }
  const ready = server === "ready";
  printNextSteps(run, ready);
  return { exitCode: run.failed() || !ready ? EXIT_FAILURE : EXIT_OK, run };
}

async function runDoctorStep(run: SetupRun): Promise<void> {
  run.section("Doctor");
  const config = await run.deps.reloadConfig(run.config);
  for (const check of await run.deps.doctor(config)) {
    // git and pytest were checked in step 1 already; show them again only if the verdict changed.
    const shown = run.checks.some((c) => c.name === check.name && c.status === check.status);
    if (!shown) run.report(check);
  }
}

/** Off a terminal without --yes: say what setup would do, then stop with exit 2 naming the flag. */
function pendingNeedsConfirmation(run: SetupRun): ConfirmationNeededError {
  const profileFlag = run.profile.name === "balanced" ? "" : ` --profile ${run.profile.name}`;
  run.line("\nSetup would:");
  for (const action of run.pending) run.line(`  - ${action}`);
  return new ConfirmationNeededError(
    "setup changed nothing: its changes need a yes, and there is no terminal to ask on (--yes was not given)",
    {
      hint: `run \`sentries setup --yes${profileFlag}\` to do this without questions, or run it in a terminal`,
      report: setupReport(run),
    },
  );
}

function printNextSteps(run: SetupRun, serverReady: boolean): void {
  run.line("\nNext steps:");
  if (run.failed()) run.line("  - fix the FAIL lines above, then run `sentries setup` again");
  else if (!serverReady) run.line("  - start the model server (`ollama serve`), then run `sentries setup` again");
  run.line("  - sentries doctor                 check everything again at any time");
  run.line("  - sentries tests --dry-run        find failing tests and show the fix, changing nothing");
  run.line("  - sentries tests                  fix them on a branch; with GITHUB_TOKEN set, open a PR");
  run.line("  - sentries docs --base main       propose doc updates for this branch's changes");
  run.line("  - sentries models                 see the other models and what this machine can run");
  for (const note of run.notes) run.line(`  - ${note}`);
}
