/** The bot's git commands run none of the repository's hooks. */
import assert from "node:assert/strict";
import { join } from "node:path";
import { commitOnBotBranch } from "../../src/delivery/deliver.ts";
import { Git } from "../../src/git/git.ts";
import { createWorktree } from "../../src/git/worktree.ts";
import { createPyRepo } from "../support/pyrepo.ts";
import { BOT, sampleMetadata as metadata } from "../support/bot.ts";

Deno.test("bot commits and worktrees run none of the repository's hooks (not even those --no-verify keeps)", async () => {
  const repo = await createPyRepo({ files: { "tests/test_a.py": "def test_a():\n    assert 1\n" } });
  const marks = await Deno.makeTempDir({ prefix: "sentries-hooks-" });
  try {
    const hooks = join(repo.dir, ".git", "hooks");
    for (const hook of ["post-checkout", "prepare-commit-msg", "post-commit", "reference-transaction"]) {
      const script = `#!/bin/sh\ntouch "${marks}/${hook}"\n` +
        (hook === "prepare-commit-msg" ? `printf 'JIRA-1 rewritten\\n' > "$1"\n` : "");
      await Deno.writeTextFile(join(hooks, hook), script, { mode: 0o755 });
    }
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
      const message = await repo.git("log", "-1", "--format=%B", commit);
      assert.match(message, /Sentries-Sentry: testsentry/);
    } finally {
      await wt.remove();
    }
    const ran = [];
    for await (const entry of Deno.readDir(marks)) ran.push(entry.name);
    assert.deepEqual(ran, []);
  } finally {
    await repo.cleanup();
    await Deno.remove(marks, { recursive: true });
  }
});
