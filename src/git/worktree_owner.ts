/**
 * Telling what a killed run left behind from what a running run uses. A run removes its worktree on every way out
 * it gets to see (worktree.ts); SIGKILL (the OOM killer, a runner's hard cancel) gives it none, and the checkout
 * then stays where it was made. So each worktree's folder holds `sentries-owner.lock`, which the run that made it
 * keeps locked (an exclusive `flock`) from before git checks the worktree out until it is removed. The kernel lets
 * go of a lock when its process ends, however it ends: the next run in the same repository that can take the lock
 * knows the owner is gone and removes the worktree. One it cannot lock, or one without a lock file (not made by
 * this version, or not Sentries'), is left alone. No process ids, so no reused ones.
 */
import { basename, dirname, join } from "node:path";
import type { Git } from "./git.ts";
import { log } from "../log.ts";

export const OWNER_LOCK = "sentries-owner.lock";
/** The prefix of the folder that holds a worktree (`<folder>/repo`) and its lock. */
export const WORKTREE_PREFIX = "sentries-wt-";

/** Takes the owner lock of a new worktree's folder; undefined where locks are not to be had (it is then never swept). */
export async function holdOwnerLock(folder: string): Promise<Deno.FsFile | undefined> {
  let file: Deno.FsFile | undefined;
  try {
    file = await Deno.open(join(folder, OWNER_LOCK), { create: true, write: true });
    await file.lock(true); // a new file: nobody else holds it
    return file;
  } catch (err) {
    log.debug(`worktree owner lock in ${folder}: ${(err as Error).message}`);
    file?.close();
    return undefined;
  }
}

/** The worktrees `git worktree list --porcelain` names. */
export function worktreePaths(porcelain: string): string[] {
  return porcelain.split("\n").filter((l) => l.startsWith("worktree ")).map((l) => l.slice("worktree ".length));
}

/** Locks `folder`'s owner lock if its owner is gone (the lock is free); undefined if held or missing. */
async function lockIfOrphaned(folder: string): Promise<Deno.FsFile | undefined> {
  let file: Deno.FsFile;
  try {
    file = await Deno.open(join(folder, OWNER_LOCK), { read: true, write: true });
  } catch {
    return undefined; // no lock file: not ours to judge
  }
  try {
    if (await file.tryLock(true)) return file;
  } catch {
    // a lock that cannot be tried is treated as held
  }
  file.close();
  return undefined;
}

/**
 * Removes the repository's Sentries worktrees whose owner is gone (the module's doc); returns their folders.
 * Never throws: a leftover that cannot be removed now is tried again by the next run.
 */
export async function removeLeftoverWorktrees(repo: Git): Promise<string[]> {
  try {
    const listed = await repo.run(["worktree", "list", "--porcelain"], { allowFail: true });
    if (listed.code !== 0) return [];
    const removed: string[] = [];
    for (const path of worktreePaths(listed.stdout)) {
      const folder = dirname(path);
      if (basename(path) !== "repo" || !basename(folder).startsWith(WORKTREE_PREFIX)) continue;
      const lock = await lockIfOrphaned(folder);
      if (!lock) continue;
      try {
        const r = await repo.run(["worktree", "remove", "--force", path], { allowFail: true });
        if (r.code !== 0) {
          log.debug(`leftover worktree ${path}: git worktree remove: ${r.stderr.trim()}`);
          continue;
        }
        await Deno.remove(folder, { recursive: true }).catch(() => {});
        log.debug(`removed the worktree a killed run left at ${path}`);
        removed.push(folder);
      } finally {
        lock.close();
      }
    }
    return removed;
  } catch (err) {
    log.debug(`looking for leftover worktrees: ${(err as Error).message}`);
    return [];
  }
}
