/** DocSentry shows the patcher only allowlisted docs inside the repository: not what a plan or a link names. */
import assert from "node:assert/strict";
import { join } from "node:path";
import { runCli } from "../support/cli.ts";
import { createPyRepo } from "../support/pyrepo.ts";
import { startStandIn } from "../support/standin_llm.ts";
import { DOCS_PLAN, promptOf, scriptedReply } from "../support/scripted_models.ts";

Deno.test("files named by the plan outside the repo, or reached through a link, never reach a prompt", async () => {
  const outside = await Deno.realPath(await Deno.makeTempDir({ prefix: "sentries-secrets-" }));
  await Deno.writeTextFile(join(outside, "hosts.yml"), "oauth_token: SECRET-FROM-PLAN\n");
  await Deno.writeTextFile(join(outside, "notes.md"), "# Notes\n\nSECRET-THROUGH-LINK\n");
  const repo = await createPyRepo({
    files: {
      "tool/__init__.py": "",
      "tool/cli.py": "def main(out_dir='build'):\n    return out_dir\n",
      "README.md": "# tool\n\nCall `main(out_dir)`.\n",
    },
  });
  try {
    await repo.git("checkout", "-q", "-b", "feature");
    await Deno.mkdir(join(repo.dir, "docs"));
    await Deno.symlink(join(outside, "notes.md"), join(repo.dir, "docs/notes.md"));
    await repo.commit({
      message: "Rename out_dir",
      files: { "tool/cli.py": "def main(output='build'):\n    return output\n" },
    });
    const escape = `${"../".repeat(12)}${outside.slice(1)}/hosts.yml`;
    const plan = DOCS_PLAN(`1. Update README.md, docs/notes.md and ${escape}`);
    const standIn = await startStandIn({ reply: scriptedReply({ plan, patches: ["NO_CHANGES"] }) });
    try {
      await runCli(["docs", "--json", "--base", "main", "--dry-run"], {
        cwd: repo.dir,
        env: { LLM_BASE: standIn.url },
      });
      const prompts = standIn.requests.map(promptOf).join("\n");
      assert.match(prompts, /Call `main\(out_dir\)`/, "the README is shown");
      assert.doesNotMatch(prompts, /SECRET-FROM-PLAN/);
      assert.doesNotMatch(prompts, /SECRET-THROUGH-LINK/);
    } finally {
      await standIn.close();
    }
  } finally {
    await repo.cleanup();
    await Deno.remove(outside, { recursive: true });
  }
});
