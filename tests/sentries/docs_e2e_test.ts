/** `sentries docs` end to end: real CLI, real git repos, the stand-in model, the fake GitHub. */
import assert from "node:assert/strict";

import { runCli } from "../support/cli.ts";
import { createPyRepo, type PyRepo } from "../support/pyrepo.ts";
import { startStandIn } from "../support/standin_llm.ts";
import { DOCS_PLAN, type ModelScript, promptOf, scriptedReply } from "../support/scripted_models.ts";

const CLI_V1 = {
  "tool/__init__.py": "",
  "tool/cli.py": "import argparse\n\n\ndef parser():\n    p = argparse.ArgumentParser()\n" +
    "    p.add_argument('--out-dir', default='build')\n    p.add_argument('--retries', default=3)\n    return p\n",
  "README.md": "# tool\n\n## Usage\n\nRun `tool --out-dir DIR` to choose where files go (default `build`).\n\n" +
    "See [the guide](docs/guide.md#retries).\n",
  "docs/guide.md": "# Guide\n\n## Retries\n\nFailed uploads are retried 3 times (`--retries`).\n",
  "CHANGELOG.md": "# Changelog\n\n## [Unreleased]\n\n## [1.0.0] - 2024-01-01\n\n### Added\n\n- First release.\n",
};

async function cliRepo(
  change: Record<string, string | null>,
  message = "Rename --out-dir to --output",
): Promise<PyRepo> {
  const repo = await createPyRepo({ files: CLI_V1 });
  await repo.git("checkout", "-q", "-b", "feature");
  await repo.commit({ message, files: change });
  return repo;
}

const RENAME_OPTION = {
  "tool/cli.py": CLI_V1["tool/cli.py"].replace("--out-dir", "--output"),
};
const README_FIX =
  `--- a/README.md\n+++ b/README.md\n@@ -4,3 +4,3 @@\n \n-Run \`tool --out-dir DIR\` to choose where files go (default \`build\`).\n` +
  `+Run \`tool --output DIR\` to choose where files go (default \`build\`).\n \n`;

async function run(repo: PyRepo, script: ModelScript, args: string[] = [], env: Record<string, string> = {}) {
  const standIn = await startStandIn({ reply: scriptedReply(script) });
  try {
    const r = await runCli(["docs", "--json", "--base", "main", ...args], {
      cwd: repo.dir,
      env: { LLM_BASE: standIn.url, ...env },
    });
    return { ...r, requests: standIn.requests.slice(), report: r.stdout.trim() ? JSON.parse(r.stdout) : undefined };
  } finally {
    await standIn.close();
  }
}

Deno.test("a renamed CLI option documented in README: a docs-only commit on an ai-doc-updates branch", async () => {
  const repo = await cliRepo(RENAME_OPTION);
  try {
    const r = await run(repo, {
      plan: DOCS_PLAN("1. README: --out-dir → --output"),
      patches: [README_FIX],
      evidence: ["--output"],
    });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.report.outcome, "updated");
    assert.deepEqual(r.report.changedFiles, ["README.md"]);
    assert.match(r.report.branch, /^ai-doc-updates\/[0-9a-f]{7}-\d{14}$/);
    const surface = r.report.surface.find((s: { kind: string }) => s.kind === "cli_option");
    assert.deepEqual([surface.old, surface.new], ["--out-dir", "--output"]);
    // The planner saw the surface summary and the README section mentioning the old option.
    const planner = promptOf(r.requests[0]);
    assert.match(planner, /cli option renamed in tool\/cli\.py: --out-dir → --output/);
    assert.match(planner, /README\.md \(lines \d+-\d+\)/);
    const shown = await repo.git("show", `${r.report.branch}:README.md`);
    assert.match(shown, /tool --output DIR/);
    assert.equal((await repo.git("rev-parse", "--abbrev-ref", "HEAD")).trim(), "feature");
  } finally {
    await repo.cleanup();
  }
});

