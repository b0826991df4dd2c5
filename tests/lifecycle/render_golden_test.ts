/**
 * Snapshots of what people read from `status` and `cleanup` (issue 12 item 6): the status table, the cleanup
 * plan (dry run and for real) and the outcomes, rendered in-process from one fixed inventory at a fixed time.
 * After an intended change: UPDATE_GOLDEN=1 deno test -A tests/lifecycle/render_golden_test.ts
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import type { SentriesMetadata } from "../../src/delivery/metadata.ts";
import { statusReport } from "../../src/lifecycle/lineage.ts";
import { planCleanup } from "../../src/lifecycle/plan.ts";
import { renderOutcomes, renderPlan, renderStatus } from "../../src/lifecycle/render.ts";
import type { BranchEvidence, CleanupOptions, Inventory, Outcome, PullEvidence } from "../../src/lifecycle/types.ts";
import { goldenTests } from "../support/golden.ts";

const GOLDEN = fileURLToPath(new URL("./golden/", import.meta.url));
const NOW = new Date("2025-06-01T12:00:00Z");
const OLD = "2025-03-01T00:00:00Z"; // 92 days before NOW
const RECENT = "2025-05-30T00:00:00Z"; // 2 days before NOW

/** Written out, not newMetadata(): the version must not follow the build. */
function metadata(sentry: SentriesMetadata["sentry"], baseSha: string, createdAt: string): SentriesMetadata {
  return {
    tool: "sentries",
    version: "0.1.0",
    sentry,
    models: { plan: "llama3.1:8b", patch: "deepseek-coder:6.7b" },
    base_sha: baseSha,
    created_at: createdAt,
    key: `key-${sentry}-${baseSha.slice(0, 4)}`,
    attempts: 1,
    tokens: { prompt: 1200, completion: 300, estimated_prompt: 1100 },
    duration_ms: 4200,
  };
}

function branch(over: Partial<BranchEvidence> & Pick<BranchEvidence, "name" | "location" | "sentry">): BranchEvidence {
  return { sha: "1".repeat(40), available: true, foreign: "none", foreignCommits: [], ...over };
}

function pull(over: Partial<PullEvidence> & Pick<PullEvidence, "number" | "headRef" | "state">): PullEvidence {
  return {
    title: `fix(tests): update 1 out-of-date test`,
    url: `https://github.com/acme/widgets/pull/${over.number}`,
    baseRef: "main",
    labels: ["sentries", "sentry-testsentry"],
    labelAndMarker: true,
    createdAt: OLD,
    isFork: false,
    ...over,
  };
}

const OLD_FIX = "ai-test-fixes/aaaaaaa-20250301000000";
const OLD_META = metadata("testsentry", "a".repeat(40), OLD);
const DOCS = "ai-doc-updates/bbbbbbb-20250530000000";
const DOCS_META = metadata("docsentry", "b".repeat(40), RECENT);
const STRAY = "ai-test-fixes/ccccccc-20250101000000";
const KEPT = "ai-test-fixes/ddddddd-20250201000000";
const KEPT_META = metadata("testsentry", "d".repeat(40), "2025-02-01T00:00:00Z");

/**
 * Every kind of row: an old verified fix on both sides with its open PR; a recent docs branch someone else
 * committed to; a branch that only matches by name and was never fetched; a merged PR labelled sentries:keep;
 * an orphaned metadata file on the default branch.
 */
