import assert from "node:assert/strict";
import { statfs } from "node:fs/promises";
import { runCli } from "../support/cli.ts";
import { startStandIn } from "../support/standin_llm.ts";
import { createPyRepo } from "../support/pyrepo.ts";

const TINY_REPO = {
  "pkg/__init__.py": "",
  "pkg/calc.py": "def add(a, b):\n    return a + b\n",
  "tests/test_calc.py": "from pkg.calc import add\n\n\ndef test_add():\n    assert add(1, 2) == 3\n",
};

Deno.test("doctor against the stand-in server passes every check and exits 0", async () => {
  const standIn = await startStandIn();
  const repo = await createPyRepo({ files: TINY_REPO });
  try {
    const r = await runCli(["doctor"], { cwd: repo.dir, env: { LLM_BASE: standIn.url } });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /\[ok {2}\] LLM endpoint: Ollama 0\.9\.0 at http:\/\/127\.0\.0\.1:\d+/);
    assert.match(r.stdout, /\[ok {2}\] MODEL_PLAN installed: llama3\.1:8b-instruct-q4_K_M/);
    assert.match(r.stdout, /\[ok {2}\] MODEL_PATCH answers: deepseek-coder/);
    assert.match(r.stdout, /\[ok {2}\] pytest: pytest \d+/);
    // The test's minimal environment has no XDG_RUNTIME_DIR, the one memory-backed folder `auto` would use.
    assert.match(r.stdout, /\[ok {2}\] temporary worktrees: the system temp folder \(no XDG_RUNTIME_DIR/);
    assert.match(r.stdout, /All checks passed/);
    // Each model got one tiny prompt.
    assert.equal(standIn.requests.length, 2);
  } finally {
    await repo.cleanup();
    await standIn.close();
  }
});

Deno.test("doctor says where worktrees go as set: SENTRIES_WORKTREE_DIR=temp, or a folder", async () => {
  const standIn = await startStandIn();
  const repo = await createPyRepo({ files: TINY_REPO });
  try {
    for (const [value, shown] of [["temp", "the system temp folder (worktree_dir = temp)"], [repo.dir, repo.dir]]) {
      const r = await runCli(["doctor", "--json"], {
        cwd: repo.dir,
        env: { LLM_BASE: standIn.url, SENTRIES_WORKTREE_DIR: value },
      });
      assert.equal(r.code, 0, r.stdout + r.stderr);
      const check = JSON.parse(r.stdout).checks.find((c: { name: string }) => c.name === "temporary worktrees");
      assert.equal(check.status, "ok");
      assert.ok(check.detail.startsWith(shown), check.detail);
    }
  } finally {
    await repo.cleanup();
    await standIn.close();
  }
});

Deno.test("doctor under the release permission set: where auto puts worktrees, and a worktree_dir Deno refuses", async () => {
  const standIn = await startStandIn();
  const repo = await createPyRepo({ files: TINY_REPO });
  const disk = await Deno.makeTempDir({ prefix: "sentries-xdg-" });
  try {
    const detail = async (env: Record<string, string>) => {
      const r = await runCli(["doctor", "--json"], { cwd: repo.dir, env: { LLM_BASE: standIn.url, ...env } });
      assert.equal(r.code, 0, r.stdout + r.stderr);
      return JSON.parse(r.stdout).checks.find((c: { name: string }) => c.name === "temporary worktrees").detail;
    };
    // /dev/shm is memory with room, but Deno refuses to touch it without --allow-all: never chosen.
    assert.equal(
      await detail({ XDG_RUNTIME_DIR: "/dev/shm" }),
      "the system temp folder (XDG_RUNTIME_DIR=/dev/shm is under /dev, /proc, /sys, which Deno refuses)",
    );
    // A runtime folder the permission set lets it look at: its file system type is read (statfs), as here.
    const memory = (await statfs(disk)).type === 0x01021994;
    assert.match(
      await detail({ XDG_RUNTIME_DIR: disk }),
      memory ? /\(XDG_RUNTIME_DIR\), in memory: a tmpfs/ : /XDG_RUNTIME_DIR=.* is not memory-backed\)$/,
    );

    const shm = await runCli(["doctor"], {
      cwd: repo.dir,
      env: { LLM_BASE: standIn.url, SENTRIES_WORKTREE_DIR: "/dev/shm" },
    });
    assert.equal(shm.code, 2, shm.stdout + shm.stderr);
    const refused = /SENTRIES_WORKTREE_DIR: Sentries cannot read or write files under \/dev, \/proc, \/sys/;
    assert.match(shm.stdout, refused);
    const tests = await runCli(["tests"], { cwd: repo.dir, env: { SENTRIES_WORKTREE_DIR: "/dev/shm" } });
    assert.equal(tests.code, 2, tests.stdout + tests.stderr);
    assert.match(tests.stderr, refused);
    assert.match(tests.stderr, /XDG_RUNTIME_DIR/);
    assert.doesNotMatch(shm.stdout + tests.stderr, /\bat .*\.ts:\d+/);
  } finally {
    await Deno.remove(disk, { recursive: true });
    await repo.cleanup();
    await standIn.close();
  }
});

