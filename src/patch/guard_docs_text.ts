/**
 * Docs-only means documentation text. Under the docs allowlist live files that run: Sphinx executes
 * `docs/conf.py` and its extensions on every build, `Makefile`/`make.bat` and scripts are run by
 * hand or by CI, notebooks execute, ReadTheDocs installs `docs/requirements.txt`. The docs sentry
 * edits only Markdown, reStructuredText, AsciiDoc and plain text files, and the declared spec
 * files; nothing executable.
 */
import { join } from "node:path";
import { type PatchProblem, problem } from "./types.ts";

const TEXT_EXTENSIONS = new Set(["md", "markdown", "rst", "txt", "adoc", "asciidoc"]);
/** Spec files the docs sentry maintains (they are checked for validity by the docs checks). */
const SPEC_FILES = new Set(["openapi.yaml", "openapi.yml"]);
/** Plain-text names that are build inputs, not prose. */
const BUILD_TEXT = /^(requirements|constraints)([-_.].*)?\.txt$/i;

const TEXT_KINDS = "Markdown, reStructuredText, AsciiDoc or plain text (or openapi.yaml)";

/** Why a path is not documentation text, or undefined when it is. Case does not help: `CONF.PY` is Python. */
export function notDocsTextReason(path: string): string | undefined {
  const base = path.split("/").pop() ?? "";
  if (SPEC_FILES.has(base)) return undefined;
  const dot = base.lastIndexOf(".");
  const ext = dot > 0 ? base.slice(dot + 1).toLowerCase() : "";
  if (!TEXT_EXTENSIONS.has(ext)) {
    return ext === "" ? "has no text extension (a build file such as a Makefile?)" : `is a .${ext} file`;
  }
  if (BUILD_TEXT.test(base)) return "is a dependency list that docs builds install";
  return undefined;
}

export function checkDocsTextPath(path: string): PatchProblem[] {
  const reason = notDocsTextReason(path);
  if (reason === undefined) return [];
  return [problem(
    "docs.not_text",
    `${path} ${reason}, not documentation text; the docs sentry only edits ${TEXT_KINDS}`,
    path,
  )];
}

/** An existing file with an executable bit runs as a program, whatever its name says. */
export async function checkDocsFileMode(repoRoot: string, path: string): Promise<PatchProblem[]> {
  let info: Deno.FileInfo;
  try {
    info = await Deno.lstat(join(repoRoot, path));
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) return [];
    throw err;
  }
  if (info.mode === null || (info.mode & 0o111) === 0) return [];
  return [problem(
    "docs.not_text",
    `${path} is executable (mode ${
      (info.mode & 0o777).toString(8)
    }), not documentation text; the docs sentry does not edit programs`,
    path,
  )];
}
