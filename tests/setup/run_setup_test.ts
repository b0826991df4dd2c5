import assert from "node:assert/strict";
import { join } from "node:path";
import { ConfirmationNeededError, SentriesError } from "../../src/errors.ts";
import { fakeLauncher, recordingConsole } from "./helpers.ts";
import { FAST, readEnv, setup } from "./scenario.ts";

Deno.test("setup --yes pulls the missing models, resuming a dropped stream, writes .env and passes doctor", async () => {
  await setup({ standIn: { pull: { disconnectAfterBytes: 1e9, disconnects: 1 } } }, async (r) => {
    assert.equal(r.outcome.exitCode, 0, r.out);
    assert.deepEqual(r.standIn?.pulled, FAST);
    const first = r.standIn?.pullAttempts.filter((a) => a.model === FAST[0]) ?? [];
    assert.equal(first.length, 2, "the dropped pull was pulled again");
    assert.ok(first[1].resumedFromBytes > 0, "and resumed where it stopped");
    assert.match(r.out, /\[ok {2}\] pull llama3\.1:8b-instruct-q2_K: pulled 3\.0 GiB/);
    assert.match(r.out, /\[ok {2}\] MODEL_PLAN installed: llama3\.1:8b-instruct-q2_K/);
    assert.match(r.out, /Next steps:\n {2}- sentries doctor/);
    assert.deepEqual(await readEnv(r.repo), {
      LLM_BASE: r.standIn?.url,
      MODEL_PLAN: FAST[0],
      MODEL_PATCH: FAST[1],
    });
    assert.match(await Deno.readTextFile(join(r.repo.dir, ".env.example")), /# SENTRIES_MAX_ATTEMPTS=3/);
    // Progress went to stderr as plain lines (no terminal), never escape codes.
    assert.match(r.console.stderr.join(""), /… pulling llama3\.1:8b-instruct-q2_K: /);
    assert.ok(!r.console.stderr.join("").includes("\x1b["), "no escape codes off a terminal");
  });
});

Deno.test("models already installed are skipped", async () => {
  await setup({ standIn: { models: FAST } }, (r) => {
    assert.equal(r.outcome.exitCode, 0, r.out);
    assert.deepEqual(r.standIn?.pullAttempts, []);
    assert.match(r.out, /\[ok {2}\] planner \(MODEL_PLAN\): llama3\.1:8b-instruct-q2_K is installed/);
    assert.match(r.out, /disk: .*nothing to download/);
  });
});

Deno.test("on a terminal every change is asked first, with a progress bar per layer", async () => {
  const console = recordingConsole({ interactive: true, answers: [true, false] });
  await setup({ yes: false, console, standIn: { models: [FAST[1]] } }, async (r) => {
    assert.deepEqual(console.questions, [
      "Pull 1 model (3.0 GiB in all) now?",
      `Write .env and .env.example in ${r.repo.dir}?`,
    ]);
    assert.deepEqual(r.standIn?.pulled, [FAST[0]]);
    assert.match(console.stderr.join(""), /\[#+\.*\] .*GiB\/3\.0 GiB/);
    assert.match(r.out, /skipped: write \.env and \.env\.example/);
    assert.equal(await readEnv(r.repo), undefined);
  });
});

Deno.test("without a terminal and without --yes setup asks nothing, changes nothing, says what it would do, exit 2", async () => {
  const launcher = fakeLauncher("0.9.0");
  await setup({ yes: false, standIn: { models: [] }, launcher }, async (r) => {
    assert.ok(r.error instanceof ConfirmationNeededError, String(r.error));
    assert.equal(r.error.exitCode, 2);
    assert.equal(r.error.code, "usage.confirmation_needed");
    assert.match(r.error.message, /setup changed nothing: .*no terminal to ask on \(--yes was not given\)/);
    assert.match(r.error.hint ?? "", /sentries setup --yes --profile fast/);
    assert.deepEqual(r.standIn?.pullAttempts, []);
    assert.equal(await readEnv(r.repo), undefined);
    assert.match(
      r.out,
      /Setup would:\n {2}- pull llama3\.1:8b-instruct-q2_K, deepseek-coder:6\.7b-instruct-q2_K \(5\.6 GiB\)/,
    );
    assert.match(r.out, /- write \.env and \.env\.example in /);
  });
});

Deno.test("not enough disk for the downloads: reported, nothing pulled, exit 1", async () => {
  await setup({ standIn: { models: [] }, probe: { freeDiskGiB: 4 } }, (r) => {
    assert.equal(r.outcome.exitCode, 1);
    assert.deepEqual(r.standIn?.pullAttempts, []);
    assert.match(r.out, /\[FAIL\] disk: 4\.0 GiB free at \/home\/tester\/\.ollama\/models; the models need 5\.6 GiB/);
    assert.equal(r.out.match(/\[FAIL\] disk/g)?.length, 1, "reported once");
    assert.match(r.out, /not pulling: not enough free disk/);
  });
});

Deno.test("too little memory for the profile fails with the profile that fits", async () => {
  await setup({ profile: "quality", standIn: { models: [] }, probe: { totalGiB: 10 }, yes: false }, (r) => {
    assert.match(
      r.out,
      /\[FAIL\] memory: 10\.0 GiB total.*the quality profile needs 12\.0 GiB\n {7}→ use --profile balanced/,
    );
    // Off a terminal with changes pending as well: the failure decides the exit code, not the missing --yes.
    assert.equal(r.error, undefined, String(r.error));
    assert.equal(r.outcome.exitCode, 1);
    assert.match(r.out, /Setup would:\n/);
    assert.match(r.out, /Fix the FAIL lines above first; then run `sentries setup --yes --profile quality`/);
  });
});

Deno.test("pull errors in plain words: an unknown model and a full disk", async () => {
  await setup({ standIn: { models: [FAST[1]], pull: { library: {} } } }, (r) => {
    assert.equal(r.outcome.exitCode, 1);
    assert.match(r.out, /\[FAIL\] pull llama3\.1:8b-instruct-q2_K: Ollama could not find llama3\.1:8b-instruct-q2_K/);
    assert.match(r.out, /→ check the name and tag at https:\/\/ollama\.com\/library/);
    assert.match(r.out, /\[FAIL\] MODEL_PLAN installed/);
  });
  const failWith = "write /root/.ollama/models/blobs/sha256-partial: no space left on device";
  await setup({ standIn: { models: [], pull: { failWith } } }, (r) => {
    assert.equal(r.outcome.exitCode, 1);
    assert.match(r.out, /\[FAIL\] pull llama3\.1:8b-instruct-q2_K: the download of .* failed: the disk is full/);
    assert.match(r.out, /\[FAIL\] pull deepseek-coder:6\.7b-instruct-q2_K: /, "the other model was still tried");
  });
});

Deno.test("an existing, different .env stops setup before anything changes", async () => {
  await setup({ standIn: { models: [] }, files: { ".env": "MODEL_PLAN=mine\n" } }, async (r) => {
    assert.ok(r.error instanceof SentriesError, String(r.error));
    assert.equal(r.error.exitCode, 1);
    assert.match(r.error.message, /\.env already exists and setup would change it/);
    assert.match(r.error.hint ?? "", /--force/);
    assert.deepEqual(r.standIn?.pullAttempts, []);
    assert.deepEqual(await readEnv(r.repo), { MODEL_PLAN: "mine" });
  });
  await setup({ standIn: { models: FAST }, files: { ".env": "MODEL_PLAN=mine\n" }, force: true }, async (r) => {
    assert.equal(r.outcome.exitCode, 0, r.out);
    assert.equal((await readEnv(r.repo))?.MODEL_PLAN, FAST[0]);
    assert.match(r.out, /\[ok {2}\] \.env: wrote .*\(no token\)/);
  });
});
