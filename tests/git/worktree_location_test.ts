/**
 * Where the temporary worktrees go (worktree_location.ts): the user's runtime folder (XDG_RUNTIME_DIR) only where
 * every fact says it is memory with room — a tmpfs or ramfs, room for the checkout several times over in it and in
 * memory, and not a folder Deno refuses — and the system temp folder otherwise; never /dev/shm. The facts are
 * seams here; the checkout's size, the file system types and the worktrees themselves are real.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { Git } from "../../src/git/git.ts";
import { createWorktree, createWorktreeIn } from "../../src/git/worktree.ts";
import {
  chooseAuto,
  chooseWorktreeLocation,
  type LocationFacts,
  machineFacts,
  refusedByDeno,
  RESERVE_BYTES,
  ROOM_FACTOR,
} from "../../src/git/worktree_location.ts";
import { createPyRepo } from "../support/pyrepo.ts";

const MiB = 1024 * 1024;
const TMPFS = 0x01021994;
const RAMFS = 0x858458f6;
const EXT4 = 0xef53;
const RUNTIME = "/run/user/1001";

function facts(over: Partial<LocationFacts> = {}): LocationFacts {
  return {
    os: "linux",
    runtimeDir: RUNTIME,
    fsType: () => Promise.resolve(TMPFS),
    freeBytes: () => Promise.resolve(8 * 1024 * MiB),
    memoryAvailable: () => 6 * 1024 * MiB,
    checkoutBytes: () => Promise.resolve(40 * MiB),
    ...over,
  };
}

Deno.test("refusedByDeno: /dev, /proc, /sys and everything under them; nothing that only looks alike", () => {
  for (const path of ["/dev", "/dev/shm", "/dev/shm/x", "/proc/self", "/sys/fs/cgroup", "/tmp/../dev/shm"]) {
    assert.ok(refusedByDeno(path), path);
  }
  for (const path of ["/run/user/1001", "/tmp", "/device", "/devices/x", "/home/me/dev", "/system"]) {
    assert.ok(!refusedByDeno(path), path);
  }
});

Deno.test("auto: a roomy memory-backed XDG_RUNTIME_DIR holds the worktree", async () => {
  const chosen = await chooseAuto(facts());
  assert.equal(chosen.kind, "memory");
  assert.equal(chosen.dir, RUNTIME);
  assert.match(chosen.why, /\/run\/user\/1001 \(XDG_RUNTIME_DIR\), in memory: a tmpfs with 8\.0 GiB free/);
  assert.equal((await chooseAuto(facts({ fsType: () => Promise.resolve(RAMFS) }))).kind, "memory");
  // Exactly the room asked for is enough (an honest case at the edge).
  const size = 40 * MiB;
  const needed = size * ROOM_FACTOR + RESERVE_BYTES;
  const edge = await chooseAuto(facts({ freeBytes: () => Promise.resolve(needed), memoryAvailable: () => needed }));
  assert.equal(edge.kind, "memory");
});

Deno.test("auto: anything that makes the runtime folder unusable or unknown means the system temp folder, with the reason", async () => {
  const cases: [string, Partial<LocationFacts>, RegExp][] = [
    ["macOS", { os: "darwin" }, /off Linux/],
    ["no XDG_RUNTIME_DIR", { runtimeDir: undefined }, /no XDG_RUNTIME_DIR/],
    ["an empty one", { runtimeDir: "" }, /no XDG_RUNTIME_DIR/],
    ["a relative one", { runtimeDir: "run/user/1001" }, /not an absolute path/],
    // /dev/shm is a tmpfs with room, but Deno refuses every file operation there.
    [
      "/dev/shm",
      { runtimeDir: "/dev/shm" },
      /XDG_RUNTIME_DIR=\/dev\/shm is under \/dev, \/proc, \/sys, which Deno refuses/,
    ],
    ["unreadable (another user's, or gone)", { fsType: () => Promise.resolve(undefined) }, /cannot be read/],
    ["on a disk", { fsType: () => Promise.resolve(EXT4) }, /is not memory-backed/],
    ["free space unknown", { freeBytes: () => Promise.resolve(undefined) }, /unknown/],
    ["size unknown", { checkoutBytes: () => Promise.resolve(undefined) }, /unknown/],
    ["memory unknown", { memoryAvailable: () => undefined }, /unknown/],
    ["a small runtime folder", { freeBytes: () => Promise.resolve(64 * MiB) }, /needs 416 MiB; 64 MiB free in \/run/],
    ["one byte short", {
      freeBytes: () => Promise.resolve(40 * MiB * ROOM_FACTOR + RESERVE_BYTES - 1),
    }, /free in \/run\/user\/1001/],
    ["memory short", { memoryAvailable: () => 300 * MiB }, /300 MiB of memory available/],
    ["a 2 GiB checkout", { checkoutBytes: () => Promise.resolve(2048 * MiB) }, /the 2\.0 GiB checkout needs 8\.3 GiB/],
  ];
  for (const [name, over, why] of cases) {
    const chosen = await chooseAuto(facts(over));
    assert.equal(chosen.kind, "temp", name);
    assert.equal(chosen.dir, undefined, name);
    assert.match(chosen.why, why, `${name}: ${chosen.why}`);
  }
});

Deno.test("this machine's file system types are read for real; a folder that is not there is unknown", async () => {
  const f = machineFacts(new Git("."), "HEAD");
  const tmp = await Deno.makeTempDir();
  try {
    assert.equal(typeof await f.fsType(tmp), "number");
    assert.equal(await f.fsType(join(tmp, "missing")), undefined);
  } finally {
    await Deno.remove(tmp);
  }
});

Deno.test("temp and a configured folder are used as set, whatever the machine offers", async () => {
  const asked: string[] = [];
  const spy = facts({
    checkoutBytes: () => {
      asked.push("size");
      return Promise.resolve(1);
    },
  });
  assert.deepEqual(await chooseWorktreeLocation("temp", spy), {
    dir: undefined,
    kind: "temp",
    why: "the system temp folder (worktree_dir = temp)",
  });
  assert.equal((await chooseWorktreeLocation("/srv/scratch", spy)).dir, "/srv/scratch");
  assert.deepEqual(asked, []); // nothing is measured for a location that is not automatic
});

Deno.test("the checkout's size is the sum of the commit's blobs, in nested folders, links and executables too", async () => {
  const repo = await createPyRepo({
    files: { "a.py": "x = 1\n", "pkg/deep/b.txt": "b".repeat(1000), "run.sh": "#!/bin/sh\necho hi\n" },
  });
  try {
    await Deno.symlink("a.py", join(repo.dir, "link.py"));
    await repo.git("add", "link.py");
    await repo.git("commit", "-qm", "link");
    const head = (await repo.git("rev-parse", "HEAD")).trim();
    const size = await machineFacts(new Git(repo.dir), head).checkoutBytes();
    assert.equal(size, 6 + 1000 + 18 + "a.py".length);
    assert.equal(await machineFacts(new Git(repo.dir), "0".repeat(40)).checkoutBytes(), undefined);
  } finally {
    await repo.cleanup();
  }
});

Deno.test("a configured folder gets the worktree, and removing it leaves the folder as it was", async () => {
  const repo = await createPyRepo({ files: { "a.py": "x = 1\n" } });
  const scratch = await Deno.makeTempDir({ prefix: "sentries-wtdir-" });
  try {
    const head = (await repo.git("rev-parse", "HEAD")).trim();
    const worktree = await createWorktree(new Git(repo.dir), head, undefined, scratch);
    assert.ok(worktree.dir.startsWith(scratch + "/sentries-wt-"), worktree.dir);
    assert.equal(await Deno.readTextFile(join(worktree.dir, "a.py")), "x = 1\n");
    await worktree.remove();
    assert.deepEqual([...Deno.readDirSync(scratch)], []);
  } finally {
    await repo.cleanup();
    await Deno.remove(scratch, { recursive: true });
  }
});

Deno.test("auto puts the worktree where this machine's facts say, and a failing memory checkout falls back", async () => {
  const repo = await createPyRepo({ files: { "a.py": "x = 1\n" } });
  try {
    const git = new Git(repo.dir);
    const head = (await repo.git("rev-parse", "HEAD")).trim();
    const expected = await chooseAuto(machineFacts(git, head));
    const worktree = await createWorktree(git, head);
    try {
      const real = await Deno.realPath(expected.dir ?? Deno.env.get("TMPDIR") ?? "/tmp");
      assert.ok((await Deno.realPath(worktree.dir)).startsWith(real + "/sentries-wt-"), `${worktree.dir} (${real})`);
    } finally {
      await worktree.remove();
    }
    // The runtime folder said yes, then the checkout failed there (here: a folder that is not there): temp.
    const fallback = await createWorktreeIn(git, head, { dir: "/nonexistent-sentries-run", kind: "memory", why: "" });
    try {
      assert.equal(await Deno.readTextFile(join(fallback.dir, "a.py")), "x = 1\n");
      assert.ok(!fallback.dir.startsWith("/nonexistent"));
    } finally {
      await fallback.remove();
    }
    // A folder the user chose is never second-guessed: its failure is the run's error.
    await assert.rejects(() =>
      createWorktreeIn(git, head, { dir: "/nonexistent-sentries-x", kind: "configured", why: "" })
    );
    const listed = (await repo.git("worktree", "list", "--porcelain")).split("\n").filter((l) =>
      l.startsWith("worktree ")
    );
    assert.equal(listed.length, 1, listed.join("\n")); // nothing left registered
  } finally {
    await repo.cleanup();
  }
});
