/**
 * A temporary `git worktree` at a commit: the sentries work there and never
 * touch the user's working tree, index, current branch or uncommitted files.
 * Removed on every path out: success, error, and SIGINT/SIGTERM (via the
 * run's AbortSignal and `finally`).
 */
import { join } from "node:path";
import { log } from "../log.ts";
import { Git } from "./git.ts";
import { chooseWorktreeLocation, machineFacts, type WorktreeLocation } from "./worktree_location.ts";
import { holdOwnerLock, removeLeftoverWorktrees, WORKTREE_PREFIX } from "./worktree_owner.ts";

export interface Worktree {
  dir: string;
  git: Git;
  /** Throws away every change in the worktree: back to the commit it was made at. */
  reset(): Promise<void>;
  remove(): Promise<void>;
}

/**
 * Checks `commit` out in a new temporary worktree. `location` is the `worktree_dir` setting: `auto` (memory-backed
 * where that is safe, worktree_location.ts), `temp`, or a folder.
 */
export async function createWorktree(
  repo: Git,
  commit: string,
  signal?: AbortSignal,
  location = "auto",
): Promise<Worktree> {
  // A run killed with SIGKILL could not remove its worktree: forget those whose folder is gone, and remove
  // those whose run is over (their owner lock is free, worktree_owner.ts).
  const [where] = await Promise.all([
    chooseWorktreeLocation(location, machineFacts(repo, commit)),
    repo.run(["worktree", "prune"], { allowFail: true }).then(() => removeLeftoverWorktrees(repo)),
  ]);
  log.debug(`worktree location: ${where.why}`);
  return await createWorktreeIn(repo, commit, where, signal);
}

/** {@link createWorktree} where `where` says; a checkout that fails in memory is made again in the temp folder. */
export async function createWorktreeIn(
  repo: Git,
  commit: string,
  where: WorktreeLocation,
  signal?: AbortSignal,
): Promise<Worktree> {
  let parent: string;
  let lock: Deno.FsFile | undefined;
  try {
    ({ parent, lock } = await checkOut(repo, commit, where));
  } catch (err) {
    if (where.kind !== "memory" || signal?.aborted) throw err;
    // The memory folder had room when asked but not now, or refused: the system temp folder then.
    log.debug(`worktree in ${where.dir} failed (${(err as Error).message.split("\n")[0]}); using the temp folder`);
    await repo.run(["worktree", "prune"], { allowFail: true });
    ({ parent, lock } = await checkOut(repo, commit, { dir: undefined, kind: "temp", why: "the system temp folder" }));
  }
  const dir = join(parent, "repo");
  const git = new Git(dir, signal);
  let removed = false;
  return {
    dir,
    git,
    async reset() {
      await git.run(["reset", "--hard", "--quiet", commit]);
      await git.run(["clean", "-fdxq"]);
    },
    async remove() {
      if (removed) return;
      removed = true;
      // Not under the run's signal: cleanup must run even after an abort.
      const r = await new Git(repo.dir).run(["worktree", "remove", "--force", dir], { allowFail: true });
      await Deno.remove(parent, { recursive: true }).catch(() => {});
      lock?.close();
      if (r.code === 0) return; // git removed its record of the worktree too
      log.debug(`git worktree remove: ${r.stderr.trim()}`);
      await new Git(repo.dir).run(["worktree", "prune"], { allowFail: true });
    },
  };
}

/**
 * `git worktree add` in a new temporary folder where `where` says; returns that folder (removed on failure) and its
 * owner lock, taken before git registers the worktree so that no other run can take it for a killed run's.
 */
async function checkOut(
  repo: Git,
  commit: string,
  where: WorktreeLocation,
): Promise<{ parent: string; lock: Deno.FsFile | undefined }> {
  const parent = await Deno.makeTempDir({ dir: where.dir, prefix: WORKTREE_PREFIX });
  const lock = await holdOwnerLock(parent);
  try {
    // Parallel checkout (git 2.32+; older versions ignore the setting): writing the files is most of the cost.
    await repo.run([
      "-c",
      "checkout.workers=0",
      "worktree",
      "add",
      "--detach",
      "--quiet",
      join(parent, "repo"),
      commit,
    ]);
    return { parent, lock };
  } catch (err) {
    lock?.close();
    await Deno.remove(parent, { recursive: true }).catch(() => {});
    throw err;
  }
}