Deno.test("doctor with an unreachable LLM_BASE exits 1 and names the URL and the fix", async () => {
  const repo = await createPyRepo({ files: TINY_REPO });
  try {
    const r = await runCli(["doctor"], { cwd: repo.dir, env: { LLM_BASE: "http://127.0.0.1:9" } });
    assert.equal(r.code, 1);
    assert.match(r.stdout, /\[FAIL\] LLM endpoint: .*http:\/\/127\.0\.0\.1:9/);
    assert.match(r.stdout, /ollama serve.*LLM_BASE/);
    assert.doesNotMatch(r.stdout + r.stderr, /\bat .*\.ts:\d+/);
  } finally {
    await repo.cleanup();
  }
});

Deno.test("doctor --json reports a missing model with the ollama pull command", async () => {
  const standIn = await startStandIn({ models: ["llama3.1:8b-instruct-q4_K_M"] });
  const repo = await createPyRepo({ files: TINY_REPO });
  try {
    const r = await runCli(["doctor", "--json"], { cwd: repo.dir, env: { LLM_BASE: standIn.url } });
    assert.equal(r.code, 1);
    const parsed = JSON.parse(r.stdout);
    assert.equal(parsed.ok, false);
    const patch = parsed.checks.find((c: { name: string }) => c.name === "MODEL_PATCH installed");
    assert.equal(patch.status, "fail");
    assert.equal(patch.hint, "ollama pull deepseek-coder:6.7b-instruct-q5_K_M");
  } finally {
    await repo.cleanup();
    await standIn.close();
  }
});

Deno.test("a model name without a tag means :latest", async () => {
  const standIn = await startStandIn({ models: ["planner:latest", "patcher:latest"] });
  const repo = await createPyRepo({ files: TINY_REPO });
  try {
    const r = await runCli(["doctor", "--json", "--no-prompt-models"], {
      cwd: repo.dir,
      env: { LLM_BASE: standIn.url, MODEL_PLAN: "planner", MODEL_PATCH: "patcher" },
    });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.equal(standIn.requests.length, 0);
  } finally {
    await repo.cleanup();
    await standIn.close();
  }
});

Deno.test("the permission set is enforced: the CLI cannot start a program outside its list", async () => {
  const standIn = await startStandIn();
  const repo = await createPyRepo({ files: TINY_REPO });
  try {
    // A user pointing pytest_command at another program hits the binary's run allowlist.
    const r = await runCli(["doctor", "--json", "--no-prompt-models"], {
      cwd: repo.dir,
      env: { LLM_BASE: standIn.url, SENTRIES_PYTEST_COMMAND: "curl --version" },
    });
    assert.equal(r.code, 1);
    const pytest = JSON.parse(r.stdout).checks.find((c: { name: string }) => c.name === "pytest");
    assert.equal(pytest.status, "fail");
    assert.match(pytest.detail, /not permitted to run `curl`/);
  } finally {
    await repo.cleanup();
    await standIn.close();
  }
});

