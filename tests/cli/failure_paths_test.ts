/**
 * Failure paths as users on CI runners meet them, through the real CLI: each
 * must end in `error: …` + `hint: …` that names the cause and the fix, with the
 * right exit code and no stack trace, and never in a false "nothing to do".
 */
import assert from "node:assert/strict";
import { runCli } from "../support/cli.ts";
import { createPyRepo } from "../support/pyrepo.ts";

const FAILING_REPO = {
  "conftest.py": "",
  "calc.py": "def add(a, b):\n    return a + b\n",
  "tests/test_calc.py": "from calc import add\n\n\ndef test_add():\n    assert add(1, 2) == 4\n",
};

function assertNoStack(stderr: string): void {
  assert.doesNotMatch(stderr, /\bat .*\.ts:\d+/);
}

Deno.test("tests: a pytest command that is not pytest is an error, not 'all 0 tests pass'", async () => {
  const repo = await createPyRepo({ files: FAILING_REPO });
  try {
    const r = await runCli(["tests", "--dry-run"], {
      cwd: repo.dir,
      env: { SENTRIES_PYTEST_COMMAND: "python3 -m nonexistent" },
    });
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.doesNotMatch(r.stdout, /nothing to fix/);
    assert.match(r.stderr, /error: pytest wrote no test report/);
    assert.match(r.stderr, /No module named nonexistent/);
    assert.match(r.stderr, /hint: .*SENTRIES_PYTEST_COMMAND/);
    assertNoStack(r.stderr);
  } finally {
    await repo.cleanup();
  }
});

Deno.test("tests: a pytest timeout names the setting to raise", async () => {
  const repo = await createPyRepo({
    files: { "tests/test_slow.py": "import time\n\n\ndef test_slow():\n    time.sleep(20)\n" },
  });
  try {
    const r = await runCli(["tests", "--dry-run"], { cwd: repo.dir, env: { SENTRIES_PYTEST_TIMEOUT: "1" } });
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /error: pytest did not finish in time/);
    assert.match(r.stderr, /hint: .*SENTRIES_PYTEST_TIMEOUT/);
    assertNoStack(r.stderr);
  } finally {
    await repo.cleanup();
  }
});

Deno.test("--json: an expected failure prints one JSON error object on stdout, and the message on stderr", async (t) => {
  const notRepo = await Deno.makeTempDir({ prefix: "sentries-cli-" });
  try {
    const cases: Array<
      { name: string; args: string[]; env?: Record<string, string>; code: number; errorCode: RegExp }
    > = [
      { name: "not a git repository", args: ["tests", "--json"], code: 2, errorCode: /^git\.not_a_repo$/ },
      { name: "status outside a repository", args: ["status", "--json"], code: 2, errorCode: /./ },
      {
        name: "invalid configuration",
        args: ["tests", "--json"],
        env: { SENTRIES_MAX_ATTEMPTS: "abc" },
        code: 2,
        errorCode: /^config$/,
      },
      { name: "bad usage", args: ["cleanup", "--json", "--max-age-days", "x", "--dry-run"], code: 2, errorCode: /./ },
      { name: "unknown option", args: ["status", "--json", "--bogus"], code: 2, errorCode: /^usage$/ },
    ];
    for (const c of cases) {
      await t.step(c.name, async () => {
        const r = await runCli(c.args, { cwd: notRepo, env: c.env });
        assert.equal(r.code, c.code, r.stderr);
        const parsed = JSON.parse(r.stdout);
        // The envelope every --json document has (tests/cli/json_envelope_test.ts), then only the error.
        assert.deepEqual(Object.keys(parsed), ["schemaVersion", "command", "ok", "exitCode", "error"]);
        assert.equal(parsed.ok, false);
        assert.equal(parsed.exitCode, c.code);
        assert.match(parsed.error.code, c.errorCode);
        assert.equal(parsed.error.exitCode, c.code);
        assert.ok(parsed.error.message.length > 0);
        assert.doesNotMatch(parsed.error.message, /^error:/);
        assert.match(r.stderr, /error: /);
        assertNoStack(r.stderr);
      });
    }
  } finally {
    await Deno.remove(notRepo, { recursive: true });
  }
});

Deno.test("without --json a failure leaves stdout empty", async () => {
  const notRepo = await Deno.makeTempDir({ prefix: "sentries-cli-" });
  try {
    const r = await runCli(["tests"], { cwd: notRepo });
    assert.equal(r.code, 2);
    assert.equal(r.stdout, "");
    assert.match(r.stderr, /error: .* is not a git repository\nhint: /);
  } finally {
    await Deno.remove(notRepo, { recursive: true });
  }
});

