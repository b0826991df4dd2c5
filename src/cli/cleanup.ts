import { Command } from "@commander-js/extra-typings";
import { notImplemented } from "./not_implemented.ts";

export function cleanupCommand() {
  return new Command("cleanup")
    .description("Remove the bot's own branches and PRs (and nothing else)")
    .option("--dry-run", "show exactly what would be done; change nothing")
    .option("--force", "do it without asking (required off a terminal)")
    .option("--max-age-days <n>", "only artifacts older than N days (default: retention_days)")
    .option("--include-unverified", "also remove branches that only match the bot's name pattern")
    .option("--include-foreign-commits", "with --force: also remove bot branches that carry others' commits")
    .option("--json", "print the plan and outcomes as JSON on stdout")
    .addHelpText("after", `\nExamples:\n  sentries cleanup --dry-run\n  sentries cleanup --force --max-age-days 14`)
    .action(() => notImplemented("cleanup"));
}