Deno.test("children are spawned with a clean environment: LD_LIBRARY_PATH does not break git or pytest", async () => {
  const standIn = await startStandIn();
  const repo = await createPyRepo({ files: TINY_REPO });
  try {
    const r = await runCli(["doctor", "--json", "--no-prompt-models"], {
      cwd: repo.dir,
      env: { LLM_BASE: standIn.url, LD_LIBRARY_PATH: "/nonexistent", LD_PRELOAD: "" },
    });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const checks = JSON.parse(r.stdout).checks as Array<{ name: string; status: string }>;
    assert.equal(checks.find((c) => c.name === "git")?.status, "ok");
    assert.equal(checks.find((c) => c.name === "pytest")?.status, "ok");
  } finally {
    await repo.cleanup();
    await standIn.close();
  }
});

Deno.test("doctor fails (exit 2) on configuration that would only fail mid-run, naming the exact table", async () => {
  const standIn = await startStandIn();
  const repo = await createPyRepo({
    files: { ...TINY_REPO, "pyproject.toml": "[tool.sentries.tests]\nmax_changed_lines = 5000\n" },
  });
  try {
    const r = await runCli(["doctor"], { cwd: repo.dir, env: { LLM_BASE: standIn.url } });
    assert.equal(r.code, 2, r.stdout + r.stderr);
    assert.match(r.stdout, /\[FAIL\] configuration: .*\[tool\.sentries\.tests\] max_changed_lines = 5000 exceeds/);
    assert.match(r.stdout, /→ guard limits can only be lowered; use at most 200/);
    assert.doesNotMatch(r.stdout, /All checks passed/);
    assert.equal(standIn.requests.length, 0, "no model is asked anything");
    const json = await runCli(["doctor", "--json"], { cwd: repo.dir, env: { LLM_BASE: standIn.url } });
    assert.equal(json.code, 2);
    const parsed = JSON.parse(json.stdout);
    assert.equal(parsed.ok, false);
    assert.equal(parsed.checks[0].name, "configuration");
    assert.equal(parsed.checks[0].status, "fail");
  } finally {
    await repo.cleanup();
    await standIn.close();
  }
});

Deno.test("doctor and tests refuse an unknown SENTRIES_* key in .env before running pytest", async () => {
  const repo = await createPyRepo({ files: TINY_REPO });
  try {
    await repo.write({ ".env": "SENTRIES_MAX_ATTEMPT=2\n" });
    const doctor = await runCli(["doctor"], { cwd: repo.dir });
    assert.equal(doctor.code, 2);
    assert.match(doctor.stdout, /\[FAIL\] configuration: .*\.env: unknown setting SENTRIES_MAX_ATTEMPT/);
    const tests = await runCli(["tests", "--dry-run"], { cwd: repo.dir });
    assert.equal(tests.code, 2);
    assert.match(
      tests.stderr,
      /error: .*unknown setting SENTRIES_MAX_ATTEMPT\nhint: did you mean SENTRIES_MAX_ATTEMPTS\?/,
    );
    assert.doesNotMatch(tests.stderr, /running pytest/);
  } finally {
    await repo.cleanup();
  }
});

Deno.test("-C a subfolder reads the repository root's pyproject.toml and .env", async () => {
  const repo = await createPyRepo({
    files: { ...TINY_REPO, "pyproject.toml": "[tool.sentries.tests]\nmax_files = 9\n" },
  });
  try {
    const r = await runCli(["-C", "pkg", "doctor", "--json"], { cwd: repo.dir });
    assert.equal(r.code, 2, r.stdout + r.stderr);
    assert.match(JSON.parse(r.stdout).checks[0].detail, /pyproject\.toml \[tool\.sentries\.tests\] max_files = 9/);
  } finally {
    await repo.cleanup();
  }
});
