/**
 * `--json` prints one envelope for every command, success or error:
 * `{"schemaVersion": 1, "command", "ok", "exitCode", …the command's own fields…, "error"?}`,
 * and its `exitCode` is the process's. Through the real CLI, one success and errors per command
 * (setup's success is in tests/setup/cli_e2e_test.ts, with the models it pulls).
 */
import assert from "node:assert/strict";
import { JSON_SCHEMA_VERSION, jsonEnvelope } from "../../src/json_envelope.ts";
import { type CliResult, runCli } from "../support/cli.ts";
import { createPyRepo } from "../support/pyrepo.ts";
import { startStandIn } from "../support/standin_llm.ts";

const ENVELOPE_KEYS = ["schemaVersion", "command", "ok", "exitCode"];

const PASSING_REPO = {
  "conftest.py": "",
  "calc.py": "def add(a, b):\n    return a + b\n",
  "tests/test_calc.py": "from calc import add\n\n\ndef test_add():\n    assert add(1, 2) == 3\n",
  "README.md": "# calc\n",
};

/** The parsed envelope, after checking its keys come first and say what the process did. */
function envelopeOf(r: CliResult, command: string | null): Record<string, unknown> {
  let doc: Record<string, unknown>;
  try {
    doc = JSON.parse(r.stdout);
  } catch {
    throw new Error(`stdout is not one JSON document:\n${r.stdout}\nstderr:\n${r.stderr}`);
  }
  assert.deepEqual(Object.keys(doc).slice(0, 4), ENVELOPE_KEYS);
  assert.equal(doc.schemaVersion, 1);
  assert.equal(doc.command, command);
  assert.equal(doc.exitCode, r.code, "the envelope's exitCode is the process exit code");
  assert.equal(doc.ok, r.code === 0);
  const error = doc.error as { exitCode?: number } | undefined;
  if (error !== undefined) assert.equal(error.exitCode, r.code);
  return doc;
}

Deno.test("jsonEnvelope: envelope keys first, the command's fields after, in their order; its values win", () => {
  const doc = jsonEnvelope("doctor", 2, { failed: 1, ok: true, exitCode: 0, checks: [] });
  assert.deepEqual(Object.keys(doc), [...ENVELOPE_KEYS, "failed", "checks"]);
  assert.deepEqual([doc.schemaVersion, doc.ok, doc.exitCode], [JSON_SCHEMA_VERSION, false, 2]);
  const err = jsonEnvelope(null, 1, {}, { code: "unexpected", message: "boom", exitCode: 1 });
  assert.deepEqual(Object.keys(err), [...ENVELOPE_KEYS, "error"]);
  assert.equal(err.command, null);
});

Deno.test("--json success: every command's document carries the envelope and keeps its own fields", async (t) => {
  const repo = await createPyRepo({ files: PASSING_REPO });
  const standIn = await startStandIn();
  const env = { LLM_BASE: standIn.url };
  try {
    const cases: Array<{ args: string[]; command: string; field: string }> = [
      { args: ["tests", "--json"], command: "tests", field: "outcome" },
      { args: ["docs", "--dry-run", "--json"], command: "docs", field: "outcome" },
      { args: ["doctor", "--json", "--no-prompt-models"], command: "doctor", field: "checks" },
      { args: ["status", "--json"], command: "status", field: "items" },
      { args: ["cleanup", "--dry-run", "--json"], command: "cleanup", field: "plan" },
      { args: ["models", "--info-only", "--json"], command: "models", field: "roles" },
      { args: ["update-models", "--info-only", "--json"], command: "models", field: "roles" },
    ];
    for (const c of cases) {
      await t.step(c.args.join(" "), async () => {
        const r = await runCli(c.args, { cwd: repo.dir, env });
        assert.equal(r.code, 0, r.stdout + r.stderr);
        const doc = envelopeOf(r, c.command);
        assert.ok(c.field in doc, `${c.field} is still a top-level field`);
        assert.equal(doc.error, undefined);
      });
    }
    // The help's own example: `sentries tests --json | jq .outcome`.
    const tests = JSON.parse((await runCli(["tests", "--json"], { cwd: repo.dir, env })).stdout);
    assert.equal(tests.outcome, "no_failures");
  } finally {
    await standIn.close();
    await repo.cleanup();
  }
});

Deno.test("--json errors: the envelope with command, ok false and the exit code next to error", async (t) => {
  const notRepo = await Deno.makeTempDir({ prefix: "sentries-cli-" });
  try {
    const cases: Array<
      { args: string[]; command: string | null; code: number; errorCode: string; env?: Record<string, string> }
    > = [
      { args: ["tests", "--json"], command: "tests", code: 2, errorCode: "git.not_a_repo" },
      { args: ["docs", "--json"], command: "docs", code: 2, errorCode: "git.not_a_repo" },
      { args: ["doctor", "--json", "--bogus"], command: "doctor", code: 2, errorCode: "usage" },
      { args: ["status", "--json"], command: "status", code: 2, errorCode: "usage" },
      { args: ["cleanup", "--json", "--dry-run"], command: "cleanup", code: 2, errorCode: "usage" },
      {
        args: ["models", "--json"],
        command: "models",
        code: 2,
        errorCode: "config",
        env: { SENTRIES_LLM_TIMEOUT: "soon" },
      },
      { args: ["update-models", "--json", "--bogus"], command: "models", code: 2, errorCode: "usage" },
      { args: ["setup", "--json", "--profile", "huge"], command: "setup", code: 2, errorCode: "usage" },
      // Rejected while parsing, before the command runs: "status" is -C's value, not the command.
      { args: ["-C", "status", "setup", "--json", "--bogus"], command: "setup", code: 2, errorCode: "usage" },
      { args: ["-C", "status", "tests", "--json"], command: "tests", code: 2, errorCode: "usage" },
      { args: ["--json"], command: null, code: 2, errorCode: "usage" },
    ];
    for (const c of cases) {
      await t.step(c.args.join(" "), async () => {
        const r = await runCli(c.args, { cwd: notRepo, env: c.env });
        assert.equal(r.code, c.code, r.stdout + r.stderr);
        const doc = envelopeOf(r, c.command);
        const error = doc.error as { code: string; message: string };
        assert.equal(error.code, c.errorCode);
        assert.match(r.stderr, /^error: /m);
        // `jq .outcome` on an error reads null instead of failing.
        assert.equal(doc.outcome, undefined);
      });
    }
  } finally {
    await Deno.remove(notRepo, { recursive: true });
  }
});

Deno.test("--json doctor with an invalid configuration: ok false, exitCode 2, its checks kept", async () => {
  const notRepo = await Deno.makeTempDir({ prefix: "sentries-cli-" });
  try {
    const r = await runCli(["doctor", "--json"], { cwd: notRepo, env: { SENTRIES_MAX_ATTEMPTS: "abc" } });
    assert.equal(r.code, 2, r.stderr);
    const doc = envelopeOf(r, "doctor");
    const checks = doc.checks as Array<{ name: string; status: string }>;
    assert.deepEqual(checks.map((c) => [c.name, c.status]), [["configuration", "fail"]]);
    assert.equal(doc.failed, 1);
  } finally {
    await Deno.remove(notRepo, { recursive: true });
  }
});
