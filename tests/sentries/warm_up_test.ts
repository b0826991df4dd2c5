/**
 * The fork server warms up before the worktree exists only where its environment cannot depend on the
 * worktree (no PYTHONPATH, no `src` at the commit); otherwise it starts for the worktree, with the
 * worktree's source first (issue 15.4). Real git repositories, real pytest fork servers.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { Git } from "../../src/git/git.ts";
import { createWorktree } from "../../src/git/worktree.ts";
import { runPytest } from "../../src/pytest/mod.ts";
import { startWarmUp } from "../../src/sentries/testsentry/warm_up.ts";
import { createPyRepo, type PyRepo } from "../support/pyrepo.ts";

const SRC_LAYOUT = {
  "src/shop/__init__.py": "NAME = 'committed'\n",
  "tests/test_shop.py": "from shop import NAME\n\n\ndef test_name():\n    assert NAME == 'committed'\n",
};
const FLAT_LAYOUT = {
  "pyproject.toml": '[tool.pytest.ini_options]\npythonpath = ["."]\n',
  "shop/__init__.py": "NAME = 'committed'\n",
  "tests/test_shop.py": "from shop import NAME\n\n\ndef test_name():\n    assert NAME == 'committed'\n",
};

async function withoutPythonPath<T>(fn: () => Promise<T>): Promise<T> {
  const saved = Deno.env.get("PYTHONPATH");
  Deno.env.delete("PYTHONPATH");
  try {
    return await fn();
  } finally {
    if (saved !== undefined) Deno.env.set("PYTHONPATH", saved);
  }
}

/** Starts the warm-up for the repository's HEAD, makes the worktree, and runs its test on the server it gets. */
async function warmUpAndRun(repo: PyRepo, fork: "auto" | "on" | "off" = "on") {
  const git = new Git(repo.dir);
  const baseSha = (await repo.git("rev-parse", "HEAD")).trim();
  const warmUp = await startWarmUp({ pytestFork: fork, pytestCommand: undefined }, git, { baseSha, root: repo.dir });
  const worktree = await createWorktree(git, baseSha);
  try {
    const forkServer = warmUp.forWorktree(worktree.dir);
    const server = await forkServer;
    const run = server
      ? await runPytest(worktree.dir, { command: [...server.command], forkServer }, ["tests/test_shop.py"])
      : undefined;
    return { early: warmUp.early, server, run };
  } finally {
    await warmUp.stop();
    await warmUp.stop(); // a second stop does nothing
    await worktree.remove();
  }
}

Deno.test("warm-up: a flat layout without PYTHONPATH warms up before the worktree, and its runs see the worktree", async () => {
  const repo = await createPyRepo({ files: FLAT_LAYOUT });
  try {
    await repo.write({ "shop/__init__.py": "NAME = 'uncommitted'\n" }); // the user's tree: must not be imported
    const { early, server, run } = await withoutPythonPath(() => warmUpAndRun(repo));
    assert.equal(early, true);
    assert.ok(server);
    assert.equal(server.alive, false, "stop() ended the server");
    assert.deepEqual([run?.exitCode, run?.failures], [0, []], run?.outputTail);
  } finally {
    await repo.cleanup();
  }
});

Deno.test("warm-up: a src layout at the commit, or a PYTHONPATH, waits for the worktree (its source goes first)", async () => {
  const repo = await createPyRepo({ files: SRC_LAYOUT });
  try {
    const { early, run } = await withoutPythonPath(() => warmUpAndRun(repo));
    assert.equal(early, false, "src/ at the commit: the worktree's src/ must be on the server's sys.path");
    assert.deepEqual([run?.exitCode, run?.failures], [0, []], run?.outputTail);
  } finally {
    await repo.cleanup();
  }
  const flat = await createPyRepo({ files: FLAT_LAYOUT });
  const saved = Deno.env.get("PYTHONPATH");
  Deno.env.set("PYTHONPATH", join(flat.dir, "lib"));
  try {
    const { early, run } = await warmUpAndRun(flat);
    assert.equal(early, false, "PYTHONPATH entries may point into the checkout: mapped onto the worktree");
    assert.equal(run?.exitCode, 0, run?.outputTail);
  } finally {
    if (saved === undefined) Deno.env.delete("PYTHONPATH");
    else Deno.env.set("PYTHONPATH", saved);
    await flat.cleanup();
  }
});

Deno.test("warm-up: forking off starts no server", async () => {
  const repo = await createPyRepo({ files: FLAT_LAYOUT });
  try {
    const { early, server } = await withoutPythonPath(() => warmUpAndRun(repo, "off"));
    assert.deepEqual([early, server], [false, undefined]);
  } finally {
    await repo.cleanup();
  }
});
