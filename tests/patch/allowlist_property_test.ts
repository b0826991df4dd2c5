/**
 * Property: over generated paths (traversal, absolute, .git, control characters, symlinked
 * folders and files, case tricks), preparePatch + writeChanges never change anything outside
 * the allowlist, outside the repository, or inside .git. A seeded generator keeps runs reproducible.
 */
import assert from "node:assert/strict";
import { join, relative } from "node:path";
import { matchesAnyGlob } from "../../src/patch/glob.ts";
import { defaultPolicy, type EditFormat, preparePatch, writeChanges } from "../../src/patch/mod.ts";
import { makeTempRepo, snapshot } from "./helpers.ts";

function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a |= 0;
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SEGMENTS = [
  "tests",
  "tests",
  "tests",
  "docs",
  "src",
  ".git",
  ".github",
  "..",
  ".",
  "",
  "ext",
  "srclink",
  "gitlink",
  "link.txt",
  "sub",
  "a.txt",
  "notes.md",
  "TESTS",
  ".GIT",
  "a\u0000b",
  "a\nb",
  "a\\..\\b",
  "~",
  "C:",
  " ",
  "é.txt",
  "hooks",
  "pre-commit",
  "workflows",
  "ci.yml",
  "..tests",
  "tests..",
  "README.md",
];

function generatePath(random: () => number): string {
  const pick = () => SEGMENTS[Math.floor(random() * SEGMENTS.length)];
  const count = 1 + Math.floor(random() * 4);
  const segments = Array.from({ length: count }, pick);
  // Half of the paths start inside the allowlist, where the interesting tricks (links, `..`) live.
  if (random() < 0.5) segments.unshift("tests");
  const roll = random();
  const prefix = roll < 0.08 ? "/" : roll < 0.16 ? "./" : roll < 0.2 ? "../" : "";
  return prefix + segments.join("/");
}

/** Git's C-style quoting for header paths with special characters. */
function headerPath(prefix: string, path: string): string {
  // deno-lint-ignore no-control-regex -- control characters are what needs quoting
  if (!/[\x00-\x1f"\\]/.test(path)) return prefix + path;
  const escaped = [...(prefix + path)].map((c) => {
    if (c === "\\") return "\\\\";
    if (c === '"') return '\\"';
    if (c === "\n") return "\\n";
    const code = c.charCodeAt(0);
    return code < 0x20 ? `\\${code.toString(8).padStart(3, "0")}` : c;
  }).join("");
  return `"${escaped}"`;
}

function answerFor(path: string, format: EditFormat, existing: boolean): string {
  if (format === "search-replace") return `${path}\n<<<<<<< SEARCH\n=======\nplanted\n>>>>>>> REPLACE\n`;
  if (format === "whole") return `${path}\n\`\`\`\nplanted\n\`\`\`\n`;
  if (existing) return `--- ${headerPath("a/", path)}\n+++ ${headerPath("b/", path)}\n@@ -1 +1 @@\n-secret\n+planted\n`;
  return `--- /dev/null\n+++ ${headerPath("b/", path)}\n@@ -0,0 +1 @@\n+planted\n`;
}

Deno.test("property: nothing outside the allowlist is ever accepted or written", async () => {
  await using temp = await makeTempRepo(
    {
      "tests/a.txt": "secret\n",
      "src/a.txt": "secret\n",
      ".git/hooks/pre-commit": "secret\n",
      "docs/notes.md": "secret\n",
    },
    {
      "tests/ext": "../../outside",
      "tests/srclink": "../src",
      "tests/gitlink": "../.git",
      "tests/link.txt": "../src/a.txt",
    },
  );
  const policy = defaultPolicy("tests");
  const realRepo = await Deno.realPath(temp.repo);
  const random = mulberry32(20240611);
  const formats: EditFormat[] = ["udiff", "udiff", "search-replace", "whole"];
  let accepted = 0;
  for (let iteration = 0; iteration < 400; iteration++) {
    const path = generatePath(random);
    const format = formats[Math.floor(random() * formats.length)];
    const existing = random() < 0.3;
    const before = await snapshot(temp.root);
    const prepared = await preparePatch(answerFor(path, format, existing), { repoRoot: temp.repo, policy, format });
    if (prepared.kind === "ok") {
      accepted++;
      for (const change of prepared.changes) {
        assert.ok(matchesAnyGlob(change.path, policy.allow), `accepted ${JSON.stringify(change.path)}`);
      }
      try {
        await writeChanges(temp.repo, prepared.changes);
      } catch {
        // A refused write is fine; the snapshot comparison below still has to hold.
      }
      for (const change of prepared.changes) {
        const real = await Deno.realPath(join(temp.repo, change.path)).catch(() => undefined);
        if (real === undefined) continue;
        const rel = relative(realRepo, real);
        assert.ok(matchesAnyGlob(rel, policy.allow) && !rel.split("/").includes(".git"), `wrote to ${real}`);
      }
    }
    const after = await snapshot(temp.root);
    for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
      if (before[key] === after[key]) continue;
      const inRepo = key.startsWith("repo/") ? key.slice("repo/".length) : undefined;
      assert.ok(
        inRepo !== undefined && matchesAnyGlob(inRepo, policy.allow) &&
          !inRepo.toLowerCase().split("/").includes(".git"),
        `iteration ${iteration}: ${JSON.stringify(path)} (${format}) changed ${JSON.stringify(key)}`,
      );
    }
  }
  // The generator must also produce acceptable paths, or the property would hold vacuously.
  assert.ok(accepted > 10, `only ${accepted} generated patches were accepted`);
});
