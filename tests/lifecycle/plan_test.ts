/** The plan is pure: these cases build an inventory by hand and check each decision and its reason. */
import assert from "node:assert/strict";
import { newMetadata } from "../../src/delivery/metadata.ts";
import { planCleanup } from "../../src/lifecycle/plan.ts";
import { renderPlan } from "../../src/lifecycle/render.ts";
import {
  ABANDONED_SUFFIX,
  isForeignCommit,
  parseCommitLog,
  parseMetadataFile,
  sentryForBranch,
} from "../../src/lifecycle/proof.ts";
import type {
  BranchEvidence,
  CleanupOptions,
  Inventory,
  OrphanEvidence,
  PullEvidence,
} from "../../src/lifecycle/types.ts";
import { BOT } from "./world.ts";

const NOW = new Date("2025-06-01T00:00:00Z");
const OLD = "2025-01-01T00:00:00Z";
const SHA = "a".repeat(40);
const OPTS: CleanupOptions = {
  maxAgeDays: 30,
  includeUnverified: false,
  includeForeignCommits: false,
  canOpenPullRequests: true,
};

const meta = newMetadata({
  sentry: "testsentry",
  models: { plan: "p", patch: "q" },
  base_sha: "b".repeat(40),
  created_at: OLD,
  key: "k",
  attempts: 1,
  tokens: { prompt: 0, completion: 0, estimated_prompt: 0 },
  duration_ms: 0,
});

function branch(over: Partial<BranchEvidence>): BranchEvidence {
  return {
    name: "ai-test-fixes/x",
    location: "remote",
    sha: SHA,
    sentry: "testsentry",
    available: true,
    metadata: meta,
    proof: "metadata",
    baseSha: meta.base_sha,
    foreign: "none",
    foreignCommits: [],
    tipDate: OLD,
    ...over,
  };
}

function pull(over: Partial<PullEvidence>): PullEvidence {
  return {
    number: 7,
    title: "fix(tests): x",
    url: "https://github.com/acme/widgets/pull/7",
    state: "open",
    headRef: "ai-test-fixes/x",
    baseRef: "main",
    labels: ["sentries", "sentry-testsentry"],
    labelAndMarker: true,
    markerCreatedAt: OLD,
    createdAt: OLD,
    isFork: false,
    ...over,
  };
}

function orphan(over: Partial<OrphanEvidence>): OrphanEvidence {
  return {
    branch: "main",
    locations: ["remote"],
    commit: SHA,
    onRemote: true,
    blob: "c".repeat(40),
    metadata: meta,
    sentry: "testsentry",
    createdAt: OLD,
    isDefaultBranch: true,
    ...over,
  };
}

function inventory(over: Partial<Inventory>): Inventory {
  return {
    branches: [],
    pulls: [],
    orphans: [],
    context: { checkedOut: [], hasOrigin: true, defaultBranch: "main", github: "checked", existingBranches: [] },
    warnings: [],
    ...over,
  };
}

function summary(inv: Inventory, opts: Partial<CleanupOptions> = {}) {
  const plan = planCleanup(inv, { ...OPTS, ...opts }, NOW);
  return {
    actions: plan.actions.map((a) => a.action.kind + (a.override ? ` [${a.override}]` : "")),
    skipped: plan.skipped.map((s) => `${s.artifact}: ${s.reason}`),
  };
}

