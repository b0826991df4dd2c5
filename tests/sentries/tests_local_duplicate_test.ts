/**
 * Without GitHub, a second `sentries tests` on the same commit with the same failures finds the first run's
 * local bot branch by its run key and stops before asking any model (issue 15.11); `sentries status` flags
 * two bot branches that hold the same fix. Real git, real pytest, the scripted stand-in model server (its
 * chat requests are counted).
 */
import assert from "node:assert/strict";
import { runCli } from "../support/cli.ts";
import { createPyRepo, type PyRepo, WRONG_SUM_FIX, WRONG_SUM_REPO } from "../support/pyrepo.ts";
import { type StandIn, startStandIn } from "../support/standin_llm.ts";
import { scriptedReply, UPDATE_PLAN } from "../support/scripted_models.ts";

const FILES = WRONG_SUM_REPO;

const FIX = WRONG_SUM_FIX;

interface World {
  repo: PyRepo;
  standIn: StandIn;
  run(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }>;
  botBranches(): Promise<string[]>;
  close(): Promise<void>;
}

async function world(): Promise<World> {
  const repo = await createPyRepo({ files: FILES });
  const standIn = await startStandIn({ reply: scriptedReply({ plan: UPDATE_PLAN("1. expect 5"), patches: [FIX] }) });
  return {
    repo,
    standIn,
    run: (...args) => runCli(args, { cwd: repo.dir, env: { LLM_BASE: standIn.url } }),
    botBranches: async () =>
      (await repo.git("branch", "--list", "ai-test-fixes/*", "--format=%(refname:short)")).trim().split("\n")
        .filter(Boolean),
    close: async () => {
      await standIn.close();
      await repo.cleanup();
    },
  };
}

Deno.test("a second run on the same commit says which local branch has the fix and asks no model", async () => {
  const w = await world();
  try {
    const first = await w.run("tests", "--json");
    assert.equal(first.code, 0, first.stderr);
    const fixed = JSON.parse(first.stdout);
    assert.equal(fixed.outcome, "fixed");
    const asked = w.standIn.requests.length;
    assert.ok(asked >= 2, "the first run asked the planner and the patcher");
    const tip = (await w.repo.git("rev-parse", fixed.branch)).trim();

    const second = await w.run("tests", "--json");
    assert.equal(second.code, 0, second.stderr);
    const again = JSON.parse(second.stdout);
    assert.equal(again.outcome, "duplicate");
    assert.deepEqual(
      { branch: again.duplicateBranch.branch, commit: again.duplicateBranch.commit },
      { branch: fixed.branch, commit: tip },
    );
    assert.match(again.message, new RegExp(`Local branch ${fixed.branch} already has a verified fix`));
    assert.equal(again.llm.calls, 0);
    assert.equal(w.standIn.requests.length, asked, "the stand-in was not asked again");
    assert.deepEqual(await w.botBranches(), [fixed.branch], "no second branch");

    // A dry run stops the same way; the human report names the branch.
    const human = await w.run("tests", "--dry-run");
    assert.equal(human.code, 0, human.stderr);
    assert.match(human.stdout, /TestSentry: Already proposed/);
    assert.match(human.stdout, new RegExp(`existing branch: ${fixed.branch} \\(${tip.slice(0, 7)}\\)`));
    assert.equal(w.standIn.requests.length, asked);

    // One branch is no duplicate; a second bot branch with the same fix is.
    const alone = JSON.parse((await w.run("status", "--json")).stdout);
    assert.deepEqual(alone.duplicates, []);
    const copy = `ai-test-fixes/${tip.slice(0, 7)}-copy`;
    await w.repo.git("branch", copy, fixed.branch);
    const status = await w.run("status", "--json");
    assert.equal(status.code, 0, status.stderr);
    const report = JSON.parse(status.stdout);
    assert.equal(report.duplicates.length, 1);
    assert.deepEqual([...report.duplicates[0].branches].sort(), [copy, fixed.branch].sort());
    assert.equal(report.duplicates[0].baseSha, fixed.baseSha);
    const item = report.items.find((i: { name: string }) => i.name === copy);
    assert.deepEqual(item.duplicateOf, [fixed.branch]);
    const text = (await w.run("status")).stdout;
    assert.match(text, /Duplicate fixes/);
    assert.match(text, new RegExp(`duplicate: the same fix as ${fixed.branch}`));
  } finally {
    await w.close();
  }
});

