/**
 * The composite action's own logic, for real: scripts/action/install.sh against a loopback HTTP server
 * that serves a fake release in GitHub's URL layout, and run.sh + outputs.mjs writing a GITHUB_OUTPUT file
 * from a `--json` report. Then the action.yml properties the workflow rules check.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { join } from "node:path";
import YAML from "yaml";
import { PROJECT_ROOT } from "../support/cli.ts";
import { VERSION } from "../../src/version.ts";
import { jsonEnvelope } from "../../src/json_envelope.ts";
import { checkWorkflow, type Step, type Workflow } from "../ship/workflow_rules.ts";

const INSTALL = join(PROJECT_ROOT, "scripts/action/install.sh");
const RUN = join(PROJECT_ROOT, "scripts/action/run.sh");
const LINUX_ASSET = "sentries-x86_64-unknown-linux-gnu";
const MAC_ASSET = "sentries-aarch64-apple-darwin";
const HAS_NODE = await new Deno.Command("node", { args: ["--version"], stdout: "null", stderr: "null" }).output()
  .then((o) => o.success, () => false);

function sha256(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

interface Release {
  /** Path under /OWNER/NAME/releases/download/TAG/ → body. */
  files: Record<string, Uint8Array<ArrayBuffer> | string>;
}

/** A loopback stand-in for github.com's release downloads; records the paths asked for. */
function serveReleases(releases: Record<string, Release>) {
  const requests: string[] = [];
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, (req) => {
    const path = new URL(req.url).pathname;
    requests.push(path);
    const match = /^\/acme\/sentries\/releases\/download\/([^/]+)\/([^/]+)$/.exec(path);
    const body = match ? releases[match[1]]?.files[match[2]] : undefined;
    return body === undefined ? new Response("Not Found", { status: 404 }) : new Response(body);
  });
  return { base: `http://127.0.0.1:${server.addr.port}`, requests, close: () => server.shutdown() };
}

function fakeBinary(label: string): Uint8Array<ArrayBuffer> {
  return new TextEncoder().encode(`#!/bin/sh\necho "fake sentries ${label} $*"\n`);
}

function sums(entries: Record<string, Uint8Array>): string {
  return Object.entries(entries).map(([name, bytes]) => `${sha256(bytes)}  ${name}\n`).join("");
}

interface ScriptResult {
  code: number;
  stderr: string;
  outputs: Record<string, string>;
  path: string;
}

/** Runs a script the way the runner does: bash, a clean env, GITHUB_OUTPUT/GITHUB_PATH files. */
async function runScript(
  script: string,
  args: string[],
  env: Record<string, string>,
  home: string,
): Promise<ScriptResult> {
  const output = join(home, "output");
  const pathFile = join(home, "path");
  await Deno.writeTextFile(output, "");
  await Deno.writeTextFile(pathFile, "");
  const result = await new Deno.Command("bash", {
    args: [script, ...args],
    clearEnv: true,
    env: {
      PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin",
      RUNNER_TEMP: join(home, "temp"),
      RUNNER_TOOL_CACHE: join(home, "toolcache"),
      GITHUB_OUTPUT: output,
      GITHUB_PATH: pathFile,
      ...env,
    },
    stdout: "piped",
    stderr: "piped",
  }).output();
  return {
    code: result.code,
    stderr: new TextDecoder().decode(result.stderr),
    outputs: parseOutputFile(await Deno.readTextFile(output)),
    path: await Deno.readTextFile(pathFile),
  };
}

/** Reads GITHUB_OUTPUT the way the runner does: `name=value` lines and `name<<DELIM` blocks. */
function parseOutputFile(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const heredoc = /^([^=<]+)<<(.+)$/.exec(lines[i]);
    if (heredoc) {
      const end = lines.indexOf(heredoc[2], i + 1);
      assert.ok(end > i, `unterminated ${heredoc[1]} block`);
      outputs[heredoc[1]] = lines.slice(i + 1, end).join("\n");
      i = end;
    } else if (lines[i].includes("=")) {
      const cut = lines[i].indexOf("=");
      outputs[lines[i].slice(0, cut)] = lines[i].slice(cut + 1);
    }
  }
  return outputs;
}

async function withHome(fn: (home: string) => Promise<void>): Promise<void> {
  const home = await Deno.makeTempDir({ prefix: "sentries-action-" });
  await Deno.mkdir(join(home, "temp"));
  try {
    await fn(home);
  } finally {
    await Deno.remove(home, { recursive: true });
  }
}

