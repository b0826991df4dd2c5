/**
 * Where Sentries' temporary worktrees go (setting `worktree_dir`). A worktree is a full checkout made and
 * thrown away on every run; where creating a file costs the kernel real work (some virtual disks take a
 * millisecond a file, which for a few hundred files is more than pytest's own start), a memory-backed file
 * system makes that nearly free. So `auto` uses the user's runtime folder (`$XDG_RUNTIME_DIR`, a tmpfs per user
 * that systemd mounts at /run/user/<uid>; GitHub's Ubuntu runners have one) where it is memory-backed and has
 * room for the checkout several times over, there and in memory; otherwise the system temp folder.
 *
 * Not /dev/shm: Deno refuses every file operation under /dev (and /proc, /sys) to a program without
 * --allow-all, whatever the permission set grants, and resolves symbolic links before it checks — so the release
 * binary can neither read nor write a worktree there (config validation refuses such a `worktree_dir`). Nor can
 * it read /proc/self/mountinfo, so a runtime folder's mount options are not checked: systemd mounts it `nosuid`
 * and `nodev` but not `noexec`, and one that refuses writes is caught by the checkout (createWorktreeIn then
 * uses the temp folder). `temp` always uses the system temp folder; any other value is a folder to use.
 */
import { isAbsolute, resolve } from "node:path";
import { statfs } from "node:fs/promises";
import type { Git } from "./git.ts";
import { readEnv } from "../env.ts";

/** The checkout must fit this many times over, plus {@link RESERVE_BYTES}, in the folder and in free memory. */
export const ROOM_FACTOR = 4;
export const RESERVE_BYTES = 256 * 1024 * 1024;

/** statfs(2) type numbers of memory-backed file systems. */
const MEMORY_FS_TYPES = new Map([[0x01021994, "tmpfs"], [0x858458f6, "ramfs"]]);

/** Folders (and everything under them) Deno refuses to touch without --allow-all. */
export const DENO_REFUSED = ["/dev", "/proc", "/sys"];

/** Whether `path` is in a folder Deno refuses to read or write without --allow-all ({@link DENO_REFUSED}). */
export function refusedByDeno(path: string): boolean {
  const full = resolve(path);
  return DENO_REFUSED.some((dir) => full === dir || full.startsWith(dir + "/"));
}

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
  /** `$XDG_RUNTIME_DIR`, as set. */
  runtimeDir: string | undefined;
  /** The statfs(2) type number of the file system holding `path`; undefined where unknown. */
  fsType(path: string): Promise<number | undefined>;
  /** Bytes free to an unprivileged user in the file system holding `path`; undefined where unknown. */
  freeBytes(path: string): Promise<number | undefined>;
  /** Memory the system can still give without swapping; undefined where unknown. */
  memoryAvailable(): number | undefined;
  /** The checkout's size in bytes; undefined where unknown. */
  checkoutBytes(): Promise<number | undefined>;
}

function mib(bytes: number): string {
  return bytes >= 1024 ** 3 ? `${(bytes / 1024 ** 3).toFixed(1)} GiB` : `${Math.round(bytes / 1024 ** 2)} MiB`;
}

/** Decides `auto`: the runtime folder when every fact says it is memory with room, else the system temp folder. */
export async function chooseAuto(facts: LocationFacts): Promise<WorktreeLocation> {
  const temp = (why: string): WorktreeLocation => ({ dir: undefined, kind: "temp", why });
  if (facts.os !== "linux") return temp("the system temp folder (no memory-backed folder is used off Linux)");
  const dir = facts.runtimeDir;
  if (!dir) return temp("the system temp folder (no XDG_RUNTIME_DIR, the memory-backed folder it would use)");
  if (!isAbsolute(dir)) return temp(`the system temp folder (XDG_RUNTIME_DIR=${dir} is not an absolute path)`);
  if (refusedByDeno(dir)) {
    return temp(
      `the system temp folder (XDG_RUNTIME_DIR=${dir} is under ${DENO_REFUSED.join(", ")}, which Deno refuses)`,
    );
  }
  const type = await facts.fsType(dir);
  if (type === undefined) return temp(`the system temp folder (XDG_RUNTIME_DIR=${dir} cannot be read)`);
  const fs = MEMORY_FS_TYPES.get(type);
  if (!fs) return temp(`the system temp folder (XDG_RUNTIME_DIR=${dir} is not memory-backed)`);
  const [free, size] = await Promise.all([facts.freeBytes(dir), facts.checkoutBytes()]);
  const memory = facts.memoryAvailable();
  if (free === undefined || size === undefined || memory === undefined) {
    return temp(`the system temp folder (the room in ${dir} or the checkout's size is unknown)`);
  }
  const needed = size * ROOM_FACTOR + RESERVE_BYTES;
  if (free < needed || memory < needed) {
    const short = free < needed ? `${mib(free)} free in ${dir}` : `${mib(memory)} of memory available`;
    return temp(`the system temp folder (the ${mib(size)} checkout needs ${mib(needed)}; ${short})`);
  }
  return { dir, kind: "memory", why: `${dir} (XDG_RUNTIME_DIR), in memory: a ${fs} with ${mib(free)} free` };
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
    runtimeDir: readEnv("XDG_RUNTIME_DIR"),
    fsType: async (path) => {
      try {
        return Number((await statfs(path)).type);
      } catch {
        return undefined;
      }
    },
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