Deno.test("a changed default documented in docs/", async () => {
  const repo = await cliRepo(
    { "tool/cli.py": CLI_V1["tool/cli.py"].replace("default=3", "default=5") },
    "More retries",
  );
  const fix =
    `--- a/docs/guide.md\n+++ b/docs/guide.md\n@@ -4 +4 @@\n-Failed uploads are retried 3 times (\`--retries\`).\n` +
    `+Failed uploads are retried 5 times (\`--retries\`).\n`;
  try {
    const r = await run(repo, {
      plan: DOCS_PLAN("1. docs/guide.md: 3 → 5"),
      patches: [fix],
      evidence: ["--retries: 3 → 5"],
    });
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(r.report.changedFiles, ["docs/guide.md"]);
  } finally {
    await repo.cleanup();
  }
});

Deno.test("an openapi.yaml route change; a patch that breaks the YAML is sent back and corrected", async () => {
  const repo = await createPyRepo({
    files: {
      "api/app.py":
        "from fastapi import FastAPI\napp = FastAPI()\n\n\n@app.get('/items')\ndef items():\n    return []\n",
      "openapi.yaml":
        "openapi: 3.0.0\ninfo:\n  title: api\n  version: '1'\npaths:\n  /items:\n    get:\n      summary: List items\n",
    },
  });
  await repo.git("checkout", "-q", "-b", "feature");
  await repo.commit({
    message: "Rename route",
    files: {
      "api/app.py":
        "from fastapi import FastAPI\napp = FastAPI()\n\n\n@app.get('/products')\ndef items():\n    return []\n",
    },
  });
  const broken =
    `--- a/openapi.yaml\n+++ b/openapi.yaml\n@@ -5,4 +5,4 @@\n paths:\n-  /items:\n+  /products:\n     get:\n-      summary: List items\n+   summary: [broken\n`;
  const good =
    `--- a/openapi.yaml\n+++ b/openapi.yaml\n@@ -5,4 +5,4 @@\n paths:\n-  /items:\n+  /products:\n     get:\n       summary: List items\n`;
  try {
    const r = await run(repo, {
      plan: DOCS_PLAN("1. openapi.yaml: /items → /products"),
      patches: [broken, (prompt) => prompt.includes("no longer valid YAML") ? good : broken],
    });
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(r.report.attempts.map((a: { result: string }) => a.result), ["rejected", "applied_and_passed"]);
    assert.equal(r.report.surface.find((s: { kind: string }) => s.kind === "route").new, "/products");
  } finally {
    await repo.cleanup();
  }
});

Deno.test("a CHANGELOG entry under [Unreleased]; a stale name left in an edited section is refused", async () => {
  const repo = await cliRepo(RENAME_OPTION);
  const stale =
    `--- a/README.md\n+++ b/README.md\n@@ -3,3 +3,4 @@\n ## Usage\n \n+Tip: --out-dir is handy.\n Run \`tool --out-dir DIR\` to choose where files go (default \`build\`).\n`;
  const changelog =
    `--- a/CHANGELOG.md\n+++ b/CHANGELOG.md\n@@ -3,2 +3,6 @@\n ## [Unreleased]\n \n+### Changed\n+\n+- \`--out-dir\` is now \`--output\`.\n+\n ## [1.0.0] - 2024-01-01\n` +
    README_FIX;
  try {
    const r = await run(repo, {
      plan: DOCS_PLAN("1. README\n2. CHANGELOG"),
      patches: [stale, (prompt) => prompt.includes("still mentions `--out-dir`") ? changelog : stale],
    });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.report.attempts[0].problems[0].code, "docs.stale_name");
    assert.deepEqual(r.report.changedFiles, ["CHANGELOG.md", "README.md"]);
    const log = await repo.git("show", `${r.report.branch}:CHANGELOG.md`);
    assert.match(log, /## \[Unreleased\]\n\n### Changed\n\n- `--out-dir` is now `--output`\./);
  } finally {
    await repo.cleanup();
  }
});

Deno.test("an internal refactor: the planner answers NO_CHANGES and nothing is created", async () => {
  const repo = await cliRepo(
    { "tool/cli.py": CLI_V1["tool/cli.py"] + "\n\ndef _helper():\n    return 1\n" },
    "Internal helper",
  );
  try {
    const before = await repo.git("branch", "--list");
    const r = await run(repo, { plan: "NO_CHANGES", patches: ["x"] });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.report.outcome, "no_changes");
    assert.equal(r.requests.length, 1);
    assert.equal(await repo.git("branch", "--list"), before);
  } finally {
    await repo.cleanup();
  }
});

