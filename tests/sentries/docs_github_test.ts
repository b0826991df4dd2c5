/** `sentries docs` in GitHub Actions: the pull_request event, a bare origin, the fake GitHub. */
import assert from "node:assert/strict";
import { join } from "node:path";
import { runCli } from "../support/cli.ts";
import { createPyRepo, type PyRepo } from "../support/pyrepo.ts";
import { startStandIn } from "../support/standin_llm.ts";
import { type FakeGitHub, startFakeGitHub } from "../support/fake_github.ts";
import { type PullRequestEventFields, writePullRequestEvent } from "../support/pr_event.ts";
import { DOCS_PLAN, type ModelScript, scriptedReply } from "../support/scripted_models.ts";

const FILES = {
  "svc/__init__.py": "",
  "svc/config.py": "import os\n\nTIMEOUT = int(os.getenv('SVC_TIMEOUT', '30'))\n",
  "README.md": "# svc\n\nSet `SVC_TIMEOUT` to change the timeout.\n",
};
const CHANGE = { "svc/config.py": "import os\n\nTIMEOUT = int(os.getenv('SVC_TIMEOUT_SECONDS', '30'))\n" };
const FIX_A = `--- a/README.md\n+++ b/README.md\n@@ -2,2 +2,2 @@\n \n-Set \`SVC_TIMEOUT\` to change the timeout.\n` +
  `+Set \`SVC_TIMEOUT_SECONDS\` to change the timeout.\n`;
const FIX_B = `--- a/README.md\n+++ b/README.md\n@@ -2,2 +2,2 @@\n \n-Set \`SVC_TIMEOUT\` to change the timeout.\n` +
  `+Set \`SVC_TIMEOUT_SECONDS\` (seconds) to change the timeout.\n`;

interface World {
  repo: PyRepo;
  origin: string;
  github: FakeGitHub;
  prNumber: number;
  event(fields?: Partial<PullRequestEventFields>): Promise<string>;
  run(script: ModelScript, eventPath: string): Promise<{ code: number; stderr: string; report: AnyReport }>;
  close(): Promise<void>;
}

// deno-lint-ignore no-explicit-any -- JSON reports are checked field by field
type AnyReport = Record<string, any>;

async function world(): Promise<World> {
  const repo = await createPyRepo({ files: FILES });
  const origin = await Deno.makeTempDir({ prefix: "sentries-origin-" });
  await new Deno.Command("git", { args: ["init", "-q", "--bare", origin] }).output();
  await repo.git("remote", "add", "origin", origin);
  await repo.git("push", "-q", "origin", "main");
  await repo.git("checkout", "-q", "-b", "rename-env");
  await repo.commit({ message: "Rename SVC_TIMEOUT", files: CHANGE });
  await repo.git("push", "-q", "origin", "rename-env");
  // Pull requests carry the real head commit from origin, as GitHub's do (the update is a lease on it).
  const github = await startFakeGitHub({
    repo: "acme/svc",
    resolveRef: async (ref) => {
      const out = await new Deno.Command("git", {
        args: ["-C", origin, "rev-parse", "--verify", "--quiet", `refs/heads/${ref}`],
        stdout: "piped",
      }).output();
      return out.code === 0 ? new TextDecoder().decode(out.stdout).trim() : undefined;
    },
  });
  const head = (await repo.git("rev-parse", "HEAD")).trim();
  const source = github.seedPull({
    title: "Rename the timeout variable",
    headRef: "rename-env",
    headSha: head,
    baseRef: "main",
  });
  const tmp = await Deno.makeTempDir();
  const w: World = {
    repo,
    origin,
    github,
    prNumber: source.number,
    async event(fields = {}) {
      return await writePullRequestEvent({
        number: source.number,
        title: source.title,
        headSha: (await repo.git("rev-parse", "HEAD")).trim(),
        headRef: "rename-env",
        baseSha: (await repo.git("rev-parse", "main")).trim(),
        repo: "acme/svc",
        ...fields,
      }, tmp);
    },
    async run(script, eventPath) {
      const standIn = await startStandIn({ reply: scriptedReply(script) });
      try {
        const r = await runCli(["docs", "--json"], {
          cwd: repo.dir,
          env: {
            LLM_BASE: standIn.url,
            GITHUB_TOKEN: github.token,
            GITHUB_REPOSITORY: "acme/svc",
            GITHUB_API_URL: github.url,
            GITHUB_EVENT_PATH: eventPath,
          },
        });
        return { code: r.code, stderr: r.stderr, report: JSON.parse(r.stdout || "{}") as AnyReport };
      } finally {
        await standIn.close();
      }
    },
    async close() {
      await github.close();
      await repo.cleanup();
      await Deno.remove(origin, { recursive: true });
      await Deno.remove(tmp, { recursive: true });
    },
  };
  return w;
}

