/**
 * All-or-nothing writes. Paths are re-validated and the current content compared with what the
 * patch was computed from, right before writing. New contents go to temp files in the target's
 * folder first, then are renamed into place; if any step fails, files already replaced are
 * restored and created files and folders removed, so the disk ends as it started.
 */
import { basename, dirname, join, resolve } from "node:path";
import { SentriesError } from "../errors.ts";
import { checkRealPath } from "./guard_fs.ts";
import { checkPathSyntax } from "./guard_paths.ts";
import type { FileChange } from "./types.ts";

/** The filesystem calls writeChanges makes; tests inject failures through this seam. */
export interface WriteOps {
  writeNewFile(path: string, content: string, mode?: number): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  remove(path: string): Promise<void>;
  mkdir(path: string): Promise<void>;
}

export const realWriteOps: WriteOps = {
  async writeNewFile(path, content, mode) {
    // createNew: never follow or reuse something already at the temp path.
    await Deno.writeTextFile(path, content, { createNew: true, mode: mode ?? 0o644 });
    if (mode !== undefined) await Deno.chmod(path, mode);
  },
  rename: (from, to) => Deno.rename(from, to),
  remove: (path) => Deno.remove(path),
  mkdir: (path) => Deno.mkdir(path),
};

function writeError(message: string, cause?: unknown): SentriesError {
  return new SentriesError(message, { code: "patch.write_failed", cause, hint: "no file was changed" });
}

async function currentContent(path: string): Promise<string | null> {
  try {
    return await Deno.readTextFile(path);
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) return null;
    throw err;
  }
}

async function fileMode(path: string): Promise<number | undefined> {
  try {
    return (await Deno.stat(path)).mode ?? undefined;
  } catch {
    return undefined;
  }
}

async function validate(repoRoot: string, changes: readonly FileChange[]): Promise<void> {
  const seen = new Set<string>();
  for (const change of changes) {
    if (seen.has(change.path)) throw writeError(`refusing to write: ${change.path} appears twice in the change set`);
    seen.add(change.path);
    const syntax = checkPathSyntax(change.path);
    const real = syntax.length > 0 ? { problems: syntax } : await checkRealPath(repoRoot, change.path);
    if (real.problems.length > 0) throw writeError(`refusing to write: ${real.problems[0].message}`);
    const now = await currentContent(join(repoRoot, change.path));
    if (now !== change.oldContent) {
      throw writeError(`refusing to write: ${change.path} changed on disk since the patch was prepared`);
    }
  }
}

/** Folders above `path` that do not exist yet, outermost first. */
async function missingFolders(repoRoot: string, path: string): Promise<string[]> {
  const missing: string[] = [];
  let folder = dirname(join(repoRoot, path));
  while (folder.length > repoRoot.length) {
    try {
      await Deno.lstat(folder);
      break;
    } catch (err) {
      if (!(err instanceof Deno.errors.NotFound)) throw err;
      missing.unshift(folder);
      folder = dirname(folder);
    }
  }
  return missing;
}

export async function writeChangesWith(root: string, changes: readonly FileChange[], ops: WriteOps): Promise<void> {
  const repoRoot = resolve(root);
  await validate(repoRoot, changes);
  const modes = new Map<string, number | undefined>();
  const createdFolders: string[] = [];
  const temps = new Map<string, string>();
  const applied: FileChange[] = [];
  try {
    for (const change of changes) {
      if (change.newContent === null) continue;
      const target = join(repoRoot, change.path);
      for (const folder of await missingFolders(repoRoot, change.path)) {
        await ops.mkdir(folder);
        createdFolders.push(folder);
      }
      const temp = join(dirname(target), `.${basename(target)}.sentries-${crypto.randomUUID().slice(0, 8)}.tmp`);
      modes.set(change.path, await fileMode(target));
      await ops.writeNewFile(temp, change.newContent, modes.get(change.path));
      temps.set(change.path, temp);
    }
    for (const change of changes) {
      const target = join(repoRoot, change.path);
      if (change.newContent === null) await ops.remove(target);
      else {
        await ops.rename(temps.get(change.path)!, target);
        temps.delete(change.path);
      }
      applied.push(change);
    }
  } catch (err) {
    const leftovers = await rollBack(repoRoot, applied, temps, createdFolders, modes, ops);
    const suffix = leftovers.length === 0 ? "every file was restored" : `could not restore ${leftovers.join(", ")}`;
    throw writeError(`writing the patch failed (${err instanceof Error ? err.message : String(err)}); ${suffix}`, err);
  }
}

async function rollBack(
  repoRoot: string,
  applied: readonly FileChange[],
  temps: Map<string, string>,
  createdFolders: readonly string[],
  modes: ReadonlyMap<string, number | undefined>,
  ops: WriteOps,
): Promise<string[]> {
  const leftovers: string[] = [];
  for (const temp of temps.values()) {
    await ops.remove(temp).catch(() => undefined);
  }
  for (const change of [...applied].reverse()) {
    const target = join(repoRoot, change.path);
    try {
      if (change.oldContent === null) await ops.remove(target);
      else {
        const temp = `${target}.sentries-restore-${crypto.randomUUID().slice(0, 8)}.tmp`;
        await realWriteOps.writeNewFile(temp, change.oldContent, modes.get(change.path));
        await realWriteOps.rename(temp, target);
      }
    } catch {
      leftovers.push(change.path);
    }
  }
  for (const folder of [...createdFolders].reverse()) {
    await Deno.remove(folder).catch(() => undefined); // only removes it when empty
  }
  return leftovers;
}

/** Writes prepared changes all-or-nothing (see the module comment). */
export async function writeChanges(repoRoot: string, changes: FileChange[]): Promise<void> {
  await writeChangesWith(repoRoot, changes, realWriteOps);
}
