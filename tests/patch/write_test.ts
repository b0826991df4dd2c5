/** writeChanges: all or nothing on the real filesystem, failures injected through the WriteOps seam. */
import assert from "node:assert/strict";
import { join } from "node:path";
import { SentriesError } from "../../src/errors.ts";
import { writeChanges } from "../../src/patch/mod.ts";
import { realWriteOps, writeChangesWith, type WriteOps } from "../../src/patch/write.ts";
import type { FileChange } from "../../src/patch/types.ts";
import { makeTempRepo, snapshot } from "./helpers.ts";

const FILES = { "tests/a.txt": "a\n", "tests/b.txt": "b\n", "tests/gone.txt": "gone\n" };

const CHANGES: FileChange[] = [
  { path: "tests/a.txt", oldContent: "a\n", newContent: "A\n" },
  { path: "tests/new/deeper/c.txt", oldContent: null, newContent: "C\n" },
  { path: "tests/b.txt", oldContent: "b\n", newContent: "B\n" },
  { path: "tests/gone.txt", oldContent: "gone\n", newContent: null },
];

Deno.test("writeChanges: modifies, creates (with folders) and deletes", async () => {
  await using temp = await makeTempRepo(FILES);
  await Deno.chmod(join(temp.repo, "tests/a.txt"), 0o755);
  await writeChanges(temp.repo, CHANGES);
  const after = await snapshot(temp.repo);
  assert.deepEqual(after, {
    "tests/": "(folder)",
    "tests/a.txt": "A\n",
    "tests/b.txt": "B\n",
    "tests/new/": "(folder)",
    "tests/new/deeper/": "(folder)",
    "tests/new/deeper/c.txt": "C\n",
  });
  assert.equal((await Deno.stat(join(temp.repo, "tests/a.txt"))).mode! & 0o777, 0o755, "file mode kept");
});

/** Ops that fail on the n-th call of one kind. */
function failingOps(kind: keyof WriteOps, failOnCall: number): WriteOps {
  let calls = 0;
  const wrap = <A extends unknown[]>(name: keyof WriteOps, real: (...args: A) => Promise<void>) => (...args: A) => {
    if (name === kind && ++calls === failOnCall) return Promise.reject(new Error(`injected ${name} failure`));
    return real(...args);
  };
  return {
    writeNewFile: wrap("writeNewFile", realWriteOps.writeNewFile),
    rename: wrap("rename", realWriteOps.rename),
    remove: wrap("remove", realWriteOps.remove),
    mkdir: wrap("mkdir", realWriteOps.mkdir),
  };
}

const FAILURES: Array<[keyof WriteOps, number]> = [
  ["mkdir", 2],
  ["writeNewFile", 1],
  ["writeNewFile", 3],
  ["rename", 1],
  ["rename", 2],
  ["rename", 3],
  ["remove", 1],
];

for (const [kind, call] of FAILURES) {
  Deno.test(`writeChanges: a failing ${kind} (call ${call}) leaves the disk exactly as it was`, async () => {
    await using temp = await makeTempRepo(FILES);
    const before = await snapshot(temp.root);
    await assert.rejects(
      () => writeChangesWith(temp.repo, CHANGES, failingOps(kind, call)),
      (err: unknown) =>
        err instanceof SentriesError && err.code === "patch.write_failed" && /restored/.test(err.message),
    );
    assert.deepEqual(await snapshot(temp.root), before);
  });
}

Deno.test("writeChanges: a real failure while staging (name too long) changes nothing", async () => {
  await using temp = await makeTempRepo(FILES);
  const before = await snapshot(temp.root);
  const longName = `tests/${"x".repeat(240)}.txt`; // fits, but its temp file name does not
  await assert.rejects(
    () =>
      writeChanges(temp.repo, [
        { path: "tests/a.txt", oldContent: "a\n", newContent: "A\n" },
        { path: longName, oldContent: null, newContent: "x\n" },
      ]),
    SentriesError,
  );
  assert.deepEqual(await snapshot(temp.root), before);
});

Deno.test("writeChanges: content changed since preparing → refused before any write", async () => {
  await using temp = await makeTempRepo(FILES);
  await Deno.writeTextFile(join(temp.repo, "tests/b.txt"), "edited meanwhile\n");
  const before = await snapshot(temp.root);
  await assert.rejects(() => writeChanges(temp.repo, CHANGES), /changed on disk/);
  assert.deepEqual(await snapshot(temp.root), before);
});

Deno.test("writeChanges: re-validates paths right before writing", async () => {
  await using temp = await makeTempRepo(FILES);
  // A symlinked folder planted after preparing: the write would leave the repository.
  await Deno.symlink(temp.outside, join(temp.repo, "tests/planted"));
  const before = await snapshot(temp.root);
  const attempts: FileChange[][] = [
    [{ path: "tests/planted/x.txt", oldContent: null, newContent: "x\n" }],
    [{ path: "../outside/x.txt", oldContent: null, newContent: "x\n" }],
    [{ path: "/tmp/x.txt", oldContent: null, newContent: "x\n" }],
    [{ path: ".git/config", oldContent: null, newContent: "x\n" }],
    [{ path: "tests/a.txt", oldContent: "a\n", newContent: "1\n" }, {
      path: "tests/a.txt",
      oldContent: "a\n",
      newContent: "2\n",
    }],
  ];
  for (const changes of attempts) {
    await assert.rejects(() => writeChanges(temp.repo, changes), /refusing to write/, JSON.stringify(changes));
  }
  assert.deepEqual(await snapshot(temp.root), before);
});
