import { Command } from "@commander-js/extra-typings";
import { notImplemented } from "./not_implemented.ts";

export function setupCommand() {
  return new Command("setup")
    .description("First-run install: check the machine, start Ollama, pull the models, write .env")
    .option("-y, --yes", "answer yes to every question (non-interactive)")
    .option("--profile <profile>", "fast | balanced | quality", "balanced")
    .option("--force", "overwrite an existing .env")
    .addHelpText("after", `\nExamples:\n  sentries setup\n  sentries setup --yes --profile fast`)
    .action(() => notImplemented("setup"));
}
