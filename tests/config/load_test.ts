import assert from "node:assert/strict";
import { join } from "node:path";
import { loadConfig } from "../../src/config/load.ts";
import { ConfigError } from "../../src/errors.ts";

async function repoWith(files: Record<string, string>): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "sentries-config-" });
  for (const [name, text] of Object.entries(files)) await Deno.writeTextFile(join(dir, name), text);
  return dir;
}

const noEnv = () => undefined;

Deno.test("defaults apply when nothing is configured", async () => {
  const dir = await repoWith({});
  try {
    const c = await loadConfig({ repoPath: dir, env: noEnv });
    assert.equal(c.llmBase, "http://127.0.0.1:11434");
    assert.equal(c.modelPlan, "llama3.1:8b-instruct-q4_K_M");
    assert.equal(c.modelPatch, "deepseek-coder:6.7b-instruct-q5_K_M");
    assert.equal(c.githubApiUrl, "https://api.github.com");
    assert.equal(c.maxAttempts, 3);
    assert.equal(c.githubToken, undefined);
    assert.equal(c.sources.llmBase, "default");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("precedence: defaults < pyproject < .env < environment < flags", async () => {
  const dir = await repoWith({
    "pyproject.toml": `[tool.sentries]\nmodel_plan = "from-toml"\nmodel_patch = "patch-toml"\nmax_attempts = 2\n` +
      `llm_base = "http://toml:1"\n`,
    ".env": `MODEL_PLAN=from-dotenv\nLLM_BASE=http://dotenv:2\n`,
  });
  try {
    const env = (name: string) => ({ LLM_BASE: "http://env:3" } as Record<string, string>)[name];
    const c = await loadConfig({
      repoPath: dir,
      env,
      flags: { maxAttempts: { value: "5", flag: "--max-attempts" } },
    });
    assert.equal(c.modelPatch, "patch-toml");
    assert.equal(c.modelPlan, "from-dotenv");
    assert.equal(c.llmBase, "http://env:3");
    assert.equal(c.maxAttempts, 5);
    assert.match(c.sources.modelPatch, /pyproject\.toml \[tool\.sentries\] model_patch$/);
    assert.match(c.sources.modelPlan, /\.env MODEL_PLAN$/);
    assert.equal(c.sources.llmBase, "environment variable LLM_BASE");
    assert.equal(c.sources.maxAttempts, "flag --max-attempts");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("invalid values name their source and exit with code 2", async (t) => {
  const cases: Array<[string, Record<string, string>, Record<string, string>, RegExp]> = [
    ["bad URL in env", {}, { LLM_BASE: "not a url" }, /environment variable LLM_BASE: not a URL/],
    ["ftp URL", {}, { LLM_BASE: "ftp://x" }, /only http/],
    [
      "negative limit in pyproject",
      { "pyproject.toml": "[tool.sentries]\nmax_attempts = -1\n" },
      {},
      /pyproject\.toml \[tool\.sentries\] max_attempts: must be at least 1/,
    ],
    [
      "unknown key in pyproject",
      { "pyproject.toml": '[tool.sentries]\nmodel_plann = "x"\n' },
      {},
      /unknown key "model_plann" in \[tool\.sentries\]/,
    ],
    ["bad enum in .env", { ".env": "LLM_API=grpc\n" }, {}, /\.env LLM_API: expected one of ollama, openai, auto/],
    ["not TOML", { "pyproject.toml": "[tool.sentries\n" }, {}, /is not valid TOML/],
    [
      "guard limit not a number",
      { "pyproject.toml": '[tool.sentries.tests]\nmax_files = "many"\n' },
      {},
      /\[tool\.sentries\.tests\] max_files must be a positive whole number/,
    ],
    [
      "unknown guard key",
      { "pyproject.toml": "[tool.sentries.docs]\nmax_lines = 3\n" },
      {},
      /unknown key "max_lines" in \[tool\.sentries\.docs\]/,
    ],
  ];
  for (const [name, files, envVars, pattern] of cases) {
    await t.step(name, async () => {
      const dir = await repoWith(files);
      try {
        await assert.rejects(
          () => loadConfig({ repoPath: dir, env: (n) => envVars[n] }),
          (err: unknown) => {
            assert.ok(err instanceof ConfigError, `expected ConfigError, got ${err}`);
            assert.equal(err.exitCode, 2);
            assert.match(err.message, pattern);
            return true;
          },
        );
      } finally {
        await Deno.remove(dir, { recursive: true });
      }
    });
  }
});

Deno.test("unknown key suggests the closest known key", async () => {
  const dir = await repoWith({ "pyproject.toml": '[tool.sentries]\nmodel_pach = "x"\n' });
  try {
    await assert.rejects(() => loadConfig({ repoPath: dir, env: noEnv }), (err: ConfigError) => {
      assert.match(err.hint ?? "", /did you mean "model_patch"/);
      return true;
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("guard overrides are read per sentry; GH_TOKEN is a fallback for GITHUB_TOKEN", async () => {
  const dir = await repoWith({
    "pyproject.toml": `[tool.sentries.tests]\nallow = ["tests/unit/**"]\nmax_files = 2\n\n[tool.sentries.docs]\n` +
      `max_changed_lines = 50\n`,
  });
  try {
    const c = await loadConfig({ repoPath: dir, env: (n) => (n === "GH_TOKEN" ? "tok" : undefined) });
    assert.deepEqual(c.guards.tests, { allow: ["tests/unit/**"], maxFiles: 2 });
    assert.deepEqual(c.guards.docs, { maxChangedLines: 50 });
    assert.equal(c.githubToken, "tok");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("pytest args from the environment are split on spaces; lists from TOML are kept", async () => {
  const dir = await repoWith({ "pyproject.toml": `[tool.sentries]\npytest_command = ["python3", "-m", "pytest"]\n` });
  try {
    const c = await loadConfig({
      repoPath: dir,
      env: (n) => (n === "SENTRIES_PYTEST_ARGS" ? "-x  -k smoke" : undefined),
    });
    assert.deepEqual(c.pytestArgs, ["-x", "-k", "smoke"]);
    assert.deepEqual(c.pytestCommand, ["python3", "-m", "pytest"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a repository's own pyproject.toml cannot widen a sentry's allowlist (start-up error, exit 2)", async () => {
  for (
    const allow of [
      '"tests/**", "shop/**"',
      '"**"',
      '"tests/../shop/**"',
      '"*/**"',
      '"{tests,shop}/**"',
      '"tests/**/../../shop"',
    ]
  ) {
    const dir = await repoWith({ "pyproject.toml": `[tool.sentries.tests]\nallow = [${allow}]\n` });
    try {
      await assert.rejects(() => loadConfig({ repoPath: dir, env: noEnv }), (err: ConfigError) => {
        assert.ok(err instanceof ConfigError, allow);
        assert.equal(err.exitCode, 2);
        assert.match(err.message, /pyproject\.toml \[tool\.sentries\.tests\] allow glob "/, allow);
        return true;
      }, allow);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  }
  // The environment cannot widen it either: there is no opt-in.
  const dir = await repoWith({ "pyproject.toml": `[tool.sentries.docs]\nallow = ["docs/**", "docs_src/**"]\n` });
  try {
    await assert.rejects(
      () => loadConfig({ repoPath: dir, env: (n) => (n === "SENTRIES_WIDEN_ALLOWLIST" ? "1" : undefined) }),
      /\[tool\.sentries\.docs\] allow glob "docs_src\/\*\*" reaches outside the built-in docs allowlist/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
