import { Command } from "@commander-js/extra-typings";
import { notImplemented } from "./not_implemented.ts";

export function docsCommand() {
  return new Command("docs")
    .description("Propose a docs-only update for a pull request's code change (DocSentry)")
    .option("--base <ref>", "base of the change (default: merge-base with the default branch, or the PR's base)")
    .option("--head <ref>", "head of the change (default: HEAD, or the PR's head)")
    .option("--dry-run", "show the validated doc patch; create no branch, commit or PR")
    .option("--json", "print the result as JSON on stdout")
    .addHelpText(
      "after",
      `
Examples:
  sentries docs --dry-run                 what would change in the docs for this branch
  sentries docs --base main --head HEAD   compare explicit refs
In GitHub Actions (pull_request), the PR is read from GITHUB_EVENT_PATH.`,
    )
    .action(() => notImplemented("docs"));
}
