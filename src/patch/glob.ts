/**
 * A small glob matcher for allowlists over relative POSIX paths: `**` spans folders (including
 * none), `*` and `?` stay inside one path segment. Dotfiles match like any other name, which is
 * why the path guards refuse `.git` on their own.
 */

const cache = new Map<string, RegExp>();

function escapeRegExp(text: string): string {
  return text.replace(/[.+^${}()|[\]\\]/g, "\\$&");
}

export function globToRegExp(glob: string): RegExp {
  const cached = cache.get(glob);
  if (cached) return cached;
  let source = "";
  let i = 0;
  while (i < glob.length) {
    const char = glob[i];
    if (char === "*" && glob[i + 1] === "*") {
      const atSegmentStart = i === 0 || glob[i - 1] === "/";
      const followedBySlash = glob[i + 2] === "/";
      const atEnd = i + 2 === glob.length;
      if (atSegmentStart && followedBySlash) {
        source += "(?:[^/]+/)*"; // `**/`: zero or more whole folders
        i += 3;
        continue;
      }
      if (atSegmentStart && atEnd) {
        source += ".*"; // trailing `**`: everything below
        i += 2;
        continue;
      }
      source += "[^/]*"; // `**` inside a segment behaves like `*`
      i += 2;
      continue;
    }
    if (char === "*") source += "[^/]*";
    else if (char === "?") source += "[^/]";
    else source += escapeRegExp(char);
    i++;
  }
  const regexp = new RegExp(`^${source}$`);
  cache.set(glob, regexp);
  return regexp;
}

/** A folder glob `docs/` means everything below it. */
export function normalizeGlob(glob: string): string {
  return glob.endsWith("/") ? `${glob}**` : glob;
}

export function matchesGlob(path: string, glob: string): boolean {
  return globToRegExp(normalizeGlob(glob)).test(path);
}

export function matchesAnyGlob(path: string, globs: readonly string[]): boolean {
  return globs.some((glob) => matchesGlob(path, glob));
}
