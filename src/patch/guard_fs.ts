/**
 * Filesystem path guards: follows every existing part of a path on disk, so a symlinked file or
 * a symlinked parent folder cannot lead a write outside the repository or outside the allowlist.
 */
import { isAbsolute, join, relative, sep } from "node:path";
import { matchesAnyGlob } from "./glob.ts";
import { type PatchProblem, problem } from "./types.ts";

export interface RealPathCheck {
  problems: PatchProblem[];
  /** Whether the target exists as a regular file. */
  exists: boolean;
}

function isInside(root: string, candidate: string): boolean {
  const rel = relative(root, candidate);
  return rel === "" || (!rel.startsWith("..") && !isAbsolute(rel));
}

async function lstatOrNull(path: string): Promise<Deno.FileInfo | null> {
  try {
    return await Deno.lstat(path);
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) return null;
    throw err;
  }
}

/**
 * Walks `relPath` below the repository's real root. `allow` (globs) is checked against the real
 * location too, when given; writeChanges passes none and only keeps writes inside the repository.
 */
export async function checkRealPath(
  repoRoot: string,
  relPath: string,
  allow?: readonly string[],
): Promise<RealPathCheck> {
  const realRoot = await Deno.realPath(repoRoot);
  const segments = relPath.split("/");
  let current = realRoot;
  const fail = (code: string, message: string): RealPathCheck => ({
    problems: [problem(code, message, relPath)],
    exists: false,
  });
  for (let i = 0; i < segments.length; i++) {
    const isLast = i === segments.length - 1;
    const candidate = join(current, segments[i]);
    let info: Deno.FileInfo | null;
    try {
      info = await lstatOrNull(candidate);
    } catch (err) {
      return fail(
        "guard.path_unreadable",
        `cannot inspect ${relPath}: ${err instanceof Error ? err.message : String(err)}`,
      );
    }
    if (info === null) {
      current = join(current, ...segments.slice(i));
      break;
    }
    if (info.isSymlink) {
      if (isLast) return fail("guard.symlink_target", `${relPath} is a symbolic link; edits through links are refused`);
      let resolved: string;
      try {
        resolved = await Deno.realPath(candidate);
      } catch {
        return fail(
          "guard.symlink_escape",
          `${relPath} goes through a broken symbolic link (${segments.slice(0, i + 1).join("/")})`,
        );
      }
      if (!isInside(realRoot, resolved)) {
        return fail(
          "guard.symlink_escape",
          `${relPath} goes through the link ${segments.slice(0, i + 1).join("/")}, which points outside the repository`,
        );
      }
      current = resolved;
      continue;
    }
    if (!isLast && !info.isDirectory) {
      return fail(
        "guard.not_a_directory",
        `${segments.slice(0, i + 1).join("/")} is a file, so ${relPath} cannot exist`,
      );
    }
    if (isLast && !info.isFile) return fail("guard.not_a_file", `${relPath} exists but is not a regular file`);
    current = candidate;
    if (isLast) return finish(realRoot, current, relPath, allow, true);
  }
  return finish(realRoot, current, relPath, allow, false);
}

function finish(
  realRoot: string,
  realTarget: string,
  relPath: string,
  allow: readonly string[] | undefined,
  exists: boolean,
): RealPathCheck {
  if (!isInside(realRoot, realTarget)) {
    return {
      problems: [problem("guard.symlink_escape", `${relPath} resolves outside the repository`, relPath)],
      exists,
    };
  }
  const realRel = relative(realRoot, realTarget).split(sep).join("/");
  if (realRel.split("/").some((s) => s.toLowerCase() === ".git")) {
    return {
      problems: [problem("guard.git_path", `${relPath} resolves into a .git folder (${realRel})`, relPath)],
      exists,
    };
  }
  if (allow && !matchesAnyGlob(realRel, allow)) {
    return {
      problems: [
        problem(
          "guard.path_outside_allowlist",
          `${relPath} really is ${realRel} (through a symbolic link), which is outside the allowlist`,
          relPath,
        ),
      ],
      exists,
    };
  }
  return { problems: [], exists };
}
