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
import { startEarlyWarmUp, startWarmUp } from "../../src/sentries/testsentry/warm_up.ts";
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

/** The early start as the pipeline makes it: from `repoPath`, before the target is known; then startWarmUp. */
async function earlyThenTarget(repo: PyRepo, repoPath: string) {
  const git = new Git(repo.dir);
  const baseSha = (await repo.git("rev-parse", "HEAD")).trim();
  const earlier = startEarlyWarmUp({ pytestFork: "on", pytestCommand: undefined, repoPath });
  const root = await Deno.realPath(repo.dir); // as `git rev-parse --show-toplevel` gives it
  const warmUp = await startWarmUp({ pytestFork: "on", pytestCommand: undefined }, git, { baseSha, root }, earlier);
  const worktree = await createWorktree(git, baseSha);
  try {
    const forkServer = warmUp.forWorktree(worktree.dir);
    const server = await forkServer;
    const run = server
      ? await runPytest(worktree.dir, { command: [...server.command], forkServer }, ["tests/test_shop.py"])
      : undefined;
    const earlyServer = await earlier?.server;
    return { earlier, kept: earlyServer !== undefined && earlyServer === server, earlyServer, run, warmUp };
  } finally {
    await warmUp.stop();
    await worktree.remove();
  }
}

Deno.test("early warm-up: started before the target is known, and kept when the target confirms it", async () => {
  const repo = await createPyRepo({ files: FLAT_LAYOUT });
  try {
    const { earlier, kept, run } = await withoutPythonPath(() => earlyThenTarget(repo, repo.dir));
    assert.ok(earlier, "a flat layout at the folder given: started at once");
    assert.equal(kept, true);
    assert.deepEqual([run?.exitCode, run?.failures], [0, []], run?.outputTail);
  } finally {
    await repo.cleanup();
  }
});

Deno.test("early warm-up: given up when the target says otherwise, never started where the folder shows why not", async () => {
  const repo = await createPyRepo({ files: FLAT_LAYOUT });
  try {
    // Pointed at a subfolder: the root is elsewhere, so its environment may differ.
    const sub = await withoutPythonPath(() => earlyThenTarget(repo, join(repo.dir, "tests")));
    assert.ok(sub.earlier);
    assert.equal(sub.kept, false);
    assert.equal(sub.earlyServer?.alive ?? false, false, "the early server was ended");
    assert.equal(sub.run?.exitCode, 0, sub.run?.outputTail);
  } finally {
    await repo.cleanup();
  }
  const src = await createPyRepo({ files: SRC_LAYOUT });
  try {
    // src/ in the folder: the worktree's src/ must come first, so nothing starts early.
    assert.equal(startEarlyWarmUp({ pytestFork: "on", pytestCommand: undefined, repoPath: src.dir }), undefined);
    // src/ deleted in the user's tree but still at the commit: started, then given up.
    await Deno.remove(join(src.dir, "src"), { recursive: true });
    const gone = await withoutPythonPath(() => earlyThenTarget(src, src.dir));
    assert.ok(gone.earlier);
    assert.equal(gone.kept, false);
    assert.equal(gone.warmUp.early, false);
    assert.deepEqual([gone.run?.exitCode, gone.run?.failures], [0, []], gone.run?.outputTail);
  } finally {
    await src.cleanup();
  }
  const saved = Deno.env.get("PYTHONPATH");
  Deno.env.set("PYTHONPATH", "lib");
  try {
    assert.equal(startEarlyWarmUp({ pytestFork: "on", pytestCommand: undefined, repoPath: "." }), undefined);
  } finally {
    if (saved === undefined) Deno.env.delete("PYTHONPATH");
    else Deno.env.set("PYTHONPATH", saved);
  }
  assert.equal(startEarlyWarmUp({ pytestFork: "off", pytestCommand: undefined, repoPath: "." }), undefined);
});
