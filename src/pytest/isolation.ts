/**
 * Runs in the temporary worktree must behave as runs in the user's checkout would, with one exception: the
 * code is the commit's.
 *
 * The worktree's own source must win on sys.path (issue 15.4): with `PYTHONPATH=/home/me/proj/src` or an
 * editable install of the checkout, the tests in the temporary worktree imported the user's uncommitted
 * source instead of the commit under test. PYTHONPATH entries inside the user's checkout are moved to the
 * same place in the worktree, and the worktree's `src/` (a src layout) goes first, ahead of site-packages
 * and so ahead of an editable install's path entry or finder. Pure apart from one stat.
 *
 * The Python is the checkout's (issue 14.3): under pyenv, `pytest` and `python3` are shims that pick the
 * version from the `.python-version` nearest their working folder. The worktree (an untracked
 * `.python-version` is not in it) and the fork server's empty folder would find none and run pyenv's global
 * version, so their runs get `PYENV_DIR` (where pyenv starts that search) set to the user's checkout.
 */
import { delimiter, isAbsolute, join, relative, resolve } from "node:path";
import { readEnv } from "../env.ts";

/**
 * `{ PYENV_DIR: userRoot }` when pyenv's shims are on PATH (`$PYENV_ROOT/shims`, by default `~/.pyenv/shims`)
 * and PYENV_DIR is not set already (a user's own PYENV_DIR is passed through as it is); else `{}`.
 */
export function pyenvDirEnv(
  userRoot: string,
  env: (name: string) => string | undefined = readEnv,
): Record<string, string> {
  if ((env("PYENV_DIR") ?? "") !== "") return {};
  const home = env("HOME");
  const root = env("PYENV_ROOT") || (home ? join(home, ".pyenv") : undefined);
  if (!root) return {};
  const shims = resolve(root, "shims");
  const onPath = (env("PATH") ?? "").split(delimiter).some((entry) => entry !== "" && resolve(entry) === shims);
  return onPath ? { PYENV_DIR: resolve(userRoot) } : {};
}

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
  return { ...pyenvDirEnv(userRoot), ...(path === undefined ? {} : { PYTHONPATH: path }) };
}

/** Whether two extra environments are the same variables with the same values. */
export function sameEnv(a: Record<string, string>, b: Record<string, string>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => Object.hasOwn(b, k) && a[k] === b[k]);
}
