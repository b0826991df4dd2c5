/**
 * Steps 5–6: ask the patcher for a change, guard it, apply it, re-test it;
 * on any failure feed the reason back and try again from the clean HEAD
 * (attempts never stack). Stops early when the same patch comes back twice.
 */
import { join } from "node:path";
import type { Config } from "../../config/load.ts";
import type { Worktree } from "../../git/worktree.ts";
import type { LlmClient } from "../../llm/mod.ts";
import { estimateTokens } from "../../llm/mod.ts";
import { log } from "../../log.ts";
import { type PreparedPatch, resolvePolicy, writeChanges } from "../../patch/mod.ts";
import type { Discovery, PytestConfig } from "../../pytest/mod.ts";
import { renderSections, type TestContext } from "../../context/mod.ts";
import { requestPatch, unappliedAttempt } from "../patch_step.ts";
import type { RunState } from "../run_state.ts";
import { patcherMessages } from "./prompts.ts";
import type { AttemptReport } from "./report.ts";
import { type Verification, verifyFix } from "./verify.ts";

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
}

export interface VerifiedFix {
  patch: Extract<PreparedPatch, { kind: "ok" }>;
  verification: Verification;
}

export interface AttemptsOutcome {
  fix?: VerifiedFix;
  attempts: AttemptReport[];
  reason: string;
}

/** The current text of the files the patcher may edit, within a share of the token budget. */
export async function filesToEdit(
  dir: string,
  paths: string[],
  tokenBudget: number,
): Promise<Array<{ path: string; content: string }>> {
  const files: Array<{ path: string; content: string }> = [];
  let used = 0;
  for (const path of [...new Set(paths)].sort()) {
    let content: string;
    try {
      content = await Deno.readTextFile(join(dir, path));
    } catch {
      continue;
    }
    const cost = estimateTokens(content);
    if (used + cost > tokenBudget) {
      log.debug(`not sending ${path} whole (${cost} tokens over the budget); the context has its failing parts`);
      continue;
    }
    used += cost;
    files.push({ path, content });
  }
  return files;
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

export async function patchUntilVerified(input: AttemptInput): Promise<AttemptsOutcome> {
  const { config, worktree, state } = input;
  const policy = resolvePolicy("tests", config.guards.tests);
  const limits = { maxFiles: policy.maxFiles, maxLines: policy.maxChangedLines };
  const failingFiles = input.discovery.confirmed.map((f) => f.file).filter((f) => f);
  const files = await filesToEdit(
    worktree.dir,
    [...failingFiles, ...input.context.testFiles.filter((f) => f.endsWith("conftest.py"))],
    Math.floor(config.contextTokens * 0.3),
  );
  const attempts: AttemptReport[] = [];
  const seenReplies = new Set<string>();
  const seenDiffs = new Set<string>();
  let feedback: string | undefined;

  const contextText = patcherContext(input.context, files.map((f) => f.path));
  for (let n = 1; n <= config.maxAttempts; n++) {
    const messages = patcherMessages(config.editFormat, limits, { plan: input.plan, contextText, files, feedback });
    const step = await requestPatch({
      llm: input.llm,
      config,
      messages,
      state,
      attempt: n,
      repoRoot: worktree.dir,
      policy,
      seenReplies,
      noChangesFeedback: "You answered NO_CHANGES, but the tests fail. Change the tests according to the plan.",
      signal: input.signal,
    });
    if (step.kind === "repeated") {
      attempts.push({ attempt: n, result: "repeated", feedback });
      return { attempts, reason: "The patcher gave the same answer twice; stopped early without a fix." };
    }
    if (step.kind !== "ok") {
      feedback = step.feedback;
      attempts.push(unappliedAttempt(n, step));
      continue;
    }
    const prepared = step.patch;
    if (seenDiffs.has(prepared.diff)) {
      attempts.push({ attempt: n, result: "repeated", diff: prepared.diff });
      return { attempts, reason: "The patcher proposed the same failing patch twice; stopped early without a fix." };
    }
    seenDiffs.add(prepared.diff);

    await state.step(
      "apply",
      `writing ${prepared.changes.length} file(s) in the worktree`,
      () => writeChanges(worktree.dir, prepared.changes),
    );
    const changedPaths = prepared.changes.map((c) => c.path);
    const verification = await state.step(
      "verify",
      "re-running the tests",
      () =>
        verifyFix(
          worktree.dir,
          input.pytest,
          { run: input.discovery.run, failures: input.discovery.confirmed },
          changedPaths,
          input.verifyScope,
        ),
    );
    if (verification.ok) {
      attempts.push({ attempt: n, result: "applied_and_passed", diff: prepared.diff });
      return { fix: { patch: prepared, verification }, attempts, reason: "" };
    }
    feedback = `Your change applied, but:\n${verification.feedback ?? "the tests did not pass"}`;
    attempts.push({ attempt: n, result: "tests_failed", diff: prepared.diff, feedback });
    log.info(`  tests still failing after attempt ${n}`);
    await worktree.reset();
  }
  return {
    attempts,
    reason: `No verified fix after ${config.maxAttempts} attempt${
      config.maxAttempts > 1 ? "s" : ""
    }; nothing was changed.`,
  };
}