const LINUX = { RUNNER_OS: "Linux", RUNNER_ARCH: "X64", GITHUB_ACTION_REPOSITORY: "acme/sentries" };

Deno.test("install: right checksum → verified binary on PATH, plan and install agree on the folder", async () => {
  const linux = fakeBinary("linux");
  const mac = fakeBinary("mac");
  const release = {
    files: { [LINUX_ASSET]: linux, [MAC_ASSET]: mac, SHA256SUMS: sums({ [LINUX_ASSET]: linux, [MAC_ASSET]: mac }) },
  };
  const server = serveReleases({ "v0.4.2": release });
  try {
    await withHome(async (home) => {
      const env = { ...LINUX, SENTRIES_DOWNLOAD_BASE: server.base, GITHUB_ACTION_REF: "v0.4.2" };
      const plan = await runScript(INSTALL, ["plan"], env, home);
      assert.equal(plan.code, 0, plan.stderr);
      assert.equal(plan.outputs.version, "v0.4.2", "a full release tag as the action ref is the version");
      assert.equal(plan.outputs.target, "x86_64-unknown-linux-gnu");
      assert.equal(plan.outputs.dir, join(home, "toolcache/sentries/v0.4.2/x86_64-unknown-linux-gnu"));

      const installed = await runScript(INSTALL, ["install"], env, home);
      assert.equal(installed.code, 0, installed.stderr);
      assert.equal(installed.outputs.path, join(plan.outputs.dir, "sentries"));
      assert.equal(installed.path.trim(), plan.outputs.dir);
      assert.deepEqual(await Deno.readFile(installed.outputs.path), linux);
      const ran = await new Deno.Command(installed.outputs.path, { args: ["--version"], stdout: "piped" }).output();
      assert.equal(new TextDecoder().decode(ran.stdout).trim(), "fake sentries linux --version");
      assert.deepEqual(server.requests, [
        "/acme/sentries/releases/download/v0.4.2/SHA256SUMS",
        `/acme/sentries/releases/download/v0.4.2/${LINUX_ASSET}`,
      ]);

      // A later job with the cache restored: SHA256SUMS is fetched again and the cached binary checked.
      server.requests.length = 0;
      const cached = await runScript(INSTALL, ["install"], env, home);
      assert.equal(cached.code, 0, cached.stderr);
      assert.match(cached.stderr, /cached binary matches SHA256SUMS/);
      assert.deepEqual(server.requests, ["/acme/sentries/releases/download/v0.4.2/SHA256SUMS"]);

      // A cached binary that was tampered with is replaced by a verified download, never run.
      await Deno.writeTextFile(installed.outputs.path, "#!/bin/sh\necho evil\n");
      const healed = await runScript(INSTALL, ["install"], env, home);
      assert.equal(healed.code, 0, healed.stderr);
      assert.deepEqual(await Deno.readFile(installed.outputs.path), linux);
    });
  } finally {
    await server.close();
  }
});

Deno.test("install: macOS ARM64 gets the darwin asset", async () => {
  const mac = fakeBinary("mac");
  const server = serveReleases({ "v0.1.0": { files: { [MAC_ASSET]: mac, SHA256SUMS: sums({ [MAC_ASSET]: mac }) } } });
  try {
    await withHome(async (home) => {
      const env = { ...LINUX, RUNNER_OS: "macOS", RUNNER_ARCH: "ARM64", SENTRIES_DOWNLOAD_BASE: server.base };
      const installed = await runScript(INSTALL, ["install"], { ...env, INPUT_VERSION: "0.1.0" }, home);
      assert.equal(installed.code, 0, installed.stderr);
      assert.equal(installed.outputs.version, "v0.1.0", "a bare version gets its v");
      assert.deepEqual(await Deno.readFile(installed.outputs.path), mac);
    });
  } finally {
    await server.close();
  }
});

Deno.test("install: wrong checksum → refuses, nothing installed, nothing on PATH", async () => {
  const linux = fakeBinary("linux");
  const server = serveReleases({
    "v0.1.0": { files: { [LINUX_ASSET]: fakeBinary("tampered"), SHA256SUMS: sums({ [LINUX_ASSET]: linux }) } },
  });
  try {
    await withHome(async (home) => {
      const result = await runScript(INSTALL, ["install"], { ...LINUX, SENTRIES_DOWNLOAD_BASE: server.base }, home);
      assert.equal(result.code, 1);
      assert.match(
        result.stderr,
        /::error title=sentries install::checksum mismatch for sentries-x86_64-unknown-linux-gnu/,
      );
      assert.equal(result.path, "");
      assert.equal(result.outputs.path, undefined);
      await assert.rejects(
        Deno.stat(join(home, "toolcache/sentries/v0.1.0/x86_64-unknown-linux-gnu/sentries")),
        Deno.errors.NotFound,
      );
    });
  } finally {
    await server.close();
  }
});

