/**
 * The proof's old view in place (src/git/overlay.ts): the old versions of the changed source files are
 * exported ahead through a throwaway index, put in place for the run by renames and copies, and the worktree
 * is checked to be back afterwards — also when the run breaks, and when something tampered with it.
 */
import assert from "node:assert/strict";
import { dirname, join } from "node:path";
import { Git } from "../../src/git/git.ts";
import { exportOldSource, withOldSourceInPlace } from "../../src/git/overlay.ts";
import { createWorktree, type Worktree } from "../../src/git/worktree.ts";
import { createPyRepo, type PyRepo } from "../support/pyrepo.ts";

const isTest = (path: string) => path.startsWith("tests/");

const OLD_FILES = {
  "pkg/__init__.py": "",
  "pkg/core.py": "VALUE = 'old'\n",
  "pkg/legacy/__init__.py": "",
  "pkg/legacy/gone.py": "GONE = True\n",
  "tests/test_core.py": "from pkg.core import VALUE\n\n\ndef test_value():\n    assert VALUE == 'old'\n",
};

/** A repository whose second commit changes, adds and deletes source files (and changes a test). */
async function withChangedSource(
  fn: (ctx: { repo: PyRepo; worktree: Worktree; oldSha: string; headSha: string }) => Promise<void>,
): Promise<void> {
  const repo = await createPyRepo({
    files: OLD_FILES,
    commits: [{
      message: "new value, a new module, the legacy package gone",
      files: {
        "pkg/core.py": "VALUE = 'new'\n",
        "pkg/fresh/__init__.py": "",
        "pkg/fresh/extra.py": "EXTRA = 1\n",
        "pkg/legacy/__init__.py": null,
        "pkg/legacy/gone.py": null,
        "tests/test_core.py": "from pkg.core import VALUE\n\n\ndef test_value():\n    assert VALUE == 'new'\n",
      },
    }],
  });
  const git = new Git(repo.dir);
  const headSha = await git.headSha();
  const oldSha = await git.text(["rev-parse", "HEAD^"]);
  const worktree = await createWorktree(git, headSha);
  try {
    await fn({ repo, worktree, oldSha, headSha });
  } finally {
    await worktree.remove();
    await repo.cleanup();
  }
}

async function read(dir: string, path: string): Promise<string | undefined> {
  return await Deno.readTextFile(join(dir, path)).catch(() => undefined);
}

async function status(worktree: Worktree): Promise<string> {
  return await worktree.git.text(["status", "--porcelain", "--ignored"]);
}

Deno.test("old source in place: the run sees the old source with today's tests; afterwards all is back", () =>
  withChangedSource(async ({ worktree, oldSha, headSha }) => {
    await Deno.writeTextFile(join(worktree.dir, "tests/test_core.py"), "# the patch\n");
    const before = await status(worktree);
    const view = await exportOldSource(worktree.git, dirname(worktree.dir), oldSha, headSha, isTest);
    assert.deepEqual(view.modifiedSince, ["pkg/core.py"]);
    assert.deepEqual(view.addedSince, ["pkg/fresh/__init__.py", "pkg/fresh/extra.py"]);
    assert.deepEqual(view.deletedSince, ["pkg/legacy/__init__.py", "pkg/legacy/gone.py"]);
    assert.equal(await status(worktree), before, "exporting touches neither the worktree's files nor its index");

    const seen = await withOldSourceInPlace(worktree.git, view, async () => ({
      core: await read(worktree.dir, "pkg/core.py"),
      gone: await read(worktree.dir, "pkg/legacy/gone.py"),
      extra: await read(worktree.dir, "pkg/fresh/extra.py"),
      test: await read(worktree.dir, "tests/test_core.py"),
    }));
    assert.deepEqual(seen, { core: "VALUE = 'old'\n", gone: "GONE = True\n", extra: undefined, test: "# the patch\n" });
    assert.equal(await status(worktree), before);
    assert.equal(await read(worktree.dir, "pkg/core.py"), "VALUE = 'new'\n");
    assert.equal(await read(worktree.dir, "pkg/fresh/extra.py"), "EXTRA = 1\n");
    await assert.rejects(Deno.lstat(join(worktree.dir, "pkg/legacy")), Deno.errors.NotFound);

    // The export serves the next attempt too.
    const again = await withOldSourceInPlace(worktree.git, view, () => read(worktree.dir, "pkg/core.py"));
    assert.equal(again, "VALUE = 'old'\n");
    assert.equal(await status(worktree), before);
  }));