Deno.test("a patch that touches src/ is refused whole; no branch, exit 1", async () => {
  const repo = await cliRepo(RENAME_OPTION);
  const sneaky = README_FIX + `--- a/tool/cli.py\n+++ b/tool/cli.py\n@@ -1,1 +1,2 @@\n import argparse\n+# docs\n`;
  try {
    const before = await repo.git("branch", "--list");
    const r = await run(repo, { plan: DOCS_PLAN("1. README"), patches: [sneaky, sneaky + "\n"] }, ["--dry-run"], {
      SENTRIES_MAX_ATTEMPTS: "2",
    });
    assert.equal(r.code, 1, r.stderr);
    assert.equal(r.report.outcome, "not_updated");
    assert.match(JSON.stringify(r.report.attempts[0].problems), /tool\/cli\.py/);
    assert.equal(await repo.git("branch", "--list"), before);
    assert.equal(await repo.git("status", "--porcelain"), "");
  } finally {
    await repo.cleanup();
  }
});

Deno.test("unknown refs and a shallow clone without the base give one clear message each", async () => {
  const repo = await cliRepo(RENAME_OPTION);
  const shallow = await Deno.makeTempDir({ prefix: "sentries-shallow-" });
  try {
    const bad = await runCli(["docs", "--base", "nope"], { cwd: repo.dir });
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /error: unknown base ref "nope"/);

    await new Deno.Command("git", {
      args: ["clone", "-q", "--depth", "1", "--branch", "feature", `file://${repo.dir}`, shallow],
    }).output();
    const base = (await repo.git("rev-parse", "main")).trim();
    const r = await runCli(["docs", "--base", base], { cwd: shallow });
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /not in this shallow clone/);
    assert.match(r.stderr, /fetch-depth: 0/);
    assert.doesNotMatch(r.stderr, /\bat .*\.ts:\d+/);
  } finally {
    await repo.cleanup();
    await Deno.remove(shallow, { recursive: true });
  }
});

Deno.test("a docs-only change is skipped (no loops) without asking a model", async () => {
  const repo = await cliRepo({ "README.md": CLI_V1["README.md"] + "\nMore words.\n" }, "Docs tweak");
  try {
    const r = await run(repo, { plan: "x", patches: ["x"] });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.report.outcome, "skipped");
    assert.equal(r.requests.length, 0);
  } finally {
    await repo.cleanup();
  }
});

Deno.test("a broken relative link or anchor is caught and fed back", async () => {
  const repo = await cliRepo(RENAME_OPTION);
  const badLink = README_FIX.replace(" \n`, ", "") +
    `--- a/docs/guide.md\n+++ b/docs/guide.md\n@@ -1,3 +1,5 @@\n # Guide\n \n+See [usage](../README.md#nope) and [x](missing.md).\n+\n ## Retries\n`;
  try {
    const r = await run(repo, {
      plan: DOCS_PLAN("1. README"),
      patches: [
        badLink,
        (p) => p.includes("anchor #nope") && p.includes("missing.md does not exist") ? README_FIX : badLink,
      ],
    });
    assert.equal(r.code, 0, r.stderr);
    const codes = r.report.attempts[0].problems.map((p: { code: string }) => p.code).sort();
    assert.deepEqual(codes, ["docs.broken_anchor", "docs.broken_link"]);
  } finally {
    await repo.cleanup();
  }
});

Deno.test("the default base is the merge-base with the default branch", async () => {
  const repo = await cliRepo(RENAME_OPTION);
  try {
    const standIn = await startStandIn({ reply: scriptedReply({ plan: "NO_CHANGES", patches: ["x"] }) });
    try {
      const r = await runCli(["docs", "--json"], { cwd: repo.dir, env: { LLM_BASE: standIn.url } });
      assert.equal(r.code, 0, r.stderr);
      const report = JSON.parse(r.stdout);
      assert.equal(report.baseSha, (await repo.git("rev-parse", "main")).trim());
      assert.deepEqual(report.changedCodeFiles, ["tool/cli.py"]);
    } finally {
      await standIn.close();
    }
  } finally {
    await repo.cleanup();
  }
});
