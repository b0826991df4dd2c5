import assert from "node:assert/strict";
import { METADATA_FILE } from "../../src/delivery/metadata.ts";
import { createGitHub } from "../../src/github/mod.ts";
import { executePlan } from "../../src/lifecycle/execute.ts";
import { takeInventory } from "../../src/lifecycle/inventory.ts";
import { statusReport } from "../../src/lifecycle/lineage.ts";
import { planCleanup } from "../../src/lifecycle/plan.ts";
import type { CleanupOptions } from "../../src/lifecycle/types.ts";
import { startFakeGitHub } from "../support/fake_github.ts";
import { B, buildScenario } from "./scenario.ts";
import { BOT, branchExists, createWorld } from "./world.ts";

const DEFAULTS: CleanupOptions = {
  maxAgeDays: 30,
  includeUnverified: false,
  includeForeignCommits: false,
  canOpenPullRequests: true,
};

Deno.test("status: identifies bot branches and PRs, proof, foreign commits and orphaned metadata", async () => {
  const world = await createWorld();
  const gh = await startFakeGitHub({ resolveRef: (ref) => world.origin("rev-parse", ref).then((s) => s.trim()) });
  try {
    const sc = await buildScenario(world, gh);
    const github = createGitHub({ token: gh.token, repository: gh.repo, apiUrl: gh.url });
    const report = statusReport(await takeInventory({ git: world.git, github, bot: BOT }), new Date());
    const item = (name: string, location?: string) =>
      report.items.find((i) => i.name === name && (location === undefined || i.location === location));

    assert.equal(report.items.some((i) => i.branch === B.feature), false, "feature/x is not the bot's");
    assert.equal(item(B.mine, "local")?.verified, false);
    assert.equal(item(B.mine, "remote")?.verified, false);
    assert.equal(item(B.old, "local")?.verified, true);
    assert.equal(item(B.old, "local")?.proof, "metadata");
    assert.equal(item(B.old, "local")?.baseSha, world.base);
    assert.equal(item(B.old, "local")?.state, "open");
    assert.ok((item(B.old, "local")?.ageDays ?? 0) > 300);
    assert.ok((item(B.fresh, "remote")?.ageDays ?? 99) <= 1);
    assert.equal(item(B.trailers, "local")?.proof, "trailers");
    assert.equal(item(B.trailers, "local")?.state, "local-only");
    assert.equal(item(B.trailers, "local")?.ageSource, "commit");
    assert.equal(item(B.human, "remote")?.foreignCommits, "some");
    assert.match(item(B.human, "remote")?.note ?? "", /Jane Doe/);
    assert.equal(item(B.old, "remote")?.foreignCommits, "none");
    assert.equal(item(`#${sc.pulls.kept}`)?.keep, true);
    assert.equal(item(`#${sc.pulls.merged}`)?.state, "merged");
    assert.equal(item(`#${sc.pulls.old}`)?.verified, true);
    assert.deepEqual(report.orphans.map((o) => [o.branch, o.isDefaultBranch, o.locations.sort().join("+")]), [
      ["main", true, "local+remote"],
    ]);
    assert.equal(report.summary.orphanedMetadata, 1);
    assert.equal(report.summary.pullRequests, 5);
    assert.equal(report.context.currentBranch, B.current);
  } finally {
    await gh.close();
    await world.cleanup();
  }
});

