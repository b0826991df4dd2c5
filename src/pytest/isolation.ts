/**
 * The worktree's own source must win on sys.path (issue 15.4): with `PYTHONPATH=/home/me/proj/src` or an
 * editable install of the checkout, the tests in the temporary worktree imported the user's uncommitted
 * source instead of the commit under test. PYTHONPATH entries inside the user's checkout are moved to the
 * same place in the worktree, and the worktree's `src/` (a src layout) goes first, ahead of site-packages
 * and so ahead of an editable install's path entry or finder. Pure apart from one stat.
 */
import { delimiter, isAbsolute, join, relative, resolve } from "node:path";
import { readEnv } from "../env.ts";

/** PYTHONPATH for runs in `worktreeDir` of a checkout at `userRoot`; undefined when there is nothing to set. */
export function isolatedPythonPath(
  worktreeDir: string,
  userRoot: string,
  current: string | undefined,
  hasSrcLayout: boolean,
): string | undefined {
  const entries = (current ?? "").split(delimiter).filter((e) => e !== "").map((entry) => {
    if (!isAbsolute(entry)) return entry;
    const rel = relative(resolve(userRoot), resolve(entry));
    return rel === "" || (!rel.startsWith("..") && !isAbsolute(rel)) ? join(worktreeDir, rel) : entry;
  });
  const src = join(worktreeDir, "src");
  const all = hasSrcLayout && !entries.includes(src) ? [src, ...entries] : entries;
  return all.length > 0 ? all.join(delimiter) : undefined;
}

/** The extra environment for every pytest run in the worktree. */
export function worktreePytestEnv(worktreeDir: string, userRoot: string): Record<string, string> {
  // A src layout: src/ holds Python modules or packages (not, say, a C or JavaScript tree).
  let hasSrc = false;
  try {
    for (const entry of Deno.readDirSync(join(worktreeDir, "src"))) {
      const path = join(worktreeDir, "src", entry.name);
      if (entry.isFile && entry.name.endsWith(".py")) hasSrc = true;
      if (entry.isDirectory && [...Deno.readDirSync(path)].some((e) => e.isFile && e.name.endsWith(".py"))) {
        hasSrc = true;
      }
    }
  } catch {
    // no src/ folder
  }
  const path = isolatedPythonPath(worktreeDir, userRoot, readEnv("PYTHONPATH"), hasSrc);
  return path === undefined ? {} : { PYTHONPATH: path };
}
