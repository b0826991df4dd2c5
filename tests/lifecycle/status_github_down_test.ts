/**
 * `sentries status` with a token while GitHub cannot be read: the pull requests are unknown, never "0".
 * Through the real CLI against a loopback fake GitHub that answers 500, and against a closed port.
 */
import assert from "node:assert/strict";
import { runCli } from "../support/cli.ts";
import { startFakeGitHub } from "../support/fake_github.ts";
import { B } from "./scenario.ts";
import { createWorld, type World } from "./world.ts";

/** A loopback port that nothing listens on: bound, then released. */
function closedPort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr as Deno.NetAddr;
  listener.close();
  return port;
}

async function withBotBranch(fn: (world: World) => Promise<void>): Promise<void> {
  const world = await createWorld();
  try {
    await world.botBranch({ name: B.old, date: "2024-01-10T00:00:00Z" });
    await fn(world);
  } finally {
    await world.cleanup();
  }
}

async function status(world: World, env: Record<string, string>) {
  const text = await runCli(["status", "-C", world.repo.dir], { env });
  assert.equal(text.code, 0, text.stderr);
  const json = await runCli(["status", "--json", "-C", world.repo.dir], { env });
  assert.equal(json.code, 0, json.stderr);
  return { text, report: JSON.parse(json.stdout) };
}

function assertUnknown(r: Awaited<ReturnType<typeof status>>, reason: RegExp): void {
  assert.doesNotMatch(r.text.stdout, /\b0 pull requests\b/);
  assert.match(r.text.stdout, /1 branch \(1 local, 0 on origin\), pull requests unknown;/);
  assert.match(r.text.stdout, /^Pull requests unknown: GitHub could not be read: .+Check the network/m);
  assert.match(r.text.stdout, reason);
  assert.match(r.text.stderr, /warning: could not list pull requests/);
  assert.equal(r.report.summary.pullRequests, null);
  assert.equal(r.report.summary.openPullRequests, null);
  assert.match(r.report.summary.pullRequestsUnknownReason, /^GitHub could not be read: /);
  assert.match(r.report.summary.pullRequestsUnknownReason, reason);
  // The branches are still listed: only the pull requests are unknown.
  assert.equal(r.report.summary.branches, 1);
}

Deno.test("status: GitHub answering 500 makes the pull requests unknown, with the reason (text and --json)", async () => {
  const gh = await startFakeGitHub({
    failWith: { "GET /repos/acme/widgets/pulls": { status: 500, message: "Server Error" } },
  });
  try {
    await withBotBranch(async (world) => {
      const env = { GITHUB_TOKEN: gh.token, GITHUB_REPOSITORY: gh.repo, GITHUB_API_URL: gh.url };
      assertUnknown(await status(world, env), /500|Server Error/);
    });
  } finally {
    await gh.close();
  }
});

Deno.test("status: GitHub on a closed port makes the pull requests unknown, with the reason", async () => {
  await withBotBranch(async (world) => {
    const url = `http://127.0.0.1:${closedPort()}`;
    const env = { GITHUB_TOKEN: "t", GITHUB_REPOSITORY: "acme/widgets", GITHUB_API_URL: url };
    assertUnknown(await status(world, env), /127\.0\.0\.1/);
  });
});

Deno.test("status: a GitHub that answers still counts its pull requests (0 is a real zero)", async () => {
  const gh = await startFakeGitHub();
  try {
    await withBotBranch(async (world) => {
      const r = await status(world, { GITHUB_TOKEN: gh.token, GITHUB_REPOSITORY: gh.repo, GITHUB_API_URL: gh.url });
      assert.match(r.text.stdout, /1 branch \(1 local, 0 on origin\), 0 pull requests \(0 open\);/);
      assert.doesNotMatch(r.text.stdout, /unknown/);
      assert.equal(r.report.summary.pullRequests, 0);
      assert.equal(r.report.summary.pullRequestsUnknownReason, undefined);
    });
  } finally {
    await gh.close();
  }
});

Deno.test("status: without a token the pull requests are not listed, and the count says unknown", async () => {
  await withBotBranch(async (world) => {
    const r = await status(world, {});
    assert.match(r.text.stdout, /pull requests unknown;/);
    assert.match(r.text.stdout, /Pull requests not listed: set GITHUB_TOKEN and GITHUB_REPOSITORY/);
    assert.equal(r.report.summary.pullRequests, null);
    assert.match(r.report.summary.pullRequestsUnknownReason, /without GITHUB_TOKEN/);
  });
});
