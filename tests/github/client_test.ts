import assert from "node:assert/strict";
import {
  createGitHub,
  type GitHub,
  METADATA_MARKER,
  parseMetadataMarker,
  renderMetadataMarker,
} from "../../src/github/mod.ts";
import { type FakeGitHub, type FakeGitHubOptions, startFakeGitHub } from "../support/fake_github.ts";

async function withFake(opts: FakeGitHubOptions, fn: (fake: FakeGitHub, gh: GitHub) => Promise<void>): Promise<void> {
  const fake = await startFakeGitHub(opts);
  try {
    await fn(fake, createGitHub({ token: fake.token, repository: fake.repo, apiUrl: fake.url }));
  } finally {
    await fake.close();
  }
}

Deno.test("checkAccess reports the repository, default branch, login and push rights", async () => {
  await withFake({ defaultBranch: "trunk", canPush: false, login: "octo" }, async (_fake, gh) => {
    assert.deepEqual(await gh.checkAccess(), {
      ok: true,
      login: "octo",
      repoFullName: "acme/widgets",
      defaultBranch: "trunk",
      canPush: false,
    });
  });
});

Deno.test("checkAccess works without a login, as with GitHub Actions' installation token", async () => {
  await withFake({ failWith: { "GET /user": 403 } }, async (_fake, gh) => {
    const access = await gh.checkAccess();
    assert.equal(access.login, undefined);
    assert.equal(access.canPush, true);
  });
});

Deno.test("requests carry the token and a sentries user agent", async () => {
  const seen: Array<{ auth: string | null; agent: string | null }> = [];
  const fake = await startFakeGitHub();
  try {
    const spy: typeof fetch = (input, init) => {
      const headers = new Headers(init?.headers);
      seen.push({ auth: headers.get("authorization"), agent: headers.get("user-agent") });
      return fetch(input, init);
    };
    const gh = createGitHub({ token: fake.token, repository: fake.repo, apiUrl: fake.url + "/" }, { fetch: spy });
    await gh.listPullRequests({ state: "open" });
  } finally {
    await fake.close();
  }
  assert.equal(seen.length, 1);
  assert.equal(seen[0].auth, `token ${fake.token}`);
  assert.match(seen[0].agent ?? "", /^sentries\/\d+\.\d+\.\d+/);
});

Deno.test("createPullRequest opens a PR and returns its details", async () => {
  await withFake({}, async (fake, gh) => {
    const pr = await gh.createPullRequest({
      title: "Fix tests",
      body: "the body",
      head: "ai-test-fixes/abc",
      base: "main",
    });
    assert.equal(pr.number, 1);
    assert.equal(pr.title, "Fix tests");
    assert.equal(pr.body, "the body");
    assert.equal(pr.state, "open");
    assert.equal(pr.merged, false);
    assert.equal(pr.headRef, "ai-test-fixes/abc");
    assert.equal(pr.baseRef, "main");
    assert.equal(pr.isFork, false);
    assert.match(pr.headSha, /^[0-9a-f]{40}$/);
    assert.equal(pr.url, "https://github.com/acme/widgets/pull/1");
    assert.equal(fake.state.pulls.length, 1);
    assert.deepEqual(fake.requests.at(-1)?.body, {
      title: "Fix tests",
      body: "the body",
      head: "ai-test-fixes/abc",
      base: "main",
    });
  });
});

Deno.test("a second PR for the same head is refused with GitHub's words", async () => {
  await withFake({}, async (_fake, gh) => {
    await gh.createPullRequest({ title: "a", body: "", head: "x", base: "main" });
    const err = await gh.createPullRequest({ title: "b", body: "", head: "x", base: "main" }).then(
      () => assert.fail("expected a refusal"),
      (e) => e,
    );
    assert.equal(err.code, "github.http");
    assert.equal(err.status, 422);
    assert.match(err.message, /A pull request already exists for x/);
  });
});

Deno.test("updatePullRequest changes title, body and state; getPullRequest reads them back", async () => {
  await withFake({}, async (fake, gh) => {
    const seeded = fake.seedPull({ title: "old", body: "old body" });
    const updated = await gh.updatePullRequest(seeded.number, { title: "new — abandoned", state: "closed" });
    assert.equal(updated.title, "new — abandoned");
    assert.equal(updated.body, "old body");
    assert.equal(updated.state, "closed");
    const again = await gh.getPullRequest(seeded.number);
    assert.equal(again.state, "closed");
    assert.equal(fake.state.pulls[0].closedAt !== null, true);
  });
});

Deno.test("merged PRs read as merged from both the list and the single endpoint", async () => {
  await withFake({}, async (fake, gh) => {
    fake.seedPull({ state: "closed", merged: true });
    const [listed] = await gh.listPullRequests({ state: "closed" });
    assert.equal(listed.merged, true);
    assert.equal((await gh.getPullRequest(listed.number)).merged, true);
  });
});

Deno.test("ensureLabels creates each missing label once", async () => {
  await withFake({}, async (fake, gh) => {
    const wanted = [{ name: "ai-generated", color: "#7057ff", description: "opened by a bot" }, { name: "sentries" }];
    await gh.ensureLabels(wanted);
    await gh.ensureLabels(wanted);
    const posts = fake.requests.filter((r) => r.method === "POST" && r.path === "/repos/acme/widgets/labels");
    assert.equal(posts.length, 2);
    assert.equal(fake.state.labels.get("ai-generated")?.color, "7057ff");
    assert.equal(fake.state.labels.get("ai-generated")?.description, "opened by a bot");
  });
});

