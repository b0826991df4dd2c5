import { Command } from "@commander-js/extra-typings";
import { notImplemented } from "./not_implemented.ts";

export function modelsCommand() {
  return new Command("models")
    .alias("update-models")
    .description("Show recommended and installed models; offer to pull better ones")
    .option("--info-only", "only show; never pull")
    .option("-y, --yes", "pull the recommended models without asking")
    .option("--json", "print the catalog and installed models as JSON on stdout")
    .addHelpText("after", `\nExamples:\n  sentries models --info-only\n  sentries update-models --yes`)
    .action(() => notImplemented("models"));
}
