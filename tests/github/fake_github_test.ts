// The fake must speak GitHub's wire format, or adapter tests against it prove nothing: raw fetches here.
import assert from "node:assert/strict";
import { type FakeGitHub, startFakeGitHub } from "../support/fake_github.ts";

async function withFake(
  fn: (fake: FakeGitHub, get: (path: string, init?: RequestInit) => Promise<Response>) => Promise<void>,
) {
  const fake = await startFakeGitHub();
  const get = (path: string, init: RequestInit = {}) =>
    fetch(fake.url + path, {
      ...init,
      headers: { authorization: `token ${fake.token}`, "content-type": "application/json", ...init.headers },
    });
  try {
    await fn(fake, get);
  } finally {
    await fake.close();
  }
}

Deno.test("fake GitHub: a wrong token gets 401 Bad credentials", async () => {
  await withFake(async (fake) => {
    const res = await fetch(`${fake.url}/repos/acme/widgets`, { headers: { authorization: "token nope" } });
    assert.equal(res.status, 401);
    assert.equal((await res.json()).message, "Bad credentials");
  });
});

Deno.test("fake GitHub: unknown routes and repositories answer 404 JSON", async () => {
  await withFake(async (_fake, get) => {
    for (const path of ["/repos/acme/other", "/repos/acme/widgets/pulls/9", "/nothing"]) {
      const res = await get(path);
      assert.equal(res.status, 404, path);
      assert.match(res.headers.get("content-type") ?? "", /^application\/json/);
      assert.equal((await res.json()).message, "Not Found");
    }
  });
});

Deno.test("fake GitHub: lists page with a Link header", async () => {
  await withFake(async (fake, get) => {
    for (let i = 0; i < 5; i++) fake.seedPull({});
    const first = await get("/repos/acme/widgets/pulls?per_page=2");
    assert.deepEqual((await first.json()).map((p: { number: number }) => p.number), [5, 4]);
    const link = first.headers.get("link") ?? "";
    assert.match(link, /<http:\/\/127\.0\.0\.1:\d+\/repos\/acme\/widgets\/pulls\?per_page=2&page=2>; rel="next"/);
    assert.match(link, /page=3>; rel="last"/);
    const last = await get("/repos/acme/widgets/pulls?per_page=2&page=3");
    assert.deepEqual((await last.json()).map((p: { number: number }) => p.number), [1]);
    assert.doesNotMatch(last.headers.get("link") ?? "", /rel="next"/);
  });
});

Deno.test("fake GitHub: creating an existing label is 422 already_exists", async () => {
  await withFake(async (_fake, get) => {
    const create = () =>
      get("/repos/acme/widgets/labels", { method: "POST", body: JSON.stringify({ name: "Sentries" }) });
    const created = await create();
    assert.equal(created.status, 201);
    assert.equal((await created.json()).name, "Sentries");
    const again = await get("/repos/acme/widgets/labels", {
      method: "POST",
      body: JSON.stringify({ name: "sentries" }),
    });
    assert.equal(again.status, 422);
    const body = await again.json();
    assert.equal(body.message, "Validation Failed");
    assert.deepEqual(body.errors, [{ resource: "Label", code: "already_exists", field: "name" }]);
  });
});

Deno.test("fake GitHub: removing a label that is not on the issue is 404", async () => {
  await withFake(async (fake, get) => {
    const pr = fake.seedPull({ labels: ["keep me"] });
    const missing = await get(`/repos/acme/widgets/issues/${pr.number}/labels/absent`, { method: "DELETE" });
    assert.equal(missing.status, 404);
    assert.equal((await missing.json()).message, "Label does not exist");
    const removed = await get(`/repos/acme/widgets/issues/${pr.number}/labels/keep%20me`, { method: "DELETE" });
    assert.equal(removed.status, 200);
    assert.deepEqual(await removed.json(), []);
  });
});

Deno.test("fake GitHub: list items lack `merged`, the single pull has it", async () => {
  await withFake(async (fake, get) => {
    fake.seedPull({ state: "closed", merged: true });
    const [listed] = await (await get("/repos/acme/widgets/pulls?state=closed")).json();
    assert.equal("merged" in listed, false);
    assert.notEqual(listed.merged_at, null);
    const single = await (await get("/repos/acme/widgets/pulls/1")).json();
    assert.equal(single.merged, true);
  });
});

Deno.test("fake GitHub: resolveRef makes unknown head branches a 422", async () => {
  const fake = await startFakeGitHub({
    resolveRef: (ref) => ref === "main" || ref === "known" ? "f".repeat(40) : undefined,
  });
  try {
    const post = (head: string) =>
      fetch(`${fake.url}/repos/acme/widgets/pulls`, {
        method: "POST",
        headers: { authorization: `Bearer ${fake.token}` },
        body: JSON.stringify({ title: "t", head, base: "main" }),
      });
    const bad = await post("unknown");
    assert.equal(bad.status, 422);
    assert.deepEqual((await bad.json()).errors, [{ resource: "PullRequest", field: "head", code: "invalid" }]);
    const good = await post("known");
    assert.equal(good.status, 201);
    assert.equal((await good.json()).head.sha, "f".repeat(40));
  } finally {
    await fake.close();
  }
});
