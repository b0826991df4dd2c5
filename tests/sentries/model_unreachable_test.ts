/**
 * No model server (issue 15.7): a run with confirmed failures stops right after discovery, says so once,
 * exits 1 and reports the failures it found (--json and the human report); a run with nothing to fix does
 * not need the server and says nothing about it. `sentries docs`, whose first step is the model call,
 * fails there once too. The port is a real closed one: bound, then closed, so nothing listens on it.
 */
import assert from "node:assert/strict";
import { runCli } from "../support/cli.ts";
import { createPyRepo, type PyRepo } from "../support/pyrepo.ts";
import { connectTimeoutError, idleTimeoutError, unreachableError } from "../../src/llm/errors.ts";
import { isUnreachable } from "../../src/sentries/model_server.ts";
import { afterModelProbe } from "../../src/sentries/testsentry/build_report.ts";

function closedPort(): string {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return `http://127.0.0.1:${port}`;
}

const SHOP = {
  "pyproject.toml": `[tool.pytest.ini_options]\npythonpath = ["."]\n`,
  "shop/__init__.py": "",
  "shop/pricing.py": "def total(x):\n    return x + 1\n",
  "tests/test_pricing.py": "from shop.pricing import total\n\n\ndef test_total():\n    assert total(2) == 2\n\n\n" +
    "def test_one():\n    assert total(0) == 0\n\n\ndef test_other():\n    assert True\n",
};

async function shopRepo(files: Record<string, string> = SHOP): Promise<PyRepo> {
  return await createPyRepo({ files });
}

function count(text: string, pattern: RegExp): number {
  return [...text.matchAll(new RegExp(pattern.source, "g"))].length;
}

async function botState(repo: PyRepo): Promise<{ branches: string; worktrees: number }> {
  const branches = await repo.git("branch", "--format=%(refname:short)");
  const worktrees =
    (await repo.git("worktree", "list", "--porcelain")).split("\n").filter((l) => l.startsWith("worktree ")).length;
  return { branches, worktrees };
}

Deno.test("no model server and confirmed failures: stops after discovery, says it once, --json lists the failures", async () => {
  const repo = await shopRepo();
  const llmBase = closedPort();
  try {
    const before = await botState(repo);
    const r = await runCli(["tests", "--json"], { cwd: repo.dir, env: { LLM_BASE: llmBase } });
    assert.equal(r.code, 1, r.stderr);
    const report = JSON.parse(r.stdout);
    assert.equal(report.outcome, "model_unreachable");
    assert.equal(report.exitCode, 1);
    assert.deepEqual(report.failures.map((f: { nodeId: string }) => f.nodeId), [
      "tests/test_pricing.py::test_one",
      "tests/test_pricing.py::test_total",
    ]);
    assert.equal(report.error.code, "llm.unreachable");
    assert.equal(report.error.message, `Ollama is not reachable at ${llmBase}`);
    assert.match(report.error.hint, /ollama serve/);
    assert.equal(report.error.exitCode, 1);
    assert.match(report.message, /the 2 failing test\(s\) below cannot be fixed/);
    assert.equal(report.llm.calls, 0, "no model was asked");
    // Stopped before the context step: only isolate and discover ran.
    assert.deepEqual(report.timings.map((t: { step: string }) => t.step), ["isolate", "discover"]);
    // Once: in the report on stdout, and not again as a warning or an error on stderr.
    assert.equal(count(r.stdout + r.stderr, /not reachable/), 2, "the message and the error's copy in --json");
    assert.equal(count(r.stderr, /not reachable/), 0, r.stderr);
    assert.deepEqual(await botState(repo), before, "no branch, no worktree left");

    const human = await runCli(["tests"], { cwd: repo.dir, env: { LLM_BASE: llmBase } });
    assert.equal(human.code, 1, human.stderr);
    assert.equal(count(human.stdout + human.stderr, /not reachable/), 1, human.stdout + human.stderr);
    assert.match(human.stdout, /TestSentry: Model server unreachable — nothing changed/);
    assert.match(human.stdout, /✗ tests\/test_pricing\.py::test_one/);
    assert.match(human.stdout, /✗ tests\/test_pricing\.py::test_total/);
    assert.match(human.stdout, /Fix: start it with `ollama serve` or set LLM_BASE, then run again\./);
    assert.doesNotMatch(human.stderr, /^error:/m);
  } finally {
    await repo.cleanup();
  }
});

Deno.test("no model server and nothing to fix: exit 0, and the server is not mentioned", async () => {
  const repo = await shopRepo({
    ...SHOP,
    "tests/test_pricing.py": "from shop.pricing import total\n\n\ndef test_total():\n    assert total(2) == 3\n",
  });
  try {
    const r = await runCli(["tests", "--json"], { cwd: repo.dir, env: { LLM_BASE: closedPort() } });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).outcome, "no_failures");
    assert.doesNotMatch(r.stdout + r.stderr, /not reachable/);
  } finally {
    await repo.cleanup();
  }
});

Deno.test("sentries docs with no model server: fails at its first step, once, exit 1", async () => {
  const repo = await createPyRepo({
    files: { "README.md": "# app\n\nRun it with `--old-flag`.\n", "app.py": "FLAG = '--old-flag'\n" },
    commits: [{ message: "Rename the flag", files: { "app.py": "FLAG = '--new-flag'\n" } }],
  });
  try {
    const before = await botState(repo);
    const env = { LLM_BASE: closedPort() };
    const r = await runCli(["docs", "--base", "HEAD~1", "--json"], { cwd: repo.dir, env });
    assert.equal(r.code, 1, r.stderr);
    assert.equal(JSON.parse(r.stdout).error.code, "llm.unreachable");
    assert.equal(count(r.stderr, /not reachable/), 1, r.stderr);
    const human = await runCli(["docs", "--base", "HEAD~1"], { cwd: repo.dir, env });
    assert.equal(human.code, 1);
    assert.equal(count(human.stdout + human.stderr, /not reachable/), 1, human.stdout + human.stderr);
    assert.deepEqual(await botState(repo), before);
  } finally {
    await repo.cleanup();
  }
});

Deno.test("only a server that does not answer counts as unreachable; one that answers an error does not", () => {
  const endpoint = { baseUrl: "http://127.0.0.1:1", api: "ollama" as const };
  assert.equal(isUnreachable(unreachableError(endpoint, new TypeError("connection refused"))), true);
  assert.equal(isUnreachable(connectTimeoutError(endpoint, 5000)), true);
  assert.equal(isUnreachable(idleTimeoutError(endpoint, 5000, "the reply")), false);
  assert.equal(isUnreachable(new Error("Ollama is not reachable")), false);
});

Deno.test("afterModelProbe: no problem goes on; a problem ends the run with exit 1, naming the fix", () => {
  assert.equal(afterModelProbe(undefined, 3), undefined);
  const c = afterModelProbe({ code: "llm.unreachable", message: "Ollama is not reachable at X", hint: "start it" }, 3);
  assert.equal(c?.outcome, "model_unreachable");
  assert.equal(c?.exitCode, 1);
  assert.match(c?.message ?? "", /^Ollama is not reachable at X, so the 3 failing test\(s\) below cannot be fixed/);
  assert.match(c?.message ?? "", /Fix: start it, then run again\.$/);
});
