/**
 * Steps 4–5 of `sentries docs`: the shared attempt loop (ask → guard → check →
 * feedback) with DocSentry's check: the docs the patch would produce are sound.
 */
import { join } from "node:path";
import type { Worktree } from "../../git/worktree.ts";
import { log } from "../../log.ts";
import { formatProblemsForModel, type GuardPolicy, resolvePolicy } from "../../patch/mod.ts";
import { checkRealPath } from "../../patch/guard_fs.ts";
import { checkAllowlist, checkPathSyntax } from "../../patch/guard_paths.ts";
import { checkDocsFileMode, checkDocsTextPath } from "../../patch/guard_docs_text.ts";
import { type CheckOutcome, type PatchCheck, runAttemptLoop } from "../attempt_loop.ts";
import { readFilesToEdit } from "../files_to_edit.ts";
import type { AcceptedPatch } from "../patch_step.ts";
import type { AttemptReport, RunState } from "../run_state.ts";
import { checkDocs } from "./checks.ts";
import type { DocSentryOptions } from "./options.ts";
import { docsPatcherMessages } from "./prompts.ts";

export interface DocsPatchInput {
  plan: string;
  changeText: string;
  sectionsText: string;
  docs: string[];
  removed: string[];
}

/** Why no acceptable docs patch came back, for the report (undefined: one did). */
export interface DocsPatchOutcome {
  fix?: AcceptedPatch;
  attempts: AttemptReport[];
  reason: string;
}

/** DocSentry's own check of a guarded patch: the docs it would produce must still be sound. */
export function docsCheck(state: RunState, worktree: Worktree, removed: string[]): PatchCheck<undefined> {
  return async (patch: AcceptedPatch): Promise<CheckOutcome<undefined>> => {
    const problems = await state.step(
      "check",
      "checking links, anchors, Markdown and openapi.yaml",
      () =>
        Promise.resolve(checkDocs({
          changes: patch.changes,
          readFile: (path) => readAfter(worktree.dir, patch.changes, path),
          removedNames: removed,
        })),
    );
    if (problems.length === 0) return { ok: true, proof: undefined };
    log.info(`  docs check failed: ${problems.map((p) => p.message).join("; ")}`);
    return { ok: false, result: "rejected", problems, feedback: formatProblemsForModel(problems) };
  };
}

export async function patchDocs(
  options: DocSentryOptions,
  state: RunState,
  worktree: Worktree,
  input: DocsPatchInput,
): Promise<DocsPatchOutcome> {
  const { config } = options;
  const policy = resolvePolicy("docs", config.guards.docs);
  const files = await docFilesToEdit(
    worktree.dir,
    input.plan,
    input.docs,
    Math.floor(config.contextTokens * 0.3),
    policy,
  );
  const outcome = await runAttemptLoop({
    llm: options.llm,
    config,
    state,
    repoRoot: worktree.dir,
    policy,
    messages: (feedback) =>
      docsPatcherMessages(
        config.editFormat,
        { allow: policy.allow, maxFiles: policy.maxFiles, maxLines: policy.maxChangedLines },
        { plan: input.plan, changeText: input.changeText, files, sectionsText: input.sectionsText, feedback },
      ),
    noChangesFeedback: "You answered NO_CHANGES, but the plan says the docs must change. Write the change.",
    editable: files,
    check: docsCheck(state, worktree, input.removed),
    signal: options.signal,
  });
  const attempts = outcome.attempts;
  switch (outcome.stop) {
    case "accepted":
      return { fix: outcome.patch, attempts, reason: "" };
    case "repeated_reply":
      return { attempts, reason: "The patcher gave the same answer twice; stopped early without an update." };
    case "repeated_patch":
      return {
        attempts,
        reason: "The patcher proposed the same rejected patch twice; stopped early without an update.",
      };
    case "exhausted":
      return {
        attempts,
        reason: `No acceptable docs patch after ${config.maxAttempts} attempts; nothing was changed.`,
      };
  }
}

/** A repo-relative file as it would be after the change; "" for an existing folder. */
function readAfter(dir: string, changes: Array<{ path: string; newContent: string | null }>, path: string) {
  const changed = changes.find((c) => c.path === path);
  if (changed) return changed.newContent ?? undefined;
  try {
    const info = Deno.statSync(join(dir, path));
    return info.isDirectory ? "" : Deno.readTextFileSync(join(dir, path));
  } catch {
    return undefined;
  }
}

/**
 * Whether a path the plan names may be shown to the patcher as a file to edit: an allowlisted file that really
 * is in the worktree, and one the docs guard would let a patch change. The plan is model output (a PR can steer
 * it), so `../../home/…/hosts.yml` or a committed link to a file elsewhere must not be read into a prompt whose
 * answer ends up in a public PR; and `docs/conf.py`, a Makefile or an executable script is not documentation
 * text (issue 15.2): offering it for editing only invites a patch the guard refuses.
 */
export async function mayShow(dir: string, path: string, policy: GuardPolicy): Promise<boolean> {
  if (checkPathSyntax(path).length > 0 || checkAllowlist(path, policy).length > 0) return false;
  if (checkDocsTextPath(path).length > 0) return false;
  const real = await checkRealPath(dir, path, policy.allow).catch(() => undefined);
  if (real === undefined || real.problems.length > 0 || !real.exists) return false;
  const mode = await checkDocsFileMode(dir, path).catch(() => undefined);
  return mode !== undefined && mode.length === 0;
}

/** The doc files the plan names, then the most relevant ones, whole, within a budget (at most five). */
function docFilesToEdit(dir: string, plan: string, ranked: string[], budget: number, policy: GuardPolicy) {
  const named = ranked.filter((p) => plan.includes(p));
  const inPlan = [...plan.matchAll(/([\w./-]+\.(?:md|ya?ml))/g)].map((m) => m[1]);
  return readFilesToEdit(dir, [...inPlan, ...named, ...ranked], {
    tokenBudget: budget,
    maxFiles: 5,
    mayRead: (path) => mayShow(dir, path, policy),
  });
}
