/**
 * `sentries tests` stops before any model call when the failures are the environment's (issue 13.4, 15.6):
 * exit 1, outcome environment_problem, the module and the fix named, no branch, no worktree left.
 */
import assert from "node:assert/strict";
import { runCli } from "../support/cli.ts";
import { createPyRepo } from "../support/pyrepo.ts";
import { startStandIn } from "../support/standin_llm.ts";
import { scriptedReply, UPDATE_PLAN } from "../support/scripted_models.ts";

Deno.test("a missing test dependency: exit 1, no model call, nothing created", async () => {
  const repo = await createPyRepo({
    files: {
      "tests/test_a.py": "import sentries_not_installed_dep\n\n\ndef test_a():\n    assert True\n",
      "tests/test_b.py": "def test_b():\n    assert True\n",
    },
  });
  const standIn = await startStandIn({ reply: scriptedReply({ plan: UPDATE_PLAN("1. x"), patches: [] }) });
  try {
    const branchesBefore = await repo.git("branch", "--format=%(refname:short)");
    const r = await runCli(["tests", "--json"], { cwd: repo.dir, env: { LLM_BASE: standIn.url } });
    assert.equal(r.code, 1, r.stderr);
    const report = JSON.parse(r.stdout);
    assert.equal(report.outcome, "environment_problem");
    assert.deepEqual(report.environment.modules, ["sentries_not_installed_dep"]);
    assert.match(report.message, /`sentries_not_installed_dep` is not installed/);
    assert.match(report.message, /install the test dependencies/);
    assert.equal(standIn.requests.length, 0, "no model was asked");
    assert.equal(await repo.git("branch", "--format=%(refname:short)"), branchesBefore);
    const worktrees = (await repo.git("worktree", "list", "--porcelain")).split("\n").filter((l) =>
      l.startsWith("worktree ")
    );
    assert.equal(worktrees.length, 1);

    const human = await runCli(["tests"], { cwd: repo.dir, env: { LLM_BASE: standIn.url } });
    assert.equal(human.code, 1);
    assert.match(human.stdout + human.stderr, /Environment problem/);
  } finally {
    await standIn.close();
    await repo.cleanup();
  }
});
