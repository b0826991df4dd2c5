import assert from "node:assert/strict";
import { Git } from "../../src/git/git.ts";
import { createWorktree } from "../../src/git/worktree.ts";
import { createPyRepo } from "../support/pyrepo.ts";

Deno.test("a worktree left registered by a killed run (its folder gone) is forgotten by the next run", async () => {
  const repo = await createPyRepo({ files: { "a.txt": "a\n" } });
  try {
    const stale = await Deno.makeTempDir({ prefix: "sentries-wt-stale-" });
    await repo.git("worktree", "add", "--detach", "--quiet", `${stale}/repo`, "HEAD");
    await Deno.remove(stale, { recursive: true }); // what a reboot or tmp cleaner leaves behind
    const worktree = await createWorktree(new Git(repo.dir), (await repo.git("rev-parse", "HEAD")).trim());
    const listed = (await repo.git("worktree", "list", "--porcelain")).split("\n").filter((l) =>
      l.startsWith("worktree ")
    );
    assert.equal(listed.length, 2, listed.join("\n")); // the repo and the new one; the stale one is gone
    await worktree.remove();
    const after = (await repo.git("worktree", "list", "--porcelain")).split("\n").filter((l) =>
      l.startsWith("worktree ")
    );
    assert.equal(after.length, 1);
  } finally {
    await repo.cleanup();
  }
});