Deno.test("old source in place: a run that fails or writes into the old view still leaves the worktree as it was", () =>
  withChangedSource(async ({ worktree, oldSha, headSha }) => {
    const before = await status(worktree);
    const view = await exportOldSource(worktree.git, dirname(worktree.dir), oldSha, headSha, isTest);
    await assert.rejects(
      withOldSourceInPlace(worktree.git, view, async () => {
        // What the project's code might do under test: edit the old file, add files next to the old ones.
        await Deno.writeTextFile(join(worktree.dir, "pkg/core.py"), "VALUE = 'edited'\n");
        await Deno.writeTextFile(join(worktree.dir, "pkg/legacy/cache.txt"), "left over\n");
        throw new Error("pytest broke");
      }),
      /pytest broke/,
    );
    assert.equal(await status(worktree), before);
    assert.equal(await read(worktree.dir, "pkg/core.py"), "VALUE = 'new'\n");
    await assert.rejects(Deno.lstat(join(worktree.dir, "pkg/legacy")), Deno.errors.NotFound);
    // The old versions are still as git wrote them, for the next attempt.
    assert.equal(
      await withOldSourceInPlace(worktree.git, view, () => read(worktree.dir, "pkg/core.py")),
      "VALUE = 'old'\n",
    );
  }));

Deno.test("old source in place: a file swapped for another while aside is caught, not taken as restored", () =>
  withChangedSource(async ({ worktree, oldSha, headSha }) => {
    const view = await exportOldSource(worktree.git, dirname(worktree.dir), oldSha, headSha, isTest);
    await assert.rejects(
      withOldSourceInPlace(worktree.git, view, async () => {
        // Today's file, moved aside, replaced by a look-alike with other content (another inode).
        for await (const entry of Deno.readDir(view.scratch)) {
          if (!entry.name.startsWith("aside-")) continue;
          const aside = join(view.scratch, entry.name, "pkg/core.py");
          await Deno.remove(aside);
          await Deno.writeTextFile(aside, "VALUE = 'new'\nSNEAKY = 1\n");
        }
      }),
      /could not restore the worktree's source: pkg\/core\.py/,
    );
  }));

Deno.test("old source in place: an old file's mode and a symbolic link come back as git has them", async () => {
  const repo = await createPyRepo({ files: { "pkg/__init__.py": "", "pkg/core.py": "VALUE = 1\n" } });
  const git = new Git(repo.dir);
  try {
    // A commit with an executable script and a link, then one that changes both.
    await Deno.writeTextFile(join(repo.dir, "pkg/tool.sh"), "#!/bin/sh\necho old\n");
    await Deno.chmod(join(repo.dir, "pkg/tool.sh"), 0o755);
    await Deno.symlink("core.py", join(repo.dir, "pkg/alias.py"));
    await repo.git("add", "-A");
    await repo.git("commit", "-q", "-m", "tool and alias");
    const oldSha = await git.headSha();
    await Deno.writeTextFile(join(repo.dir, "pkg/tool.sh"), "#!/bin/sh\necho new\n");
    await Deno.chmod(join(repo.dir, "pkg/tool.sh"), 0o644);
    await Deno.remove(join(repo.dir, "pkg/alias.py"));
    await Deno.symlink("__init__.py", join(repo.dir, "pkg/alias.py"));
    await repo.git("commit", "-q", "-am", "tool and alias changed");
    const headSha = await git.headSha();
    const worktree = await createWorktree(git, headSha);
    try {
      const view = await exportOldSource(worktree.git, dirname(worktree.dir), oldSha, headSha, isTest);
      const seen = await withOldSourceInPlace(worktree.git, view, async () => ({
        executable: ((await Deno.lstat(join(worktree.dir, "pkg/tool.sh"))).mode ?? 0) & 0o111,
        link: await Deno.readLink(join(worktree.dir, "pkg/alias.py")),
      }));
      assert.deepEqual(seen, { executable: 0o111, link: "core.py" });
      assert.equal(await worktree.git.text(["status", "--porcelain"]), "");
      assert.equal(await Deno.readLink(join(worktree.dir, "pkg/alias.py")), "__init__.py");
    } finally {
      await worktree.remove();
    }
  } finally {
    await repo.cleanup();
  }
});
