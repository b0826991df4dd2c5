/** What a `sentries tests` run did, for people (stdout), machines (--json), PRs and job summaries. */
import { renderAttemptLines, type RunSummary } from "../run_state.ts";
export type { AttemptReport, StepTiming } from "../run_state.ts";
import type { TestFailure } from "../../pytest/mod.ts";

export type TestsOutcome =
  | "fixed" // a verified fix was committed (or, with --dry-run, shown)
  | "no_failures" // all green: nothing to do
  | "no_tests" // pytest collected nothing
  | "flaky_only" // every failure passed on its re-run
  | "duplicate" // an open Sentries PR already proposes a fix for the same failures
  | "source_bug" // the planner judged the source wrong; tests left alone
  | "not_fixed"; // no attempt produced a verified fix

export interface TestsReport extends RunSummary {
  outcome: TestsOutcome;
  repoPath: string;
  baseSha: string;
  baseBranch?: string;
  dirtyWorkingTree: boolean;
  pytestCommand: string[];
  before?: { passed: number; failed: number; errors: number; skipped: number; collected: number };
  failures: TestFailure[];
  flaky: TestFailure[];
  verdict?: string;
  verification?: { scope: "narrow" | "full"; selection: string[]; reason: string; passed: number; failed: number };
  pullRequest?: { number: number; url: string };
  duplicateOf?: { number: number; url: string };
}

const OUTCOME_TITLE: Record<TestsOutcome, string> = {
  fixed: "Fixed",
  no_failures: "Nothing to fix",
  no_tests: "No tests",
  flaky_only: "Only flaky tests",
  duplicate: "Already proposed",
  source_bug: "Source bug — tests left alone",
  not_fixed: "Not fixed",
};

function secs(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** A model's text, indented, at most `max` lines (a rambling answer must not flood the log; --json has it all). */
export function indentCapped(text: string, max: number): string {
  const lines = text.trimEnd().split("\n");
  const shown = lines.slice(0, max).map((l) => `    ${l}`);
  if (lines.length > max) shown.push(`    … (${lines.length - max} more lines; --json has the whole text)`);
  return shown.join("\n");
}

export function renderHuman(r: TestsReport): string {
  const out: string[] = [];
  out.push(`TestSentry: ${OUTCOME_TITLE[r.outcome]}${r.dryRun ? " (dry run)" : ""}`);
  out.push(`  ${r.message}`);
  if (r.before) {
    out.push(
      `  before: ${r.before.passed} passed, ${r.before.failed} failed, ${r.before.errors} errors ` +
        `(${r.before.collected} collected) at ${r.baseSha.slice(0, 7)}${r.baseBranch ? ` on ${r.baseBranch}` : ""}`,
    );
  }
  for (const f of r.failures.slice(0, 10)) out.push(`  ✗ ${f.nodeId} — ${f.message.split("\n")[0].slice(0, 120)}`);
  if (r.failures.length > 10) out.push(`  … and ${r.failures.length - 10} more`);
  for (const f of r.flaky) out.push(`  ~ flaky: ${f.nodeId} (passed when re-run alone)`);
  if (r.reason) out.push(`  planner: ${r.reason}`);
  if (r.plan && r.outcome !== "source_bug") {
    out.push(`  plan:\n${indentCapped(r.plan, 15)}`);
  }
  out.push(...renderAttemptLines(r));
  if (r.verification) {
    const v = r.verification;
    out.push(`  after: ${v.passed} passed, ${v.failed} failed — re-tested ${v.reason}`);
  }
  if (r.diff && r.dryRun) out.push("", r.diff.trimEnd(), "");
  if (r.branch) out.push(`  branch: ${r.branch}${r.commit ? ` (${r.commit.slice(0, 7)})` : ""}`);
  if (r.pullRequest) out.push(`  pull request: ${r.pullRequest.url}`);
  if (r.duplicateOf) out.push(`  existing pull request: ${r.duplicateOf.url}`);
  if (r.prPreview) {
    out.push(`  no GITHUB_TOKEN: the branch stays local. The pull request would say:`);
    out.push(`    title: ${r.prPreview.title}`);
  }
  const steps = r.timings.map((t) => `${t.step} ${secs(t.ms)}`).join(", ");
  out.push(
    `  model: ${r.llm.calls} calls, ${r.llm.promptTokens || r.llm.estimatedPromptTokens} prompt tokens, ` +
      `${r.llm.completionTokens} completion tokens; time: ${steps}; total ${secs(r.totalMs)}`,
  );
  return out.join("\n") + "\n";
}

/** What the pull request body says: the failures, the plan, the test results and the change. */
export type PrBodyFacts = Pick<
  TestsReport,
  "failures" | "plan" | "changedFiles" | "baseSha" | "before" | "verification" | "diff" | "linesAdded" | "linesRemoved"
>;

export function renderPrBody(r: PrBodyFacts): string {
  const failing = r.failures.map((f) => `- \`${f.nodeId}\` — ${f.message.split("\n")[0].slice(0, 200)}`).join("\n");
  const v = r.verification;
  return [
    `## TestSentry: test-only fix`,
    ``,
    `Source code at \`${r.baseSha.slice(0, 12)}\` changed and these tests were not updated:`,
    ``,
    failing,
    ``,
    `### Plan`,
    ``,
    r.plan ?? "",
    ``,
    `### Test results`,
    ``,
    `| | passed | failed | errors |`,
    `|---|---|---|---|`,
    `| before | ${r.before?.passed ?? "?"} | ${r.before?.failed ?? "?"} | ${r.before?.errors ?? "?"} |`,
    v
      ? `| after (${
        v.scope === "narrow" ? "changed and failing test files" : "full suite"
      }) | ${v.passed} | ${v.failed} | 0 |`
      : "",
    ``,
    `Changed: ${r.changedFiles.map((f) => `\`${f}\``).join(", ")} (+${r.linesAdded} −${r.linesRemoved}). ` +
    `Only files under the tests allowlist can change; tests were not removed, skipped or weakened.`,
    ``,
    `<details><summary>Diff</summary>\n\n\`\`\`diff\n${r.diff ?? ""}\n\`\`\`\n</details>`,
    ``,
    `_Opened by [Sentries](https://github.com/) with local models. Review it like any contribution._`,
  ].join("\n");
}

export function renderJobSummary(r: TestsReport): string {
  const lines = [`### TestSentry: ${OUTCOME_TITLE[r.outcome]}`, "", r.message, ""];
  if (r.failures.length) lines.push(...r.failures.map((f) => `- \`${f.nodeId}\``), "");
  if (r.pullRequest) lines.push(`Pull request: ${r.pullRequest.url}`, "");
  else if (r.branch) lines.push(`Branch: \`${r.branch}\``, "");
  lines.push(`Model calls: ${r.llm.calls}; total time ${secs(r.totalMs)}.`);
  return lines.join("\n");
}
