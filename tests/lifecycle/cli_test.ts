/** `sentries status` and `sentries cleanup` through the real CLI, with its real permission set. */
import assert from "node:assert/strict";
import { runCli } from "../support/cli.ts";
import { type FakeGitHub, startFakeGitHub } from "../support/fake_github.ts";
import { B, buildScenario } from "./scenario.ts";
import { branchExists, createWorld, daysAgo, type World } from "./world.ts";

function githubEnv(gh: FakeGitHub): Record<string, string> {
  return { GITHUB_TOKEN: gh.token, GITHUB_REPOSITORY: gh.repo, GITHUB_API_URL: gh.url };
}

async function withScenario(fn: (world: World, gh: FakeGitHub) => Promise<void>): Promise<void> {
  const world = await createWorld();
  const gh = await startFakeGitHub({ resolveRef: (ref) => world.origin("rev-parse", ref).then((s) => s.trim()) });
  try {
    await buildScenario(world, gh);
    await fn(world, gh);
  } finally {
    await gh.close();
    await world.cleanup();
  }
}

Deno.test("cli: cleanup off a terminal without --force or --dry-run shows the plan, changes nothing, exits 2", async () => {
  const world = await createWorld();
  try {
    await world.botBranch({ name: B.old, date: "2024-01-10T00:00:00Z" });
    const before = await world.snapshot();
    const r = await runCli(["cleanup", "-C", world.repo.dir]);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stdout, /^Dry run: would do \(artifacts of any age\):\n {2}- delete local branch /);
    assert.match(r.stdout, new RegExp(`delete local branch ${B.old}`));
    assert.match(
      r.stderr,
      /^error: cleanup changed nothing: the plan's 1 action needs a yes, and there is no terminal/m,
    );
    assert.match(r.stderr, /^hint: pass --force to carry out the plan above, or --dry-run to only show it$/m);
    assert.equal(await world.snapshot(), before);

    const j = await runCli(["cleanup", "--json", "-C", world.repo.dir]);
    assert.equal(j.code, 2, j.stderr);
    const doc = JSON.parse(j.stdout);
    assert.deepEqual(Object.keys(doc).slice(0, 4), ["schemaVersion", "command", "ok", "exitCode"]);
    assert.deepEqual([doc.command, doc.ok, doc.exitCode], ["cleanup", false, 2]);
    assert.equal(doc.error.code, "usage.confirmation_needed");
    assert.equal(doc.plan.actions.length, 1, "the plan it would carry out travels with the error");
    assert.deepEqual(doc.outcomes, []);
    assert.equal(await world.snapshot(), before);
  } finally {
    await world.cleanup();
  }
});

Deno.test("cli: cleanup off a terminal with nothing to do is a no-op: exit 0, no refusal, no --force needed", async () => {
  const world = await createWorld();
  try {
    const r = await runCli(["cleanup", "-C", world.repo.dir]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, "Nothing to clean up.\n");
    assert.doesNotMatch(r.stderr, /error:/);
    const j = await runCli(["cleanup", "--json", "-C", world.repo.dir]);
    assert.equal(j.code, 0, j.stderr);
    const doc = JSON.parse(j.stdout);
    assert.deepEqual([doc.command, doc.ok, doc.exitCode, doc.error], ["cleanup", true, 0, undefined]);
    assert.deepEqual(doc.plan.actions, []);
  } finally {
    await world.cleanup();
  }
});

Deno.test("cli: contradictory or unsafe flag combinations are bad usage (exit 2)", async () => {
  const world = await createWorld();
  try {
    for (
      const [args, message] of [
        [["--dry-run", "--force"], /contradict/],
        [["--include-foreign-commits"], /only works together with --force/],
        [["--force", "--max-age-days", "soon"], /--max-age-days.*whole number/],
      ] as const
    ) {
      const r = await runCli(["cleanup", "-C", world.repo.dir, ...args]);
      assert.equal(r.code, 2, `${args.join(" ")}: ${r.stderr}`);
      assert.match(r.stderr, message);
    }
  } finally {
    await world.cleanup();
  }
});

