/**
 * Reads the repository's python files for context building: which files
 * exist (git's view: tracked plus untracked-but-not-ignored), their text and
 * their outline, each read at most once.
 */
import { join } from "node:path";
import { Git } from "../git/git.ts";
import { compareText } from "../pytest/results.ts";
import { type Block, outlineBlocks } from "./python_source.ts";
import { configuredPythonPath, importRoots, type ModuleIndex } from "./resolve.ts";

/** Files larger than this are not read: generated code helps no model. */
const MAX_FILE_BYTES = 512 * 1024;
const CONFIG_FILES = ["pyproject.toml", "pytest.ini", "tox.ini", "setup.cfg"];
const SKIPPED_DIRS = new Set([".git", ".venv", "venv", "node_modules", "__pycache__", ".tox", ".nox", "build", "dist"]);

export class SourceReader {
  private readonly texts = new Map<string, Promise<string | undefined>>();
  private readonly outlines = new Map<string, Promise<Block[]>>();
  private readonly fileSet: Set<string>;

  private constructor(readonly repoDir: string, readonly index: ModuleIndex) {
    this.fileSet = new Set(index.files);
  }

  static async open(givenDir: string): Promise<SourceReader> {
    // pytest prints real paths; match them.
    const repoDir = await Deno.realPath(givenDir).catch(() => givenDir);
    const files = await listPythonFiles(repoDir);
    const configs: Record<string, string | undefined> = {};
    for (const name of CONFIG_FILES) configs[name] = await readSmallFile(join(repoDir, name));
    return new SourceReader(repoDir, { files, roots: importRoots(files, configuredPythonPath(configs)) });
  }

  has(file: string): boolean {
    return this.fileSet.has(file);
  }

  text(file: string): Promise<string | undefined> {
    let text = this.texts.get(file);
    if (!text) {
      text = readSmallFile(join(this.repoDir, file));
      this.texts.set(file, text);
    }
    return text;
  }

  outline(file: string): Promise<Block[]> {
    let outline = this.outlines.get(file);
    if (!outline) {
      outline = this.text(file).then((text) => text === undefined ? [] : outlineBlocks(text));
      this.outlines.set(file, outline);
    }
    return outline;
  }

  /** A repository-relative path for a path printed in a traceback, or undefined when outside the repository. */
  relative(printed: string): string | undefined {
    if (!printed.startsWith("/")) return this.has(printed) ? printed : undefined;
    const base = this.repoDir.endsWith("/") ? this.repoDir : this.repoDir + "/";
    const relative = printed.startsWith(base) ? printed.slice(base.length) : undefined;
    return relative !== undefined && this.has(relative) ? relative : undefined;
  }
}

async function readSmallFile(path: string): Promise<string | undefined> {
  try {
    const info = await Deno.stat(path);
    if (!info.isFile || info.size > MAX_FILE_BYTES) return undefined;
    return await Deno.readTextFile(path);
  } catch {
    return undefined;
  }
}

/** Python files as git sees them; a plain directory walk when this is not a git repository. */
export async function listPythonFiles(repoDir: string): Promise<string[]> {
  const listed = await new Git(repoDir).run(
    ["-c", "core.quotepath=off", "ls-files", "-z", "--cached", "--others", "--exclude-standard", "--", "*.py"],
    { allowFail: true },
  );
  const files = listed.code === 0 ? listed.stdout.split("\0").filter(Boolean) : await walkPythonFiles(repoDir);
  return [...new Set(files)].sort(compareText);
}

async function walkPythonFiles(repoDir: string, relative = ""): Promise<string[]> {
  const found: string[] = [];
  for await (const entry of Deno.readDir(join(repoDir, relative))) {
    const path = relative === "" ? entry.name : `${relative}/${entry.name}`;
    if (entry.isDirectory && !SKIPPED_DIRS.has(entry.name) && !entry.name.startsWith(".")) {
      found.push(...await walkPythonFiles(repoDir, path));
    } else if (entry.isFile && entry.name.endsWith(".py")) {
      found.push(path);
    }
  }
  return found;
}
