/**
 * A temporary `git worktree` at a commit: the sentries work there and never
 * touch the user's working tree, index, current branch or uncommitted files.
 * Removed on every path out: success, error, and SIGINT/SIGTERM (via the
 * run's AbortSignal and `finally`).
 */
import { join } from "node:path";
import { log } from "../log.ts";
import { Git } from "./git.ts";

export interface Worktree {
  dir: string;
  git: Git;
  /** Throws away every change in the worktree: back to the commit it was made at. */
  reset(): Promise<void>;
  remove(): Promise<void>;
}

export async function createWorktree(repo: Git, commit: string, signal?: AbortSignal): Promise<Worktree> {
  const parent = await Deno.makeTempDir({ prefix: "sentries-wt-" });
  const dir = join(parent, "repo");
  // A run killed with SIGKILL could not remove its worktree; forget those whose folder is gone.
  await repo.run(["worktree", "prune"], { allowFail: true });
  // Parallel checkout (git 2.32+; older versions ignore the setting): writing the files is most of the cost.
  await repo.run(["-c", "checkout.workers=0", "worktree", "add", "--detach", "--quiet", dir, commit]);
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
      if (r.code === 0) return; // git removed its record of the worktree too
      log.debug(`git worktree remove: ${r.stderr.trim()}`);
      await new Git(repo.dir).run(["worktree", "prune"], { allowFail: true });
    },
  };
}
