import assert from "node:assert/strict";
import { dirname } from "node:path";
import { GitHubError, parsePullRequestEvent, readPullRequestEvent } from "../../src/github/mod.ts";
import { writePullRequestEvent } from "../support/pr_event.ts";

function pullRequestPayload(overrides: { headRepo?: unknown; userType?: string } = {}) {
  return {
    action: "synchronize",
    number: 7,
    pull_request: {
      number: 7,
      title: "Rename --verbose to --debug",
      body: null,
      user: { login: overrides.userType === "Bot" ? "dependabot[bot]" : "alice", type: overrides.userType ?? "User" },
      labels: [{ name: "docs" }, { name: "enhancement" }],
      head: {
        ref: "rename-flag",
        sha: "a".repeat(40),
        repo: "headRepo" in overrides ? overrides.headRepo : { full_name: "acme/widgets", fork: false },
      },
      base: { ref: "main", sha: "b".repeat(40), repo: { full_name: "acme/widgets" } },
    },
    repository: { full_name: "acme/widgets" },
  };
}

async function withEventFile(payload: unknown, fn: (path: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "sentries-event-" });
  try {
    const path = `${dir}/event.json`;
    await Deno.writeTextFile(path, typeof payload === "string" ? payload : JSON.stringify(payload));
    await fn(path);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("a same-repository pull_request event is read in full", async () => {
  await withEventFile(pullRequestPayload(), async (path) => {
    assert.deepEqual(await readPullRequestEvent(path), {
      number: 7,
      baseSha: "b".repeat(40),
      baseRef: "main",
      headSha: "a".repeat(40),
      headRef: "rename-flag",
      headRepoFullName: "acme/widgets",
      isFork: false,
      title: "Rename --verbose to --debug",
      body: "",
      author: "alice",
      authorType: "User",
      labels: ["docs", "enhancement"],
    });
  });
});

Deno.test("a PR from a fork is a fork; so is one whose fork was deleted", () => {
  const fork = parsePullRequestEvent(pullRequestPayload({ headRepo: { full_name: "mallory/widgets", fork: true } }));
  assert.equal(fork?.isFork, true);
  assert.equal(fork?.headRepoFullName, "mallory/widgets");
  const deleted = parsePullRequestEvent(pullRequestPayload({ headRepo: null }));
  assert.equal(deleted?.isFork, true);
  assert.equal(deleted?.headRepoFullName, "");
});

Deno.test("a bot author is reported as a Bot", () => {
  const event = parsePullRequestEvent(pullRequestPayload({ userType: "Bot" }));
  assert.equal(event?.authorType, "Bot");
  assert.equal(event?.author, "dependabot[bot]");
});

Deno.test("a push event is not a pull request event", async () => {
  await withEventFile(
    { ref: "refs/heads/main", after: "c".repeat(40), repository: { full_name: "acme/widgets" } },
    async (path) => {
      assert.equal(await readPullRequestEvent(path), undefined);
    },
  );
});

Deno.test("a missing or broken event file is a clear GitHubError", async () => {
  await assert.rejects(readPullRequestEvent("/nonexistent/event.json"), (err: unknown) => {
    assert.ok(err instanceof GitHubError);
    assert.equal(err.code, "github.event");
    assert.match(err.message, /\/nonexistent\/event\.json \(GITHUB_EVENT_PATH\) does not exist/);
    return true;
  });
  await withEventFile("{not json", async (path) => {
    await assert.rejects(readPullRequestEvent(path), /is not valid JSON/);
  });
});

Deno.test("the test helper writes event files only into a folder its caller owns and removes", async () => {
  const dir = await Deno.makeTempDir({ prefix: "sentries-event-" });
  const fields = { number: 7, title: "t", headSha: "a".repeat(40), headRef: "x", baseSha: "b".repeat(40), repo: "a/b" };
  try {
    const path = await writePullRequestEvent(fields, dir);
    assert.equal(dirname(path), dir);
    assert.equal((await readPullRequestEvent(path))?.number, 7);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
  // Type-checked, never run: without a folder the helper used to make one that nobody removed
  // (every test run left /tmp/sentries-event-* behind).
  const _withoutFolder = () =>
    // @ts-expect-error: the folder is required
    writePullRequestEvent(fields);
});
