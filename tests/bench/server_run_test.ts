/**
 * `deno task bench --llm-base URL --model-plan M --model-patch M` runs scenarios against that server (here a
 * loopback stand-in speaking Ollama's and the OpenAI wire format) instead of the built-in stand-in, and
 * reports the fix rate, the calls, the server's own token counts and the time.
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import { buildCorpus } from "../../bench/generate.ts";
import { createSmartModel } from "../../bench/smart_model.ts";
import { selectScenarios } from "../../bench/run.ts";
import { type StandIn, type StandInRequest, startStandIn } from "../support/standin_llm.ts";

const RUN = fileURLToPath(new URL("../../bench/run.ts", import.meta.url));
const PLANNER = "bench-planner:1b";
const PATCHER = "bench-patcher:1b";

async function bench(args: string[]) {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--no-prompt", RUN, ...args],
    stdout: "piped",
    stderr: "piped",
  }).output();
  return { code: out.code, stdout: new TextDecoder().decode(out.stdout), stderr: new TextDecoder().decode(out.stderr) };
}

async function withServer(
  reply: (req: StandInRequest) => string,
  run: (standIn: StandIn, out: string) => Promise<void>,
): Promise<void> {
  const standIn = await startStandIn({ models: [PLANNER, PATCHER], reply });
  const out = await Deno.makeTempDir({ prefix: "sentries-bench-server-" });
  try {
    await run(standIn, out);
  } finally {
    await standIn.close();
    await Deno.remove(out, { recursive: true });
  }
}

const promptTokensOf = (req: StandInRequest) =>
  req.messages.reduce((sum, m) => sum + Math.max(1, Math.ceil(m.content.length / 4)), 0);

Deno.test("bench --llm-base (Ollama API): one scenario fixed by the server's models, with its own counts", async () => {
  const scenario = buildCorpus().find((s) => s.id.startsWith("t01"))!;
  const model = createSmartModel(scenario.model);
  await withServer((req) => model.reply(req), async (standIn, out) => {
    const r = await bench([
      "--llm-base",
      standIn.url,
      "--model-plan",
      PLANNER,
      "--model-patch",
      PATCHER,
      "--only",
      "t01",
      "--out",
      out,
    ]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /1 scenarios against http:\/\/127\.0\.0\.1:\d+ \(ollama\), planner bench-planner:1b/);
    assert.match(r.stdout, /fix rate 1\/1 \(100%\) of the scenarios that should be fixed or updated; 1\/1 ended/);
    // Every call went to this server, with the models given: the planner first, then the patcher.
    assert.deepEqual(standIn.requests.map((q) => q.model), [PLANNER, PATCHER]);
    const prompt = standIn.requests.reduce((sum, q) => sum + promptTokensOf(q), 0);
    assert.match(
      r.stdout,
      new RegExp(
        `model calls 2; server-side tokens \\(2 of 2 calls reported\\): prompt ${prompt.toLocaleString("en-US")} `,
      ),
    );
    assert.match(r.stdout, /time \d+\.\d\d s in all/);
    const results = JSON.parse(await Deno.readTextFile(join(out, "results.json")));
    assert.deepEqual(results.server, {
      llmBase: standIn.url,
      api: "ollama",
      modelPlan: PLANNER,
      modelPatch: PATCHER,
    });
    assert.equal(results.scenarios[0].outcome, "fixed");
    assert.equal(results.scenarios[0].server.promptTokens, prompt);
    assert.match(await Deno.readTextFile(join(out, "results.md")), /\| t01-renamed-function \| fixed \| fixed \| ✓ \|/);
  });
});

Deno.test("bench --llm-base …/v1 (OpenAI API): a model that never answers usefully is a fix rate, not a failure", async () => {
  const echoFormat = "VERDICT: UPDATE_TESTS | SOURCE_BUG | NO_CHANGES\nREASON: <one sentence>";
  await withServer(() => echoFormat, async (standIn) => {
    const r = await bench([
      "--llm-base",
      `${standIn.url}/v1`,
      "--model-plan",
      PLANNER,
      "--model-patch",
      PATCHER,
      "--only",
      "t01,t02",
    ]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /2 scenarios against .*\/v1 \(openai\)/);
    assert.match(r.stdout, /fix rate 0\/2 \(0%\)/);
    // Two scenarios, each: the planner asked, then asked again with the format, then stopped.
    assert.equal(standIn.requests.length, 4);
    assert.ok(standIn.requests.every((q) => q.api === "openai" && q.model === PLANNER));
    assert.match(r.stdout, /model calls 4; server-side tokens \(4 of 4 calls reported\): prompt [\d,]+ \([\d,]+ from/);
  });
});

Deno.test("bench: --llm-base without its models, or models without a server, is a usage error (exit 2)", async () => {
  const noModels = await bench(["--llm-base", "http://127.0.0.1:9", "--only", "t01"]);
  assert.equal(noModels.code, 2);
  assert.match(noModels.stderr, /--llm-base needs --model-plan M and --model-patch M/);
  const noServer = await bench(["--model-plan", PLANNER, "--only", "t01"]);
  assert.equal(noServer.code, 2);
  assert.match(noServer.stderr, /need --llm-base URL/);
});

Deno.test("selectScenarios: --only takes one prefix or several, comma-separated", () => {
  const corpus = [{ id: "t01-a" }, { id: "t02-b" }, { id: "t10-c" }, { id: "d01-d" }];
  assert.deepEqual(selectScenarios(corpus, undefined).length, 4);
  assert.deepEqual(selectScenarios(corpus, "t0").map((s) => s.id), ["t01-a", "t02-b"]);
  assert.deepEqual(selectScenarios(corpus, "t01, d").map((s) => s.id), ["t01-a", "d01-d"]);
});
