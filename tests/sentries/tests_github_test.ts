/** `sentries tests` delivering to GitHub: a bare `origin`, the fake GitHub REST API, the real CLI. */
import assert from "node:assert/strict";
import { join } from "node:path";
import { runCli } from "../support/cli.ts";
import { createPyRepo, type PyRepo } from "../support/pyrepo.ts";
import { startStandIn } from "../support/standin_llm.ts";
import { startFakeGitHub } from "../support/fake_github.ts";
import { scriptedReply, UPDATE_PLAN } from "../support/scripted_models.ts";
import { writePullRequestEvent } from "../support/pr_event.ts";

const FILES = {
  "pyproject.toml": `[tool.pytest.ini_options]\npythonpath = ["."]\n`,
  "lib/__init__.py": "",
  "lib/greet.py": "def greet(name):\n    return 'Hello ' + name\n",
  "tests/test_greet.py": "from lib.greet import greet\n\n\ndef test_greet():\n    assert greet('Ann') == 'Hello Ann'\n",
};
const CHANGE = { "lib/greet.py": "def greet(name):\n    return f'Hello, {name}!'\n" };
const FIX = `--- a/tests/test_greet.py\n+++ b/tests/test_greet.py\n@@ -4,2 +4,2 @@\n def test_greet():\n` +
  `-    assert greet('Ann') == 'Hello Ann'\n+    assert greet('Ann') == 'Hello, Ann!'\n`;

interface Setup {
  repo: PyRepo;
  origin: string;
  /** Event files and step summaries; removed by close(). */
  tmp: string;
  env: Record<string, string>;
  close(): Promise<void>;
  github: Awaited<ReturnType<typeof startFakeGitHub>>;
}

async function setup(): Promise<Setup> {
  const repo = await createPyRepo({ files: FILES, commits: [{ message: "Friendlier greeting", files: CHANGE }] });
  const origin = await Deno.makeTempDir({ prefix: "sentries-origin-" });
  await new Deno.Command("git", { args: ["init", "-q", "--bare", origin] }).output();
  await repo.git("remote", "add", "origin", origin);
  await repo.git("push", "-q", "origin", "main");
  const standIn = await startStandIn({
    reply: scriptedReply({ plan: UPDATE_PLAN("1. new greeting"), patches: [FIX] }),
  });
  const github = await startFakeGitHub({ repo: "acme/widgets" });
  const tmp = await Deno.makeTempDir({ prefix: "sentries-event-" });
  return {
    repo,
    origin,
    tmp,
    github,
    env: {
      LLM_BASE: standIn.url,
      GITHUB_TOKEN: github.token,
      GITHUB_REPOSITORY: "acme/widgets",
      GITHUB_API_URL: github.url,
    },
    async close() {
      // Folders first: a server that fails to close must not leave them behind.
      try {
        await Deno.remove(tmp, { recursive: true });
        await Deno.remove(origin, { recursive: true });
        await repo.cleanup();
      } finally {
        await standIn.close();
        await github.close();
      }
    },
  };
}

async function remoteBranches(origin: string): Promise<string[]> {
  const out = await new Deno.Command("git", {
    args: ["-C", origin, "branch", "--format=%(refname:short)"],
    stdout: "piped",
  })
    .output();
  return new TextDecoder().decode(out.stdout).trim().split("\n").filter(Boolean).sort();
}

