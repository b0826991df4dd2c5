import assert from "node:assert/strict";
import { ConfirmationNeededError } from "../../src/errors.ts";
import { loadCatalog } from "../../src/models/catalog.ts";
import { type ModelsOutcome, runModels } from "../../src/setup/run_models.ts";
import { closedPort } from "../llm/helpers.ts";
import { type StandIn, type StandInOptions, startStandIn } from "../support/standin_llm.ts";
import { configFor, fakeProbe, fastClient, type RecordingConsole, recordingConsole } from "./helpers.ts";

interface Run {
  outcome: ModelsOutcome;
  console: RecordingConsole;
  standIn?: StandIn;
  out: string;
  err: string;
}

async function models(
  options: {
    standIn?: StandInOptions | false;
    flags?: { infoOnly?: boolean; yes?: boolean; json?: boolean };
    totalGiB?: number;
    env?: Record<string, string>;
    console?: RecordingConsole;
  },
  check: (r: Run) => void | Promise<void>,
): Promise<void> {
  const standIn = options.standIn === false ? undefined : await startStandIn(options.standIn ?? {});
  const dir = await Deno.makeTempDir({ prefix: "sentries-models-" });
  const console = options.console ?? recordingConsole();
  try {
    const config = await configFor(dir, {
      LLM_BASE: standIn?.url ?? `http://127.0.0.1:${closedPort()}`,
      ...options.env,
    });
    const outcome = await runModels(
      {
        config,
        catalog: loadCatalog(),
        infoOnly: options.flags?.infoOnly ?? false,
        yes: options.flags?.yes ?? false,
        json: options.flags?.json ?? false,
      },
      { console, probe: fakeProbe({ totalGiB: options.totalGiB ?? 32 }), client: fastClient(config.llmBase) },
    );
    await check({ outcome, console, standIn, out: console.stdout.join(""), err: console.stderr.join("") });
  } finally {
    await Deno.remove(dir, { recursive: true });
    await standIn?.close();
  }
}

Deno.test("the table shows catalog and installed models with details from /api/show and the role served", async () => {
  const extra = "qwen2.5-coder:7b-instruct-q4_K_M";
  await models({
    standIn: { models: ["llama3.1:8b-instruct-q4_K_M", "deepseek-coder:6.7b-instruct-q5_K_M", extra] },
    flags: { infoOnly: true },
  }, (r) => {
    assert.equal(r.outcome.exitCode, 0);
    assert.match(r.out, /^Model server: Ollama 0\.9\.0 at http:\/\/127\.0\.0\.1:\d+$/m);
    assert.match(
      r.out,
      /^llama3\.1:8b-instruct-q4_K_M +4\.6 GiB +8\.0B +Q4_K_M +4\/5 +4\/5 +plan +8\.0 GiB +yes +MODEL_PLAN$/m,
    );
    assert.match(r.out, /^deepseek-coder:6\.7b-instruct-q5_K_M .* yes +MODEL_PATCH$/m);
    assert.match(r.out, /^llama3\.1:8b-instruct-q8_0 +8\.0 GiB +8B +Q8_0 .* no$/m);
    assert.match(r.out, /^qwen2\.5-coder:7b-instruct-q4_K_M \* +\S+ GiB +7\.0B +Q4_K_M +- +- +- +- +yes$/m);
    assert.match(
      r.out,
      /Recommended for this machine \(32\.0 GiB\):\n {2}planner \(MODEL_PLAN=llama3\.1:8b-instruct-q4_K_M\): llama3\.1:8b-instruct-q8_0 is better/,
    );
    assert.match(r.out, /Worth pulling:\n {2}llama3\.1:8b-instruct-q8_0 \(8\.0 GiB\)/);
  });
});

Deno.test("--info-only never pulls, even with --yes", async () => {
  await models({ standIn: { models: [] }, flags: { infoOnly: true, yes: true } }, (r) => {
    assert.equal(r.outcome.exitCode, 0);
    assert.deepEqual(r.standIn?.pullAttempts, []);
    assert.ok(r.outcome.report.toPull.length > 0);
  });
});

Deno.test("--json prints only the JSON document on stdout, in the envelope", async () => {
  await models({ standIn: { models: ["llama3.1:8b-instruct-q4_K_M"] }, flags: { json: true, yes: true } }, (r) => {
    const doc = JSON.parse(r.out);
    assert.deepEqual(Object.keys(doc).slice(0, 4), ["schemaVersion", "command", "ok", "exitCode"]);
    assert.equal(doc.command, "models");
    assert.equal(doc.exitCode, r.outcome.exitCode);
    assert.equal(doc.ok, r.outcome.exitCode === 0);
    assert.equal(doc.server.reachable, true);
    assert.equal(doc.memory.totalBytes, 32 * 1024 ** 3);
    assert.equal(doc.rows.length, 8);
    assert.deepEqual(doc.roles.map((role: { configuredInstalled: boolean }) => role.configuredInstalled), [
      true,
      false,
    ]);
    assert.equal(doc.pulled.length, 3);
    // Progress and the pull results went to stderr.
    assert.match(r.err, /\[ok {2}\] pull llama3\.1:8b-instruct-q8_0/);
  });
});

