/**
 * Deno lets the sentries binary write anywhere outside the denied system folders (see
 * permissions_test.ts for why it cannot do better), so where the app writes is kept to a
 * reviewed list: every module under src/ that calls a file-writing API must be listed here
 * with where it writes, and nothing else may. A new write site fails this test until someone
 * reviews it, adds it below, and updates README's "Security model".
 */
import assert from "node:assert/strict";
import { join, relative } from "node:path";
import { PROJECT_ROOT } from "../support/cli.ts";

/** Module → where it writes. Keep in sync with README "Security model". */
export const WRITE_SITES: Record<string, string> = {
  "src/git/worktree.ts":
    "creates and removes the temporary worktree folder ($XDG_RUNTIME_DIR or $TMPDIR or worktree_dir, sentries-wt-*)",
  "src/git/worktree_owner.ts":
    "creates the owner lock file inside a new worktree folder; removes a sentries-wt-* worktree folder of this repository whose owner lock is free (a killed run's)",
  "src/pytest/run.ts": "creates and removes a temporary folder for pytest's JUnit report ($TMPDIR/sentries-pytest-*)",
  "src/pytest/fork_server.ts":
    "writes its pytest plugin and each run's output into its own temporary folder ($TMPDIR/sentries-forkserver-*)",
  "src/git/overlay.ts":
    "puts files back inside a temporary worktree for the proof: the old source, exported into the worktree's own temporary folder, in the fix's worktree (restored and checked after), or the patched tests over a second worktree at the old commit",
  "src/sentries/testsentry/prove.ts": "writes and removes the proof's probe module inside the temporary worktree",
  "src/patch/write.ts": "writes a guarded patch's files inside the worktree (paths re-checked, symlinks resolved)",
  "src/delivery/deliver.ts": "writes .sentries-metadata.json inside the worktree before committing it",
  "src/delivery/summary.ts": "appends the run's report to $GITHUB_STEP_SUMMARY (GitHub Actions' job summary file)",
  "src/setup/env_files.ts": "writes .env and .env.example in the target repository (setup, asks first)",
  "src/setup/background.ts": "appends ollama serve's output to ~/.ollama/logs/sentries-ollama-serve.log (setup)",
};

const DENO_WRITE =
  /\bDeno\.(writeTextFile|writeFile|open|create|mkdir|makeTempDir|makeTempFile|remove|rename|copyFile|link|symlink|chmod|chown|truncate|utime)(Sync)?\b/;
const NODE_FS_IMPORT = /import\s+(?:\*\s+as\s+\w+|\w+|\{([^}]*)\})\s+from\s+["']node:fs(?:\/promises)?["']/g;
const NODE_FS_WRITE =
  /^(writeFile|appendFile|mkdir|mkdtemp|rm|rmdir|unlink|rename|copyFile|cp|open|createWriteStream|symlink|link|chmod|chown|lchown|truncate|utimes|lutimes|futimes|ftruncate|write|writev)(Sync)?$/;

/** The write APIs a source text uses (by name), empty when it only reads. */
export function writeApisIn(source: string): string[] {
  const found = new Set<string>();
  for (const match of source.matchAll(new RegExp(DENO_WRITE.source, "g"))) {
    found.add(`Deno.${match[1]}${match[2] ?? ""}`);
  }
  for (const match of source.matchAll(NODE_FS_IMPORT)) {
    if (match[1] === undefined) {
      found.add("node:fs (whole module)");
      continue;
    }
    for (const name of match[1].split(",").map((part) => part.trim().split(/\s+as\s+/)[0])) {
      if (NODE_FS_WRITE.test(name)) found.add(`node:fs ${name}`);
    }
  }
  return [...found].sort();
}

async function sourceFiles(dir: string): Promise<string[]> {
  const files: string[] = [];
  for await (const entry of Deno.readDir(dir)) {
    const path = join(dir, entry.name);
    if (entry.isDirectory) files.push(...await sourceFiles(path));
    else if (/\.tsx?$/.test(entry.name)) files.push(path);
  }
  return files;
}

Deno.test("every module under src/ that writes files is a reviewed write site, and every listed one still writes", async () => {
  const writers = new Map<string, string[]>();
  for (const file of await sourceFiles(join(PROJECT_ROOT, "src"))) {
    const apis = writeApisIn(await Deno.readTextFile(file));
    if (apis.length > 0) writers.set(relative(PROJECT_ROOT, file), apis);
  }
  const unreviewed = [...writers].filter(([file]) => !(file in WRITE_SITES)).map(([f, apis]) => `${f} (${apis})`);
  assert.deepEqual(unreviewed, [], "new write sites: review them, then list them in WRITE_SITES and the README");
  // A listed module that is missing is not an error: it may not have landed yet.
  const exists = async (file: string) => await Deno.stat(join(PROJECT_ROOT, file)).then(() => true, () => false);
  const stale = [];
  for (const file of Object.keys(WRITE_SITES)) if (!writers.has(file) && await exists(file)) stale.push(file);
  assert.deepEqual(stale, [], "listed write sites that no longer write: remove them here and in the README");
});

Deno.test("the scanner sees Deno and node:fs writes and ignores reads", () => {
  assert.deepEqual(writeApisIn(`await Deno.writeTextFile(p, s); Deno.removeSync(x);`), [
    "Deno.removeSync",
    "Deno.writeTextFile",
  ]);
  assert.deepEqual(writeApisIn(`import { statfs, readFile } from "node:fs/promises";`), []);
  assert.deepEqual(writeApisIn(`import { closeSync, mkdirSync, openSync } from "node:fs";`), [
    "node:fs mkdirSync",
    "node:fs openSync",
  ]);
  assert.deepEqual(writeApisIn(`import * as fs from "node:fs";`), ["node:fs (whole module)"]);
  assert.deepEqual(writeApisIn(`import { writeFile as w } from 'node:fs/promises';`), ["node:fs writeFile"]);
  assert.deepEqual(writeApisIn(`const text = await Deno.readTextFile(p); Deno.stat(p);`), []);
});
