/**
 * `deno task demo:docs`: DocSentry on a real two-commit change.
 *
 * 1. Commits examples/docs-sample on `main`, then on a `rename-flag` branch
 *    commits examples/docs-sample/change.patch (`--shout` becomes `--loud`,
 *    `--times` defaults to 2) without touching the docs.
 * 2. Uses Ollama at LLM_BASE when one answers; otherwise the scripted stand-in.
 * 3. Runs `sentries docs --base main` and shows the docs-only commit it made.
 */
import { join } from "node:path";
import { docsDemoReply } from "../examples/docs-sample/standin_script.ts";
import { copyDir, git, modelServer, ROOT, runSentries, say } from "./demo_lib.ts";

const keep = Deno.args.includes("--keep");
const repo = await Deno.makeTempDir({ prefix: "sentries-docs-demo-" });
let code = 1;
let close: (() => Promise<void>) | undefined;
try {
  say(`1. A small CLI with docs, then a change that renames a flag and a default (${repo})`);
  await copyDir(join(ROOT, "examples/docs-sample"), repo, ["change.patch", "standin_script.ts"]);
  await git(repo, "init", "-q", "-b", "main");
  await git(repo, "add", "-A");
  await git(repo, "commit", "-q", "-m", "greeter with README, docs and CHANGELOG");
  await git(repo, "switch", "-q", "-c", "rename-flag");
  await git(repo, "apply", join(ROOT, "examples/docs-sample/change.patch"));
  await git(repo, "commit", "-q", "-am", "Rename --shout to --loud; greet twice by default");
  console.log((await git(repo, "log", "--oneline", "main~0", "rename-flag")).trimEnd());

  const server = await modelServer(docsDemoReply);
  close = server.standIn?.close;
  say(`2. ${server.description}`);

  say("3. sentries docs --base main");
  code = await runSentries(["docs", "--base", "main", "-C", repo], server.url);

  say("4. What it left behind");
  const branch = (await git(repo, "branch", "--list", "--format=%(refname:short)", "ai-doc-updates/*")).trim();
  console.log(branch || "(no branch)");
  if (branch) console.log((await git(repo, "diff", "--stat", "rename-flag", branch)).trimEnd());
} finally {
  await close?.();
  if (keep) console.log(`kept ${repo}`);
  else await Deno.remove(repo, { recursive: true });
}
Deno.exit(code);
