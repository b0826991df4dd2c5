/**
 * Where Sentries' temporary worktrees go (setting `worktree_dir`). A worktree is a full checkout made and
 * thrown away on every run; where creating a file costs the kernel real work (some virtual disks take a
 * millisecond a file, which for a few hundred files is more than pytest's own start), a memory-backed file
 * system makes that nearly free. So `auto` uses /dev/shm where it is safe to — a tmpfs, mounted so that
 * programs may run from it (tests that run a script from the repository must behave as in the checkout), with
 * room for the checkout several times over, in /dev/shm and in memory — and the system temp folder otherwise.
 * `temp` always uses the system temp folder; any other value is a folder to use.
 */
import { statfs } from "node:fs/promises";
import type { Git } from "./git.ts";

export const MEMORY_DIR = "/dev/shm";

/** The checkout must fit this many times over, plus {@link RESERVE_BYTES}, in /dev/shm and in free memory. */
export const ROOM_FACTOR = 4;
export const RESERVE_BYTES = 256 * 1024 * 1024;

export interface WorktreeLocation {
  /** The folder to make the worktree's temporary folder in; undefined: the system temp folder. */
  dir: string | undefined;
  kind: "memory" | "temp" | "configured";
  /** Why, in a few words, for `doctor` and the debug log. */
  why: string;
}

/** What `auto` decides from; each a seam for tests. */
export interface LocationFacts {
  os: typeof Deno.build.os;
  /** /proc/self/mountinfo; undefined where it cannot be read. */
  mountInfo(): Promise<string | undefined>;
  /** Bytes free to an unprivileged user in the file system holding `path`; undefined where unknown. */
  freeBytes(path: string): Promise<number | undefined>;
  /** Memory the system can still give without swapping; undefined where unknown. */
  memoryAvailable(): number | undefined;
  /** The checkout's size in bytes; undefined where unknown. */
  checkoutBytes(): Promise<number | undefined>;
}

/** The mount options of the file system mounted at `path` (the last mount there wins), and its type. */
export function mountAt(mountInfo: string, path: string): { fsType: string; options: string[] } | undefined {
  let found: { fsType: string; options: string[] } | undefined;
  for (const line of mountInfo.split("\n")) {
    // 36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 - ext3 /dev/root rw,errors=continue  (proc(5))
    const [before, after] = line.split(" - ");
    if (!after) continue;
    const fields = before.split(" ");
    const mountPoint = fields[4]?.replace(/\\040/g, " ");
    if (mountPoint !== path) continue;
    found = { fsType: after.split(" ")[0], options: (fields[5] ?? "").split(",") };
  }
  return found;
}

function mib(bytes: number): string {
  return bytes >= 1024 ** 3 ? `${(bytes / 1024 ** 3).toFixed(1)} GiB` : `${Math.round(bytes / 1024 ** 2)} MiB`;
}

/** Decides `auto`: /dev/shm when every fact says it is safe, else the system temp folder, with the reason. */
export async function chooseAuto(facts: LocationFacts): Promise<WorktreeLocation> {
  const temp = (why: string): WorktreeLocation => ({ dir: undefined, kind: "temp", why });
  if (facts.os !== "linux") return temp("the system temp folder (no memory-backed folder is used off Linux)");
  const mount = mountAt(await facts.mountInfo() ?? "", MEMORY_DIR);
  if (!mount || mount.fsType !== "tmpfs") return temp(`the system temp folder (${MEMORY_DIR} is not a tmpfs)`);
  if (mount.options.includes("noexec") || mount.options.includes("ro")) {
    const which = mount.options.includes("ro") ? "read-only" : "noexec";
    return temp(`the system temp folder (${MEMORY_DIR} is mounted ${which})`);
  }
  const [free, size] = await Promise.all([facts.freeBytes(MEMORY_DIR), facts.checkoutBytes()]);
  const memory = facts.memoryAvailable();
  if (free === undefined || size === undefined || memory === undefined) {
    return temp(`the system temp folder (the room in ${MEMORY_DIR} or the checkout's size is unknown)`);
  }
  const needed = size * ROOM_FACTOR + RESERVE_BYTES;
  if (free < needed || memory < needed) {
    const short = free < needed ? `${mib(free)} free in ${MEMORY_DIR}` : `${mib(memory)} of memory available`;
    return temp(`the system temp folder (the ${mib(size)} checkout needs ${mib(needed)}; ${short})`);
  }
  return { dir: MEMORY_DIR, kind: "memory", why: `${MEMORY_DIR}, in memory (${mib(free)} free)` };
}

/** Where the setting puts worktrees: `auto`, `temp` or a folder (load-time validation checked it). */
export async function chooseWorktreeLocation(setting: string, facts: LocationFacts): Promise<WorktreeLocation> {
  if (setting === "auto") return await chooseAuto(facts);
  if (setting === "temp") return { dir: undefined, kind: "temp", why: "the system temp folder (worktree_dir = temp)" };
  return { dir: setting, kind: "configured", why: `${setting} (worktree_dir)` };
}

/** The machine's facts; the checkout's size is the sum of the blobs in `commit`'s tree (`git ls-tree -r -l`). */
export function machineFacts(repo: Git, commit: string): LocationFacts {
  return {
    os: Deno.build.os,
    mountInfo: () => Deno.readTextFile("/proc/self/mountinfo").catch(() => undefined),
    freeBytes: async (path) => {
      try {
        const stats = await statfs(path);
        return Number(stats.bavail) * Number(stats.bsize);
      } catch {
        return undefined;
      }
    },
    memoryAvailable: () => {
      try {
        return Deno.systemMemoryInfo().available;
      } catch {
        return undefined;
      }
    },
    checkoutBytes: async () => {
      const listed = await repo.run(["ls-tree", "-r", "-l", "-z", commit], { allowFail: true });
      if (listed.code !== 0) return undefined;
      let total = 0;
      for (const entry of listed.stdout.split("\0")) {
        // <mode> SP <type> SP <object> SP+ <size> TAB <path>; a submodule's size is "-".
        const size = /^\S+ blob \S+ +(\d+)\t/.exec(entry)?.[1];
        if (size) total += Number(size);
      }
      return total;
    },
  };
}