Deno.test("cleanup: removes only old, verified bot artifacts; keeps everything a person owns or marked", async () => {
  const world = await createWorld();
  const gh = await startFakeGitHub({ resolveRef: (ref) => world.origin("rev-parse", ref).then((s) => s.trim()) });
  try {
    const sc = await buildScenario(world, gh);
    const github = createGitHub({ token: gh.token, repository: gh.repo, apiUrl: gh.url });
    const inventory = await takeInventory({ git: world.git, github, bot: BOT });
    const plan = planCleanup(inventory, DEFAULTS, new Date());
    const outcomes = await executePlan(plan, { git: world.git, github, bot: BOT });
    assert.deepEqual(outcomes.filter((o) => o.status !== "done"), [], JSON.stringify(outcomes, null, 2));

    const local = (b: string) => branchExists(world.repo.dir, `refs/heads/${b}`);
    const remote = (b: string) => branchExists(world.originDir, `refs/heads/${b}`);
    for (const gone of [B.old, B.merged]) {
      assert.equal(await local(gone), false, `local ${gone}`);
      assert.equal(await remote(gone), false, `remote ${gone}`);
    }
    assert.equal(await local(B.trailers), false, "an old trailers-only bot branch goes (age by commit date)");
    for (const kept of [B.fresh, B.human, B.kept, B.mine, B.feature, "main"]) {
      assert.equal(await local(kept), true, `local ${kept}`);
      assert.equal(await remote(kept), true, `remote ${kept}`);
    }
    assert.equal(await local(B.current), true, "the current branch stays");
    assert.equal(await local(B.elsewhere), true, "a branch checked out in a worktree stays");
    assert.equal(await world.repo.git("symbolic-ref", "--short", "HEAD"), `${B.current}\n`);
    assert.equal(await world.repo.git("status", "--porcelain"), "", "the user's working tree is untouched");

    const pull = (n: number) => gh.state.pulls.find((p) => p.number === n)!;
    const commentsOn = (n: number) => gh.state.comments.filter((c) => c.issueNumber === n);
    assert.equal(pull(sc.pulls.old).state, "closed");
    assert.match(commentsOn(sc.pulls.old)[0]?.body ?? "", /Closed by `sentries cleanup`.*older than the 30-day/s);
    assert.equal(pull(sc.pulls.fresh).state, "open");
    assert.equal(pull(sc.pulls.human).state, "open");
    assert.match(pull(sc.pulls.human).title, / — abandoned$/);
    assert.match(commentsOn(sc.pulls.human)[0]?.body ?? "", /someone other than the bot.*Jane Doe/s);
    const touchedKept = gh.requests.filter((r) => r.method !== "GET" && r.path.includes(`/${sc.pulls.kept}`));
    assert.deepEqual(touchedKept, [], "the sentries:keep PR is never written to");

    // The orphaned metadata on main: a commit on a new bot branch and a PR into main, never a push to main.
    assert.equal((await world.origin("rev-parse", "main")).trim(), sc.mainBefore);
    const cleanupPr = gh.state.pulls.find((p) => p.headRef.startsWith("ai-test-fixes/cleanup-metadata-main-"));
    assert.ok(cleanupPr, "a PR removes the orphaned metadata");
    assert.equal(cleanupPr.baseRef, "main");
    assert.deepEqual(gh.state.issueLabels.get(cleanupPr.number)?.sort(), ["sentries", "sentry-testsentry"]);
    const files = await world.origin("ls-tree", "--name-only", cleanupPr.headRef);
    assert.equal(files.split("\n").includes(METADATA_FILE), false);
    const author = await world.origin("log", "-1", "--format=%an <%ae>%n%B", cleanupPr.headRef);
    assert.match(author, /^Sentries <sentries@users\.noreply\.github\.com>/);
    assert.match(author, /Sentries-Sentry: testsentry/);

    // A second run finds nothing more to remove (the cleanup branch is new, the rest is protected).
    const after = await takeInventory({ git: world.git, github, bot: BOT });
    assert.deepEqual(planCleanup(after, DEFAULTS, new Date()).actions, []);
    assert.equal(statusReport(after, new Date()).orphans[0]?.proposedOn, cleanupPr.headRef);
  } finally {
    await gh.close();
    await world.cleanup();
  }
});

