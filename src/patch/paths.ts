/** Reading file paths out of diff headers, fence info strings and lines above fenced blocks. */

const LANGUAGE_WORDS = new Set([
  "diff",
  "patch",
  "udiff",
  "python",
  "py",
  "markdown",
  "md",
  "yaml",
  "yml",
  "toml",
  "json",
  "text",
  "txt",
  "ini",
  "cfg",
  "rst",
  "shell",
  "bash",
  "sh",
]);

/** Undoes git's C-style quoting of unusual paths (`"tests/a\tb.py"`). */
export function unquoteGitPath(raw: string): string {
  if (!(raw.length >= 2 && raw.startsWith('"') && raw.endsWith('"'))) return raw;
  const body = raw.slice(1, -1);
  const bytes: number[] = [];
  const encoder = new TextEncoder();
  for (let i = 0; i < body.length; i++) {
    const char = body[i];
    if (char !== "\\") {
      bytes.push(...encoder.encode(char));
      continue;
    }
    const next = body[++i];
    const simple: Record<string, number> = { n: 10, t: 9, r: 13, '"': 34, "\\": 92, a: 7, b: 8, f: 12, v: 11 };
    if (next in simple) bytes.push(simple[next]);
    else if (/[0-7]/.test(next)) {
      const octal = body.slice(i, i + 3);
      bytes.push(parseInt(octal, 8));
      i += 2;
    } else bytes.push(...encoder.encode(next ?? ""));
  }
  return new TextDecoder().decode(new Uint8Array(bytes));
}

/** The path part of a `---`/`+++` header: no timestamp after a tab, git quoting undone. */
export function headerPath(rest: string): string {
  const withoutTimestamp = rest.includes("\t") ? rest.slice(0, rest.indexOf("\t")) : rest;
  return unquoteGitPath(withoutTimestamp.trimEnd());
}

export const DEV_NULL = "/dev/null";

function stripDotSlash(path: string): string {
  let result = path;
  while (result.startsWith("./")) result = result.slice(2);
  return result;
}

/**
 * Strips git's `a/` and `b/` prefixes when the two headers agree that they are prefixes, and any
 * `./`. Returns null for /dev/null.
 */
export function normalizeHeaderPaths(
  oldRaw: string,
  newRaw: string,
): { oldPath: string | null; newPath: string | null } {
  const oldIsNull = oldRaw === DEV_NULL;
  const newIsNull = newRaw === DEV_NULL;
  let oldPath = oldRaw;
  let newPath = newRaw;
  const oldPrefixed = oldRaw.startsWith("a/");
  const newPrefixed = newRaw.startsWith("b/");
  if ((oldPrefixed || oldIsNull) && (newPrefixed || newIsNull) && !(oldIsNull && newIsNull)) {
    if (oldPrefixed) oldPath = oldRaw.slice(2);
    if (newPrefixed) newPath = newRaw.slice(2);
  } else if (oldPrefixed && oldRaw.slice(2) === stripDotSlash(newRaw)) {
    oldPath = oldRaw.slice(2);
  } else if (newPrefixed && newRaw.slice(2) === stripDotSlash(oldRaw)) {
    newPath = newRaw.slice(2);
  }
  return {
    oldPath: oldIsNull ? null : stripDotSlash(oldPath),
    newPath: newIsNull ? null : stripDotSlash(newPath),
  };
}

/** Splits `diff --git a/x b/x` into its two paths (best effort for unquoted paths with spaces). */
export function gitHeaderPaths(rest: string): { oldRaw: string; newRaw: string } | undefined {
  const quoted = /^("(?:[^"\\]|\\.)*"|\S+) ("(?:[^"\\]|\\.)*"|\S+)$/.exec(rest);
  if (quoted) return { oldRaw: unquoteGitPath(quoted[1]), newRaw: unquoteGitPath(quoted[2]) };
  const middle = rest.indexOf(" b/");
  if (rest.startsWith("a/") && middle > 0) return { oldRaw: rest.slice(0, middle), newRaw: rest.slice(middle + 1) };
  return undefined;
}

function looksLikePath(candidate: string): boolean {
  if (candidate.length === 0 || candidate.length > 200) return false;
  if (/[\s`'"<>|*]/.test(candidate)) return false;
  if (LANGUAGE_WORDS.has(candidate.toLowerCase())) return false;
  return /[./]/.test(candidate) && !/^\.+$/.test(candidate) && /[A-Za-z0-9_]/.test(candidate);
}

/**
 * A file path written alone on a line above a block: `tests/test_x.py`, `**tests/test_x.py**`,
 * `### File: tests/test_x.py`, `` `README.md`: ``. Sentences are not paths.
 */
export function pathFromLine(line: string): string | undefined {
  let text = line.trim();
  text = text.replace(/^#{1,6}\s*/, "").replace(/^[-*]\s+/, "");
  text = text.replace(/^(\*\*|__)(.*)\1$/, "$2").trim();
  text = text.replace(/^(file(name)?|path)\s*:\s*/i, "");
  text = text.replace(/:$/, "").trim();
  text = text.replace(/^`([^`]+)`$/, "$1").replace(/^(\*\*|__)(.*)\1$/, "$2").replace(/:$/, "").trim();
  text = stripDotSlash(text);
  return looksLikePath(text) ? text : undefined;
}

/** A path inside a fence's info string: ```python tests/x.py, ```tests/x.py, ```python:tests/x.py. */
export function pathFromFenceInfo(info: string): string | undefined {
  const tokens = info.split(/[\s:]+/).filter((t) => t.length > 0);
  for (let i = tokens.length - 1; i >= 0; i--) {
    const token = stripDotSlash(tokens[i].replace(/^(file(name)?|path)=/i, "").replace(/^["']|["']$/g, ""));
    if (looksLikePath(token)) return token;
  }
  return undefined;
}
