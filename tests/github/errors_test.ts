import assert from "node:assert/strict";
import { createGitHub, GitHubError } from "../../src/github/mod.ts";
import { type FakeGitHubOptions, startFakeGitHub } from "../support/fake_github.ts";

/** Runs `call` against the fake and returns the GitHubError it threw. */
async function failure(
  opts: FakeGitHubOptions,
  call: (gh: ReturnType<typeof createGitHub>) => Promise<unknown>,
  token?: string,
): Promise<GitHubError> {
  const fake = await startFakeGitHub(opts);
  try {
    const gh = createGitHub({ token: token ?? fake.token, repository: fake.repo, apiUrl: fake.url });
    const err = await call(gh).then(() => undefined, (e: unknown) => e);
    assert.ok(err instanceof GitHubError, `expected a GitHubError, got ${err}`);
    return err;
  } finally {
    await fake.close();
  }
}

Deno.test("401: the token is named as the problem", async () => {
  const err = await failure({}, (gh) => gh.checkAccess(), "wrong-token");
  assert.equal(err.code, "github.auth");
  assert.equal(err.status, 401);
  assert.match(err.message, /GitHub rejected the token \(401 Bad credentials\)/);
  assert.match(err.hint ?? "", /GITHUB_TOKEN/);
});

Deno.test("403 on opening a PR names the missing workflow permission", async () => {
  const err = await failure(
    { failWith: { "POST /repos/acme/widgets/pulls": 403 } },
    (gh) => gh.createPullRequest({ title: "t", body: "b", head: "h", base: "main" }),
  );
  assert.equal(err.code, "github.forbidden");
  assert.match(err.message, /^the token cannot open pull requests in acme\/widgets/);
  assert.match(err.message, /give the workflow `permissions: pull-requests: write`/);
});

Deno.test("403 because Actions may not create PRs points at the repository setting", async () => {
  const message = "GitHub Actions is not permitted to create or approve pull requests.";
  const err = await failure(
    { failWith: { "POST /repos/acme/widgets/pulls": { status: 403, message } } },
    (gh) => gh.createPullRequest({ title: "t", body: "b", head: "h", base: "main" }),
  );
  assert.equal(err.code, "github.forbidden");
  assert.match(err.hint ?? "", /Allow GitHub Actions to create and approve pull requests/);
});

Deno.test("403 on labels asks for issues: write", async () => {
  const err = await failure(
    { failWith: { "POST /repos/acme/widgets/labels": 403 } },
    (gh) => gh.ensureLabels([{ name: "sentries" }]),
  );
  assert.match(err.message, /cannot create labels .*`permissions: issues: write`/);
});

Deno.test("403 with the rate limit used up is reported as a rate limit", async () => {
  const err = await failure(
    {
      failWith: {
        "GET /repos/acme/widgets/pulls": {
          status: 403,
          message: "API rate limit exceeded for installation ID 1.",
          headers: { "x-ratelimit-remaining": "0", "x-ratelimit-reset": "1767225600" },
        },
      },
    },
    (gh) => gh.listPullRequests({ state: "open" }),
  );
  assert.equal(err.code, "github.rate_limited");
  assert.match(err.message, /rate limit is used up until 2026-01-01T00:00:00.000Z/);
});

Deno.test("404 on the repository says which repository and what to check", async () => {
  const fake = await startFakeGitHub();
  try {
    const gh = createGitHub({ token: fake.token, repository: "acme/nope", apiUrl: fake.url });
    const err = await gh.checkAccess().then(() => undefined, (e: unknown) => e);
    assert.ok(err instanceof GitHubError);
    assert.equal(err.code, "github.not_found");
    assert.match(
      err.message,
      /the repository acme\/nope was not found at http:\/\/127\.0\.0\.1:\d+, or the token cannot see it/,
    );
    assert.match(err.hint ?? "", /GITHUB_REPOSITORY/);
  } finally {
    await fake.close();
  }
});

