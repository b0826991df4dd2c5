/** The bot branch: a name already taken (two runs in the same second) gets `-2`, `-3`, …; other git errors show. */
import assert from "node:assert/strict";
import { join } from "node:path";
import { commitOnBotBranch, createNewBranch } from "../../src/delivery/deliver.ts";
import { GitError } from "../../src/errors.ts";
import { Git } from "../../src/git/git.ts";
import { createWorktree } from "../../src/git/worktree.ts";
import { createPyRepo } from "../support/pyrepo.ts";
import { BOT, sampleMetadata as metadata } from "../support/bot.ts";

Deno.test("a bot branch whose name is taken gets the next free suffix, and the taken branches stay as they were", async () => {
  const repo = await createPyRepo({ files: { "tests/test_a.py": "def test_a():\n    assert 1\n" } });
  try {
    const base = (await repo.git("rev-parse", "HEAD")).trim();
    await repo.git("branch", "ai-test-fixes/abc");
    await repo.git("branch", "ai-test-fixes/abc-2");
    const wt = await createWorktree(new Git(repo.dir), base);
    try {
      await Deno.writeTextFile(join(wt.dir, "tests/test_a.py"), "def test_a():\n    assert 2\n");
      const { branch, commit } = await commitOnBotBranch({
        worktree: wt.git,
        branch: "ai-test-fixes/abc",
        paths: ["tests/test_a.py"],
        metadata: metadata(base),
        subject: "fix",
        body: "body",
        identity: BOT,
      });
      assert.equal(branch, "ai-test-fixes/abc-3");
      assert.equal((await repo.git("rev-parse", "ai-test-fixes/abc-3")).trim(), commit);
      for (const taken of ["ai-test-fixes/abc", "ai-test-fixes/abc-2"]) {
        assert.equal((await repo.git("rev-parse", taken)).trim(), base, `${taken} is untouched`);
      }
    } finally {
      await wt.remove();
    }
  } finally {
    await repo.cleanup();
  }
});

Deno.test("a branch name git refuses for another reason is an error that says why, not a retry", async () => {
  const repo = await createPyRepo({ files: { "a.txt": "a\n" } });
  try {
    const wt = await createWorktree(new Git(repo.dir), (await repo.git("rev-parse", "HEAD")).trim());
    try {
      await assert.rejects(createNewBranch(wt.git, "bad..name", "HEAD"), (err: unknown) => {
        assert.ok(err instanceof GitError);
        assert.match(err.message, /git branch failed: .*not a valid branch name/);
        return true;
      });
    } finally {
      await wt.remove();
    }
  } finally {
    await repo.cleanup();
  }
});
