import { Command } from "@commander-js/extra-typings";
import { notImplemented } from "./not_implemented.ts";

export function statusCommand() {
  return new Command("status")
    .description("List the bot's own branches, pull requests and metadata, with age and state")
    .option("--json", "print the table as JSON on stdout")
    .addHelpText(
      "after",
      `\nExamples:\n  sentries status\n  sentries status --json | jq '.items[] | select(.verified)'`,
    )
    .action(() => notImplemented("status"));
}
