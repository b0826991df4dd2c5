/** findDuplicateFixes is pure: inventories built by hand, grouped by the run key of each branch's metadata. */
import assert from "node:assert/strict";
import { newMetadata, type SentryName } from "../../src/delivery/metadata.ts";
import { findDuplicateFixes } from "../../src/lifecycle/duplicates.ts";
import { buildLineages } from "../../src/lifecycle/lineage.ts";
import type { BranchEvidence, Inventory } from "../../src/lifecycle/types.ts";

function copy(name: string, location: "local" | "remote", key: string, at: string, sentry: SentryName = "testsentry") {
  const metadata = newMetadata({
    sentry,
    models: { plan: "p", patch: "q" },
    base_sha: "b".repeat(40),
    created_at: at,
    key,
    attempts: 1,
    tokens: { prompt: 0, completion: 0, estimated_prompt: 0 },
    duration_ms: 0,
  });
  const evidence: BranchEvidence = {
    name,
    location,
    sha: "a".repeat(40),
    sentry,
    available: true,
    metadata,
    proof: "metadata",
    baseSha: metadata.base_sha,
    foreign: "none",
    foreignCommits: [],
  };
  return evidence;
}

function inventory(branches: BranchEvidence[]): Inventory {
  return {
    branches,
    pulls: [],
    orphans: [],
    warnings: [],
    context: { checkedOut: [], hasOrigin: true, github: "no token", existingBranches: branches.map((b) => b.name) },
  };
}

const T1 = "2025-01-01T00:00:00Z";
const T2 = "2025-01-02T00:00:00Z";

Deno.test("two branch names with the same key are one duplicate group, oldest first", () => {
  const groups = findDuplicateFixes(buildLineages(inventory([
    copy("ai-test-fixes/b-2", "local", "k1", T2),
    copy("ai-test-fixes/b-1", "local", "k1", T1),
    copy("ai-test-fixes/other", "local", "k2", T1),
  ])));
  assert.deepEqual(groups, [{
    sentry: "testsentry",
    key: "k1",
    baseSha: "b".repeat(40),
    branches: ["ai-test-fixes/b-1", "ai-test-fixes/b-2"],
  }]);
});

Deno.test("a branch's local copy and its copy on origin are one branch, not duplicates", () => {
  const lineages = buildLineages(inventory([
    copy("ai-test-fixes/b-1", "local", "k1", T1),
    copy("ai-test-fixes/b-1", "remote", "k1", T1),
  ]));
  assert.deepEqual(findDuplicateFixes(lineages), []);
});

Deno.test("the same key from different sentries, or branches without metadata, are not duplicates", () => {
  const bare = { ...copy("ai-test-fixes/c", "local", "k1", T1), metadata: undefined, proof: "trailers" as const };
  const lineages = buildLineages(inventory([
    copy("ai-test-fixes/b-1", "local", "k1", T1),
    copy("ai-doc-updates/d-1", "local", "k1", T1, "docsentry"),
    bare,
  ]));
  assert.deepEqual(findDuplicateFixes(lineages), []);
});
