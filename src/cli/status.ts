import { Command } from "@commander-js/extra-typings";
import { loadRunConfig } from "./context.ts";
import { writeOut } from "../term.ts";
import { renderJson } from "../json_envelope.ts";

export function statusCommand() {
  return new Command("status")
    .description("List the bot's own branches, pull requests and metadata, with age and state")
    .option("--json", "print the table as JSON on stdout")
    .addHelpText(
      "after",
      `
Lists local branches and branches on origin named ai-test-fixes/* or ai-doc-updates/* (verified when they
carry .sentries-metadata.json or the bot's commit trailers), the bot's pull requests (with GITHUB_TOKEN and
GITHUB_REPOSITORY), whether anyone else committed to a bot branch, and .sentries-metadata.json files that
were merged into other branches. Changes nothing.

Examples:
  sentries status
  sentries status -C ../myrepo
  sentries status --json | jq '.items[] | select(.verified)'
Exit codes: 0 listed (also when there is nothing to list), 1 a failure (e.g. git failed), 2 bad usage (e.g. not a
git repository).`,
    )
    .action(async (options, command) => {
      const config = await loadRunConfig(command.parent?.opts() ?? {});
      const [{ botIdentity }, { Git }, { takeInventory }, { statusReport }, { renderStatus }, { githubFor }] =
        await Promise.all([
          import("../sentries/run_metadata.ts"),
          import("../git/git.ts"),
          import("../lifecycle/inventory.ts"),
          import("../lifecycle/lineage.ts"),
          import("../lifecycle/render.ts"),
          import("./sentry_deps.ts"),
        ]);
      const inventory = await takeInventory({
        git: new Git(config.repoPath),
        github: githubFor(config),
        bot: botIdentity(config),
      });
      const report = statusReport(inventory, new Date());
      writeOut(options.json ? renderJson("status", 0, report) : renderStatus(report));
    });
}
