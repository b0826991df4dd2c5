/**
 * The naive baseline's context: what a simple tool sends — each failing test's pytest report,
 * the whole failing test files and the whole source files they import. No ranking, no
 * excerpts, no history, no budget. Same signature as `buildTestContext`, for the pipeline's
 * strategy seam.
 */
import { join } from "node:path";
import type { buildTestContext, ContextSection } from "../src/context/mod.ts";
import type { TestFailure } from "../src/pytest/mod.ts";
import { estimateTokens } from "../src/llm/mod.ts";

/** Repository-relative module files a Python source imports (`import a.b`, `from a.b import c`) that exist. */
export async function importedFiles(repoDir: string, source: string): Promise<string[]> {
  const modules = new Set<string>();
  for (const m of source.matchAll(/^[ \t]*from[ \t]+([\w.]+)[ \t]+import[ \t]+(?:\(([^)]*)\)|([^\n]+))/gm)) {
    modules.add(m[1]);
    // `from pkg import module` imports a module too.
    const names = (m[2] ?? m[3]).split(",").map((s) => s.trim().split(/\s+/)[0]).filter(Boolean);
    for (const name of names) {
      modules.add(`${m[1]}.${name}`);
    }
  }
  for (const m of source.matchAll(/^[ \t]*import[ \t]+([\w.]+)/gm)) modules.add(m[1]);
  const files: string[] = [];
  for (const module of [...modules].sort()) {
    const base = module.replaceAll(".", "/");
    for (const candidate of [`${base}.py`, `${base}/__init__.py`]) {
      if (await isNonEmptyFile(join(repoDir, candidate))) {
        files.push(candidate);
        break;
      }
    }
  }
  return [...new Set(files)];
}

async function isNonEmptyFile(path: string): Promise<boolean> {
  try {
    const info = await Deno.stat(path);
    return info.isFile && info.size > 0;
  } catch {
    return false;
  }
}

export const buildNaiveContext: typeof buildTestContext = async (repoDir, failures) => {
  const sections: ContextSection[] = [];
  for (const failure of failures) {
    sections.push({ title: `Failure ${failure.nodeId}`, text: reportOf(failure, repoDir), priority: 100 });
  }
  const testFiles = [...new Set(failures.map((f) => f.file).filter(Boolean))].sort();
  const sourceFiles = new Set<string>();
  for (const file of testFiles) {
    const source = await Deno.readTextFile(join(repoDir, file)).catch(() => "");
    sections.push({ title: `Test file ${file}`, path: file, text: source, priority: 90 });
    for (const imported of await importedFiles(repoDir, source)) sourceFiles.add(imported);
  }
  for (const file of [...sourceFiles].sort()) {
    const source = await Deno.readTextFile(join(repoDir, file));
    sections.push({ title: `Source file ${file}`, path: file, text: source, priority: 80 });
  }
  const text = sections.map((s) => `## ${s.title}\n\`\`\`\n${s.text}\n\`\`\`\n`).join("\n");
  return {
    sections,
    text,
    estimatedTokens: estimateTokens(text),
    truncated: false,
    sourceFiles: [...sourceFiles].sort(),
    testFiles,
    shownFailures: failures.map((f) => f.nodeId),
  };
};

function reportOf(failure: TestFailure, repoDir: string): string {
  const prefix = repoDir.endsWith("/") ? repoDir : repoDir + "/";
  return `${failure.message}\n${failure.traceback}`.replaceAll(prefix, "");
}
