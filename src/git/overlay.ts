/**
 * The source as it was before a change, with today's tests over it: a second temporary worktree at an older
 * commit whose test files come from the newer commit plus a patch. The user's tree is never touched.
 */
import { dirname, join } from "node:path";
import type { Git } from "./git.ts";
import { createWorktree, type Worktree } from "./worktree.ts";

export type OldSource =
  | {
    kind: "found";
    sha: string;
    /** How a sentence names it: "the code before 1a2b3c4" or "the pull request's base 1a2b3c4". */
    label: string;
    /** Which rule chose it, for the report. */
    rule: string;
  }
  | { kind: "none"; reason: string };

export interface OldSourceQuery {
  /** The commit the fix is based on. */
  headSha: string;
  /** In pull_request mode: the pull request's base commit. */
  pullRequestBase?: string;
  /** Non-test files the failure context pointed at (TestContext.sourceFiles). */
  sourceFiles: string[];
  /** Which paths are tests (they come from the new side); the rest is source. */
  isTestPath: (path: string) => boolean;
}

/**
 * Which commit holds the old source. In pull_request mode the PR's base, when the PR changed one of the
 * source files; otherwise the parent of the newest commit (at or before head) that changed one of them.
 */
export async function findOldSource(repo: Git, query: OldSourceQuery): Promise<OldSource> {
  const sources = [...new Set(query.sourceFiles.filter((f) => !query.isTestPath(f)))].sort();
  if (sources.length === 0) {
    return { kind: "none", reason: "the failure context named no source file, so no change to compare with" };
  }
  if (query.pullRequestBase) {
    const base = await repo.revParse(query.pullRequestBase);
    if (base && base !== query.headSha && await changedBetween(repo, base, query.headSha, sources)) {
      return {
        kind: "found",
        sha: base,
        label: `the pull request's base ${base.slice(0, 7)}`,
        rule: "pull request base",
      };
    }
  }
  // The commit and its parents in one call (%P: the shown commit's own parents; the first is `changed^`).
  const log = await repo.run(["log", "-n1", "--format=%H %P", query.headSha, "--", ...sources], {
    allowFail: true,
  });
  const [changed = "", parent] = log.code === 0 ? log.stdout.trim().split(" ") : [];
  if (!changed) return { kind: "none", reason: `no commit changed ${listed(sources)}` };
  if (!parent) {
    const shallow = await repo.isShallow().catch(() => false);
    return {
      kind: "none",
      reason: shallow
        ? `the commit before ${changed.slice(0, 7)} is not in this shallow clone (check out with fetch-depth: 0)`
        : `${listed(sources)} first appeared in ${changed.slice(0, 7)}: there is no earlier version`,
    };
  }
  return {
    kind: "found",
    sha: parent,
    label: `the code before ${changed.slice(0, 7)}`,
    rule: `parent of ${changed.slice(0, 7)}, the last commit that changed ${listed(sources)}`,
  };
}

function listed(files: string[]): string {
  return files.length <= 3 ? files.join(", ") : `${files.slice(0, 3).join(", ")} and ${files.length - 3} more`;
}

async function changedBetween(repo: Git, a: string, b: string, paths: string[]): Promise<boolean> {
  const r = await repo.run(["diff", "--quiet", a, b, "--", ...paths], { allowFail: true });
  return r.code === 1;
}

/** A file of the patched tests: its content, or null where the patch deleted it. */
export interface OverlayFile {
  path: string;
  content: string | null;
}

/**
 * A worktree at `oldSha` whose test files are those of `headSha`, then `files` written over them: old
 * source, new tests. The caller removes it.
 */
