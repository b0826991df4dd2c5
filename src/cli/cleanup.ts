import { Command } from "@commander-js/extra-typings";
import { ConfirmationNeededError, SentriesError, UsageError } from "../errors.ts";
import type { outcomeCounts } from "../lifecycle/render.ts";
import type { Outcome, Plan } from "../lifecycle/types.ts";
import { loadRunConfig } from "./context.ts";
import { exitState } from "./exit.ts";
import { confirm, isInteractive, writeErr, writeOut } from "../term.ts";
import { renderJson } from "../json_envelope.ts";

interface CleanupFlags {
  dryRun?: boolean;
  force?: boolean;
  maxAgeDays?: string;
  includeUnverified?: boolean;
  includeForeignCommits?: boolean;
  json?: boolean;
}

/** Refuses flag combinations that would do something other than what the user asked for. */
function checkFlags(flags: CleanupFlags): void {
  if (flags.dryRun && flags.force) {
    throw new UsageError("--dry-run and --force contradict each other", { hint: "pass one of them" });
  }
  if (flags.includeForeignCommits && !flags.force && !flags.dryRun) {
    throw new UsageError("--include-foreign-commits only works together with --force", {
      hint: "pass --force --include-foreign-commits, or --dry-run --include-foreign-commits to preview it",
    });
  }
}

type Summary = ReturnType<typeof outcomeCounts>;

function cleanupFields(plan: Plan, dryRun: boolean, outcomes: Outcome[], summary: Summary, warnings: string[]) {
  return { dryRun, plan, outcomes, summary, warnings };
}

/** Off a terminal without --force: the plan is shown (as a dry run), nothing changes, exit 2 naming the flag. */
function confirmationNeeded(plan: Plan, none: Summary, warnings: string[]): ConfirmationNeededError {
  const count = plan.actions.length === 1 ? "1 action needs" : `${plan.actions.length} actions need`;
  return new ConfirmationNeededError(
    `cleanup changed nothing: the plan's ${count} a yes, and there is no terminal to ask on`,
    {
      hint: "pass --force to carry out the plan above, or --dry-run to only show it",
      report: cleanupFields(plan, true, [], none, warnings),
    },
  );
}

export function cleanupCommand() {
  return new Command("cleanup")
    .description("Remove the bot's own branches and PRs (and nothing else)")
    .option("--dry-run", "show exactly what would be done; change nothing")
    .option("--force", "do it without asking (required off a terminal)")
    .option("--max-age-days <n>", "only artifacts older than N days (default: retention_days if set, else any age)")
    .option("--include-unverified", "also remove branches that only match the bot's name pattern")
    .option("--include-foreign-commits", "with --force: also remove bot branches that carry others' commits")
    .option("--json", "print the plan and outcomes as JSON on stdout")
    .addHelpText(
      "after",
      `
Removes local and remote ai-test-fixes/* and ai-doc-updates/* branches that the bot provably made, closes the
bot's open PRs with a comment, and removes .sentries-metadata.json files merged into other branches (with a
commit on a new bot branch and a PR, never a push to the branch itself). Never touches the current branch, a
branch checked out in a worktree, a branch or PR labelled sentries:keep, or a bot branch someone else
committed to (its PR is marked " — abandoned" instead). Off a terminal, a plan with actions needs --force
(or --dry-run): without either it shows the plan, changes nothing and exits 2; nothing to do is exit 0.
Age: every verified artifact, of any age, unless --max-age-days N (or retention_days / SENTRIES_RETENTION_DAYS,
an opt-in default for scheduled runs) limits it to those older than N days.

Examples:
  sentries cleanup --dry-run
  sentries cleanup --force                       everything the bot made (verified), of any age
  sentries cleanup --force --max-age-days 14     only what is older than 14 days
  sentries cleanup --dry-run --json | jq '.plan.actions'
Exit codes: 0 done or nothing to do, 1 an action failed, 2 bad usage (e.g. --force needed off a terminal).`,
    )
    .action(async (options, command) => {
      checkFlags(options);
      const flags = {
        retentionDays: options.maxAgeDays !== undefined
          ? { value: options.maxAgeDays, flag: "--max-age-days" }
          : undefined,
      };
      const config = await loadRunConfig(command.parent?.opts() ?? {}, flags);
      const [
        { botIdentity },
        { Git },
        { withInterruptSignal },
        { executePlan },
        { takeInventory },
        { planCleanup },
        { outcomeCounts, renderOutcomes, renderPlan },
        { githubFor },
      ] = await Promise.all([
        import("../sentries/run_metadata.ts"),
        import("../git/git.ts"),
        import("../interrupt.ts"),
        import("../lifecycle/execute.ts"),
        import("../lifecycle/inventory.ts"),
        import("../lifecycle/plan.ts"),
        import("../lifecycle/render.ts"),
        import("./sentry_deps.ts"),
      ]);
      const git = new Git(config.repoPath);
      const github = githubFor(config);
      const bot = botIdentity(config);
      const inventory = await takeInventory({ git, github, bot });
      if (github && inventory.context.github !== "checked") {
        throw new SentriesError("could not list pull requests, so sentries:keep labels cannot be honoured", {
          hint:
            "check GITHUB_TOKEN and GITHUB_REPOSITORY (sentries doctor), or unset GITHUB_TOKEN for a git-only cleanup",
        });
      }
      const plan = planCleanup(inventory, {
        maxAgeDays: config.retentionDays ?? null, // no limit unless one is asked for (issue 15.12)
        includeUnverified: options.includeUnverified === true,
        includeForeignCommits: options.includeForeignCommits === true,
        canOpenPullRequests: github !== undefined,
      }, new Date());
      const show = options.json ? writeErr : writeOut;
      if (options.dryRun) {
        writeOut(
          options.json
            ? renderJson("cleanup", 0, cleanupFields(plan, true, [], outcomeCounts([]), inventory.warnings))
            : renderPlan(plan, true),
        );
        return;
      }
      if (plan.actions.length > 0 && !options.force && !isInteractive()) {
        if (!options.json) writeOut(renderPlan(plan, true));
        throw confirmationNeeded(plan, outcomeCounts([]), inventory.warnings);
      }
      if (plan.actions.length > 0 && !options.force) {
        show(renderPlan(plan, false));
        if (!confirm(`Carry out these ${plan.actions.length} actions?`)) {
          show("Nothing changed.\n");
          return;
        }
      }
      const outcomes = await withInterruptSignal((signal) =>
        executePlan(plan, { git, github, bot, signal, worktreeDir: config.worktreeDir })
      );
      const summary = outcomeCounts(outcomes);
      exitState.code = summary.failed > 0 ? 1 : 0;
      if (options.json) {
        writeOut(
          renderJson("cleanup", exitState.code, cleanupFields(plan, false, outcomes, summary, inventory.warnings)),
        );
      } else {
        writeOut((options.force ? renderPlan(plan, false) : "") + renderOutcomes(outcomes));
      }
    });
}
