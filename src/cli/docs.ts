import { Command } from "@commander-js/extra-typings";
import { loadRunConfig } from "./context.ts";

export function docsCommand() {
  return new Command("docs")
    .description("Propose a docs-only update for a pull request's code change (DocSentry)")
    .option("--base <ref>", "base of the change (default: merge-base with the default branch, or the PR's base)")
    .option("--head <ref>", "head of the change (default: HEAD, or the PR's head)")
    .option("--dry-run", "show the checked docs patch; create no branch, commit or PR")
    .option("--json", "print the result as JSON on stdout")
    .addHelpText(
      "after",
      `
How it works: the code diff (docs, lock, generated and vendored files left out) is read with its public
surface first (renamed functions, CLI options, env vars, config keys, routes, defaults); the docs that
mention those names are ranked; the planner decides whether docs must change (NO_CHANGES is a no-op); the
patcher writes a docs-only patch, which must pass the guardrails and the docs checks (Markdown, links,
anchors, openapi.yaml) before it is committed on an ai-doc-updates/* branch (+ PR with GITHUB_TOKEN).

Examples:
  sentries docs --dry-run                 what would change in the docs for this branch
  sentries docs --base main --head HEAD   compare explicit refs
In GitHub Actions (pull_request), the PR is read from GITHUB_EVENT_PATH; fork PRs get the patch as a comment.
Exit codes: 0 updated or nothing to do, 1 not updated, 2 bad usage (e.g. an unknown ref).`,
    )
    .action(async (options, command) => {
      const config = await loadRunConfig(command.parent?.opts() ?? {});
      const [{ runDocSentry }, { renderDocsHuman }, { runSentryCommand }] = await Promise.all([
        import("../sentries/docsentry/pipeline.ts"),
        import("../sentries/docsentry/report.ts"),
        import("./sentry_deps.ts"),
      ]);
      await runSentryCommand(
        "docs",
        config,
        options,
        (deps) => runDocSentry({ ...deps, base: options.base, head: options.head }),
        renderDocsHuman,
      );
    });
}
