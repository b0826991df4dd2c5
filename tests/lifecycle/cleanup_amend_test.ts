/** Cleanup must not take a person's rewrite of a bot commit (amend, rebase) for the bot's own work. */
import assert from "node:assert/strict";
import { join } from "node:path";
import { createWorktree } from "../../src/git/worktree.ts";
import { inspectBotBranch } from "../../src/lifecycle/git_facts.ts";
import { BOT, createWorld, HUMAN, OLD } from "./world.ts";

Deno.test("a bot commit amended by a person counts as someone else's commit", async () => {
  const world = await createWorld();
  try {
    const name = "ai-test-fixes/abc1234-20240110000000";
    const { sha } = await world.botBranch({ name, date: OLD });
    // `git commit --amend` keeps the author (Sentries) and the message (trailers); the committer is the person.
    const worktree = await createWorktree(world.git, sha);
    let amended: string;
    try {
      await Deno.writeTextFile(join(worktree.dir, "tests_fix.txt"), "the person's better fix\n");
      await worktree.git.run(["add", "tests_fix.txt"]);
      await worktree.git.run(["commit", "--amend", "--no-edit", "--quiet"], {
        env: { GIT_COMMITTER_NAME: HUMAN.name, GIT_COMMITTER_EMAIL: HUMAN.email },
      });
      amended = await worktree.git.headSha();
    } finally {
      await worktree.remove();
    }
    await world.git.run(["update-ref", `refs/heads/${name}`, amended]);

    const evidence = await inspectBotBranch(world.git, { name, sha: amended }, "local", "testsentry", BOT);
    assert.equal(evidence.proof, "metadata");
    assert.equal(evidence.foreign, "some");
    assert.match(evidence.foreignCommits.join(" "), /Jane Doe/);

    // The bot's own commits (author = committer = the bot) stay the bot's.
    const untouched = await world.botBranch({ name: "ai-test-fixes/def5678-20240110000000", date: OLD });
    const own = await inspectBotBranch(
      world.git,
      { name: "ai-test-fixes/def5678-20240110000000", sha: untouched.sha },
      "local",
      "testsentry",
      BOT,
    );
    assert.equal(own.foreign, "none");
  } finally {
    await world.cleanup();
  }
});