Deno.test("install: missing asset, missing line in SHA256SUMS, missing release → clear errors, exit 1", async () => {
  const linux = fakeBinary("linux");
  const server = serveReleases({
    "v0.1.0": { files: { SHA256SUMS: sums({ [LINUX_ASSET]: linux }) } }, // listed but not uploaded
    "v0.2.0": { files: { [MAC_ASSET]: linux, SHA256SUMS: sums({ [MAC_ASSET]: linux }) } }, // no linux build
  });
  try {
    await withHome(async (home) => {
      const env = { ...LINUX, SENTRIES_DOWNLOAD_BASE: server.base };
      const noAsset = await runScript(INSTALL, ["install"], { ...env, INPUT_VERSION: "v0.1.0" }, home);
      assert.equal(noAsset.code, 1);
      assert.match(noAsset.stderr, /could not download sentries-x86_64-unknown-linux-gnu of release v0\.1\.0/);
      const notListed = await runScript(INSTALL, ["install"], { ...env, INPUT_VERSION: "v0.2.0" }, home);
      assert.equal(notListed.code, 1);
      assert.match(notListed.stderr, /release v0\.2\.0 lists no sentries-x86_64-unknown-linux-gnu in SHA256SUMS/);
      const noRelease = await runScript(INSTALL, ["install"], { ...env, INPUT_VERSION: "v9.9.9" }, home);
      assert.equal(noRelease.code, 1);
      assert.match(noRelease.stderr, /could not download SHA256SUMS of release v9\.9\.9/);
      for (const r of [noAsset, notListed, noRelease]) assert.equal(r.path, "");
    });
  } finally {
    await server.close();
  }
});

Deno.test("install: unsupported platform and bad inputs → exit 2 before any download", async () => {
  const server = serveReleases({});
  try {
    await withHome(async (home) => {
      const env = { ...LINUX, SENTRIES_DOWNLOAD_BASE: server.base };
      const windows = await runScript(INSTALL, ["install"], { ...env, RUNNER_OS: "Windows" }, home);
      assert.equal(windows.code, 2);
      assert.match(windows.stderr, /no sentries binary for runner Windows\/X64/);
      const badVersion = await runScript(INSTALL, ["plan"], { ...env, INPUT_VERSION: "latest; rm -rf /" }, home);
      assert.equal(badVersion.code, 2);
      assert.match(badVersion.stderr, /is not a release tag/);
      const badRepo = await runScript(INSTALL, ["plan"], { ...env, INPUT_REPOSITORY: "../evil" }, home);
      assert.equal(badRepo.code, 2);
      assert.deepEqual(server.requests, []);
    });
  } finally {
    await server.close();
  }
});

Deno.test("install: a major tag, branch or SHA as the action ref falls back to the pinned release = src/version.ts", async () => {
  await withHome(async (home) => {
    for (const ref of ["v1", "main", "0123456789abcdef0123456789abcdef01234567", ""]) {
      const plan = await runScript(INSTALL, ["plan"], { ...LINUX, GITHUB_ACTION_REF: ref }, home);
      assert.equal(plan.code, 0, plan.stderr);
      assert.equal(plan.outputs.version, `v${VERSION}`, ref);
    }
  });
});

/** A stand-in sentries binary that prints a fixed --json report and exits with a fixed code. */
async function fakeSentries(home: string, report: string, code: number): Promise<string> {
  const path = join(home, "sentries");
  await Deno.writeTextFile(join(home, "report.json"), report);
  await Deno.writeTextFile(
    path,
    `#!/usr/bin/env bash\nprintf '%s\\n' "$@" > "${home}/argv"\nprintf 'LLM_BASE=%s GITHUB_TOKEN=%s\\n' "\${LLM_BASE-unset}" "\${GITHUB_TOKEN-unset}" > "${home}/env"\ncat "${home}/report.json"\nexit ${code}\n`,
  );
  await Deno.chmod(path, 0o755);
  return path;
}

const FIXED = JSON.stringify({
  outcome: "fixed",
  branch: "ai-test-fixes/abc1234-test_calc",
  pullRequest: { number: 42, url: "https://github.com/acme/app/pull/42" },
  changedFiles: ["tests/test_calc.py", "tests/test_more.py"],
  exitCode: 0,
});

