/**
 * Steps 5–6 of `sentries tests`: the shared attempt loop (ask → guard → check → feedback), with TestSentry's
 * check: apply the patch in the worktree, re-run the tests (verify). A failed check resets the worktree, so
 * every attempt starts from the clean HEAD (attempts never stack).
 */
import type { Config } from "../../config/load.ts";
import type { Worktree } from "../../git/worktree.ts";
import type { LlmClient } from "../../llm/mod.ts";
import { log } from "../../log.ts";
import { resolvePolicy, TESTS_GUARD_SCRIPTS, writeChanges } from "../../patch/mod.ts";
import { PythonChecker } from "../../patch/python_checker.ts";
import type { Discovery, PytestConfig } from "../../pytest/mod.ts";
import { renderSections, type TestContext } from "../../context/mod.ts";
import { type CheckOutcome, type PatchCheck, runAttemptLoop } from "../attempt_loop.ts";
import { readFilesToEdit } from "../files_to_edit.ts";
import type { AcceptedPatch } from "../patch_step.ts";
import type { RunState } from "../run_state.ts";
import { patcherMessages } from "./prompts.ts";
import type { AttemptReport } from "./report.ts";
import { type Verification, verifyFix } from "./verify.ts";
import type { Git } from "../../git/git.ts";
import { type DifferentialProof, type PreparedProof, prepareProof, proveFix } from "./prove.ts";

export interface AttemptInput {
  config: Config;
  llm: LlmClient;
  worktree: Worktree;
  pytest: PytestConfig;
  discovery: Discovery;
  plan: string;
  context: TestContext;
  state: RunState;
  signal?: AbortSignal;
  verifyScope?: "auto" | "full";
  /** The user's repository and what the fix is based on, for the proof against the old source. */
  origin?: { repo: Git; headSha: string; pullRequestBase?: string; userTree: string };
  /** The guards' Python process, started by the caller ahead of time; else one is started for the attempts. */
  checker?: PythonChecker;
}

/** What TestSentry's check proved about a patch that passed it. */
export interface FixProof {
  verification: Verification;
  /** Whether each repaired test fails on the source before the change (absent when not asked for). */
  differential?: DifferentialProof;
}

export interface VerifiedFix extends FixProof {
  patch: AcceptedPatch;
}

export interface AttemptsOutcome {
  fix?: VerifiedFix;
  attempts: AttemptReport[];
  reason: string;
}

/**
 * The context for the patcher: the planner's context without the whole-module sections of files
 * that the patcher gets verbatim anyway (numbered lines there would only cost tokens).
 */
export function patcherContext(context: TestContext, verbatim: string[]): string {
  const shown = new Set(verbatim);
  const kept = context.sections.filter((s) => !(s.path && shown.has(s.path) && /\(whole file\)/.test(s.title)));
  return kept.length === context.sections.length ? context.text : renderSections(kept);
}

/**
 * TestSentry's own check of a guarded patch: apply → verify. A step that refuses the patch resets the
 * worktree and says why for the patcher. Another step (e.g. proving the repaired tests against the old
 * source) goes after verify, as one more `if (!…ok)` that returns its own feedback.
 */
export function testsCheck(input: AttemptInput, proofPrepared?: Promise<PreparedProof>): PatchCheck<FixProof> {
  const { worktree, state } = input;
  return async (patch: AcceptedPatch, attempt: number): Promise<CheckOutcome<FixProof>> => {
    await state.step(
      "apply",
      `writing ${patch.changes.length} file(s) in the worktree`,
      () => writeChanges(worktree.dir, patch.changes),
    );
    const verification = await state.step(
      "verify",
      "re-running the tests",
      () =>
        verifyFix(
          worktree.dir,
          input.pytest,
          { run: input.discovery.run, failures: input.discovery.confirmed },
          patch.changes.map((c) => c.path),
          input.verifyScope,
        ),
    );
    if (!verification.ok) {
      log.info(`  tests still failing after attempt ${attempt}`);
      await worktree.reset();
      return {
        ok: false,
        result: "tests_failed",
        feedback: `Your change applied, but:\n${verification.feedback ?? "the tests did not pass"}`,
      };
    }
    if (!input.origin) return { ok: true, proof: { verification } };
    const differential = await state.step(
      "prove",
      "re-running the repaired tests on the old source",
      () => proveAgainstOldSource(input, input.origin!, patch, verification, proofPrepared),
    );
    if (differential.kind === "refused") {
      log.info(`  attempt ${attempt}: a repaired test passes on the old source too`);
      await worktree.reset();
      return { ok: false, result: "rejected", feedback: `Your change applied, but:\n${differential.feedback}` };
    }
    return { ok: true, proof: { verification, differential } };
  };
}

