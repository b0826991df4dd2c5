import assert from "node:assert/strict";
import { createLlmClient, type PullProgress, sameModelName } from "../../src/llm/mod.ts";
import { clientFor, llmErrorOf, PLAN_MODEL, withStandIn } from "./helpers.ts";

const PATCH_MODEL = "deepseek-coder:6.7b-instruct-q5_K_M";

Deno.test("version, listModels and showModel read Ollama's /api/version, /api/tags and /api/show", async () => {
  await withStandIn({ version: "0.9.3", models: [PLAN_MODEL, "tinyllama"] }, async (standIn) => {
    const client = clientFor(standIn.url);
    assert.equal(await client.version(), "0.9.3");
    const models = await client.listModels();
    assert.deepEqual(models.map((m) => m.name), [PLAN_MODEL, "tinyllama:latest"]);
    assert.equal(models[0].quantization, "Q4_K_M");
    assert.equal(models[0].parameterSize, "8.0B");
    assert.equal(models[0].family, "llama");
    assert.ok((models[0].sizeBytes ?? 0) > 4e9);
    assert.match(models[0].digest ?? "", /^[0-9a-f]{64}$/);
    assert.ok(models.some((m) => sameModelName(m.name, "tinyllama")));

    const shown = await client.showModel(PLAN_MODEL);
    assert.equal(shown.name, PLAN_MODEL);
    assert.equal(shown.quantization, "Q4_K_M");
    assert.equal(shown.parameterSize, "8.0B");
    const missing = await llmErrorOf(client.showModel("nope:1b"));
    assert.equal(missing.code, "llm.model_not_found");
    assert.equal(missing.hint, "ollama pull nope:1b");
  });
});

Deno.test("the OpenAI-style API lists /v1/models, finds a model in that list, and reads a version when served", async () => {
  await withStandIn({}, async (standIn) => {
    const client = clientFor(`${standIn.url}/v1`);
    const models = await client.listModels();
    assert.deepEqual(models.map((m) => m.name), [PLAN_MODEL, PATCH_MODEL]);
    assert.equal((await client.showModel(PATCH_MODEL)).name, PATCH_MODEL);
    assert.equal((await llmErrorOf(client.showModel("other"))).code, "llm.model_not_found");
    assert.equal(await client.version(), "0.9.0"); // Ollama behind /v1 still answers /api/version
  });
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, () => new Response("", { status: 404 }));
  try {
    const client = createLlmClient({ baseUrl: `http://127.0.0.1:${server.addr.port}/v1` });
    assert.equal(await client.version(), undefined);
  } finally {
    await server.shutdown();
  }
});

Deno.test("pullModel streams progress to success and the model is installed afterwards", async () => {
  const name = "codellama:7b-instruct-q4_K_M";
  await withStandIn({}, async (standIn) => {
    const client = clientFor(standIn.url);
    const events: PullProgress[] = [];
    await client.pullModel(name, (p) => events.push(p));
    assert.equal(events[0].status, "pulling manifest");
    assert.equal(events.at(-1)?.status, "success");
    const layer = events.filter((e) => e.digest !== undefined && e.total !== undefined && e.total > 1e9);
    assert.ok(layer.length >= 2);
    assert.equal(layer.at(-1)?.completed, layer.at(-1)?.total);
    assert.match(layer[0].status, /^pulling [0-9a-f]{12}$/);
    assert.deepEqual(standIn.pulled, [name]);
    assert.ok((await client.listModels()).some((m) => m.name === name));
  });
});

Deno.test("a pull whose stream drops is pulled again and resumes from the bytes already there", async () => {
  const name = "mistral:7b-instruct-v0.2-q4_K_M";
  await withStandIn({ pull: { disconnectAfterBytes: 1e9, disconnects: 3 } }, async (standIn) => {
    // Each dropped pull made progress, so three drops in a row do not exhaust one retry.
    const client = clientFor(standIn.url, { retries: 1 });
    const completed: number[] = [];
    await client.pullModel(name, (p) => {
      if (p.total !== undefined && p.total > 1e9 && p.completed !== undefined) completed.push(p.completed);
    });
    assert.equal(standIn.pullAttempts.length, 4);
    assert.equal(standIn.pullAttempts[0].resumedFromBytes, 0);
    for (let i = 1; i < 4; i++) {
      assert.ok(standIn.pullAttempts[i].resumedFromBytes > standIn.pullAttempts[i - 1].resumedFromBytes);
    }
    assert.equal(completed.at(-1), 4.37e9);
    assert.deepEqual(standIn.pulled, [name]);
  });
});

Deno.test("pull errors in plain words: unknown model and a full disk, neither retried", async () => {
  await withStandIn({}, async (standIn) => {
    const statuses: string[] = [];
    const error = await llmErrorOf(clientFor(standIn.url).pullModel("llama9:70b-nope", (p) => statuses.push(p.status)));
    assert.equal(error.code, "llm.model_not_found");
    assert.match(error.message, /could not find llama9:70b-nope/);
    assert.match(error.hint ?? "", /ollama\.com\/library/);
    assert.deepEqual(statuses, ["pulling manifest"]);
    assert.deepEqual(standIn.pulled, []);
  });
  const failWith = "write /root/.ollama/models/blobs/sha256-partial: no space left on device";
  await withStandIn({ pull: { failWith } }, async (standIn) => {
    const error = await llmErrorOf(clientFor(standIn.url).pullModel(PLAN_MODEL, () => {}));
    assert.match(error.message, /disk is full/);
    assert.match(error.hint ?? "", /OLLAMA_MODELS/);
  });
});

Deno.test("pulling through the OpenAI-style API is refused with a clear reason", async () => {
  await withStandIn({}, async (standIn) => {
    const error = await llmErrorOf(clientFor(`${standIn.url}/v1`).pullModel(PLAN_MODEL, () => {}));
    assert.match(error.message, /needs Ollama's API/);
  });
});
