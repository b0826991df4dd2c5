/**
 * `setup --yes` leaves `.env` and `.env.example` untracked; later runs must not call that the user's
 * uncommitted work. Real git repositories, setup in-process, then the real CLI.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { Git } from "../../src/git/git.ts";
import { UNTRACKED_NOTE } from "../../src/setup/step_files.ts";
import { hasUncommittedWork, resolveTarget } from "../../src/sentries/target.ts";
import { runCli } from "../support/cli.ts";
import { createPyRepo } from "../support/pyrepo.ts";
import { setup } from "./scenario.ts";

const NO_ENV_IGNORED = { ".gitignore": "__pycache__/\n" };

Deno.test("after setup --yes, its untracked .env and .env.example are not 'uncommitted changes'; a user's file is", async () => {
  await setup({ yes: true, files: NO_ENV_IGNORED }, async (r) => {
    assert.equal(r.outcome.exitCode, 0, r.out);
    assert.deepEqual((await r.repo.git("status", "--porcelain")).trim().split("\n").sort(), [
      "?? .env",
      "?? .env.example",
    ]);
    // setup says so, and still warns that git would commit .env.
    assert.ok(r.out.includes(`  - ${UNTRACKED_NOTE}`), r.out);
    assert.match(r.out, /\.env is not ignored by git, so `git add -A` would commit it/);
    assert.equal((await resolveTarget(new Git(r.repo.dir), "")).dirty, false);

    const clean = await runCli(["tests", "--json"], { cwd: r.repo.dir });
    assert.equal(clean.code, 0, clean.stderr);
    assert.equal(JSON.parse(clean.stdout).outcome, "no_failures");
    assert.doesNotMatch(clean.stderr, /uncommitted/);

    await r.repo.write({ "notes.txt": "mine\n" });
    assert.equal((await resolveTarget(new Git(r.repo.dir), "")).dirty, true);
    const dirty = await runCli(["tests", "--json"], { cwd: r.repo.dir });
    assert.equal(dirty.code, 0, dirty.stderr);
    assert.match(dirty.stderr, /warning: the working tree has uncommitted changes/);
  });
});

Deno.test("only Sentries' own files, untracked, at the root are left out; tracked or elsewhere they count", async () => {
  const repo = await createPyRepo({ files: { "calc.py": "x = 1\n", ".env": "MODEL_PLAN=a\n" } });
  try {
    const dirtyIn = async (dir = repo.dir) => (await resolveTarget(new Git(dir), "")).dirty;
    assert.equal(await dirtyIn(), false);
    // A committed .env that changed is the user's change.
    await repo.write({ ".env": "MODEL_PLAN=b\n" });
    assert.equal(await dirtyIn(), true);
    await repo.git("checkout", "--", ".env");
    // An untracked .env.example at the root, seen from a subfolder too (paths are from the root).
    await repo.write({ ".env.example": "# SENTRIES_MAX_ATTEMPTS=3\n", "pkg/__init__.py": "" });
    await repo.git("add", "pkg/__init__.py");
    await repo.git("commit", "-q", "-m", "pkg");
    assert.equal(await dirtyIn(), false);
    assert.equal(await dirtyIn(join(repo.dir, "pkg")), false);
    // The same names anywhere else are ordinary files.
    await repo.write({ "pkg/.env": "X=1\n" });
    assert.equal(await dirtyIn(), true);
  } finally {
    await repo.cleanup();
  }
});

Deno.test("hasUncommittedWork reads porcelain lines: only '?? .env' and '?? .env.example' are left out", () => {
  assert.equal(hasUncommittedWork([]), false);
  assert.equal(hasUncommittedWork(["?? .env", "?? .env.example"]), false);
  for (const line of [" M .env", "A  .env", "?? .env.local", "?? sub/.env", "?? .envrc", " M calc.py", "?? x.py"]) {
    assert.equal(hasUncommittedWork(["?? .env", line]), true, line);
  }
});
