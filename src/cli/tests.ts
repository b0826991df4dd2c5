import { resolve } from "node:path";
import { Command } from "@commander-js/extra-typings";
import { startEarlyWarmUp } from "../sentries/testsentry/warm_up.ts";
import { loadRunConfig } from "./context.ts";

export function testsCommand() {
  return new Command("tests")
    .description("Find failing pytest tests and fix them with a test-only patch (TestSentry)")
    .option("--dry-run", "show the validated diff and the re-test result; create no branch, commit or PR")
    .option("--json", "print the result as JSON on stdout")
    .option("--max-attempts <n>", "patch attempts before giving up (default 3)")
    .option("--pytest-args <args>", "extra pytest arguments, space-separated")
    .option(
      "--junit-xml <path>",
      "take the failures from this JUnit report of your own pytest run (pytest --junitxml=PATH) instead of running the suite",
    )
    .addHelpText(
      "after",
      `
How it works: pytest runs in a temporary git worktree at HEAD (your files are never touched); failures are
re-run once to rule out flaky tests; the planner model decides whether the tests are out of date or the
source is wrong; the patcher model writes a test-only diff, which must pass the guardrails and the tests
before it is committed on a new ai-test-fixes/* branch (and opened as a PR when GITHUB_TOKEN is set).

Examples:
  sentries tests --dry-run        find, fix and re-test; show the diff; change nothing
  sentries tests                  …and commit the fix on a new branch (+ PR with GITHUB_TOKEN)
  sentries tests --json | jq .outcome
  pytest --junitxml=junit.xml; sentries tests --junit-xml junit.xml    re-run only the report's failures
Exit codes: 0 fixed or nothing to do, 1 not fixed (or a source bug), 2 bad usage.`,
    )
    .action(async (options, command) => {
      const flags = {
        maxAttempts: options.maxAttempts !== undefined
          ? { value: options.maxAttempts, flag: "--max-attempts" }
          : undefined,
        pytestArgs: options.pytestArgs !== undefined ? { value: options.pytestArgs, flag: "--pytest-args" } : undefined,
      };
      const config = await loadRunConfig(command.parent?.opts() ?? {}, flags);
      const junitXml = options.junitXml !== undefined ? resolve(options.junitXml) : undefined;
      // The pytest warm-up is the run's critical path: it starts before the rest of the pipeline's code loads
      // (loading that code then runs beside it), and the pipeline takes it over.
      const earlyWarmUp = startEarlyWarmUp(config);
      try {
        const [{ runTestSentry }, { renderHuman }, { runSentryCommand }] = await Promise.all([
          import("../sentries/testsentry/pipeline.ts"),
          import("../sentries/testsentry/report.ts"),
          import("./sentry_deps.ts"),
        ]);
        await runSentryCommand(
          "tests",
          config,
          options,
          (deps) => runTestSentry({ ...deps, junitXml, earlyWarmUp }),
          renderHuman,
        );
      } finally {
        await earlyWarmUp?.stop(); // the pipeline has ended it by now, unless it never got that far
      }
    });
}
