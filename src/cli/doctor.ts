import { Command } from "@commander-js/extra-typings";
import type { CheckResult } from "../doctor/checks.ts";
import { type Config } from "../config/load.ts";
import { ConfigError, EXIT_USAGE } from "../errors.ts";
import { type GlobalOptions, loadRunConfig } from "./context.ts";
import { exitState } from "./exit.ts";
import { writeOut } from "../term.ts";
import { renderJson } from "../json_envelope.ts";

export function doctorCommand() {
  return new Command("doctor")
    .description("Smoke check: model server, models, git, pytest and GitHub access")
    .option("--json", "print the checks as JSON on stdout")
    .option("--no-prompt-models", "do not send each model a tiny prompt")
    .addHelpText(
      "after",
      `
Examples:
  sentries doctor
  LLM_BASE=http://127.0.0.1:8080/v1 sentries doctor --json
Exit codes: 0 nothing failed, 1 a check failed, 2 the configuration is invalid (the other checks need it).`,
    )
    .action(async (options, command) => {
      const [{ runDoctor }, { renderCheck }] = await Promise.all([
        import("../doctor/checks.ts"),
        import("../doctor/render.ts"),
      ]);
      const onCheck = options.json ? undefined : (r: CheckResult) => writeOut(renderCheck(r) + "\n");
      const loaded = await loadDoctorConfig(command.parent?.opts() ?? {});
      onCheck?.(loaded.check);
      const results = [loaded.check];
      if (loaded.config) {
        results.push(...await runDoctor(loaded.config, { skipPrompt: options.promptModels === false, onCheck }));
      }
      const failed = results.filter((r) => r.status === "fail").length;
      const warned = results.filter((r) => r.status === "warn").length;
      exitState.code = loaded.config === undefined ? EXIT_USAGE : failed === 0 ? 0 : 1;
      if (options.json) {
        writeOut(renderJson("doctor", exitState.code, { failed, warned, checks: results }));
      } else {
        writeOut(
          failed === 0
            ? `\nAll checks passed${warned ? ` (${warned} warning${warned > 1 ? "s" : ""})` : ""}.\n`
            : `\n${failed} check${failed > 1 ? "s" : ""} failed.\n`,
        );
      }
    });
}

/** The configuration as the first check: an invalid one fails doctor (exit 2) instead of passing unnoticed. */
async function loadDoctorConfig(global: GlobalOptions): Promise<{ check: CheckResult; config?: Config }> {
  try {
    const config = await loadRunConfig(global);
    return {
      config,
      check: { name: "configuration", status: "ok", detail: "valid (pyproject.toml, .env, environment and flags)" },
    };
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    return { check: { name: "configuration", status: "fail", detail: err.message, hint: err.hint } };
  }
}
