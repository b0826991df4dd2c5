/**
 * Leftovers of a killed run (worktree_owner.ts): removed by the next run only when their owner lock is free; a
 * running run's worktree, one without a lock file, and one that is not Sentries' are never touched. The kill
 * itself (SIGKILL of a real run) is in tests/sentries/tests_e2e_test.ts.
 */
import assert from "node:assert/strict";
import { dirname, join } from "node:path";
import { Git } from "../../src/git/git.ts";
import { createWorktree, type Worktree } from "../../src/git/worktree.ts";
import { OWNER_LOCK, worktreePaths } from "../../src/git/worktree_owner.ts";
import { createPyRepo, type PyRepo } from "../support/pyrepo.ts";

async function exists(path: string): Promise<boolean> {
  return await Deno.lstat(path).then(() => true, () => false);
}

/** A worktree as a killed run leaves it: registered, checked out, its lock file there but held by nobody. */
async function leftover(repo: PyRepo, prefix: string, lockFile: boolean): Promise<string> {
  const folder = await Deno.makeTempDir({ prefix });
  await repo.git("worktree", "add", "--detach", "--quiet", join(folder, "repo"), "HEAD");
  if (lockFile) await Deno.writeTextFile(join(folder, OWNER_LOCK), "");
  return folder;
}

Deno.test("a running run's worktree holds its lock: another open of the lock file cannot take it", async () => {
  const repo = await createPyRepo({ files: { "a.txt": "a\n" } });
  try {
    const worktree = await createWorktree(new Git(repo.dir), "HEAD");
    const lockPath = join(dirname(worktree.dir), OWNER_LOCK);
    const other = await Deno.open(lockPath, { read: true, write: true });
    try {
      assert.equal(await other.tryLock(true), false, "held by the run");
      await worktree.remove();
      assert.equal(await exists(lockPath), false);
    } finally {
      other.close();
    }
  } finally {
    await repo.cleanup();
  }
});

Deno.test("the next run removes what a killed run left, and nothing a running or unknown run owns", async () => {
  const repo = await createPyRepo({ files: { "a.txt": "a\n" } });
  const git = new Git(repo.dir);
  const made: Worktree[] = [];
  const folders: string[] = [];
  try {
    const killed = await leftover(repo, "sentries-wt-", true);
    const noLockFile = await leftover(repo, "sentries-wt-", false); // an older version's, or not ours to judge
    const notOurs = await leftover(repo, "someone-elses-wt-", true);
    folders.push(killed, noLockFile, notOurs);
    const running = await createWorktree(git, "HEAD"); // holds its lock
    made.push(running);

    const next = await createWorktree(git, "HEAD");
    made.push(next);
    const listed = worktreePaths(await repo.git("worktree", "list", "--porcelain"));
    assert.ok(!listed.includes(join(killed, "repo")), listed.join("\n"));
    assert.equal(await exists(killed), false, "the killed run's folder is removed");
    for (const dir of [join(noLockFile, "repo"), join(notOurs, "repo"), running.dir, next.dir]) {
      assert.ok(listed.includes(dir), `${dir} should stay: ${listed.join("\n")}`);
      assert.ok(await exists(join(dir, "a.txt")), `${dir} should keep its files`);
    }
  } finally {
    for (const w of made) await w.remove();
    for (const folder of folders) {
      await repo.git("worktree", "remove", "--force", join(folder, "repo")).catch(() => "");
      await Deno.remove(folder, { recursive: true }).catch(() => {});
    }
    await repo.cleanup();
  }
});