Deno.test("off a terminal without --yes nothing is pulled and the run stops with exit 2, naming --yes", async () => {
  for (const json of [false, true]) {
    const recorder = recordingConsole();
    let refusal: unknown;
    await models({ standIn: { models: [] }, flags: { json }, totalGiB: 8, console: recorder }, () => {})
      .catch((err) => refusal = err);
    assert.ok(refusal instanceof ConfirmationNeededError, `json=${json}: ${refusal}`);
    assert.equal(refusal.exitCode, 2);
    assert.match(refusal.message, /models pulled nothing: pulling 2 models \(9\.0 GiB\) needs a yes/);
    assert.match(refusal.hint ?? "", /sentries models --yes/);
    // What it would pull: the table's "Worth pulling" on a terminal's stdout, the report for --json.
    const report = refusal.report as { toPull: Array<{ name: string }>; pulled: unknown[] };
    assert.deepEqual(report.toPull.map((c) => c.name), [
      "llama3.1:8b-instruct-q4_K_M",
      "deepseek-coder:6.7b-instruct-q5_K_M",
    ]);
    assert.deepEqual(report.pulled, []);
    if (json) assert.equal(recorder.stdout.join(""), "", "main prints the JSON, with the error");
    else assert.match(recorder.stdout.join(""), /Worth pulling:/);
  }
});

Deno.test("off a terminal without --yes, nothing to pull is a no-op: exit 0, no refusal", async () => {
  const installed = ["llama3.1:8b-instruct-q4_K_M", "deepseek-coder:6.7b-instruct-q5_K_M"];
  await models({ standIn: { models: installed }, totalGiB: 8 }, (r) => {
    assert.equal(r.outcome.exitCode, 0, r.out + r.err);
    assert.deepEqual(r.outcome.report.toPull, []);
    assert.match(r.out, /Nothing to pull/);
  });
});

Deno.test("--yes pulls the missing configured model and the better ones, and says how to switch", async () => {
  await models({ standIn: { models: ["llama3.1:8b-instruct-q4_K_M"] }, flags: { yes: true }, totalGiB: 32 }, (r) => {
    assert.equal(r.outcome.exitCode, 0, r.out + r.err);
    // Role by role: the better planner, then the missing configured patcher and the better one.
    assert.deepEqual(r.standIn?.pulled, [
      "llama3.1:8b-instruct-q8_0",
      "deepseek-coder:6.7b-instruct-q5_K_M",
      "deepseek-coder:6.7b-instruct-q8_0",
    ]);
    assert.match(r.out, /\[ok {2}\] pull llama3\.1:8b-instruct-q8_0: pulled 8\.0 GiB/);
    assert.match(r.out, /to use llama3\.1:8b-instruct-q8_0: set MODEL_PLAN=llama3\.1:8b-instruct-q8_0 in \.env/);
    assert.doesNotMatch(r.out, /to use deepseek-coder:6\.7b-instruct-q5_K_M/, "already the configured one");
  });
});

Deno.test("on a terminal the pull is asked for; no means nothing is pulled", async () => {
  const console = recordingConsole({ interactive: true, answers: [false] });
  await models({ standIn: { models: [] }, totalGiB: 8, console }, (r) => {
    assert.deepEqual(console.questions, ["Pull 2 models (9.0 GiB) now?"]);
    assert.deepEqual(r.standIn?.pullAttempts, []);
    assert.match(r.out, /Not pulling\./);
  });
});

Deno.test("a configured model the library does not have fails in plain words (exit 1)", async () => {
  await models(
    { standIn: { models: [] }, flags: { yes: true }, totalGiB: 8, env: { MODEL_PLAN: "llama9:70b-nope" } },
    (r) => {
      assert.equal(r.outcome.exitCode, 1);
      assert.match(r.out, /\[FAIL\] pull llama9:70b-nope: Ollama could not find llama9:70b-nope to download/);
      assert.match(r.out, /\[ok {2}\] pull deepseek-coder:6\.7b-instruct-q5_K_M/);
    },
  );
});

Deno.test("an unreachable server still shows the catalog, claims nothing installed and exits 1", async () => {
  await models({ standIn: false }, (r) => {
    assert.equal(r.outcome.exitCode, 1);
    assert.match(r.out, /Model server: nothing answers at http:\/\/127\.0\.0\.1:\d+; installed models unknown/);
    assert.match(r.out, /^llama3\.1:8b-instruct-q8_0 .* \?$/m);
    // doctor's words, not the fetch error underneath.
    assert.match(
      r.err,
      /^error: Ollama is not reachable at http:\/\/127\.0\.0\.1:\d+\nhint: start it with `ollama serve`/,
    );
    assert.doesNotMatch(r.out + r.err, /fetch failed|tcp connect|os error|Connection refused/i);
  });
});