const botPulls = (g: FakeGitHub) => g.state.pulls.filter((p) => p.headRef.startsWith("ai-doc-updates/"));

Deno.test("PR lifecycle: create, leave alone, update on a changed patch, supersede on a new head", async () => {
  const w = await world();
  try {
    // 1. First run: a bot PR against the PR's head branch, labelled; the source PR labelled too.
    const first = await w.run({ plan: DOCS_PLAN("1. README"), patches: [FIX_A] }, await w.event());
    assert.equal(first.code, 0, first.stderr);
    assert.equal(first.report.pullRequest.action, "created");
    const [bot] = botPulls(w.github);
    assert.equal(bot.baseRef, "rename-env");
    assert.deepEqual(
      [...(w.github.state.issueLabels.get(bot.number) ?? [])].sort(),
      ["ai-generated", "docs-sentry:done", "sentries", "sentry-docsentry"],
    );
    assert.ok(w.github.state.issueLabels.get(w.prNumber)?.includes("docs-sentry:done"));

    // 2. Same head, same patch: left alone, nothing pushed.
    const second = await w.run({ plan: DOCS_PLAN("1. README"), patches: [FIX_A] }, await w.event());
    assert.equal(second.code, 0, second.stderr);
    assert.equal(second.report.outcome, "unchanged");
    assert.equal(botPulls(w.github).length, 1);

    // 3. Same head, different patch: the existing bot PR is updated (force-pushed), not duplicated.
    const third = await w.run({ plan: DOCS_PLAN("1. README"), patches: [FIX_B] }, await w.event());
    assert.equal(third.code, 0, third.stderr);
    assert.equal(third.report.pullRequest.action, "updated");
    assert.equal(third.report.pullRequest.number, bot.number);
    assert.equal(botPulls(w.github).length, 1);
    const pushed = await new Deno.Command("git", {
      args: ["-C", w.origin, "show", `${bot.headRef}:README.md`],
      stdout: "piped",
    })
      .output();
    assert.match(new TextDecoder().decode(pushed.stdout), /\(seconds\)/);

    // 4. A new head commit on the PR: a new bot PR, the old one closed with a link.
    await w.repo.commit({ message: "Tweak", files: { "svc/extra.py": "X = 1\n" } });
    await w.repo.git("push", "-q", "origin", "rename-env");
    const fourth = await w.run({ plan: DOCS_PLAN("1. README"), patches: [FIX_A] }, await w.event());
    assert.equal(fourth.code, 0, fourth.stderr);
    assert.equal(fourth.report.pullRequest.action, "created");
    assert.deepEqual(fourth.report.closedPullRequests, [bot.number]);
    const old = w.github.state.pulls.find((p) => p.number === bot.number);
    assert.equal(old?.state, "closed");
    assert.ok(
      w.github.state.comments.some((c) => c.body.includes(`Superseded by #${fourth.report.pullRequest.number}`)),
    );
  } finally {
    await w.close();
  }
});

Deno.test("a fork PR gets the patch as a comment; nothing is pushed", async () => {
  const w = await world();
  try {
    const head = (await w.repo.git("rev-parse", "HEAD")).trim();
    const event = await w.event({ headSha: head, headRepo: "someone/svc-fork" });
    const r = await w.run({ plan: DOCS_PLAN("1. README"), patches: [FIX_A] }, event);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(r.report.forkComment.url);
    assert.equal(botPulls(w.github).length, 0);
    const comment = w.github.state.comments.find((c) => c.body.includes("DocSentry suggests"));
    assert.match(comment?.body ?? "", /SVC_TIMEOUT_SECONDS/);
    const branches = await new Deno.Command("git", { args: ["-C", w.origin, "branch"], stdout: "piped" }).output();
    assert.doesNotMatch(new TextDecoder().decode(branches.stdout), /ai-doc-updates/);
  } finally {
    await w.close();
  }
});

