/** What a `sentries tests` run did, for people (stdout), machines (--json), PRs and job summaries. */
import {
  deliveryLines,
  jobSummaryTail,
  modelLine,
  renderAttemptLines,
  type RunSummary,
  seconds as secs,
} from "../run_state.ts";
export type { AttemptReport, StepTiming } from "../run_state.ts";
import type { TestFailure } from "../../pytest/mod.ts";
import { type Interpreter, interpreterLine } from "../../pytest/environment.ts";
import type { FailureKind } from "../../pytest/results.ts";
import type { OldOutcome } from "./prove.ts";
import type { RemovedName } from "./removed_name.ts";

export type TestsOutcome =
  | "fixed" // a verified fix was committed (or, with --dry-run, shown)
  | "no_failures" // all green: nothing to do
  | "no_tests" // pytest collected nothing
  | "flaky_only" // every failure passed on its re-run
  | "duplicate" // an open Sentries PR (or, without GitHub, a local bot branch) already has a fix for the same failures
  | "source_bug" // the planner judged the source wrong; tests left alone
  | "environment_problem" // failures a test fix cannot repair (missing module, mass failure); no model asked
  | "model_unreachable" // failures confirmed, but no model server answers: stopped before any model call
  | "not_fixed"; // no attempt produced a verified fix

export interface TestsReport extends RunSummary {
  outcome: TestsOutcome;
  repoPath: string;
  baseSha: string;
  baseBranch?: string;
  dirtyWorkingTree: boolean;
  pytestCommand: string[];
  /** Which Python and pytest ran the tests (src/pytest/environment.ts). */
  interpreter?: Interpreter;
  before?: { passed: number; failed: number; errors: number; skipped: number; collected: number };
  failures: TestFailure[];
  flaky: TestFailure[];
  verdict?: string;
  verification?: { scope: "narrow" | "full"; selection: string[]; reason: string; passed: number; failed: number };
  /** For a fix: each repaired test failed before, passes now, and (when proven) fails on the old source. */
  proof?: ProofReport;
  pullRequest?: { number: number; url: string };
  duplicateOf?: { number: number; url: string };
  /** Without GitHub: the local bot branch that already has a verified fix for the same base and failures. */
  duplicateBranch?: { branch: string; commit: string; createdAt: string };
  /** For "environment_problem": what is likely wrong and how to fix it (src/pytest/diagnose.ts). */
  environment?: { kind: "missing_module" | "mass_failure"; modules: string[]; hint: string };
  /** For "model_unreachable": the server's problem, shaped like the `--json` error of a failed command. */
  error?: { code: string; message: string; hint?: string; exitCode: number };
}

export interface ProofReport {
  kind: "proven" | "unproven";
  /** The old source the repaired tests ran over; absent when none was found. */
  oldSha?: string;
  /** "the code before 1a2b3c4" or "the pull request's base 1a2b3c4". */
  oldLabel?: string;
  /** Why it could not be shown, for kind "unproven". */
  reason?: string;
  durationMs: number;
  tests: {
    nodeId: string;
    before: FailureKind;
    after: "passed";
    old?: OldOutcome;
    detail?: string;
    /** Passes on the old source too, as the change only removed this name and the patch only renamed it. */
    removed?: RemovedName;
  }[];
}

/** One sentence per repaired test: failed before, passes now, fails on the old code — or why not shown. */
export function proofLines(p: ProofReport): string[] {
  return p.tests.map((t) => {
    const start = `${t.nodeId}: ${t.before === "failed" ? "failed" : "errored"} before, passes now`;
    if (t.old === "failed" || t.old === "lacks_name") {
      const why = t.old === "lacks_name" && t.detail ? `: ${t.detail}` : "";
      return `${start}, fails on ${p.oldLabel} (at ${p.oldSha?.slice(0, 7)})${why}`;
    }
    if (t.removed) {
      const now = t.removed.now ? ` (now \`${t.removed.now}\`)` : "";
      return `${start}; not proven against an earlier version: passes on ${p.oldLabel} too, as the change only ` +
        `removed \`${t.removed.name}\`, which the test used${now}`;
    }
    if (p.kind === "unproven" && !p.oldSha) return `${start}; not proven against an earlier version: ${p.reason}`;
    const how = t.old ? `${t.old.replace("_", " ")} on ${p.oldLabel}` : `did not run on ${p.oldLabel}`;
    return `${start}; not proven against an earlier version: ${how}${t.detail ? ` (${t.detail})` : ""}`;
  });
}

const OUTCOME_TITLE: Record<TestsOutcome, string> = {
  fixed: "Fixed",
  no_failures: "Nothing to fix",
  no_tests: "No tests",
  flaky_only: "Only flaky tests",
  duplicate: "Already proposed",
  source_bug: "Source bug — tests left alone",
  environment_problem: "Environment problem — no model asked",
  model_unreachable: "Model server unreachable — nothing changed",
  not_fixed: "Not fixed",
};

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
  if (r.interpreter) out.push(`  tests ran with: ${interpreterLine(r.interpreter)}`);
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
  if (r.proof) {
    const p = r.proof;
    const head = p.kind === "proven"
      ? `proof: every repaired test fails on ${p.oldLabel} (${secs(p.durationMs)})`
      : `proof: not proven against an earlier version — ${p.reason}`;
    out.push(`  ${head}`, ...proofLines(p).map((line) => `    ${line}`));
  }
  if (r.diff && r.dryRun) out.push("", r.diff.trimEnd(), "");
  out.push(...deliveryLines(r));
  if (r.pullRequest) out.push(`  pull request: ${r.pullRequest.url}`);
  if (r.duplicateOf) out.push(`  existing pull request: ${r.duplicateOf.url}`);
  if (r.duplicateBranch) {
    out.push(`  existing branch: ${r.duplicateBranch.branch} (${r.duplicateBranch.commit.slice(0, 7)})`);
  }
  if (r.prPreview) {
    out.push(`  no GITHUB_TOKEN: the branch stays local. The pull request would say:`);
    out.push(`    title: ${r.prPreview.title}`);
  }
  out.push(modelLine(r));
  return out.join("\n") + "\n";
}

/** What the pull request body says: the failures, the plan, the test results and the change. */
export type PrBodyFacts = Pick<
  TestsReport,
  | "failures"
  | "plan"
  | "changedFiles"
  | "baseSha"
  | "before"
  | "verification"
  | "proof"
  | "diff"
  | "linesAdded"
  | "linesRemoved"
  | "interpreter"
>;

function proofSection(p: ProofReport | undefined): string[] {
  if (!p) return [];
  const intro = p.kind === "proven"
    ? `Each repaired test was run again over the source as it was before the change (${p.oldLabel}, ` +
      `\`${p.oldSha?.slice(0, 12)}\`) with the patched tests: it fails there, so it still tells the old ` +
      `behaviour from the new.`
    : `**Not proven against an earlier version**: ${p.reason}. Only the static guards vouch that the tests ` +
      `still test something; review the assertions.`;
  return [`### Proof`, ``, intro, ``, ...proofLines(p).map((line) => `- ${line.replace(/^(\S+):/, "\`$1\`:")}`), ``];
}

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
    ...(r.interpreter ? [`Tests ran with: ${interpreterLine(r.interpreter)}.`, ``] : []),
    ...proofSection(r.proof),
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
  if (r.interpreter) lines.push(`Tests ran with: ${interpreterLine(r.interpreter)}.`, "");
  lines.push(...jobSummaryTail(r));
  return lines.join("\n");
}