function proveAgainstOldSource(
  input: AttemptInput,
  origin: NonNullable<AttemptInput["origin"]>,
  patch: AcceptedPatch,
  verification: Verification,
  prepared?: Promise<PreparedProof>,
): Promise<DifferentialProof> {
  const last = verification.runs[verification.runs.length - 1];
  return proveFix({
    ...proofSource(input, origin),
    prepared,
    changes: patch.changes.map((c) => ({ path: c.path, content: c.newContent })),
    repaired: verification.repaired,
    failedBefore: input.discovery.confirmed,
    checker: input.checker,
    collectedAfter: last?.collected ?? [],
    currentTrees: [input.worktree.dir, origin.userTree],
    pytest: input.pytest,
    signal: input.signal,
    worktreeDir: input.config.worktreeDir,
  });
}

/** Where the proof's old source comes from: the same for every attempt. */
function proofSource(input: AttemptInput, origin: NonNullable<AttemptInput["origin"]>) {
  return {
    repo: origin.repo,
    headSha: origin.headSha,
    pullRequestBase: origin.pullRequestBase,
    sourceFiles: input.context.sourceFiles,
    inPlace: { worktree: input.worktree.git, currentTrees: [origin.userTree] },
  };
}

export async function patchUntilVerified(input: AttemptInput): Promise<AttemptsOutcome> {
  if (input.checker) return await attemptFixes(input, input.checker);
  // Started now, it is ready when the first answer comes back from the model.
  return await PythonChecker.using((checker) => attemptFixes(input, checker), { prepare: TESTS_GUARD_SCRIPTS });
}

async function attemptFixes(input: AttemptInput, checker: PythonChecker): Promise<AttemptsOutcome> {
  const { config, worktree } = input;
  const policy = resolvePolicy("tests", config.guards.tests);
  const limits = { maxFiles: policy.maxFiles, maxLines: policy.maxChangedLines };
  const failingFiles = input.discovery.confirmed.map((f) => f.file).filter((f) => f);
  const paths = [...failingFiles, ...input.context.testFiles.filter((f) => f.endsWith("conftest.py"))];
  const files = await readFilesToEdit(worktree.dir, [...new Set(paths)].sort(), {
    tokenBudget: Math.floor(config.contextTokens * 0.3),
  });
  // The planner's context as it was: the patch call then reuses the planner call's prompt cache (prompts.ts).
  const contextText = input.context.text;
  // The proof's old source does not depend on the patch: found and exported while the model writes it.
  const proofPrepared = input.origin ? prepareProof(proofSource(input, input.origin)) : undefined;
  proofPrepared?.catch(() => {}); // awaited by the prove step, which reports a failure
  const outcome = await runAttemptLoop({
    llm: input.llm,
    config,
    state: input.state,
    repoRoot: worktree.dir,
    policy,
    messages: (feedback) =>
      patcherMessages(config.editFormat, limits, { plan: input.plan, contextText, files, feedback }),
    noChangesFeedback: "You answered NO_CHANGES, but the tests fail. Change the tests according to the plan.",
    editable: files,
    check: testsCheck({ ...input, checker }, proofPrepared),
    checker,
    signal: input.signal,
  });
  const attempts = outcome.attempts;
  switch (outcome.stop) {
    case "accepted":
      return { fix: { patch: outcome.patch, ...outcome.proof }, attempts, reason: "" };
    case "repeated_reply":
      return { attempts, reason: "The patcher gave the same answer twice; stopped early without a fix." };
    case "repeated_patch":
      return { attempts, reason: "The patcher proposed the same failing patch twice; stopped early without a fix." };
    case "exhausted":
      return {
        attempts,
        reason: `No verified fix after ${config.maxAttempts} attempt${
          config.maxAttempts > 1 ? "s" : ""
        }; nothing was changed.`,
      };
  }
}
