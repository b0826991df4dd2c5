/**
 * `sentries setup` and `sentries models` through the real entry point and its
 * real permission set (sys readings, statfs, starting `ollama` detached).
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { parse as parseDotenv } from "dotenv";
import { runCli } from "../support/cli.ts";
import { createPyRepo, type PyRepo } from "../support/pyrepo.ts";
import { startStandIn } from "../support/standin_llm.ts";
import { closedPort } from "../llm/helpers.ts";
import { FAST, TINY_REPO } from "./scenario.ts";

async function denoDir(): Promise<string> {
  const fromEnv = Deno.env.get("DENO_DIR");
  if (fromEnv) return fromEnv;
  const out = await new Deno.Command(Deno.execPath(), { args: ["info", "--json"], stdout: "piped" }).output();
  return JSON.parse(new TextDecoder().decode(out.stdout)).denoDir;
}

async function withRepo(files: Record<string, string>, run: (repo: PyRepo) => Promise<void>): Promise<void> {
  const repo = await createPyRepo({ files: { ...TINY_REPO, ...files } });
  try {
    await run(repo);
  } finally {
    await repo.cleanup();
  }
}

Deno.test("cli: setup without a terminal and without --yes asks nothing, writes nothing, explains, exits 2", async () => {
  const standIn = await startStandIn({ models: [] });
  try {
    await withRepo({}, async (repo) => {
      const r = await runCli(["setup", "--profile", "fast"], { cwd: repo.dir, env: { LLM_BASE: standIn.url } });
      assert.equal(r.code, 2, r.stdout + r.stderr);
      assert.match(r.stdout, /Setup would:\n {2}- pull llama3\.1:8b-instruct-q2_K, deepseek-coder:6\.7b-instruct-q2_K/);
      assert.match(r.stderr, /^error: setup changed nothing: .*no terminal to ask on \(--yes was not given\)$/m);
      assert.match(r.stderr, /^hint: run `sentries setup --yes --profile fast` /m);
      assert.deepEqual(standIn.pullAttempts, []);
      await assert.rejects(() => Deno.stat(join(repo.dir, ".env")), Deno.errors.NotFound);
    });
  } finally {
    await standIn.close();
  }
});

Deno.test("cli: setup --yes writes .env with no token and finishes with the doctor checks", async () => {
  const standIn = await startStandIn({ models: FAST });
  try {
    await withRepo({}, async (repo) => {
      const r = await runCli(["setup", "--yes", "--profile", "fast", "--repo-path", repo.dir], {
        // No GITHUB_REPOSITORY, so the doctor's GitHub check fails locally instead of calling GitHub.
        env: { LLM_BASE: standIn.url, GITHUB_TOKEN: "ghp_secret_never_written" },
        cwd: "/",
      });
      assert.equal(r.code, 1, r.stdout + r.stderr);
      assert.deepEqual(r.stdout.match(/^\[FAIL\] .*$/gm), [
        "[FAIL] GitHub: GITHUB_TOKEN is set but GITHUB_REPOSITORY is not",
      ]);
      const env = await Deno.readTextFile(join(repo.dir, ".env"));
      assert.doesNotMatch(env, /ghp_secret/);
      assert.deepEqual(parseDotenv(env), { LLM_BASE: standIn.url, MODEL_PLAN: FAST[0], MODEL_PATCH: FAST[1] });
      assert.doesNotMatch(r.stdout + r.stderr, /ghp_secret/);
      // Real readings: ok or, on a busy runner, a warning about available memory.
      assert.match(r.stdout, /\[(ok {2}|warn)\] memory: [\d.]+ GiB total/);
      assert.match(r.stdout, /\[ok {2}\] MODEL_PLAN answers: llama3\.1:8b-instruct-q2_K replied/);
      assert.match(r.stdout, /Next steps:/);
    });
  } finally {
    await standIn.close();
  }
});

Deno.test("cli: setup --json prints only the envelope on stdout, the steps on stderr; off a terminal it says what is pending", async () => {
  const standIn = await startStandIn({ models: FAST });
  try {
    await withRepo({}, async (repo) => {
      const env = { LLM_BASE: standIn.url };
      const refused = await runCli(["setup", "--json", "--profile", "fast"], { cwd: repo.dir, env });
      assert.equal(refused.code, 2, refused.stdout + refused.stderr);
      const pending = JSON.parse(refused.stdout);
      assert.deepEqual([pending.schemaVersion, pending.command, pending.ok, pending.exitCode], [1, "setup", false, 2]);
      assert.equal(pending.error.code, "usage.confirmation_needed");
      assert.deepEqual(pending.pending, [`write .env and .env.example in ${repo.dir}`]);
      assert.match(refused.stderr, /Setup would:/);

      const done = await runCli(["setup", "--yes", "--json", "--profile", "fast"], { cwd: repo.dir, env });
      assert.equal(done.code, 0, done.stdout + done.stderr);
      const doc = JSON.parse(done.stdout);
      assert.deepEqual([doc.command, doc.ok, doc.exitCode, doc.profile, doc.error], [
        "setup",
        true,
        0,
        "fast",
        undefined,
      ]);
      assert.deepEqual(doc.pending, []);
      const checks = doc.checks as Array<{ name: string; status: string }>;
      assert.ok(checks.some((c) => c.name === ".env" && c.status === "ok"), JSON.stringify(checks));
      assert.match(done.stderr, /Next steps:/, "the steps as people read them went to stderr");
    });
  } finally {
    await standIn.close();
  }
});

Deno.test("cli: off a terminal, setup with nothing left to do is a no-op (exit 0), not a refusal", async () => {
  const standIn = await startStandIn({ models: FAST });
  try {
    await withRepo({}, async (repo) => {
      const env = { LLM_BASE: standIn.url };
      const first = await runCli(["setup", "--yes", "--profile", "fast"], { cwd: repo.dir, env });
      assert.equal(first.code, 0, first.stdout + first.stderr);
      const again = await runCli(["setup", "--profile", "fast"], { cwd: repo.dir, env });
      assert.equal(again.code, 0, again.stdout + again.stderr);
      assert.doesNotMatch(again.stdout, /Setup would:/);
      assert.doesNotMatch(again.stderr, /error:/);
      assert.match(again.stdout, /\.env is already up to date/);
    });
  } finally {
    await standIn.close();
  }
});

Deno.test("cli: models off a terminal without --yes pulls nothing and exits 2 naming --yes; --json says so too", async () => {
  const standIn = await startStandIn({ models: [] });
  try {
    await withRepo({}, async (repo) => {
      const r = await runCli(["models"], { cwd: repo.dir, env: { LLM_BASE: standIn.url } });
      assert.equal(r.code, 2, r.stdout + r.stderr);
      assert.match(r.stdout, /Worth pulling:/);
      assert.match(r.stderr, /^error: models pulled nothing: pulling \d+ models? \(.*\) needs a yes/m);
      assert.match(r.stderr, /^hint: run `sentries models --yes`/m);
      const j = await runCli(["update-models", "--json"], { cwd: repo.dir, env: { LLM_BASE: standIn.url } });
      assert.equal(j.code, 2, j.stderr);
      const doc = JSON.parse(j.stdout);
      assert.equal(doc.command, "models");
      assert.equal(doc.ok, false);
      assert.equal(doc.exitCode, 2);
      assert.equal(doc.error.code, "usage.confirmation_needed");
      assert.ok(doc.toPull.length > 0, "what it would pull travels with the error");
      assert.deepEqual(standIn.pullAttempts, []);
    });
  } finally {
    await standIn.close();
  }
});

Deno.test("cli: models against a closed port says what doctor says, not the raw fetch error", async () => {
  await withRepo({}, async (repo) => {
    const base = `http://127.0.0.1:${closedPort()}`;
    const r = await runCli(["models", "--info-only"], { cwd: repo.dir, env: { LLM_BASE: base } });
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stdout, new RegExp(`^Model server: nothing answers at ${base}; installed models unknown$`, "m"));
    assert.match(
      r.stderr,
      new RegExp(`^error: Ollama is not reachable at ${base}\nhint: start it with \`ollama serve\``, "m"),
    );
    const doctor = await runCli(["doctor", "--no-prompt-models"], { cwd: repo.dir, env: { LLM_BASE: base } });
    assert.match(doctor.stdout, new RegExp(`\\[FAIL\\] LLM endpoint: Ollama is not reachable at ${base}\n`));
    const j = await runCli(["models", "--info-only", "--json"], { cwd: repo.dir, env: { LLM_BASE: base } });
    assert.equal(j.code, 1, j.stderr);
    const doc = JSON.parse(j.stdout);
    assert.equal(doc.exitCode, 1);
    assert.equal(doc.server.error, `Ollama is not reachable at ${base}`);
    assert.deepEqual(doc.error, {
      code: "llm.unreachable",
      message: `Ollama is not reachable at ${base}`,
      hint: "start it with `ollama serve` or set LLM_BASE",
      exitCode: 1,
    });
    for (const text of [r.stdout, r.stderr, j.stdout]) {
      assert.doesNotMatch(text, /fetch failed|tcp connect|os error|Connection refused/i);
    }
  });
});

Deno.test("cli: an existing .env is not overwritten without --force", async () => {
  await withRepo({ ".env": "MODEL_PLAN=my-own\n" }, async (repo) => {
    const r = await runCli(["setup", "--yes"], {
      cwd: repo.dir,
      env: { LLM_BASE: `http://127.0.0.1:${closedPort()}` },
    });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /error: .*\.env already exists and setup would change it/);
    assert.match(r.stderr, /hint: pass --force to overwrite it/);
    assert.equal(await Deno.readTextFile(join(repo.dir, ".env")), "MODEL_PLAN=my-own\n");
  });
});

Deno.test("cli: models --info-only --json prints JSON only and never pulls", async () => {
  const standIn = await startStandIn({ models: ["llama3.1:8b-instruct-q4_K_M"] });
  try {
    await withRepo({}, async (repo) => {
      const r = await runCli(["models", "--info-only", "--json", "--yes"], {
        cwd: repo.dir,
        env: { LLM_BASE: standIn.url },
      });
      assert.equal(r.code, 0, r.stderr);
      const doc = JSON.parse(r.stdout);
      assert.equal(doc.server.version, "0.9.0");
      assert.ok(doc.toPull.some((c: { name: string }) => c.name === "deepseek-coder:6.7b-instruct-q5_K_M"));
      assert.deepEqual(standIn.pullAttempts, []);
    });
  } finally {
    await standIn.close();
  }
});

Deno.test("cli: an unknown profile is bad usage", async () => {
  const r = await runCli(["setup", "--profile", "huge"]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /unknown profile "huge"/);
});

Deno.test("cli: an installed Ollama that is not running is started in the background, logging to a file", async () => {
  const home = await Deno.makeTempDir({ prefix: "sentries-home-" });
  const port = closedPort();
  const fakeBin = join(import.meta.dirname ?? ".", "fake_ollama");
  let pid: number | undefined;
  try {
    await withRepo({}, async (repo) => {
      const r = await runCli(["setup", "--yes", "--profile", "fast"], {
        cwd: repo.dir,
        env: {
          LLM_BASE: `http://127.0.0.1:${port}`,
          PATH: `${fakeBin}:${Deno.env.get("PATH")}`,
          // A scratch home for the server's log; Deno's cache stays where it is.
          HOME: home,
          DENO_DIR: await denoDir(),
        },
      });
      const started = /ollama serve: started in the background \(pid (\d+), log (\S+)\)/.exec(r.stdout);
      assert.ok(started, r.stdout + r.stderr);
      pid = Number(started[1]);
      assert.equal(started[2], join(home, ".ollama", "logs", "sentries-ollama-serve.log"));
      assert.match(r.stdout, /Ollama 0\.0\.0-fake answering at http:\/\/127\.0\.0\.1:\d+/);
      assert.match(r.stdout, /systemctl enable --now ollama/);
      assert.match(r.stdout, /\[ok {2}\] MODEL_PATCH answers: deepseek-coder:6\.7b-instruct-q2_K replied "OK"/);
      assert.equal(r.code, 0, r.stdout + r.stderr);
      // The server outlived the CLI and writes its log to the file.
      const version = await fetch(`http://127.0.0.1:${port}/api/version`).then((res) => res.json());
      assert.equal(version.version, "0.0.0-fake");
      const log = await Deno.readTextFile(join(home, ".ollama", "logs", "sentries-ollama-serve.log"));
      assert.match(log, /fake ollama serving on 127\.0\.0\.1:\d+/);
    });
  } finally {
    if (pid !== undefined) Deno.kill(pid, "SIGTERM");
    await Deno.remove(home, { recursive: true });
  }
});