Deno.test("honest case: the same failure on a new commit is a new fix and asks the model", async () => {
  const w = await world();
  try {
    const first = JSON.parse((await w.run("tests", "--json")).stdout);
    assert.equal(first.outcome, "fixed");
    const asked = w.standIn.requests.length;

    // The same failure on a new base commit: another key, so the model is asked and a new branch made.
    await w.repo.commit({ message: "Docs", files: { "README.md": "calc\n" } });
    const newBase = await w.run("tests", "--json");
    assert.equal(newBase.code, 0, newBase.stderr);
    const second = JSON.parse(newBase.stdout);
    assert.equal(second.outcome, "fixed");
    assert.ok(w.standIn.requests.length > asked, "the model was asked for the new base");
    assert.notEqual(second.branch, first.branch);

    // Different bases, different keys: status flags no duplicate.
    const status = JSON.parse((await w.run("status", "--json")).stdout);
    assert.deepEqual(status.duplicates, []);
  } finally {
    await w.close();
  }
});

// --- attacks: a branch that carries this run's key but is not the bot's verified fix must not stop the run ---

/** Changes the first run's branch so that it no longer is the fix the bot verified. */
const NOT_THE_FIX: [string, (w: World, branch: string) => Promise<void>][] = [
  [
    "someone committed on top of the bot's branch (the fix undone, the metadata kept)",
    async (w, branch) => {
      await w.repo.git("checkout", "--quiet", branch);
      await w.repo.commit({ message: "Undo the fix", files: { "tests/test_ops.py": FILES["tests/test_ops.py"] } });
      await w.repo.git("checkout", "--quiet", "main");
    },
  ],
  [
    "someone amended the bot's commit",
    async (w, branch) => {
      await w.repo.git("checkout", "--quiet", branch);
      await w.repo.write({ "tests/test_ops.py": FILES["tests/test_ops.py"] });
      await w.repo.git("commit", "--quiet", "-a", "--amend", "--no-edit");
      await w.repo.git("checkout", "--quiet", "main");
    },
  ],
  [
    "someone copied the metadata file onto a branch of their own",
    async (w, branch) => {
      const metadata = await w.repo.git("show", `${branch}:.sentries-metadata.json`);
      await w.repo.git("branch", "--quiet", "-D", branch);
      await w.repo.git("checkout", "--quiet", "-b", "ai-test-fixes/by-hand");
      await w.repo.commit({ message: "my fix", files: { ".sentries-metadata.json": metadata } });
      await w.repo.git("checkout", "--quiet", "main");
    },
  ],
  [
    "the branch was pushed to origin (its pull request may have been closed since)",
    async (w, branch) => {
      const origin = await Deno.makeTempDir({ prefix: "sentries-origin-" });
      try {
        await w.repo.git("init", "--quiet", "--bare", origin);
        await w.repo.git("remote", "add", "origin", origin);
        await w.repo.git("push", "--quiet", "origin", branch);
        await w.repo.git("push", "--quiet", "origin", `:refs/heads/${branch}`);
        await w.repo.git("update-ref", `refs/remotes/origin/${branch}`, branch); // a stale remote-tracking copy
      } finally {
        await Deno.remove(origin, { recursive: true });
      }
    },
  ],
];

for (const [what, change] of NOT_THE_FIX) {
  Deno.test(`a local branch with this run's key does not stop the run when ${what}`, async () => {
    const w = await world();
    try {
      const first = JSON.parse((await w.run("tests", "--json")).stdout);
      assert.equal(first.outcome, "fixed");
      const asked = w.standIn.requests.length;
      await change(w, first.branch);

      const second = await w.run("tests", "--json");
      assert.equal(second.code, 0, second.stderr);
      const again = JSON.parse(second.stdout);
      assert.equal(again.outcome, "fixed", JSON.stringify(again.duplicateBranch));
      assert.equal(again.duplicateBranch, undefined);
      assert.ok(w.standIn.requests.length > asked, "the model was asked for a new fix");
    } finally {
      await w.close();
    }
  });
}
