/** The bot's metadata file is written into the worktree, never through a link the commit holds. */
import assert from "node:assert/strict";
import { join } from "node:path";
import { commitOnBotBranch } from "../../src/delivery/deliver.ts";
import { METADATA_FILE } from "../../src/delivery/metadata.ts";
import { Git } from "../../src/git/git.ts";
import { createWorktree } from "../../src/git/worktree.ts";
import { createPyRepo } from "../support/pyrepo.ts";
import { BOT, sampleMetadata as metadata } from "../support/bot.ts";

Deno.test("a committed .sentries-metadata.json symlink is replaced, not written through", async () => {
  const outside = await Deno.makeTempDir({ prefix: "sentries-outside-" });
  const victim = join(outside, "victim.txt");
  await Deno.writeTextFile(victim, "precious\n");
  const repo = await createPyRepo({ files: { "tests/test_a.py": "def test_a():\n    assert 1\n" } });
  try {
    await Deno.symlink(victim, join(repo.dir, METADATA_FILE));
    await repo.commit({ message: "link", files: {} });
    const base = (await repo.git("rev-parse", "HEAD")).trim();
    const wt = await createWorktree(new Git(repo.dir), base);
    try {
      await Deno.writeTextFile(join(wt.dir, "tests/test_a.py"), "def test_a():\n    assert 2\n");
      const { commit } = await commitOnBotBranch({
        worktree: wt.git,
        branch: "ai-test-fixes/abc",
        paths: ["tests/test_a.py"],
        metadata: metadata(base),
        subject: "fix",
        body: "body",
        identity: BOT,
      });
      assert.equal(await Deno.readTextFile(victim), "precious\n");
      const mode = (await repo.git("ls-tree", commit, METADATA_FILE)).split(" ")[0];
      assert.equal(mode, "100644");
      assert.equal(JSON.parse(await repo.git("show", `${commit}:${METADATA_FILE}`)).tool, "sentries");
    } finally {
      await wt.remove();
    }
  } finally {
    await repo.cleanup();
    await Deno.remove(outside, { recursive: true });
  }
});