export async function createOverlayWorktree(
  repo: Git,
  oldSha: string,
  headSha: string,
  files: OverlayFile[],
  isTestPath: (path: string) => boolean,
  signal?: AbortSignal,
): Promise<Worktree> {
  const worktree = await createWorktree(repo, oldSha, signal);
  try {
    const diff = await worktree.git.run(["diff", "--name-status", "--no-renames", "-z", oldSha, headSha]);
    const fields = diff.stdout.split("\0").filter((f) => f !== "");
    const fromHead: string[] = [];
    for (let i = 0; i + 1 < fields.length; i += 2) {
      const [status, path] = [fields[i], fields[i + 1]];
      if (!isTestPath(path)) continue;
      if (status === "D") await Deno.remove(join(worktree.dir, path)).catch(() => {});
      else fromHead.push(path);
    }
    for (let i = 0; i < fromHead.length; i += 200) {
      await worktree.git.run(["checkout", headSha, "--", ...fromHead.slice(i, i + 200)]);
    }
    for (const file of files) {
      const target = join(worktree.dir, file.path);
      if (file.content === null) {
        await Deno.remove(target).catch(() => {});
        continue;
      }
      await Deno.mkdir(dirname(target), { recursive: true });
      await Deno.writeTextFile(target, file.content);
    }
    return worktree;
  } catch (err) {
    await worktree.remove();
    throw err;
  }
}

/**
 * The same view without a second checkout: in `worktree` (our own temporary worktree at `headSha`, the patch
 * applied), the source files that differ from `oldSha` are put back as they were there while `fn` runs, then
 * restored to `headSha` (checked). Test files and the patch stay as they are. Costs only the changed files.
 */
export async function withOldSourceInPlace<T>(
  worktree: Git,
  oldSha: string,
  headSha: string,
  isTestPath: (path: string) => boolean,
  fn: () => Promise<T>,
): Promise<T> {
  const diff = await worktree.run(["diff", "--name-status", "--no-renames", "-z", oldSha, headSha]);
  const fields = diff.stdout.split("\0").filter((f) => f !== "");
  const addedSince: string[] = [];
  const fromOld: string[] = []; // modified or deleted since: both come back from the old commit
  const deletedSince: string[] = [];
  for (let i = 0; i + 1 < fields.length; i += 2) {
    const [status, path] = [fields[i], fields[i + 1]];
    if (isTestPath(path)) continue;
    if (status === "A") addedSince.push(path);
    else fromOld.push(path);
    if (status === "D") deletedSince.push(path);
  }
  const touched = [...fromOld, ...addedSince];
  if (touched.length === 0) return await fn();
  let outcome: { ok: true; value: T } | { ok: false; error: unknown };
  try {
    for (const path of addedSince) await Deno.remove(join(worktree.dir, path)).catch(() => {});
    // The files only: the index stays at headSha's, so nothing needs to be unstaged afterwards.
    for (let i = 0; i < fromOld.length; i += 200) {
      await worktree.run(["restore", `--source=${oldSha}`, "--worktree", "--", ...fromOld.slice(i, i + 200)]);
    }
    outcome = { ok: true, value: await fn() };
  } catch (error) {
    outcome = { ok: false, error };
  }
  await restoreSource(worktree, headSha, touched, addedSince, fromOld, deletedSince);
  if (!outcome.ok) throw outcome.error;
  return outcome.value;
}

/** Puts the worktree's source back at `headSha` after {@link withOldSourceInPlace}, and checks nothing is left. */
async function restoreSource(
  worktree: Git,
  headSha: string,
  touched: string[],
  addedSince: string[],
  fromOld: string[],
  deletedSince: string[],
): Promise<void> {
  for (const path of deletedSince) await Deno.remove(join(worktree.dir, path)).catch(() => {});
  const back = [...addedSince, ...fromOld.filter((p) => !deletedSince.includes(p))];
  for (let i = 0; i < back.length; i += 200) {
    await worktree.run(["restore", `--source=${headSha}`, "--worktree", "--", ...back.slice(i, i + 200)]);
  }
  const left = await worktree.run(["diff", "--name-only", headSha, "--", ...touched]);
  if (left.stdout.trim()) throw new Error(`could not restore the worktree's source: ${left.stdout.trim()}`);
}
