import { Command } from "@commander-js/extra-typings";
import { loadRunConfig } from "./context.ts";
import { exitState } from "./exit.ts";

export function modelsCommand() {
  return new Command("models")
    .alias("update-models")
    .description("Show recommended and installed models; offer to pull better ones")
    .option("--info-only", "only show; never pull")
    .option("-y, --yes", "pull the recommended models without asking")
    .option("--json", "print the catalog and installed models as JSON on stdout")
    .addHelpText(
      "after",
      `
Shows the catalog next to what the server at LLM_BASE has installed (size, parameters and quantization
from /api/show, and which of MODEL_PLAN / MODEL_PATCH each serves), the best planner and patcher for this
machine's memory, and the models worth pulling: the configured ones when missing, and better ones that fit.
Without --info-only it offers to pull them (asked on a terminal; off a terminal it needs --yes, else it
pulls nothing and exits 2). It never edits .env.

Examples:
  sentries models --info-only
  sentries models --info-only --json | jq '.roles'
  sentries update-models --yes
Exit codes: 0 success or nothing to pull, 1 the server cannot be reached or a pull failed, 2 bad usage
(e.g. --yes needed off a terminal).`,
    )
    .action(async (options, command) => {
      const config = await loadRunConfig(command.parent?.opts() ?? {});
      const [{ llmClientFor }, { loadCatalog }, { runModels }, { terminalConsole }, { realSystemProbe }] = await Promise
        .all([
          import("../llm/for_config.ts"),
          import("../models/catalog.ts"),
          import("../setup/run_models.ts"),
          import("../setup/console.ts"),
          import("../setup/probe.ts"),
        ]);
      const { exitCode } = await runModels(
        {
          config,
          catalog: loadCatalog(),
          infoOnly: options.infoOnly === true,
          yes: options.yes === true,
          json: options.json === true,
        },
        { console: terminalConsole(), probe: realSystemProbe, client: llmClientFor(config) },
      );
      exitState.code = exitCode;
    });
}