const INVENTORY: Inventory = {
  branches: [
    branch({
      name: OLD_FIX,
      location: "local",
      sentry: "testsentry",
      metadata: OLD_META,
      proof: "metadata",
      baseSha: OLD_META.base_sha,
      tipDate: OLD,
    }),
    branch({
      name: OLD_FIX,
      location: "remote",
      sentry: "testsentry",
      metadata: OLD_META,
      proof: "metadata",
      baseSha: OLD_META.base_sha,
      tipDate: OLD,
    }),
    branch({
      name: DOCS,
      location: "remote",
      sentry: "docsentry",
      sha: "2".repeat(40),
      metadata: DOCS_META,
      proof: "trailers",
      baseSha: DOCS_META.base_sha,
      foreign: "some",
      foreignCommits: ["3333333 Dana Dev"],
      tipDate: RECENT,
    }),
    branch({
      name: STRAY,
      location: "remote",
      sentry: "testsentry",
      sha: "4".repeat(40),
      available: false,
      foreign: "unknown",
      note: "tip not fetched (run `git fetch origin`)",
    }),
    branch({
      name: KEPT,
      location: "remote",
      sentry: "testsentry",
      sha: "5".repeat(40),
      metadata: KEPT_META,
      proof: "metadata",
      baseSha: KEPT_META.base_sha,
      tipDate: KEPT_META.created_at,
    }),
  ],
  pulls: [
    pull({ number: 7, headRef: OLD_FIX, state: "open", markerCreatedAt: OLD }),
    pull({
      number: 9,
      headRef: DOCS,
      state: "open",
      title: "docs: update for #8 (Rename add to plus)",
      labels: ["sentries", "sentry-docsentry"],
      markerCreatedAt: RECENT,
      createdAt: RECENT,
    }),
    pull({
      number: 4,
      headRef: KEPT,
      state: "merged",
      labels: ["sentries", "sentry-testsentry", "sentries:keep"],
      markerCreatedAt: KEPT_META.created_at,
      createdAt: KEPT_META.created_at,
    }),
  ],
  orphans: [{
    branch: "main",
    locations: ["local", "remote"],
    commit: "6".repeat(40),
    onRemote: true,
    blob: "7".repeat(40),
    metadata: KEPT_META,
    sentry: "testsentry",
    createdAt: KEPT_META.created_at,
    isDefaultBranch: true,
  }],
  context: {
    currentBranch: "main",
    checkedOut: ["main"],
    hasOrigin: true,
    defaultBranch: "main",
    github: "checked",
    existingBranches: [OLD_FIX, DOCS, STRAY, KEPT],
  },
  warnings: [],
};

/** Neither origin nor a token, and nothing of the bot's: what a fresh checkout shows. */
const EMPTY: Inventory = {
  branches: [],
  pulls: [],
  orphans: [],
  context: { checkedOut: ["main"], hasOrigin: false, github: "no token", existingBranches: [] },
  warnings: [],
};

const OPTIONS: CleanupOptions = {
  maxAgeDays: 30,
  includeUnverified: false,
  includeForeignCommits: false,
  canOpenPullRequests: true,
};

const PLAN = planCleanup(INVENTORY, OPTIONS, NOW);

/** What an execution of PLAN might have reported: the first action done, a failure, the rest skipped. */
const OUTCOMES: Outcome[] = PLAN.actions.map((p, i): Outcome => ({
  action: p.action,
  status: i === 0 ? "done" : i === 1 ? "failed" : "skipped",
  detail: i === 0 ? "ok" : i === 1 ? "git push origin --delete was refused: permission denied" : "not run",
}));

const SNAPSHOTS: Record<string, () => string> = {
  "status_table.txt": () => renderStatus(statusReport(INVENTORY, NOW)),
  "status_empty.txt": () => renderStatus(statusReport(EMPTY, NOW)),
  "cleanup_plan_dry_run.txt": () => renderPlan(PLAN, true),
  "cleanup_plan_with_overrides.txt": () =>
    renderPlan(planCleanup(INVENTORY, { ...OPTIONS, includeForeignCommits: true, maxAgeDays: 0 }, NOW), false),
  "cleanup_plan_nothing.txt": () => renderPlan(planCleanup(EMPTY, OPTIONS, NOW), true),
  "cleanup_outcomes.txt": () => renderOutcomes(OUTCOMES),
};

goldenTests(GOLDEN, SNAPSHOTS);

Deno.test("the fixture exercises what the snapshots are for", () => {
  const status = renderStatus(statusReport(INVENTORY, NOW));
  // every row kind, the keep label, others' commits, an unfetched branch, the orphan table
  for (const expected of ["PR", "branch (local)", "branch (remote)", "sentries:keep", "3333333 Dana Dev"]) {
    assert.ok(status.includes(expected), expected);
  }
  assert.match(status, /tip not fetched/);
  assert.match(status, /Orphaned \.sentries-metadata\.json files/);
  // the plan both acts and leaves things alone, with reasons
  assert.ok(PLAN.actions.length >= 2, renderPlan(PLAN, true));
  assert.ok(PLAN.skipped.length >= 2, renderPlan(PLAN, true));
  assert.deepEqual(
    renderOutcomes(OUTCOMES).trimEnd().split("\n").at(-1),
    `1 done, 1 failed, ${OUTCOMES.length - 2} skipped.`,
  );
});