Deno.test({
  name: "run: a --json report becomes the step outputs; arguments are passed as given, not evaluated",
  ignore: !HAS_NODE,
  fn: async () => {
    await withHome(async (home) => {
      const bin = await fakeSentries(home, FIXED, 0);
      const summary = join(home, "summary.md");
      await Deno.writeTextFile(summary, "");
      const result = await runScript(RUN, [], {
        SENTRIES_BIN: bin,
        GITHUB_STEP_SUMMARY: summary,
        INPUT_COMMAND: "tests",
        INPUT_ARGS: "--dry-run  --pytest-args=-x $(touch pwned) *",
        INPUT_JUNIT_XML: "reports/junit.xml",
        INPUT_LLM_BASE: "http://127.0.0.1:11434",
        INPUT_TOKEN: "ghs_x",
      }, home);
      assert.equal(result.code, 0, result.stderr);
      assert.deepEqual(result.outputs, {
        outcome: "fixed",
        branch: "ai-test-fixes/abc1234-test_calc",
        "pull-request-number": "42",
        "pull-request-url": "https://github.com/acme/app/pull/42",
        "changed-files": "tests/test_calc.py\ntests/test_more.py",
        "exit-code": "0",
      });
      assert.deepEqual((await Deno.readTextFile(join(home, "argv"))).trimEnd().split("\n"), [
        "tests",
        "--json",
        "--junit-xml",
        "reports/junit.xml",
        "--dry-run",
        "--pytest-args=-x",
        "$(touch",
        "pwned)",
        "*",
      ]);
      await assert.rejects(Deno.stat(join(home, "pwned")), Deno.errors.NotFound);
      assert.equal(await Deno.readTextFile(join(home, "env")), "LLM_BASE=http://127.0.0.1:11434 GITHUB_TOKEN=ghs_x\n");
      assert.equal(await Deno.readTextFile(summary), "", "tests writes its own job summary");
    });
  },
});

Deno.test({
  name: "run: exit codes pass through; no report → outcome error; empty inputs leave the environment alone",
  ignore: !HAS_NODE,
  fn: async () => {
    await withHome(async (home) => {
      const summary = join(home, "summary.md");
      await Deno.writeTextFile(summary, "");
      const notFixed = await runScript(RUN, [], {
        SENTRIES_BIN: await fakeSentries(home, JSON.stringify({ outcome: "not_fixed", changedFiles: [] }), 1),
        INPUT_COMMAND: "tests",
      }, home);
      assert.equal(notFixed.code, 1);
      assert.equal(notFixed.outputs.outcome, "not_fixed");
      assert.equal(notFixed.outputs["pull-request-number"], "");
      assert.equal(notFixed.outputs["exit-code"], "1");
      assert.equal(await Deno.readTextFile(join(home, "env")), "LLM_BASE=unset GITHUB_TOKEN=unset\n");

      const usage = await runScript(RUN, [], {
        SENTRIES_BIN: await fakeSentries(home, "", 2),
        GITHUB_STEP_SUMMARY: summary,
        INPUT_COMMAND: "docs",
      }, home);
      assert.equal(usage.code, 2);
      assert.equal(usage.outputs.outcome, "error");
      assert.match(
        await Deno.readTextFile(summary),
        /### sentries docs: error\n\nExit code 2\. The step log says why\./,
      );

      const status = await runScript(RUN, [], {
        SENTRIES_BIN: await fakeSentries(home, JSON.stringify({ artifacts: [] }), 0),
        GITHUB_STEP_SUMMARY: summary,
        INPUT_COMMAND: "status",
      }, home);
      assert.equal(status.outputs.outcome, "ok");

      const failed = await runScript(RUN, [], {
        SENTRIES_BIN: await fakeSentries(home, JSON.stringify({ error: { code: "junit.mismatch", exitCode: 2 } }), 2),
        INPUT_COMMAND: "tests",
      }, home);
      assert.equal(failed.outputs.outcome, "error", "--json's error object");
    });
  },
});