Deno.test("cli: cleanup --dry-run shows the plan and changes nothing, in git or on GitHub", async () => {
  await withScenario(async (world, gh) => {
    const before = await world.snapshot();
    const text = await runCli(["cleanup", "--dry-run", "-C", world.repo.dir], { env: githubEnv(gh) });
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /^Dry run: would do \(artifacts of any age\):/);
    assert.match(text.stdout, new RegExp(`delete remote branch ${B.old} `));
    assert.match(text.stdout, /mark PR #\d+ abandoned/);
    assert.match(text.stdout, new RegExp(`local branch ${B.current}: it is the current branch`));
    assert.match(text.stdout, new RegExp(`remote branch ${B.mine}: unverified`));
    assert.match(text.stdout, /labelled sentries:keep/);

    const json = await runCli(["cleanup", "--dry-run", "--json", "-C", world.repo.dir], { env: githubEnv(gh) });
    assert.equal(json.code, 0, json.stderr);
    const out = JSON.parse(json.stdout);
    assert.equal(out.dryRun, true);
    assert.deepEqual(out.outcomes, []);
    const kinds = out.plan.actions.map((a: { action: { kind: string } }) => a.action.kind);
    assert.ok(kinds.includes("close-pr") && kinds.includes("remove-orphan-metadata"));
    assert.ok(out.plan.skipped.length > 0);

    assert.equal(await world.snapshot(), before, "no ref changed, locally or on origin");
    assert.deepEqual(gh.requests.filter((r) => r.method !== "GET"), [], "only reads went to GitHub");
  });
});

Deno.test("cli: status prints one table with summary counts, and JSON with --json", async () => {
  await withScenario(async (world, gh) => {
    const r = await runCli(["status", "-C", world.repo.dir], { env: githubEnv(gh) });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^KIND\s+SENTRY\s+NAME\s+BASE\s+AGE\s+STATE\s+VERIFIED\s+OTHERS' COMMITS/);
    assert.match(r.stdout, new RegExp(`branch \\(remote\\)\\s+testsentry\\s+${B.mine}\\s.*\\bno\\b`));
    assert.match(r.stdout, /Orphaned \.sentries-metadata\.json files/);
    assert.match(r.stdout, /\d+ branches \(\d+ local, \d+ on origin\), 5 pull requests \(4 open\)/);
    assert.doesNotMatch(r.stdout, /feature\/x/);

    const j = await runCli(["status", "--json", "-C", world.repo.dir]);
    assert.equal(j.code, 0, j.stderr);
    const report = JSON.parse(j.stdout);
    assert.equal(report.context.github, "no token");
    assert.equal(report.summary.pullRequests, null, "without a token the pull requests are unknown, not 0");
    assert.ok(report.items.some((i: { name: string; verified: boolean }) => i.name === B.old && i.verified));
  });
});

Deno.test("cli: cleanup --force --max-age-days 30 removes the old bot artifacts and reports each outcome", async () => {
  await withScenario(async (world, gh) => {
    const r = await runCli(["cleanup", "--force", "--max-age-days", "30", "-C", world.repo.dir], {
      env: githubEnv(gh),
    });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Outcomes:/);
    assert.match(r.stdout, /done\s+delete remote branch ai-test-fixes\/aaaaaaa-old/);
    assert.match(r.stdout, /\d+ done, 0 failed, 0 skipped\./);
    assert.equal(await branchExists(world.originDir, `refs/heads/${B.old}`), false);
    assert.equal(await branchExists(world.originDir, `refs/heads/${B.feature}`), true);
    assert.equal(await branchExists(world.originDir, `refs/heads/${B.mine}`), true);
    assert.equal(await branchExists(world.repo.dir, `refs/heads/${B.current}`), true);
  });
});