Deno.test("a usage error is error + hint naming the command's --help", async () => {
  const r = await runCli(["status", "--bogus"]);
  assert.equal(r.code, 2);
  assert.equal(r.stdout, "");
  assert.match(r.stderr, /^error: unknown option '--bogus'\nhint: run `sentries status --help` for usage\n/);
});

Deno.test("a model server on another host: the hint says how to allow it, and doctor's example stays on loopback", async () => {
  const repo = await createPyRepo({ files: FAILING_REPO });
  try {
    const r = await runCli(["tests", "--dry-run"], { cwd: repo.dir, env: { LLM_BASE: "http://gpu-box:11434" } });
    assert.equal(r.code, 1, r.stderr);
    // The failures are found first; the run then stops with one report naming the cause and the fix (15.7).
    assert.match(r.stdout, /^TestSentry: Model server unreachable/);
    assert.match(r.stdout, /Sentries is not permitted to connect to http:\/\/gpu-box:11434, so the 1 failing test/);
    assert.match(r.stdout, /Fix: .*SENTRIES_EXTRA_NET=gpu-box:11434/);
    assert.doesNotMatch(r.stderr, /not permitted/, "said once");
    assertNoStack(r.stderr);
  } finally {
    await repo.cleanup();
  }
  const help = await runCli(["doctor", "--help"]);
  for (const url of help.stdout.matchAll(/LLM_BASE=(\S+)/g)) {
    assert.match(new URL(url[1]).hostname, /^(127\.0\.0\.1|localhost|\[::1\])$/, `${url[1]} is refused by the build`);
  }
});

Deno.test("docs in a repository with no commits says so, not 'unknown head ref'", async () => {
  const dir = await Deno.makeTempDir({ prefix: "sentries-cli-" });
  try {
    const init = await new Deno.Command("git", { args: ["init", "-q", dir] }).output();
    assert.equal(init.code, 0);
    const r = await runCli(["docs", "--dry-run"], { cwd: dir });
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /error: the repository has no commits yet\nhint: commit your code first/);
    assert.doesNotMatch(r.stderr, /unknown head ref/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("docs on the default branch itself: a no-op that says how to pick a range", async () => {
  const repo = await createPyRepo({ files: { ...FAILING_REPO, "README.md": "# calc\n" } });
  try {
    const r = await runCli(["docs", "--dry-run"], { cwd: repo.dir });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /HEAD adds no commits to main/);
    assert.match(r.stdout, /--base REF/);
  } finally {
    await repo.cleanup();
  }
});

Deno.test("GITHUB_TOKEN without GITHUB_REPOSITORY: every command warns with the fix, in its own words", async () => {
  const repo = await createPyRepo({ files: { "README.md": "# x\n" } });
  try {
    for (const args of [["cleanup", "--dry-run"], ["status"]]) {
      const r = await runCli(args, { cwd: repo.dir, env: { GITHUB_TOKEN: "t0ken" } });
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stderr, /warning: GITHUB_TOKEN is set but GITHUB_REPOSITORY is not/, args.join(" "));
      assert.match(r.stderr, /set GITHUB_REPOSITORY=owner\/name/, args.join(" "));
      assert.doesNotMatch(r.stderr, /the fix stays/, args.join(" "));
    }
  } finally {
    await repo.cleanup();
  }
});

Deno.test("an invalid setting has a hint that names the default; doctor shows it as its failed first check", async () => {
  const r = await runCli(["tests"], { env: { SENTRIES_MAX_ATTEMPTS: "abc" } });
  assert.equal(r.code, 2);
  assert.match(
    r.stderr,
    /error: invalid value "abc" for environment variable SENTRIES_MAX_ATTEMPTS: expected a whole number\nhint: .*default \(3\)/,
  );
  const doctor = await runCli(["doctor"], { env: { SENTRIES_MAX_ATTEMPTS: "abc" } });
  assert.equal(doctor.code, 2, doctor.stderr);
  assert.match(
    doctor.stdout,
    /^\[FAIL\] configuration: invalid value "abc" for environment variable SENTRIES_MAX_ATTEMPTS: expected a whole number\n.*default \(3\)/,
  );
  assertNoStack(doctor.stderr);
});
