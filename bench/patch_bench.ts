/**
 * Patch engine micro-benchmark: a 50-hunk diff applied to a 10,000-line file must stay well
 * under 50 ms. Run with `deno task bench:patch`.
 */
import { applyHunks } from "../src/patch/apply.ts";
import { canonicalDiff } from "../src/patch/canonical_diff.ts";
import { extractEdits } from "../src/patch/extract.ts";
import { defaultPolicy, preparePatch } from "../src/patch/mod.ts";
import { join } from "node:path";

const LINES = 10_000;
const HUNKS = 50;

const original = Array.from({ length: LINES }, (_, i) => `line ${i}: value = compute(${i % 97}, "${i}")`);
const content = original.join("\n") + "\n";

function buildDiff(): string {
  const parts = ["--- a/docs/big.md", "+++ b/docs/big.md"];
  const step = Math.floor(LINES / HUNKS);
  for (let h = 0; h < HUNKS; h++) {
    const at = h * step + 10;
    parts.push(`@@ -${at + 1},7 +${at + 1},7 @@`);
    for (let k = at; k < at + 3; k++) parts.push(` ${original[k]}`);
    parts.push(`-${original[at + 3]}`);
    parts.push(`+${original[at + 3].replace("value", "changed")}`);
    for (let k = at + 4; k < at + 7; k++) parts.push(` ${original[k]}`);
  }
  return parts.join("\n") + "\n";
}

const diff = buildDiff();
const sloppyDiff = diff.replace(/^@@ .* @@$/gm, "@@ @@");
// Every hunk line indented by two extra spaces: each hunk is found by a tolerant stage.
const indentedDiff = diff.replace(/^([ +-])(?!-- |\+\+ )/gm, "$1  ");
const hunks = (() => {
  const extraction = extractEdits(diff, "udiff");
  if (extraction.kind !== "edits" || extraction.edits.length !== 1) throw new Error("bench diff did not parse");
  return extraction.edits[0].hunks;
})();

// Sanity check before timing: every hunk applies.
const check = applyHunks("docs/big.md", content, hunks);
if (!check.ok || check.content.split("changed").length - 1 !== HUNKS) throw new Error("bench diff did not apply");

Deno.bench("apply 50 hunks to a 10,000-line file (located, in memory)", { group: "patch", baseline: true }, () => {
  const result = applyHunks("docs/big.md", content, hunks);
  if (!result.ok) throw new Error("apply failed");
});

Deno.bench("parse + apply 50 hunks (bare @@ headers)", { group: "patch" }, () => {
  const extraction = extractEdits(sloppyDiff, "udiff");
  if (extraction.kind !== "edits") throw new Error("no edits");
  const result = applyHunks("docs/big.md", content, extraction.edits[0].hunks);
  if (!result.ok) throw new Error("apply failed");
});

Deno.bench("parse + apply 50 uniformly indented hunks (tolerant stage)", { group: "patch" }, () => {
  const extraction = extractEdits(indentedDiff, "udiff");
  if (extraction.kind !== "edits") throw new Error("no edits");
  const result = applyHunks("docs/big.md", content, extraction.edits[0].hunks);
  if (!result.ok) throw new Error("apply failed");
});

Deno.bench("parse + apply + canonical diff (npm:diff)", { group: "patch" }, () => {
  const extraction = extractEdits(diff, "udiff");
  if (extraction.kind !== "edits") throw new Error("no edits");
  const result = applyHunks("docs/big.md", content, extraction.edits[0].hunks);
  if (!result.ok) throw new Error("apply failed");
  canonicalDiff([{ path: "docs/big.md", oldContent: content, newContent: result.content }]);
});

const repo = await Deno.makeTempDir({ prefix: "sentries-bench-" });
await Deno.mkdir(join(repo, "docs"));
await Deno.writeTextFile(join(repo, "docs/big.md"), content);
const policy = { ...defaultPolicy("docs"), maxChangedLines: 300 };

Deno.bench("preparePatch end to end (read, guards, apply, canonical diff)", { group: "patch" }, async () => {
  const prepared = await preparePatch(diff, { repoRoot: repo, policy });
  if (prepared.kind !== "ok") throw new Error(JSON.stringify(prepared));
});

globalThis.addEventListener("unload", () => Deno.removeSync(repo, { recursive: true }));
