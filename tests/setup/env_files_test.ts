import assert from "node:assert/strict";
import { join } from "node:path";
import { parse as parseDotenv } from "dotenv";
import { loadConfig } from "../../src/config/load.ts";
import { SETTINGS } from "../../src/config/settings.ts";
import { SentriesError } from "../../src/errors.ts";
import { planEnvFiles, renderDotEnv, renderEnvExample, writeEnvFiles } from "../../src/setup/env_files.ts";

const VALUES = {
  profile: "balanced",
  llmBase: "http://127.0.0.1:11434",
  llmApi: "auto",
  modelPlan: "llama3.1:8b-instruct-q4_K_M",
  modelPatch: "deepseek-coder:6.7b-instruct-q5_K_M",
};

async function withDir(run: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "sentries-env-" });
  try {
    await run(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test(".env.example lists every variable, commented, with its default", () => {
  const text = renderEnvExample();
  for (const def of SETTINGS) {
    assert.match(text, new RegExp(`^# ${def.env}=`, "m"), `${def.env} missing`);
    if (def.default !== undefined && !Array.isArray(def.default)) {
      assert.ok(text.includes(`# ${def.env}=${def.default}\n`), `${def.env} without its default`);
    }
  }
  assert.deepEqual(parseDotenv(text), {}, "every line is commented out");
  assert.match(text, /# A secret: set it in your shell or CI secrets[^\n]*\n# GITHUB_TOKEN=\n/);
});

Deno.test(".env holds the server and the profile's models and never a token", () => {
  const text = renderDotEnv(VALUES);
  assert.deepEqual(parseDotenv(text), {
    LLM_BASE: "http://127.0.0.1:11434",
    MODEL_PLAN: "llama3.1:8b-instruct-q4_K_M",
    MODEL_PATCH: "deepseek-coder:6.7b-instruct-q5_K_M",
  });
  assert.match(text, /^# GITHUB_TOKEN=$/m);
  assert.match(text, /deliberately not stored here/);
  assert.equal(parseDotenv(renderDotEnv({ ...VALUES, llmApi: "openai" })).LLM_API, "openai");
});

Deno.test("the written .env loads back as the config setup chose", async () => {
  await withDir(async (dir) => {
    const plans = await planEnvFiles(dir, { ...VALUES, modelPlan: "llama3.1:8b-instruct-q2_K" }, false);
    assert.equal(plans.dotEnv.action, "create");
    await writeEnvFiles([plans.dotEnv, plans.example]);
    const config = await loadConfig({ repoPath: dir, env: () => undefined });
    assert.equal(config.modelPlan, "llama3.1:8b-instruct-q2_K");
    assert.equal(config.sources.modelPlan, `${join(dir, ".env")} MODEL_PLAN`);
    assert.equal(config.githubToken, undefined);
  });
});

Deno.test("an existing, different .env is refused without --force and overwritten with it", async () => {
  await withDir(async (dir) => {
    const path = join(dir, ".env");
    await Deno.writeTextFile(path, "MODEL_PLAN=my-own-model\n");
    await assert.rejects(() => planEnvFiles(dir, VALUES, false), (err: unknown) => {
      assert.ok(err instanceof SentriesError);
      assert.equal(err.exitCode, 1);
      assert.match(err.message, /\.env already exists/);
      assert.match(err.hint ?? "", /--force/);
      return true;
    });
    assert.equal(await Deno.readTextFile(path), "MODEL_PLAN=my-own-model\n");

    const forced = await planEnvFiles(dir, VALUES, true);
    assert.equal(forced.dotEnv.action, "overwrite");
    await writeEnvFiles([forced.dotEnv]);
    assert.equal(parseDotenv(await Deno.readTextFile(path)).MODEL_PLAN, VALUES.modelPlan);
  });
});

Deno.test("an identical .env is fine; a different .env.example is kept, not overwritten", async () => {
  await withDir(async (dir) => {
    await Deno.writeTextFile(join(dir, ".env"), renderDotEnv(VALUES));
    await Deno.writeTextFile(join(dir, ".env.example"), "# mine\n");
    const plans = await planEnvFiles(dir, VALUES, false);
    assert.equal(plans.dotEnv.action, "unchanged");
    assert.equal(plans.example.action, "keep");
    assert.deepEqual(await writeEnvFiles([plans.dotEnv, plans.example]), []);
    assert.equal(await Deno.readTextFile(join(dir, ".env.example")), "# mine\n");
  });
});

Deno.test("a .env or .env.example that is a symbolic link is refused, never written through", async () => {
  await withDir(async (dir) => {
    const outside = await Deno.makeTempDir({ prefix: "sentries-env-outside-" });
    try {
      const victim = join(outside, "profile");
      await Deno.writeTextFile(victim, "export PATH=/opt/bin:$PATH\n");
      await Deno.symlink(victim, join(dir, ".env.example"));
      await assert.rejects(() => planEnvFiles(dir, VALUES, true), (err: unknown) => {
        assert.ok(err instanceof SentriesError);
        assert.equal(err.code, "setup.env_symlink");
        return true;
      });
      await Deno.remove(join(dir, ".env.example"));

      // A dangling link would otherwise be "missing", and writing it would create its target.
      const dangling = join(outside, "created-by-sentries");
      await Deno.symlink(dangling, join(dir, ".env"));
      await assert.rejects(() => planEnvFiles(dir, VALUES, false), SentriesError);
      await assert.rejects(() => writeEnvFiles([{ path: join(dir, ".env"), content: "X=1\n", action: "create" }]));
      assert.equal(await Deno.readTextFile(victim), "export PATH=/opt/bin:$PATH\n");
      await assert.rejects(() => Deno.lstat(dangling), Deno.errors.NotFound);
    } finally {
      await Deno.remove(outside, { recursive: true });
    }
  });
});
