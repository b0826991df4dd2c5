import { Command } from "@commander-js/extra-typings";
import { notImplemented } from "./not_implemented.ts";

export function testsCommand() {
  return new Command("tests")
    .description("Find failing pytest tests and fix them with a test-only patch (TestSentry)")
    .option("--dry-run", "show the validated diff and the re-test result; create no branch, commit or PR")
    .option("--json", "print the result as JSON on stdout")
    .option("--max-attempts <n>", "patch attempts before giving up (default 3)")
    .option("--pytest-args <args>", "extra pytest arguments, space-separated")
    .addHelpText(
      "after",
      `
Examples:
  sentries tests --dry-run        find, fix and re-test in a temporary worktree; change nothing
  sentries tests                  …and commit the fix on a new ai-test-fixes/* branch (+ PR with GITHUB_TOKEN)
  sentries tests --json | jq .outcome`,
    )
    .action(() => notImplemented("tests"));
}
