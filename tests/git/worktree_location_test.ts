/**
 * Where the temporary worktrees go (worktree_location.ts): /dev/shm only where every fact says it is safe — a
 * tmpfs, not noexec or read-only, room for the checkout several times over in it and in memory — and the
 * system temp folder otherwise. The facts are seams here; the checkout's size and the worktrees themselves
 * are real.
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
  mountAt,
  RESERVE_BYTES,
  ROOM_FACTOR,
} from "../../src/git/worktree_location.ts";
import { createPyRepo } from "../support/pyrepo.ts";

const MiB = 1024 * 1024;

/** A Linux mountinfo with /dev/shm mounted as given (a host's, then a container's own mount over it). */
function mountInfo(shm: string): string {
  return [
    "22 1 252:1 / / rw,relatime shared:1 - ext4 /dev/vda1 rw,discard",
    "25 22 0:23 / /dev/shm rw,nosuid,nodev shared:3 - tmpfs tmpfs rw,size=8190000k",
    shm,
    "31 22 0:27 / /tmp/with\\040space rw,relatime - tmpfs tmpfs rw",
  ].join("\n");
}

function facts(over: Partial<LocationFacts> = {}): LocationFacts {
  return {
    os: "linux",
    mountInfo: () => Promise.resolve(mountInfo("")),
    freeBytes: () => Promise.resolve(8 * 1024 * MiB),
    memoryAvailable: () => 6 * 1024 * MiB,
    checkoutBytes: () => Promise.resolve(40 * MiB),
    ...over,
  };
}

Deno.test("mountAt reads the last mount at a path, its type and its per-mount options", () => {
  const docker = "40 25 0:50 / /dev/shm rw,nosuid,nodev,noexec,relatime - tmpfs shm rw,size=65536k";
  assert.deepEqual(mountAt(mountInfo(docker), "/dev/shm"), {
    fsType: "tmpfs",
    options: ["rw", "nosuid", "nodev", "noexec", "relatime"],
  });
  assert.deepEqual(mountAt(mountInfo(""), "/dev/shm")?.options, ["rw", "nosuid", "nodev"]);
  assert.equal(mountAt(mountInfo(""), "/tmp/with space")?.fsType, "tmpfs"); // octal escapes in mount points
  assert.equal(mountAt(mountInfo(""), "/dev"), undefined);
  assert.equal(mountAt("garbage\n\n", "/dev/shm"), undefined);
});

Deno.test("auto: a roomy tmpfs at /dev/shm that may run programs holds the worktree", async () => {
  const chosen = await chooseAuto(facts());
  assert.equal(chosen.kind, "memory");
  assert.equal(chosen.dir, "/dev/shm");
  assert.match(chosen.why, /in memory \(8\.0 GiB free\)/);
  // Exactly the room asked for is enough (an honest case at the edge).
  const size = 40 * MiB;
  const needed = size * ROOM_FACTOR + RESERVE_BYTES;
  const edge = await chooseAuto(facts({ freeBytes: () => Promise.resolve(needed), memoryAvailable: () => needed }));
  assert.equal(edge.kind, "memory");
});

Deno.test("auto: anything that makes /dev/shm unsafe or unknown means the system temp folder, with the reason", async () => {
  const cases: [string, Partial<LocationFacts>, RegExp][] = [
    ["macOS", { os: "darwin" }, /off Linux/],
    ["no /dev/shm mount", { mountInfo: () => Promise.resolve("22 1 252:1 / / rw - ext4 /dev/vda1 rw") }, /not a tmpfs/],
    ["mountinfo unreadable", { mountInfo: () => Promise.resolve(undefined) }, /not a tmpfs/],
    [
      "a disk mounted at /dev/shm",
      { mountInfo: () => Promise.resolve(mountInfo("40 25 8:1 / /dev/shm rw - ext4 /dev/sdb rw")) },
      /not a tmpfs/,
    ],
    [
      "Docker's noexec shm",
      { mountInfo: () => Promise.resolve(mountInfo("40 25 0:50 / /dev/shm rw,nosuid,noexec - tmpfs shm rw")) },
      /mounted noexec/,
    ],
    [
      "read-only",
      { mountInfo: () => Promise.resolve(mountInfo("40 25 0:50 / /dev/shm ro,nosuid - tmpfs shm ro")) },
      /mounted read-only/,
    ],
    ["free space unknown", { freeBytes: () => Promise.resolve(undefined) }, /unknown/],
    ["size unknown", { checkoutBytes: () => Promise.resolve(undefined) }, /unknown/],
    ["memory unknown", { memoryAvailable: () => undefined }, /unknown/],
    ["Docker's 64 MiB", { freeBytes: () => Promise.resolve(64 * MiB) }, /needs 416 MiB; 64 MiB free in \/dev\/shm/],
    ["one byte short", {
      freeBytes: () => Promise.resolve(40 * MiB * ROOM_FACTOR + RESERVE_BYTES - 1),
    }, /free in \/dev\/shm/],
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
    // /dev/shm said yes, then the checkout failed there (here: a folder that is not there): the temp folder.
    const fallback = await createWorktreeIn(git, head, { dir: "/nonexistent-sentries-shm", kind: "memory", why: "" });
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
