/**
 * Steps 4–5 of `sentries docs`: ask the patcher, guard the answer, check the
 * docs it would produce, and feed every problem back — up to maxAttempts.
 */
import { join } from "node:path";
import type { Worktree } from "../../git/worktree.ts";
import { log } from "../../log.ts";
import { formatProblemsForModel, type GuardPolicy, type PreparedPatch, resolvePolicy } from "../../patch/mod.ts";
import { checkRealPath } from "../../patch/guard_fs.ts";
import { checkAllowlist, checkPathSyntax } from "../../patch/guard_paths.ts";
import { requestPatch, unappliedAttempt } from "../patch_step.ts";
import { type AttemptReport, finish, type RunState } from "../run_state.ts";
import { checkDocs } from "./checks.ts";
import type { DocSentryOptions } from "./options.ts";
import { docsPatcherMessages } from "./prompts.ts";
import type { DocsReport } from "./report.ts";

export interface DocsPatchInput {
  plan: string;
  changeText: string;
  sectionsText: string;
  docs: string[];
  removed: string[];
}

export async function patchDocs(
  options: DocSentryOptions,
  state: RunState,
  worktree: Worktree,
  input: DocsPatchInput,
  report: DocsReport,
): Promise<Extract<PreparedPatch, { kind: "ok" }> | undefined> {
  const { config } = options;
  const policy = resolvePolicy("docs", config.guards.docs);
  const files = await docFilesToEdit(
    worktree.dir,
    input.plan,
    input.docs,
    Math.floor(config.contextTokens * 0.3),
    policy,
  );
  const attempts: AttemptReport[] = [];
  report.attempts = attempts;
  const seen = new Set<string>();
  let feedback: string | undefined;
  for (let n = 1; n <= config.maxAttempts; n++) {
    const messages = docsPatcherMessages(
      config.editFormat,
      { allow: policy.allow, maxFiles: policy.maxFiles, maxLines: policy.maxChangedLines },
      { plan: input.plan, changeText: input.changeText, files, sectionsText: input.sectionsText, feedback },
    );
    const step = await requestPatch({
      llm: options.llm,
      config,
      messages,
      state,
      attempt: n,
      repoRoot: worktree.dir,
      policy,
      seenReplies: seen,
      noChangesFeedback: "You answered NO_CHANGES, but the plan says the docs must change. Write the change.",
      signal: options.signal,
    });
    if (step.kind === "repeated") {
      attempts.push({ attempt: n, result: "repeated" });
      finish(report, "not_updated", 1, "The patcher gave the same answer twice; stopped early without an update.");
      return undefined;
    }
    if (step.kind !== "ok") {
      feedback = step.feedback;
      attempts.push(unappliedAttempt(n, step));
      continue;
    }
    const prepared = step.patch;
    const problems = await state.step(
      "check",
      "checking links, anchors, Markdown and openapi.yaml",
      () =>
        Promise.resolve(checkDocs({
          changes: prepared.changes,
          readFile: (path) => readAfter(worktree.dir, prepared.changes, path),
          removedNames: input.removed,
        })),
    );
    if (problems.length > 0) {
      feedback = formatProblemsForModel(problems);
      attempts.push({ attempt: n, result: "rejected", problems, feedback, diff: prepared.diff });
      log.info(`  docs check failed: ${problems.map((p) => p.message).join("; ")}`);
      continue;
    }
    attempts.push({ attempt: n, result: "applied_and_passed", diff: prepared.diff });
    return prepared;
  }
  finish(
    report,
    "not_updated",
    1,
    `No acceptable docs patch after ${config.maxAttempts} attempts; nothing was changed.`,
  );
  return undefined;
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

/** The doc files the plan names, then the most relevant ones, whole, within a budget. */
/**
 * Whether a path the plan names may be shown to the patcher: an allowlisted file that really is in the
 * worktree. The plan is model output (a PR can steer it), so `../../home/…/hosts.yml` or a committed
 * link to a file elsewhere must not be read into a prompt whose answer ends up in a public PR.
 */
async function mayShow(dir: string, path: string, policy: GuardPolicy): Promise<boolean> {
  if (checkPathSyntax(path).length > 0 || checkAllowlist(path, policy).length > 0) return false;
  const real = await checkRealPath(dir, path, policy.allow).catch(() => undefined);
  return real !== undefined && real.problems.length === 0 && real.exists;
}

async function docFilesToEdit(dir: string, plan: string, ranked: string[], budget: number, policy: GuardPolicy) {
  const named = ranked.filter((p) => plan.includes(p));
  const inPlan = [...plan.matchAll(/([\w./-]+\.(?:md|ya?ml))/g)].map((m) => m[1]);
  const order = [...new Set([...inPlan, ...named, ...ranked])];
  const files: Array<{ path: string; content: string }> = [];
  let used = 0;
  for (const path of order) {
    let content: string;
    if (!(await mayShow(dir, path, policy))) continue;
    try {
      content = await Deno.readTextFile(join(dir, path));
    } catch {
      continue; // a new file the plan wants to create
    }
    const cost = Math.ceil(content.length / 4);
    if (used + cost > budget) continue;
    used += cost;
    files.push({ path, content });
    if (files.length >= 5) break;
  }
  return files;
}