Deno.test("ensureLabels treats a concurrent create (422 already_exists) as done", async () => {
  await withFake({}, async (fake, gh) => {
    // The list says nothing exists, but the label does: exactly the race between two runs.
    const listOnlyEmpty: typeof fetch = (input, init) => {
      const url = new URL(input instanceof Request ? input.url : String(input));
      if ((init?.method ?? "GET") === "GET" && url.pathname.endsWith("/labels")) {
        return Promise.resolve(Response.json([], { headers: { "content-type": "application/json" } }));
      }
      return fetch(input, init);
    };
    fake.seedPull({ labels: ["sentries"] });
    const racy = createGitHub({ token: fake.token, repository: fake.repo, apiUrl: fake.url }, { fetch: listOnlyEmpty });
    await racy.ensureLabels([{ name: "Sentries" }, { name: "ai-generated" }]);
    assert.deepEqual([...fake.state.labels.keys()].sort(), ["ai-generated", "sentries"]);
    await gh.ensureLabels([{ name: "sentries" }]);
  });
});

Deno.test("addLabels and removeLabel change a PR's labels; removing a missing label is fine", async () => {
  await withFake({}, async (fake, gh) => {
    const pr = fake.seedPull({});
    await gh.addLabels(pr.number, ["tests-sentry:done", "sentries"]);
    assert.deepEqual((await gh.getPullRequest(pr.number)).labels, ["tests-sentry:done", "sentries"]);
    await gh.removeLabel(pr.number, "tests-sentry:done");
    await gh.removeLabel(pr.number, "never-there");
    assert.deepEqual(fake.state.issueLabels.get(pr.number), ["sentries"]);
    await gh.addLabels(pr.number, []);
  });
});

Deno.test("comment posts and listComments reads back, across pages", async () => {
  await withFake({}, async (fake, gh) => {
    const pr = fake.seedPull({});
    for (let i = 0; i < 120; i++) fake.seedComment(pr.number, `old ${i}`, "someone");
    const posted = await gh.comment(pr.number, renderMetadataMarker({ sentry: "tests" }));
    assert.match(posted.url, new RegExp(`/pull/${pr.number}#issuecomment-${posted.id}$`));
    const comments = await gh.listComments(pr.number);
    assert.equal(comments.length, 121);
    assert.deepEqual(parseMetadataMarker(comments.at(-1)!.body), { sentry: "tests" });
    assert.equal(comments.at(-1)!.user, "sentries-bot");
  });
});

Deno.test("listPullRequests follows Link pagination over more than 100 PRs and filters", async () => {
  await withFake({}, async (fake, gh) => {
    for (let i = 0; i < 230; i++) {
      fake.seedPull({ state: i % 2 === 0 ? "open" : "closed", baseRef: i < 10 ? "dev" : "main" });
    }
    const all = await gh.listPullRequests({ state: "all" });
    assert.equal(all.length, 230);
    assert.equal(new Set(all.map((p) => p.number)).size, 230);
    const pages = fake.requests.filter((r) => r.path === "/repos/acme/widgets/pulls");
    assert.deepEqual(pages.map((r) => r.query.page ?? "1"), ["1", "2", "3"]);
    assert.equal((await gh.listPullRequests({ state: "open" })).length, 115);
    assert.equal((await gh.listPullRequests({ state: "all", base: "dev" })).length, 10);
  });
});

Deno.test("listPullRequests filters by owner:branch", async () => {
  await withFake({}, async (fake, gh) => {
    fake.seedPull({ headRef: "ai-test-fixes/1" });
    fake.seedPull({ headRef: "ai-test-fixes/1", headRepo: "fork/widgets" });
    fake.seedPull({ headRef: "other" });
    const ours = await gh.listPullRequests({ state: "open", head: "acme:ai-test-fixes/1" });
    assert.deepEqual(ours.map((p) => [p.number, p.isFork]), [[1, false]]);
    const theirs = await gh.listPullRequests({ state: "open", head: "fork:ai-test-fixes/1" });
    assert.deepEqual(theirs.map((p) => [p.number, p.isFork]), [[2, true]]);
  });
});

Deno.test("findPullRequestsByMarker finds PRs whose body carries the marker", async () => {
  await withFake({}, async (fake, gh) => {
    const meta = { sentry: "docs", sourcePr: 7, headSha: "abc", note: "a --> b <!-- c" };
    fake.seedPull({ body: `Summary\n\n${renderMetadataMarker(meta)}` });
    fake.seedPull({ body: "a human PR" });
    fake.seedPull({ body: renderMetadataMarker({ sentry: "tests" }), state: "closed" });
    const open = await gh.findPullRequestsByMarker(METADATA_MARKER);
    assert.deepEqual(open.map((p) => p.number), [1]);
    assert.deepEqual(parseMetadataMarker(open[0].body), meta);
    const all = await gh.findPullRequestsByMarker(METADATA_MARKER, "all");
    assert.deepEqual(all.map((p) => p.number), [3, 1]);
  });
});

Deno.test("PR bodies over GitHub's limit are truncated before they are sent, keeping the marker", async () => {
  await withFake({}, async (_fake, gh) => {
    const body = "x".repeat(70_000) + "\n" + renderMetadataMarker({ key: "k" });
    const pr = await gh.createPullRequest({ title: "big", body, head: "big", base: "main" });
    assert.ok(pr.body.length <= 65_536);
    assert.deepEqual(parseMetadataMarker(pr.body), { key: "k" });
  });
});
