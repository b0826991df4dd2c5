/**
 * Where configuration is read from: the repository's root, whatever folder inside it the run starts in (as git,
 * pytest and ruff find theirs). Found by walking up to the folder holding `.git` (a folder, or a file in a
 * linked worktree or submodule), without running git.
 */
import { dirname, join } from "node:path";

export async function configRoot(startDir: string): Promise<string> {
  let dir = startDir;
  while (true) {
    try {
      await Deno.lstat(join(dir, ".git"));
      return dir;
    } catch (err) {
      if (!(err instanceof Deno.errors.NotFound || err instanceof Deno.errors.NotADirectory)) throw err;
    }
    const parent = dirname(dir);
    if (parent === dir) return startDir;
    dir = parent;
  }
}