Deno.test("PRs opened by bots or by Sentries itself are skipped; NO_CHANGES labels the source PR noop", async () => {
  const w = await world();
  try {
    const bot = await w.run(
      { plan: DOCS_PLAN("1. README"), patches: [FIX_A] },
      await w.event({ author: { login: "dependabot[bot]", type: "Bot" } }),
    );
    assert.equal(bot.code, 0, bot.stderr);
    assert.equal(bot.report.outcome, "skipped");
    assert.match(bot.report.message, /opened by a bot/);

    const noop = await w.run({ plan: "VERDICT: NO_CHANGES\nREASON: internal.", patches: ["x"] }, await w.event());
    assert.equal(noop.code, 0, noop.stderr);
    assert.equal(noop.report.outcome, "no_changes");
    assert.ok(w.github.state.issueLabels.get(w.prNumber)?.includes("docs-sentry:noop"));
  } finally {
    await w.close();
  }
});

Deno.test("a PR that only copies the bot's markers is not the bot's: never force-pushed to, never closed", async () => {
  const w = await world();
  try {
    // A person's PR (its own branch, and a fork whose branch is named `main`) whose body quotes a
    // bot PR: the source marker plus a metadata marker for the current head with another patch.
    const head = (await w.repo.git("rev-parse", "HEAD")).trim();
    await w.repo.git("push", "-q", "origin", "main:refs/heads/jane-notes");
    const originSha = async (ref: string) =>
      new TextDecoder().decode(
        (await new Deno.Command("git", { args: ["-C", w.origin, "rev-parse", ref], stdout: "piped" }).output())
          .stdout,
      ).trim();
    const before = { jane: await originSha("jane-notes"), main: await originSha("main") };
    const quoted = `Copied from the bot:\n<!-- sentries-docs-source: acme/svc#${w.prNumber} -->\n` +
      `<!-- sentries-metadata ${JSON.stringify({ tool: "sentries", head_sha: head, patch_hash: "other" })} -->\n`;
    const human = w.github.seedPull({ title: "Jane's notes", headRef: "jane-notes", user: "jane", body: quoted });
    const fork = w.github.seedPull({
      title: "From a fork",
      headRef: "main",
      headRepo: "mallory/svc",
      user: "mallory",
      body: quoted,
    });

    const r = await w.run({ plan: DOCS_PLAN("1. README"), patches: [FIX_A] }, await w.event());
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.report.pullRequest.action, "created");
    assert.deepEqual(r.report.closedPullRequests, []);
    assert.equal(await originSha("jane-notes"), before.jane);
    assert.equal(await originSha("main"), before.main);
    for (const n of [human.number, fork.number]) {
      assert.equal(w.github.state.pulls.find((p) => p.number === n)?.state, "open");
    }
  } finally {
    await w.close();
  }
});

Deno.test("a bot docs PR branch with someone else's commit is left alone, not force-pushed over", async () => {
  const w = await world();
  try {
    const first = await w.run({ plan: DOCS_PLAN("1. README"), patches: [FIX_A] }, await w.event());
    assert.equal(first.code, 0, first.stderr);
    const [bot] = botPulls(w.github);
    // A maintainer adds a commit on the bot's branch.
    const clone = await Deno.makeTempDir({ prefix: "sentries-human-" });
    try {
      const git = (...args: string[]) =>
        new Deno.Command("git", {
          args: ["-c", "user.name=Maintainer", "-c", "user.email=m@example.invalid", ...args],
          cwd: clone,
          stdout: "piped",
          stderr: "piped",
        }).output();
      await git("clone", "-q", "--branch", bot.headRef, w.origin, ".");
      await Deno.writeTextFile(join(clone, "README.md"), "# svc\n\nHand-written docs.\n");
      await git("commit", "-qam", "Better wording");
      await git("push", "-q", "origin", bot.headRef);
      const head = new TextDecoder().decode((await git("rev-parse", "HEAD")).stdout).trim();
      bot.headSha = head; // what GitHub would now report for the PR

      const second = await w.run({ plan: DOCS_PLAN("1. README"), patches: [FIX_B] }, await w.event());
      assert.equal(second.code, 0, second.stderr);
      assert.equal(second.report.outcome, "unchanged");
      assert.match(second.report.message, /commits from someone else \(\w{7} Maintainer/);
      const tip = await new Deno.Command("git", { args: ["-C", w.origin, "rev-parse", bot.headRef], stdout: "piped" })
        .output();
      assert.equal(new TextDecoder().decode(tip.stdout).trim(), head, "the maintainer's commit is still the tip");
    } finally {
      await Deno.remove(clone, { recursive: true });
    }
  } finally {
    await w.close();
  }
});