Deno.test("404 on a pull request names the pull request", async () => {
  const err = await failure({}, (gh) => gh.getPullRequest(42));
  assert.equal(err.code, "github.not_found");
  assert.equal(err.message, "pull request #42 was not found in acme/widgets");
});

Deno.test("server errors carry the status and suggest trying later", async () => {
  const err = await failure({ failWith: { "GET /repos/acme/widgets/pulls/1": 502 } }, (gh) => gh.getPullRequest(1));
  assert.equal(err.code, "github.http");
  assert.match(err.message, /HTTP 502: Bad Gateway/);
  assert.match(err.hint ?? "", /try again later/);
});

Deno.test("a refused connection is github.unreachable and names the API URL", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = listener.addr.port;
  listener.close();
  const gh = createGitHub({ token: "t", repository: "acme/widgets", apiUrl: `http://127.0.0.1:${port}` });
  const err = await gh.getPullRequest(1).then(() => undefined, (e: unknown) => e);
  assert.ok(err instanceof GitHubError);
  assert.equal(err.code, "github.unreachable");
  assert.match(err.message, new RegExp(`cannot reach the GitHub API at http://127\\.0\\.0\\.1:${port}`));
});

Deno.test("a GitHub that never answers times out as github.unreachable", async () => {
  const held: Array<() => void> = [];
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    () => new Promise<Response>((resolve) => held.push(() => resolve(new Response(null)))),
  );
  try {
    const gh = createGitHub(
      { token: "t", repository: "acme/widgets", apiUrl: `http://127.0.0.1:${server.addr.port}` },
      { timeoutMs: 50 },
    );
    const err = await gh.getPullRequest(1).then(() => undefined, (e: unknown) => e);
    assert.ok(err instanceof GitHubError);
    assert.equal(err.code, "github.unreachable");
    assert.match(err.message, /did not answer in time while trying to read pull requests/);
  } finally {
    held.forEach((release) => release());
    await server.shutdown();
  }
});

Deno.test("a missing --allow-net (Deno's NotCapable inside Octokit's RequestError) is translated", async () => {
  // A child with the network limited to loopback, as the sentries permission set limits it to known hosts.
  // (`deno eval` always runs with every permission, so the child is a `deno run` of a temp file.)
  const root = new URL("../../", import.meta.url);
  const script = `
    import { createGitHub } from "${new URL("src/github/mod.ts", root)}";
    const gh = createGitHub({ token: "t", repository: "acme/widgets", apiUrl: "https://example.invalid" });
    try { await gh.getPullRequest(1); } catch (e) {
      console.log(JSON.stringify({ code: e.code, message: e.message, hint: e.hint,
        causeName: e.cause?.name, causeStatus: e.cause?.status, rootName: e.cause?.cause?.name }));
    }`;
  const dir = await Deno.makeTempDir({ prefix: "sentries-notcapable-" });
  const file = `${dir}/child.ts`;
  await Deno.writeTextFile(file, script);
  let out: Deno.CommandOutput;
  try {
    out = await new Deno.Command(Deno.execPath(), {
      args: ["run", "--no-prompt", "--config", new URL("deno.json", root).pathname, "--allow-net=127.0.0.1", file],
      stdout: "piped",
      stderr: "piped",
    }).output();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
  const stderr = new TextDecoder().decode(out.stderr);
  assert.equal(out.code, 0, stderr);
  const result = JSON.parse(new TextDecoder().decode(out.stdout));
  assert.equal(result.causeName, "HttpError", "Octokit's RequestError wraps the failure");
  assert.equal(result.causeStatus, 500);
  assert.equal(result.rootName, "NotCapable");
  assert.equal(result.code, "github.unreachable");
  assert.match(result.message, /^sentries is not permitted to reach example\.invalid — /);
  assert.match(result.hint, /--allow-net=example\.invalid/);
});
