import assert from "node:assert/strict";
import { join } from "node:path";
import { runCli } from "../support/cli.ts";

Deno.test("--help lists every command with examples", async () => {
  const r = await runCli(["--help"]);
  assert.equal(r.code, 0, r.stderr);
  for (const cmd of ["tests", "docs", "doctor", "status", "cleanup", "setup", "models|update-models"]) {
    assert.match(r.stdout, new RegExp(`^\\s+${cmd.replace("|", "\\|")}\\b`, "m"), `missing ${cmd}`);
  }
  assert.match(r.stdout, /Examples:/);
  assert.match(r.stdout, /-C, --repo-path <dir>/);
});

Deno.test("each command has --help with examples and its exit codes (0, 1 and 2)", async (t) => {
  for (const cmd of ["tests", "docs", "doctor", "status", "cleanup", "setup", "models"]) {
    await t.step(cmd, async () => {
      const r = await runCli([cmd, "--help"]);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, new RegExp(`Usage: sentries ${cmd}`));
      assert.match(r.stdout, /Examples:/);
      const exitCodes = r.stdout.slice(r.stdout.indexOf("\nExit codes: "));
      assert.ok(exitCodes.startsWith("\nExit codes: 0 "), `${cmd} --help has no "Exit codes:" line`);
      assert.match(exitCodes, /, 1 [^,]+, 2 /, `${cmd} --help names what exit codes 1 and 2 mean`);
    });
  }
});

Deno.test("--version prints tool version, Deno version and target", async () => {
  const r = await runCli(["--version"]);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /^sentries \d+\.\d+\.\d+ \(deno \d+\.\d+\.\d+, [a-z0-9_]+-[a-z0-9_-]+\)\n$/);
});

Deno.test("unknown command and unknown option are bad usage (exit 2)", async () => {
  const a = await runCli(["frobnicate"]);
  assert.equal(a.code, 2);
  assert.match(a.stderr, /unknown command 'frobnicate'/);
  const b = await runCli(["doctor", "--bogus"]);
  assert.equal(b.code, 2);
  assert.match(b.stderr, /unknown option '--bogus'/);
});

Deno.test("a missing --repo-path directory is bad usage (exit 2) without a stack trace", async () => {
  const r = await runCli(["-C", "/definitely/not/here", "doctor"]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /error: repository path \/definitely\/not\/here does not exist/);
  assert.doesNotMatch(r.stderr, /\bat .*\.ts:\d+/);
});

Deno.test("invalid configuration names the file and key and exits 2", async () => {
  const dir = await Deno.makeTempDir({ prefix: "sentries-cli-" });
  try {
    await Deno.writeTextFile(join(dir, "pyproject.toml"), "[tool.sentries]\nmax_attempts = 0\n");
    const r = await runCli(["doctor"], { cwd: dir });
    assert.equal(r.code, 2);
    // doctor shows it as its failed configuration check; every other command as `error: …` on stderr.
    assert.match(
      r.stdout,
      /\[FAIL\] configuration: .*pyproject\.toml \[tool\.sentries\] max_attempts: must be at least 1/,
    );
    const bad = await runCli(["doctor"], { cwd: dir, env: { LLM_BASE: "nonsense" } });
    assert.equal(bad.code, 2);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("INIT_CWD (set by deno task) is the default repository path", async () => {
  const dir = await Deno.makeTempDir({ prefix: "sentries-cli-" });
  try {
    await Deno.writeTextFile(join(dir, "pyproject.toml"), "[tool.sentries]\nnot_a_key = 1\n");
    const r = await runCli(["doctor"], { env: { INIT_CWD: dir } });
    assert.equal(r.code, 2);
    assert.match(r.stdout, /unknown key "not_a_key"/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
