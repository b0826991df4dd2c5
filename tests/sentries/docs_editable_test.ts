/**
 * Issue 15.2: the docs guard refuses edits to files under the docs allowlist that are not documentation text
 * (`docs/conf.py`, a Makefile, `docs/requirements.txt`) or are executable. Such files are never offered to the
 * patcher as files to edit; they may still be shown as context, labelled read-only. Real git repositories, and
 * end to end through the CLI with the stand-in model.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { Git } from "../../src/git/git.ts";
import { defaultPolicy } from "../../src/patch/policy.ts";
import { mayShow } from "../../src/sentries/docsentry/attempts.ts";
import { readDocsAt, readOnlyReason } from "../../src/sentries/docsentry/material.ts";
import { selectDocSections } from "../../src/sentries/docsentry/select.ts";
import { renderSections } from "../../src/context/budget.ts";
import { runCli } from "../support/cli.ts";
import { createPyRepo, type PyRepo } from "../support/pyrepo.ts";
import { startStandIn } from "../support/standin_llm.ts";
import { DOCS_PLAN, isPlannerRequest, promptOf, scriptedReply } from "../support/scripted_models.ts";

Deno.test("readOnlyReason: what the docs guard refuses is read-only, documentation text is not", () => {
  const cases: Array<[string, string, RegExp | undefined]> = [
    ["docs/conf.py", "100644", /^it is a \.py file$/],
    ["docs/Makefile", "100644", /^it has no text extension/],
    ["docs/make.bat", "100644", /^it is a \.bat file$/],
    ["docs/requirements.txt", "100644", /^it is a dependency list/],
    ["docs/tour.ipynb", "100644", /^it is a \.ipynb file$/],
    ["docs/settings.yaml", "100644", /^it is a \.yaml file$/],
    ["docs/run.md", "100755", /^it is executable$/],
    // honest documentation text stays editable
    ["docs/index.md", "100644", undefined],
    ["docs/api/index.rst", "100644", undefined],
    ["README.md", "100644", undefined],
    ["CHANGES.rst", "100644", undefined],
    ["docs/notes.txt", "100644", undefined],
    ["openapi.yaml", "100644", undefined],
  ];
  for (const [path, mode, expected] of cases) {
    const reason = readOnlyReason(path, mode);
    if (expected) assert.match(reason ?? "(editable)", expected, path);
    else assert.equal(reason, undefined, path);
  }
});

const FILES = {
  "tool/__init__.py": "",
  "tool/cli.py": "def build_site(out_dir='build'):\n    return out_dir\n",
  "README.md": "# tool\n\nCall `build_site(out_dir)`.\n",
  "docs/usage.md": "# Usage\n\nPass `out_dir` to `build_site(out_dir)` to choose where files go.\n",
  "docs/conf.py": "project = 'tool'\n# build_site(out_dir) is documented in usage.md\nhtml_extra_path = ['out_dir']\n",
  "docs/requirements.txt": "sphinx  # builds the build_site(out_dir) docs\n",
};

async function docsRepo(): Promise<PyRepo> {
  const repo = await createPyRepo({ files: FILES });
  await Deno.writeTextFile(join(repo.dir, "docs/build.md"), "# Build\n\nRun build_site(out_dir) with out_dir set.\n");
  await Deno.chmod(join(repo.dir, "docs/build.md"), 0o755);
  await repo.git("checkout", "-q", "-b", "feature");
  await repo.commit({
    message: "Rename build_site to make_site",
    files: { "tool/cli.py": "def make_site(out_dir='build'):\n    return out_dir\n" },
  });
  return repo;
}

Deno.test("readDocsAt and the doc sections: docs/conf.py, requirements.txt and an executable page are read-only context", async () => {
  const repo = await docsRepo();
  try {
    const head = (await repo.git("rev-parse", "HEAD")).trim();
    const docs = await readDocsAt(new Git(repo.dir), head, defaultPolicy("docs").allow);
    assert.deepEqual(
      docs.map((d) => [d.path, d.readOnly]),
      [
        ["README.md", undefined],
        ["docs/build.md", "it is executable"],
        ["docs/conf.py", "it is a .py file"],
        ["docs/requirements.txt", "it is a dependency list that docs builds install"],
        ["docs/usage.md", undefined],
      ],
    );
    const text = renderSections(selectDocSections(docs, ["build_site", "make_site"], 10_000).sections, "banner");
    assert.match(text, /^--- docs\/conf\.py \(lines 1-4; read-only context, never edited: it is a \.py file\) ---$/m);
    assert.match(text, /^--- docs\/build\.md \(lines 1-4; read-only context, never edited: it is executable\) ---$/m);
    // documentation text keeps its plain title, as before
    assert.match(text, /^--- docs\/usage\.md \(lines 1-4\) ---$/m);
    assert.match(text, /^--- README\.md \(lines 1-4\) ---$/m);
  } finally {
    await repo.cleanup();
  }
});

Deno.test("mayShow: a file the docs guard refuses is never a file to edit; documentation text still is", async () => {
  const repo = await docsRepo();
  try {
    const policy = defaultPolicy("docs");
    for (const path of ["docs/conf.py", "docs/requirements.txt", "docs/build.md"]) {
      assert.equal(await mayShow(repo.dir, path, policy), false, path);
    }
    for (const path of ["README.md", "docs/usage.md"]) assert.equal(await mayShow(repo.dir, path, policy), true, path);
    // not there, or outside the allowlist: not shown either (as before)
    assert.equal(await mayShow(repo.dir, "docs/missing.md", policy), false);
    assert.equal(await mayShow(repo.dir, "tool/cli.py", policy), false);
  } finally {
    await repo.cleanup();
  }
});

Deno.test("sentries docs: a plan naming docs/conf.py gets only the text docs as files to edit", async () => {
  const repo = await docsRepo();
  const plan = DOCS_PLAN(
    "1. docs/usage.md: build_site → make_site\n2. docs/conf.py: build_site → make_site\n3. docs/build.md: build_site → make_site",
  );
  const standIn = await startStandIn({ reply: scriptedReply({ plan, patches: ["NO_CHANGES"] }) });
  try {
    const r = await runCli(["docs", "--json", "--base", "main", "--dry-run"], {
      cwd: repo.dir,
      env: { LLM_BASE: standIn.url },
    });
    assert.ok(r.stdout.trim(), r.stderr);
    const patcher = standIn.requests.filter((q) => !isPlannerRequest(q)).map(promptOf);
    assert.ok(patcher.length > 0, "the patcher was asked");
    for (const prompt of patcher) {
      const toEdit = prompt.slice(prompt.indexOf("## Current content of the doc files to edit"));
      assert.match(toEdit, /<repository-data title="file docs\/usage\.md">/);
      assert.doesNotMatch(toEdit, /title="file docs\/conf\.py"/);
      assert.doesNotMatch(toEdit, /title="file docs\/build\.md"/);
      assert.doesNotMatch(toEdit, /title="file docs\/requirements\.txt"/);
    }
    // Both calls still see conf.py as context, labelled read-only.
    for (const prompt of standIn.requests.map(promptOf)) {
      assert.match(prompt, /--- docs\/conf\.py \(lines 1-4; read-only context, never edited: it is a \.py file\) ---/);
    }
  } finally {
    await standIn.close();
    await repo.cleanup();
  }
});