Deno.test("with a token: pushes the branch and opens a labelled PR with metadata; a second run opens no duplicate", async () => {
  const s = await setup();
  try {
    const summary = join(s.tmp, "summary.md");
    const r = await runCli(["tests", "--json"], { cwd: s.repo.dir, env: { ...s.env, GITHUB_STEP_SUMMARY: summary } });
    assert.equal(r.code, 0, r.stderr);
    const report = JSON.parse(r.stdout);
    assert.equal(report.outcome, "fixed");
    assert.equal(report.pullRequest.number, 1);
    assert.ok((await remoteBranches(s.origin)).includes(report.branch));

    const pr = s.github.state.pulls[0];
    assert.equal(pr.baseRef, "main");
    assert.equal(pr.headRef, report.branch);
    assert.match(pr.body, /## TestSentry: test-only fix/);
    assert.match(pr.body, /tests\/test_greet\.py::test_greet/);
    assert.match(pr.body, /### Plan/);
    assert.match(pr.body, /\| before \| 0 \| 1 \| 0 \|/);
    assert.match(
      pr.body,
      /Tests ran with: pytest \d\S* with Python 3\.\S+ \(.+, from PATH\)\./,
      "which Python verified it",
    );
    assert.match(pr.body, /<!-- sentries-metadata \{/);
    assert.deepEqual(
      [...(s.github.state.issueLabels.get(1) ?? [])].sort(),
      ["ai-generated", "sentries", "sentry-testsentry", "tests-sentry:done"],
    );
    assert.equal(s.github.state.comments.length, 1);
    assert.match(s.github.state.comments[0].body, /Sentries metadata/);
    assert.match(await Deno.readTextFile(summary), /### TestSentry: Fixed/);

    // Same base, same failures: the open PR is found before any model is asked.
    const again = await runCli(["tests", "--json"], { cwd: s.repo.dir, env: s.env });
    assert.equal(again.code, 0, again.stderr);
    const second = JSON.parse(again.stdout);
    assert.equal(second.outcome, "duplicate");
    assert.equal(second.duplicateOf.number, 1);
    assert.equal(second.llm.calls, 0);
    assert.equal(s.github.state.pulls.length, 1);
  } finally {
    await s.close();
  }
});

Deno.test("run for a pull request: targets the PR's head branch and labels the source PR", async () => {
  const s = await setup();
  try {
    await s.repo.git("checkout", "-q", "-b", "feature/greeting");
    await s.repo.commit({ message: "Even friendlier", files: { "README.md": "greetings\n" } });
    await s.repo.git("push", "-q", "origin", "feature/greeting");
    const headSha = (await s.repo.git("rev-parse", "HEAD")).trim();
    const source = s.github.seedPull({
      title: "Friendlier greeting",
      headRef: "feature/greeting",
      headSha,
      baseRef: "main",
    });
    // Actions checks out the PR's merge commit, detached.
    await s.repo.git("checkout", "-q", "--detach", "main");
    const event = await writePullRequestEvent({
      action: "synchronize",
      number: source.number,
      title: source.title,
      headSha,
      headRef: "feature/greeting",
      baseSha: (await s.repo.git("rev-parse", "main")).trim(),
      repo: "acme/widgets",
    }, s.tmp);
    const r = await runCli(["tests", "--json"], { cwd: s.repo.dir, env: { ...s.env, GITHUB_EVENT_PATH: event } });
    assert.equal(r.code, 0, r.stderr);
    const report = JSON.parse(r.stdout);
    assert.equal(report.baseSha, headSha);
    const botPr = s.github.state.pulls.find((p) => p.number === report.pullRequest.number);
    assert.equal(botPr?.baseRef, "feature/greeting");
    assert.ok(s.github.state.issueLabels.get(source.number)?.includes("tests-sentry:done"));
  } finally {
    await s.close();
  }
});

Deno.test("a GitHub failure is reported clearly and the local branch is kept", async () => {
  const s = await setup();
  try {
    s.github.failWith["POST /repos/acme/widgets/pulls"] = {
      status: 403,
      message: "Resource not accessible by integration",
    };
    const r = await runCli(["tests"], { cwd: s.repo.dir, env: s.env });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /error: .*cannot open pull requests/);
    assert.match(r.stderr, /hint: /);
    assert.doesNotMatch(r.stderr, /\bat .*\.ts:\d+/);
    const branch = /committed on local branch (ai-test-fixes\/\S+)/.exec(r.stderr)?.[1];
    assert.ok(branch, r.stderr);
    assert.match(await s.repo.git("branch", "--list", branch), /ai-test-fixes/);
  } finally {
    await s.close();
  }
});

Deno.test("run for a pull request with all tests green: the source PR is labelled tests-sentry:noop", async () => {
  const s = await setup();
  try {
    // Make the suite green on a PR branch.
    await s.repo.git("checkout", "-q", "-b", "feature/ok");
    await s.repo.commit({
      message: "Update the test",
      files: { "tests/test_greet.py": FILES["tests/test_greet.py"].replace("'Hello Ann'", "'Hello, Ann!'") },
    });
    await s.repo.git("push", "-q", "origin", "feature/ok");
    const headSha = (await s.repo.git("rev-parse", "HEAD")).trim();
    const source = s.github.seedPull({ title: "ok", headRef: "feature/ok", headSha, baseRef: "main" });
    const event = await writePullRequestEvent({
      number: source.number,
      title: "ok",
      headSha,
      headRef: "feature/ok",
      baseSha: headSha,
      repo: "acme/widgets",
    }, s.tmp);
    const r = await runCli(["tests", "--json"], { cwd: s.repo.dir, env: { ...s.env, GITHUB_EVENT_PATH: event } });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).outcome, "no_failures");
    assert.deepEqual(s.github.state.issueLabels.get(source.number), ["tests-sentry:noop"]);
    assert.equal(s.github.state.pulls.length, 1);
  } finally {
    await s.close();
  }
});

Deno.test("run for a fork's pull request: nothing is pushed and no PR is opened against a branch of the same name", async () => {
  const s = await setup();
  try {
    // The fork's branch is called `main` too; its commits are only in this clone (refs/pull/N/head).
    await s.repo.git("checkout", "-q", "--detach", "main");
    await s.repo.commit({ message: "From the fork", files: { "README.md": "fork\n" } });
    const headSha = (await s.repo.git("rev-parse", "HEAD")).trim();
    const source = s.github.seedPull({ title: "Fork PR", headRef: "main", headRepo: "mallory/widgets", headSha });
    const event = await writePullRequestEvent({
      number: source.number,
      title: "Fork PR",
      headSha,
      headRef: "main",
      headRepo: "mallory/widgets",
      baseSha: headSha,
      repo: "acme/widgets",
      author: { login: "mallory", type: "User" },
    }, s.tmp);
    const r = await runCli(["tests", "--json"], { cwd: s.repo.dir, env: { ...s.env, GITHUB_EVENT_PATH: event } });
    const report = JSON.parse(r.stdout);
    assert.equal(report.outcome, "fixed", r.stderr);
    assert.deepEqual(await remoteBranches(s.origin), ["main"]);
    assert.equal(s.github.state.pulls.length, 1, "only the fork's own PR");
    assert.match(r.stderr, /fork/);
    assert.match(await s.repo.git("branch", "--list", report.branch), /ai-test-fixes/);
  } finally {
    await s.close();
  }
});

Deno.test("--dry-run with a token: plans the delivery against GitHub read-only, and changes nothing", async () => {
  const s = await setup();
  try {
    const r = await runCli(["tests", "--dry-run", "--json"], { cwd: s.repo.dir, env: s.env });
    assert.equal(r.code, 0, r.stderr);
    const report = JSON.parse(r.stdout);
    assert.equal(report.outcome, "fixed");
    assert.equal(report.deliveryPlan.kind, "pull_request");
    assert.deepEqual(report.deliveryPlan.steps.map((step: { do: string }) => step.do), ["commit", "push", "open_pr"]);
    assert.equal(report.branch, undefined);
    // Only reads reached GitHub; nothing was pushed.
    assert.deepEqual(s.github.requests.filter((q) => q.method !== "GET"), []);
    assert.ok(s.github.requests.length > 0, "the plan was made against GitHub");
    assert.deepEqual(await remoteBranches(s.origin), ["main"]);

    const human = await runCli(["tests", "--dry-run"], { cwd: s.repo.dir, env: s.env });
    assert.match(human.stdout, /delivery: would open a pull request against main/);

    // With an open Sentries PR for the same failures, the plan says so (and the real run would stop there).
    const real = await runCli(["tests", "--json"], { cwd: s.repo.dir, env: s.env });
    assert.equal(real.code, 0, real.stderr);
    const opened = JSON.parse(real.stdout).pullRequest.number;
    const again = await runCli(["tests", "--dry-run"], { cwd: s.repo.dir, env: s.env });
    assert.match(again.stdout, new RegExp(`an open Sentries pull request #${opened} already proposes this fix`));
  } finally {
    await s.close();
  }
});