Deno.test("cli: cleanup --force with no age limit removes every verified bot artifact, fresh ones too", async () => {
  await withScenario(async (world, gh) => {
    const r = await runCli(["cleanup", "--force", "--json", "-C", world.repo.dir], { env: githubEnv(gh) });
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.equal(out.plan.options.maxAgeDays, null, "no --max-age-days and no retention_days: no age limit");
    assert.equal(out.summary.failed, 0);
    // The one a day old goes with the old ones: its branch here and on origin, and its PR.
    for (const name of [B.fresh, B.old, B.trailers]) {
      assert.equal(await branchExists(world.repo.dir, `refs/heads/${name}`), false, `local ${name}`);
    }
    for (const name of [B.fresh, B.old]) {
      assert.equal(await branchExists(world.originDir, `refs/heads/${name}`), false, `origin ${name}`);
    }
    const freshPr = gh.state.pulls.find((p) => p.headRef === B.fresh);
    assert.equal(freshPr?.state, "closed");
    assert.match(
      gh.state.comments.find((c) => c.issueNumber === freshPr?.number)?.body ?? "",
      /the cleanup had no age limit/,
    );
    // Protected as before: a person's commits, the keep label, the current branch, a worktree's branch,
    // people's branches.
    for (const name of [B.human, B.kept, B.mine, B.feature]) {
      assert.equal(await branchExists(world.originDir, `refs/heads/${name}`), true, `origin ${name}`);
    }
    for (const name of [B.current, B.elsewhere, B.kept, B.human]) {
      assert.equal(await branchExists(world.repo.dir, `refs/heads/${name}`), true, `local ${name}`);
    }
  });
});

Deno.test("cli: --max-age-days N, or retention_days (opt-in), limits cleanup to older artifacts", async () => {
  const world = await createWorld();
  try {
    await world.botBranch({ name: B.old, date: "2024-01-10T00:00:00Z" });
    await world.botBranch({ name: B.fresh, date: daysAgo(1) });
    const planned = async (...args: string[]) => {
      const r = await runCli(["cleanup", "--dry-run", "--json", "-C", world.repo.dir, ...args]);
      assert.equal(r.code, 0, r.stderr);
      const out = JSON.parse(r.stdout);
      const branches = out.plan.actions.map((a: { action: { branch: string } }) => a.action.branch);
      return { max: out.plan.options.maxAgeDays, branches };
    };
    assert.deepEqual(await planned(), { max: null, branches: [B.fresh, B.old].sort() });
    assert.deepEqual(await planned("--max-age-days", "30"), { max: 30, branches: [B.old] });
    await Deno.writeTextFile(`${world.repo.dir}/pyproject.toml`, "[tool.sentries]\nretention_days = 30\n");
    assert.deepEqual(await planned(), { max: 30, branches: [B.old] });
    const force = await runCli(["cleanup", "--force", "-C", world.repo.dir]);
    assert.equal(force.code, 0, force.stderr);
    assert.equal(await branchExists(world.repo.dir, `refs/heads/${B.fresh}`), true, "younger than retention_days");
    assert.equal(await branchExists(world.repo.dir, `refs/heads/${B.old}`), false);
  } finally {
    await world.cleanup();
  }
});

Deno.test("cli: retention_days in [tool.sentries] sets the age limit; --max-age-days overrides it", async () => {
  const world = await createWorld();
  try {
    await world.botBranch({ name: B.old, date: "2024-01-10T00:00:00Z" });
    await Deno.writeTextFile(`${world.repo.dir}/pyproject.toml`, "[tool.sentries]\nretention_days = 100000\n");
    const planned = async (...args: string[]) => {
      const r = await runCli(["cleanup", "--dry-run", "--json", "-C", world.repo.dir, ...args]);
      assert.equal(r.code, 0, r.stderr);
      const out = JSON.parse(r.stdout);
      return { max: out.plan.options.maxAgeDays, actions: out.plan.actions.length };
    };
    assert.deepEqual(await planned(), { max: 100000, actions: 0 });
    assert.deepEqual(await planned("--max-age-days", "30"), { max: 30, actions: 1 });
  } finally {
    await world.cleanup();
  }
});

Deno.test("cli: with a token, cleanup stops (exit 1) when pull requests cannot be listed: keep labels are unknown", async () => {
  const world = await createWorld();
  const gh = await startFakeGitHub({ failWith: { "GET /repos/acme/widgets/pulls": 403 } });
  try {
    await world.botBranch({ name: B.old, date: "2024-01-10T00:00:00Z" });
    const before = await world.snapshot();
    const r = await runCli(["cleanup", "--force", "-C", world.repo.dir], { env: githubEnv(gh) });
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /error: could not list pull requests, so sentries:keep labels cannot be honoured/);
    assert.equal(await world.snapshot(), before);
    const status = await runCli(["status", "-C", world.repo.dir], { env: githubEnv(gh) });
    assert.equal(status.code, 0, "status still lists what git knows");
    assert.match(status.stderr, /warning: could not list pull requests/);
  } finally {
    await gh.close();
    await world.cleanup();
  }
});