Deno.test("cleanup: the flags that lift safety rules are needed, and shown in the plan", async () => {
  const world = await createWorld();
  try {
    await buildScenario(world);
    const inventory = await takeInventory({ git: world.git, bot: BOT });
    const now = new Date();
    const targets = (opts: Partial<CleanupOptions>) =>
      planCleanup(inventory, { ...DEFAULTS, canOpenPullRequests: false, ...opts }, now).actions
        .filter((a) => a.action.kind === "delete-local-branch" || a.action.kind === "delete-remote-branch")
        .map((a) =>
          `${a.action.kind === "delete-local-branch" ? "local" : "remote"} ${
            "branch" in a.action ? a.action.branch : ""
          }${a.override ? ` [${a.override}]` : ""}`
        )
        .sort();

    // Without a token the sentries:keep label cannot be seen, so the "kept" branch is an ordinary old one here.
    assert.deepEqual(
      targets({}),
      [
        `local ${B.kept}`,
        `local ${B.merged}`,
        `local ${B.old}`,
        `local ${B.trailers}`,
        `remote ${B.kept}`,
        `remote ${B.merged}`,
        `remote ${B.old}`,
      ].sort(),
    );
    const withForeign = targets({ includeForeignCommits: true });
    assert.ok(withForeign.includes(`remote ${B.human} [include-foreign-commits]`));
    assert.ok(!withForeign.includes(`local ${B.current}`), "never the current branch, whatever the flags");
    assert.ok(!withForeign.some((t) => t.includes(B.elsewhere)), "never a branch checked out in a worktree");
    assert.ok(!withForeign.some((t) => t.includes(B.feature)), "never a branch without the bot's prefix");
    // mine has a person's commit: unverified and foreign, so both flags are needed.
    assert.ok(!targets({ includeUnverified: true }).some((t) => t.includes(B.mine)));
    assert.ok(
      targets({ includeUnverified: true, includeForeignCommits: true }).includes(
        `remote ${B.mine} [include-unverified]`,
      ),
    );
    // Age: nothing is old enough under a huge limit; with 0 days even yesterday's branch qualifies.
    assert.deepEqual(targets({ maxAgeDays: 100_000 }), []);
    assert.ok(targets({ maxAgeDays: 0 }).includes(`remote ${B.fresh}`));
    const plan = planCleanup(inventory, { ...DEFAULTS, canOpenPullRequests: false }, now);
    const skippedFresh = plan.skipped.find((s) => s.artifact === `remote branch ${B.fresh}`);
    assert.match(skippedFresh?.reason ?? "", /not older than 30 days/);
    const orphan = plan.actions.find((a) => a.action.kind === "remove-orphan-metadata");
    assert.ok(orphan && orphan.action.kind === "remove-orphan-metadata" && orphan.action.openPr === false);
  } finally {
    await world.cleanup();
  }
});

Deno.test("cleanup: one failing action does not stop the others; each outcome is recorded", async () => {
  const world = await createWorld();
  const gh = await startFakeGitHub();
  try {
    const sc = await buildScenario(world, gh);
    // origin refuses to delete one branch; GitHub refuses to close one PR.
    const hook = `${world.originDir}/hooks/pre-receive`;
    await Deno.writeTextFile(
      hook,
      `#!/bin/sh\nwhile read old new ref; do\n  if [ "$ref" = "refs/heads/${B.merged}" ]; then echo "protected" >&2; exit 1; fi\ndone\n`,
    );
    await Deno.chmod(hook, 0o755);
    gh.failWith[`PATCH /repos/${gh.repo}/pulls/${sc.pulls.old}`] = 500;
    const github = createGitHub({ token: gh.token, repository: gh.repo, apiUrl: gh.url });
    const plan = planCleanup(await takeInventory({ git: world.git, github, bot: BOT }), DEFAULTS, new Date());
    const outcomes = await executePlan(plan, { git: world.git, github, bot: BOT });
    const byKind = (status: string) =>
      outcomes.filter((o) => o.status === status).map((o) =>
        o.action.kind + " " + ("number" in o.action ? o.action.number : "branch" in o.action ? o.action.branch : "")
      ).sort();
    assert.deepEqual(byKind("failed"), [`close-pr ${sc.pulls.old}`, `delete-remote-branch ${B.merged}`]);
    assert.ok(byKind("done").includes(`delete-remote-branch ${B.old}`), "later actions still ran");
    assert.ok(byKind("done").includes(`delete-local-branch ${B.merged}`));
    assert.ok(byKind("done").includes(`mark-abandoned ${sc.pulls.human}`));
    assert.equal(await branchExists(world.originDir, `refs/heads/${B.merged}`), true);
    assert.equal(await branchExists(world.originDir, `refs/heads/${B.old}`), false);
  } finally {
    await gh.close();
    await world.cleanup();
  }
});

Deno.test("cleanup: a branch that moved after the plan was made is not deleted", async () => {
  const world = await createWorld();
  try {
    await world.botBranch({ name: B.old, date: "2024-01-10T00:00:00Z" });
    await world.push(B.old);
    const plan = planCleanup(
      await takeInventory({ git: world.git, bot: BOT }),
      { ...DEFAULTS, canOpenPullRequests: false },
      new Date(),
    );
    assert.equal(plan.actions.length, 2);
    const moved = await world.humanCommit(B.old, new Date().toISOString());
    await world.push(B.old);
    const outcomes = await executePlan(plan, { git: world.git, bot: BOT });
    assert.deepEqual(outcomes.map((o) => o.status), ["failed", "failed"]);
    assert.equal((await world.origin("rev-parse", B.old)).trim(), moved);
    assert.equal((await world.repo.git("rev-parse", B.old)).trim(), moved);
  } finally {
    await world.cleanup();
  }
});
