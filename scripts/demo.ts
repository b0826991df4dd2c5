/**
 * `deno task demo`: the whole TestSentry story on a real repository.
 *
 * 1. Builds a git repo from examples/sample-project (tests pass), then commits
 *    a source change (examples/demo/rename.patch) that breaks two tests.
 * 2. Uses Ollama at LLM_BASE when one answers; otherwise starts the scripted
 *    stand-in model server and says so.
 * 3. Runs `sentries tests` exactly as `deno task sentries` would, then shows
 *    the branch and commit it created. The sample repo is removed afterwards
 *    (pass --keep to look around).
 */
import { join } from "node:path";
import { demoReply } from "../examples/demo/standin_script.ts";
import { copyDir, git, modelServer, ROOT, runSentries, say } from "./demo_lib.ts";

const keep = Deno.args.includes("--keep");
const repo = await Deno.makeTempDir({ prefix: "sentries-demo-" });
let code = 1;
let close: (() => Promise<void>) | undefined;
try {
  say(`1. A sample project with passing tests, then a source change that breaks two of them (${repo})`);
  await copyDir(join(ROOT, "examples/sample-project"), repo);
  await git(repo, "init", "-q", "-b", "main");
  await git(repo, "add", "-A");
  await git(repo, "commit", "-q", "-m", "Add the shop package and its tests");
  await git(repo, "apply", join(ROOT, "examples/demo/rename.patch"));
  await git(repo, "commit", "-q", "-am", "Rename cart_total to order_total; receipts say 'Total: … EUR'");
  console.log((await git(repo, "log", "--oneline")).trimEnd());

  const server = await modelServer(demoReply);
  close = server.standIn?.close;
  say(`2. ${server.description}`);

  say("3. sentries tests");
  code = await runSentries(["tests", "-C", repo], server.url);

  say("4. What it left behind");
  const branch = (await git(repo, "branch", "--list", "--format=%(refname:short)", "ai-test-fixes/*")).trim();
  console.log(branch || "(no branch)");
  if (branch) {
    console.log((await git(repo, "show", "--stat", "--format=%an <%ae>%n%s%n%n%b", branch)).trimEnd());
    console.log((await git(repo, "diff", "main", branch, "--", "tests")).trimEnd());
  }
  console.log(
    `working tree of main untouched: ${(await git(repo, "status", "--porcelain")).trim() === "" ? "yes" : "NO"}`,
  );
} finally {
  await close?.();
  if (keep) console.log(`kept ${repo}`);
  else await Deno.remove(repo, { recursive: true });
}
Deno.exit(code);
