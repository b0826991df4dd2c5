import { Command } from "@commander-js/extra-typings";
import { runDoctor } from "../doctor/checks.ts";
import { renderCheck } from "../doctor/render.ts";
import { loadRunConfig } from "./context.ts";
import { exitState } from "./exit.ts";
import { writeOut } from "../term.ts";

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
Exit code 0 when nothing failed, 1 otherwise.`,
    )
    .action(async (options, command) => {
      const config = await loadRunConfig(command.parent?.opts() ?? {});
      const results = await runDoctor(config, {
        skipPrompt: options.promptModels === false,
        onCheck: options.json ? undefined : (r) => writeOut(renderCheck(r) + "\n"),
      });
      const failed = results.filter((r) => r.status === "fail").length;
      const warned = results.filter((r) => r.status === "warn").length;
      if (options.json) {
        writeOut(JSON.stringify({ ok: failed === 0, failed, warned, checks: results }, null, 2) + "\n");
      } else {
        writeOut(
          failed === 0
            ? `\nAll checks passed${warned ? ` (${warned} warning${warned > 1 ? "s" : ""})` : ""}.\n`
            : `\n${failed} check${failed > 1 ? "s" : ""} failed.\n`,
        );
      }
      exitState.code = failed === 0 ? 0 : 1;
    });
}