Deno.test("plan: a remote branch that was never fetched is left alone, its PR is not closed blindly", () => {
  const s = summary(inventory({
    branches: [
      branch({
        available: false,
        proof: undefined,
        metadata: undefined,
        foreign: "unknown",
        note: "tip not fetched (run `git fetch origin`)",
      }),
    ],
    pulls: [pull({})],
  }));
  assert.deepEqual(s.actions, []);
  assert.match(s.skipped.join("\n"), /remote branch ai-test-fixes\/x: tip not fetched/);
  assert.match(s.skipped.join("\n"), /PR #7: its branch's tip not fetched/);
});

Deno.test("plan: a PR whose branch is gone is closed when it carries the label and the marker", () => {
  assert.deepEqual(summary(inventory({ pulls: [pull({})] })).actions, ["close-pr"]);
  const unlabelled = summary(inventory({ pulls: [pull({ labelAndMarker: false, labels: [] })] }));
  assert.deepEqual(unlabelled.actions, []);
  assert.match(unlabelled.skipped[0], /PR #7: unverified/);
  assert.deepEqual(
    summary(inventory({ pulls: [pull({ labelAndMarker: false, labels: [] })] }), { includeUnverified: true }).actions,
    ["close-pr [include-unverified]"],
  );
});

Deno.test("plan: an abandoned PR is marked once; merged and closed PRs need nothing", () => {
  const foreign = branch({ foreign: "some", foreignCommits: ["1234567 Jane <j@x>"] });
  assert.deepEqual(summary(inventory({ branches: [foreign], pulls: [pull({})] })).actions, ["mark-abandoned"]);
  const again = summary(inventory({ branches: [foreign], pulls: [pull({ title: "fix" + ABANDONED_SUFFIX })] }));
  assert.deepEqual(again.actions, []);
  assert.match(again.skipped.join("\n"), /PR #7: already marked abandoned/);
  assert.deepEqual(
    summary(inventory({ branches: [foreign], pulls: [pull({})] }), { includeForeignCommits: true }).actions,
    ["close-pr [include-foreign-commits]", "delete-remote-branch [include-foreign-commits]"],
  );
  const merged = summary(inventory({ branches: [branch({})], pulls: [pull({ state: "merged" })] }));
  assert.deepEqual(merged.actions, ["delete-remote-branch"]);
});

Deno.test("plan: a keep label on any PR of the branch (even a closed one) protects the branch", () => {
  const s = summary(inventory({
    branches: [branch({}), branch({ location: "local" })],
    pulls: [pull({ state: "closed", labels: ["sentries:keep"] })],
  }));
  assert.deepEqual(s.actions, []);
  assert.equal(s.skipped.filter((r) => /labelled sentries:keep \(PR #7\)/.test(r)).length, 2);
});

Deno.test("plan: age comes from the metadata first; an unknown age is never old enough", () => {
  const young = new Date(NOW.getTime() - 2 * 86_400_000).toISOString();
  const s = summary(inventory({ branches: [branch({ metadata: { ...meta, created_at: young }, tipDate: OLD })] }));
  assert.deepEqual(s.actions, []);
  assert.match(s.skipped[0], /2 days old \(by metadata\), not older than 30 days/);
  const unknown = summary(inventory({ pulls: [], branches: [branch({ metadata: undefined, tipDate: undefined })] }));
  assert.match(unknown.skipped[0], /age unknown/);
});

Deno.test("plan wording: ages under a day, one day, and an age limit of 0 read as English", () => {
  const hoursAgo = new Date(NOW.getTime() - 3 * 3_600_000).toISOString();
  const fresh = { branches: [branch({ metadata: { ...meta, created_at: hoursAgo } })], pulls: [] };
  const young = summary(inventory(fresh));
  assert.match(young.skipped[0], /: less than a day old \(by metadata\), not older than 30 days$/);

  const anyAge = planCleanup(inventory({ ...fresh, pulls: [pull({ createdAt: hoursAgo })] }), {
    ...OPTS,
    maxAgeDays: 0,
  }, NOW);
  const reasons = anyAge.actions.map((a) => a.reason);
  assert.deepEqual(reasons, [
    "less than a day old; no age limit",
    "less than a day old; no age limit",
  ]);
  const close = anyAge.actions.find((a) => a.action.kind === "close-pr")?.action;
  assert.ok(close?.kind === "close-pr");
  assert.match(close.comment, /is less than a day old, and the cleanup had no age limit, and its branch/);
  const header = renderPlan(anyAge, true).split("\n")[0];
  assert.equal(header, "Dry run: would do (artifacts of any age):");

  const threeDays = new Date(NOW.getTime() - 3 * 86_400_000).toISOString();
  const oneDayLimit = summary(inventory({ branches: [branch({ metadata: { ...meta, created_at: threeDays } })] }), {
    maxAgeDays: 1,
  });
  assert.deepEqual(oneDayLimit.actions, ["delete-remote-branch"]);
  const plan = planCleanup(inventory({ branches: [branch({ metadata: { ...meta, created_at: threeDays } })] }), {
    ...OPTS,
    maxAgeDays: 1,
  }, NOW);
  assert.equal(plan.actions[0].reason, "3 days old, older than 1 day");
  assert.match(renderPlan(plan, false), /^Plan \(artifacts older than 1 day\):/);
  for (const text of [...reasons, close.comment, header, plan.actions[0].reason]) {
    assert.doesNotMatch(text, /\b0 days old|older than 0 days|\b1 days\b/);
  }
});

Deno.test("plan: no age limit (null) takes every verified artifact of any age; the protections still hold", () => {
  const at = (ms: number) => new Date(NOW.getTime() + ms).toISOString();
  const fresh = { ...meta, created_at: at(-60_000) };
  const future = { ...meta, created_at: at(3_600_000) }; // a clock ahead of this one made it
  const all = planCleanup(
    inventory({
      branches: [
        branch({ name: "ai-test-fixes/fresh", metadata: fresh }),
        branch({ name: "ai-test-fixes/future", location: "local", metadata: future }),
        branch({ name: "ai-test-fixes/unknown", metadata: undefined, proof: "trailers", tipDate: undefined }),
      ],
      pulls: [pull({ headRef: "ai-test-fixes/fresh", createdAt: at(-60_000), markerCreatedAt: fresh.created_at })],
      orphans: [orphan({ createdAt: at(-60_000) })],
    }),
    { ...OPTS, maxAgeDays: null },
    NOW,
  );
  assert.deepEqual(all.actions.map((a) => `${a.action.kind} ${"branch" in a.action ? a.action.branch : ""}`), [
    "close-pr ai-test-fixes/fresh",
    "delete-remote-branch ai-test-fixes/fresh",
    "delete-remote-branch ai-test-fixes/unknown",
    "delete-local-branch ai-test-fixes/future",
    "remove-orphan-metadata main",
  ]);
  assert.deepEqual(all.skipped, []);
  assert.equal(all.actions[0].reason, "less than a day old; no age limit");
  assert.equal(renderPlan(all, true).split("\n")[0], "Dry run: would do (artifacts of any age):");
  // A limit of 0 days is "older than now": a future date is not, and an unknown age is never old enough.
  const zero = summary(
    inventory({
      branches: [
        branch({ name: "ai-test-fixes/future", metadata: future }),
        branch({ name: "ai-test-fixes/unknown", metadata: undefined, proof: "trailers", tipDate: undefined }),
      ],
    }),
    { maxAgeDays: 0 },
  );
  assert.deepEqual(zero.actions, []);

  // Still protected with no age limit: a keep label, others' commits, no bot proof, the current branch.
  const protectedOnes = summary(
    inventory({
      branches: [
        branch({ name: "ai-test-fixes/kept", metadata: fresh }),
        branch({ name: "ai-test-fixes/touched", metadata: fresh, foreign: "some", foreignCommits: ["1234567 Jane"] }),
        branch({ name: "ai-test-fixes/name-only", metadata: undefined, proof: undefined, note: "no proof" }),
        branch({ name: "ai-test-fixes/current", location: "local", metadata: fresh }),
      ],
      pulls: [pull({ headRef: "ai-test-fixes/kept", labels: ["sentries:keep"] })],
      context: { ...inventory({}).context, currentBranch: "ai-test-fixes/current" },
    }),
    { maxAgeDays: null },
  );
  assert.deepEqual(protectedOnes.actions, []);
  assert.deepEqual(protectedOnes.skipped.map((r) => r.replace(/:.*/, "")), [
    "local branch ai-test-fixes/current",
    "PR #7",
    "remote branch ai-test-fixes/kept",
    "remote branch ai-test-fixes/name-only",
    "remote branch ai-test-fixes/touched",
  ]);
});

Deno.test("plan: orphaned metadata — default branch first, no duplicates, never a file that is not the bot's", () => {
  const onMain = orphan({});
  const sameOnFeature = orphan({ branch: "feature/y", isDefaultBranch: false });
  const s = summary(inventory({ orphans: [onMain, sameOnFeature] }));
  assert.deepEqual(s.actions, ["remove-orphan-metadata"]);
  assert.match(s.skipped.join("\n"), /on feature\/y: the same file is on main/);
  const plan = planCleanup(inventory({ orphans: [onMain] }), OPTS, NOW);
  const action = plan.actions[0].action;
  assert.ok(action.kind === "remove-orphan-metadata");
  assert.equal(action.newBranch, "ai-test-fixes/cleanup-metadata-main-ccccccc");
  assert.equal(action.openPr, true);
  const noToken = planCleanup(inventory({ orphans: [onMain] }), { ...OPTS, canOpenPullRequests: false }, NOW);
  assert.ok(noToken.actions[0].action.kind === "remove-orphan-metadata" && !noToken.actions[0].action.openPr);
  const proposed = summary(inventory({
    orphans: [onMain],
    context: { ...inventory({}).context, existingBranches: [action.newBranch] },
  }));
  assert.match(proposed.skipped[0], /already proposed on branch ai-test-fixes\/cleanup-metadata-main-ccccccc/);
  const foreignFile = summary(inventory({ orphans: [orphan({ metadata: undefined, createdAt: undefined })] }));
  assert.match(foreignFile.skipped[0], /not the bot's metadata/);
});

Deno.test("proof: name prefixes, metadata validation, commit log parsing and foreign commits", () => {
  assert.equal(sentryForBranch("ai-test-fixes/abc"), "testsentry");
  assert.equal(sentryForBranch("ai-doc-updates/abc"), "docsentry");
  assert.equal(sentryForBranch("ai-test-fixes/"), undefined);
  assert.equal(sentryForBranch("feature/ai-test-fixes/x"), undefined);
  assert.ok(parseMetadataFile(JSON.stringify(meta)));
  for (
    const bad of ["{", "null", JSON.stringify({ ...meta, tool: "other" }), JSON.stringify({ ...meta, sentry: "x" })]
  ) {
    assert.equal(parseMetadataFile(bad), undefined, bad);
  }
  assert.equal(parseMetadataFile(JSON.stringify({ ...meta, base_sha: "main" })), undefined);
  const bot = `Sentries\x1f${BOT.email}`;
  const log = `${SHA}\x1f${bot}\x1f${bot}\x1f${OLD}\x1ffix\n\nSentries-Sentry: testsentry\n\x1e\n` +
    `${"d".repeat(40)}\x1fJane\x1fjane@x\x1fJane\x1fjane@x\x1f${OLD}\x1fmine\n\x1e\n` +
    `${
      "e".repeat(40)
    }\x1fJane\x1fjane@x\x1fJane\x1fjane@x\x1f${OLD}\x1fcherry-picked\n\nSentries-Sentry: docsentry\n\x1e\n` +
    `${"f".repeat(40)}\x1f${bot}\x1fJane\x1fjane@x\x1f${OLD}\x1famended\n\nSentries-Sentry: testsentry\n\x1e`;
  const commits = parseCommitLog(log);
  assert.deepEqual(commits.map((c) => isForeignCommit(c, BOT)), [false, true, false, true]);
  assert.equal(commits[0].trailers["Sentries-Sentry"], "testsentry");
  assert.equal(
    isForeignCommit({ ...commits[0], trailers: {}, authorEmail: "SENTRIES@users.noreply.github.com" }, BOT),
    false,
  );
  assert.equal(isForeignCommit({ ...commits[0], trailers: {}, authorName: "Someone" }, BOT), true);
});