Deno.test({
  name: "run: the --json envelope (schemaVersion, command, ok, exitCode) keeps the outputs as they were",
  ignore: !HAS_NODE,
  fn: async () => {
    await withHome(async (home) => {
      const outputsOf = async (command: string, doc: object, code: number) => {
        const bin = await fakeSentries(home, JSON.stringify(doc), code);
        const result = await runScript(RUN, [], { SENTRIES_BIN: bin, INPUT_COMMAND: command }, home);
        assert.equal(result.code, code, result.stderr);
        return result.outputs;
      };
      const fixed = await outputsOf("tests", jsonEnvelope("tests", 0, JSON.parse(FIXED)), 0);
      assert.equal(fixed.outcome, "fixed");
      assert.equal(fixed["pull-request-number"], "42");
      assert.equal(fixed["changed-files"], "tests/test_calc.py\ntests/test_more.py");
      const status = await outputsOf("status", jsonEnvelope("status", 0, { items: [] }), 0);
      assert.equal(status.outcome, "ok");
      const error = { code: "git.not_a_repo", message: "not a git repository", exitCode: 2 };
      const failed = await outputsOf("tests", jsonEnvelope("tests", 2, {}, error), 2);
      assert.deepEqual([failed.outcome, failed["exit-code"]], ["error", "2"]);
      // cleanup off a terminal without --force: the plan and the error travel together.
      const refusal = { code: "usage.confirmation_needed", message: "cleanup changed nothing", exitCode: 2 };
      const cleanup = await outputsOf("cleanup", jsonEnvelope("cleanup", 2, { plan: { actions: [] } }, refusal), 2);
      assert.equal(cleanup.outcome, "error");
    });
  },
});

Deno.test({
  name: "run: a value cannot forge another output (random heredoc delimiter)",
  ignore: !HAS_NODE,
  fn: async () => {
    await withHome(async (home) => {
      const forged = JSON.stringify({ outcome: "fixed", branch: "x\noutcome=hacked\nEOF\npull-request-url=evil" });
      const result = await runScript(RUN, [], {
        SENTRIES_BIN: await fakeSentries(home, forged, 0),
        INPUT_COMMAND: "tests",
      }, home);
      assert.equal(result.outputs.outcome, "fixed");
      assert.equal(result.outputs["pull-request-url"], "");
      assert.equal(result.outputs.branch, "x\noutcome=hacked\nEOF\npull-request-url=evil");
    });
  },
});

Deno.test("run: an unknown command or junit-xml outside tests → exit 2 without running sentries", async () => {
  await withHome(async (home) => {
    const bin = await fakeSentries(home, FIXED, 0);
    const unknown = await runScript(RUN, [], { SENTRIES_BIN: bin, INPUT_COMMAND: "models" }, home);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /command "models" is not one of tests, docs, status, cleanup, doctor/);
    const junit = await runScript(
      RUN,
      [],
      { SENTRIES_BIN: bin, INPUT_COMMAND: "docs", INPUT_JUNIT_XML: "j.xml" },
      home,
    );
    assert.equal(junit.code, 2);
    await assert.rejects(Deno.stat(join(home, "argv")), Deno.errors.NotFound);
  });
});

interface ActionYaml {
  inputs: Record<string, { default?: string; required?: boolean }>;
  outputs: Record<string, { value: string }>;
  runs: { using: string; steps: (Step & { shell?: string; id?: string })[] };
}

Deno.test("action.yml: inputs, outputs, pinned steps, no expressions spliced into scripts", async () => {
  const action = YAML.parse(await Deno.readTextFile(join(PROJECT_ROOT, "action.yml"))) as ActionYaml;
  assert.equal(action.runs.using, "composite");
  for (const input of ["command", "version", "llm-base", "model-plan", "model-patch", "args", "token", "junit-xml"]) {
    assert.ok(action.inputs[input], `input ${input}`);
  }
  assert.equal(action.inputs.token.default, "${{ github.token }}");
  for (const output of ["outcome", "branch", "pull-request-number", "pull-request-url", "changed-files"]) {
    assert.match(action.outputs[output]?.value ?? "", new RegExp(`steps\\.run\\.outputs\\.${output}\\b`), output);
  }
  for (const step of action.runs.steps) {
    if (step.run) {
      assert.doesNotMatch(step.run, /\$\{\{/, `${step.run}: inputs go through env`);
      assert.equal(step.shell, "bash");
      assert.match(step.run, /"\$GITHUB_ACTION_PATH\/scripts\/action\//);
    }
  }
  // The same rules every workflow here keeps (pinned actions, no spliced expressions), on the action's steps.
  const asWorkflow: Workflow = {
    on: "workflow_call",
    permissions: {},
    jobs: { action: { "runs-on": "ubuntu-latest", steps: action.runs.steps } },
  };
  assert.deepEqual(checkWorkflow(asWorkflow), []);
  // The scripts the steps call exist and are executable.
  for (const script of ["install.sh", "run.sh", "outputs.mjs"]) {
    await Deno.stat(join(PROJECT_ROOT, "scripts/action", script));
  }
});
