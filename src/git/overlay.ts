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
  /** The `worktree_dir` setting. */
  location?: string,
): Promise<Worktree> {
  const worktree = await createWorktree(repo, oldSha, signal, location);
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
 * The old versions of the source files that differ between `oldSha` and `headSha`, exported ahead of the
 * proof (while the patch is still being written and checked), so that putting them in place for the run costs
 * no git process: see {@link withOldSourceInPlace}.
 */
export interface OldSourceExport {
  oldSha: string;
  headSha: string;
  /** Source files modified since `oldSha` (their old versions are under `dir`). */
  modifiedSince: string[];
  /** Source files `headSha` added: moved aside for the run. */
  addedSince: string[];
  /** Source files `headSha` deleted: their old versions (under `dir`) are put back for the run. */
  deletedSince: string[];
  /** Where the old versions are, as `git checkout-index --prefix` wrote them (modes and links included). */
  dir: string;
  /** A folder on the worktree's file system for moving its own files aside. */
  scratch: string;
}

/**
 * Exports the old source for {@link withOldSourceInPlace}: the changed files' old versions go under a new
 * folder in `scratch` (which must be on the worktree's file system; the worktree's own temporary folder), read
 * through a temporary index, so the worktree's index and files are not touched.
 */
export async function exportOldSource(
  worktree: Git,
  scratch: string,
  oldSha: string,
  headSha: string,
  isTestPath: (path: string) => boolean,
): Promise<OldSourceExport> {
  const diff = await worktree.run(["diff", "--name-status", "--no-renames", "-z", oldSha, headSha]);
  const fields = diff.stdout.split("\0").filter((f) => f !== "");
  const found: Pick<OldSourceExport, "modifiedSince" | "addedSince" | "deletedSince"> = {
    modifiedSince: [],
    addedSince: [],
    deletedSince: [],
  };
  for (let i = 0; i + 1 < fields.length; i += 2) {
    const [status, path] = [fields[i], fields[i + 1]];
    if (isTestPath(path)) continue;
    if (status === "A") found.addedSince.push(path);
    else if (status === "D") found.deletedSince.push(path);
    else found.modifiedSince.push(path);
  }
  const folder = await Deno.makeTempDir({ dir: scratch, prefix: "old-source-" });
  const dir = join(folder, "files");
  const fromOld = [...found.modifiedSince, ...found.deletedSince];
  if (fromOld.length > 0) {
    const env = { GIT_INDEX_FILE: join(folder, "index") }; // a throwaway index: the worktree's stays as it is
    await worktree.run(["read-tree", oldSha], { env });
    await worktree.run(["checkout-index", "-z", "--stdin", `--prefix=${dir}/`], {
      env,
      stdin: fromOld.join("\0"),
    });
  }
  return { oldSha, headSha, ...found, dir, scratch: folder };
}

/**
 * The old view without a second checkout: in `worktree` (our own temporary worktree at `headSha`, the patch
 * applied), the exported source files that differ from `oldSha` are put in place of today's while `fn` runs:
 * today's are moved aside (renamed, so they come back exactly as they were), the old ones copied in. Test files
 * and the patch stay as they are. Afterwards every file is checked to be back (the same file, nothing of the
 * old source left); no git process runs.
 */
export async function withOldSourceInPlace<T>(
  worktree: Git,
  view: OldSourceExport,
  fn: () => Promise<T>,
): Promise<T> {
  const present = [...view.modifiedSince, ...view.addedSince];
  const fromOld = [...view.modifiedSince, ...view.deletedSince];
  if (present.length + fromOld.length === 0) return await fn();
  const aside = await Deno.makeTempDir({ dir: view.scratch, prefix: "aside-" });
  const moved: { path: string; before: Deno.FileInfo }[] = [];
  const created: string[] = []; // folders made for a deleted file, outermost first
  const copied: string[] = [];
  let outcome: { ok: true; value: T } | { ok: false; error: unknown };
  try {
    for (const path of present) {
      const before = await Deno.lstat(join(worktree.dir, path));
      await Deno.mkdir(dirname(join(aside, path)), { recursive: true });
      await Deno.rename(join(worktree.dir, path), join(aside, path));
      moved.push({ path, before });
    }
    for (const path of fromOld) {
      const folder = await firstMissingFolder(worktree.dir, dirname(path));
      if (folder) {
        await Deno.mkdir(join(worktree.dir, folder), { recursive: true });
        created.push(folder);
      }
      copied.push(path);
      await copyEntry(join(view.dir, path), join(worktree.dir, path));
    }
    outcome = { ok: true, value: await fn() };
  } catch (error) {
    outcome = { ok: false, error };
  }
  await putBack(worktree.dir, aside, moved, copied, created, view.deletedSince);
  if (!outcome.ok) throw outcome.error;
  return outcome.value;
}

/** The outermost folder of `folder` (relative to `root`) that does not exist, or undefined when it does. */
async function firstMissingFolder(root: string, folder: string): Promise<string | undefined> {
  if (folder === "." || folder === "") return undefined;
  const parts = folder.split("/");
  for (let i = 1; i <= parts.length; i++) {
    const prefix = parts.slice(0, i).join("/");
    try {
      await Deno.lstat(join(root, prefix));
    } catch (err) {
      if (err instanceof Deno.errors.NotFound) return prefix;
      throw err;
    }
  }
  return undefined;
}

/** Copies a file as git wrote it: a symbolic link as a link, a file with its content and mode. */
async function copyEntry(from: string, to: string): Promise<void> {
  const info = await Deno.lstat(from);
  if (info.isSymlink) await Deno.symlink(await Deno.readLink(from), to);
  else await Deno.copyFile(from, to);
}

/** Puts the worktree back after {@link withOldSourceInPlace}, and checks that it is. */
async function putBack(
  root: string,
  aside: string,
  moved: { path: string; before: Deno.FileInfo }[],
  copied: string[],
  created: string[],
  deletedSince: string[],
): Promise<void> {
  const problems: string[] = [];
  for (const path of copied) await Deno.remove(join(root, path)).catch(() => {});
  for (const folder of created.reverse()) await Deno.remove(join(root, folder), { recursive: true }).catch(() => {});
  for (const { path } of moved) {
    await Deno.rename(join(aside, path), join(root, path)).catch((err) => problems.push(`${path} (${err.message})`));
  }
  for (const { path, before } of moved) {
    const after = await Deno.lstat(join(root, path)).catch(() => undefined);
    const same = after && after.ino === before.ino && after.dev === before.dev && after.size === before.size &&
      after.mtime?.getTime() === before.mtime?.getTime();
    if (!same && !problems.some((p) => p.startsWith(`${path} `))) problems.push(path);
  }
  for (const path of deletedSince) {
    if (await Deno.lstat(join(root, path)).then(() => true, () => false)) problems.push(`${path} (left behind)`);
  }
  await Deno.remove(aside, { recursive: true }).catch(() => {});
  if (problems.length > 0) throw new Error(`could not restore the worktree's source: ${problems.join(", ")}`);
}
