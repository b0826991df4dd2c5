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
import { fileURLToPath } from "node:url";
import { startStandIn, type StandIn } from "../tests/support/standin_llm.ts";
import { demoReply } from "../examples/demo/standin_script.ts";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const keep = Deno.args.includes("--keep");

async function git(dir: string, ...args: string[]): Promise<string> {
  const out = await new Deno.Command("git", {
    args: ["-c", "user.name=Demo Developer", "-c", "user.email=dev@example.invalid", "-c", "commit.gpgsign=false", ...args],
    cwd: dir,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(out.stdout);
  if (!out.success) throw new Error(`git ${args.join(" ")}: ${new TextDecoder().decode(out.stderr)}`);
  return text;
}

async function copyDir(from: string, to: string): Promise<void> {
  await Deno.mkdir(to, { recursive: true });
  for await (const entry of Deno.readDir(from)) {
    if (entry.name === "__pycache__" || entry.name === ".pytest_cache") continue;
    const src = join(from, entry.name);
    const dst = join(to, entry.name);
    if (entry.isDirectory) await copyDir(src, dst);
    else if (entry.isFile) await Deno.copyFile(src, dst);
  }
}

async function ollamaAnswers(base: string): Promise<boolean> {
  try {
    const res = await fetch(`${base}/api/version`, { signal: AbortSignal.timeout(1500) });
    await res.body?.cancel();
    return res.ok;
  } catch {
    return false;
  }
}

function say(text: string) {
  console.log(`\x1b[1m${text}\x1b[0m`);
}

const repo = await Deno.makeTempDir({ prefix: "sentries-demo-" });
let standIn: StandIn | undefined;
let code = 1;
try {
  say(`1. A sample project with passing tests, then a source change that breaks two of them (${repo})`);
  await copyDir(join(ROOT, "examples/sample-project"), repo);
  await git(repo, "init", "-q", "-b", "main");
  await git(repo, "add", "-A");
  await git(repo, "commit", "-q", "-m", "Add the shop package and its tests");
  await git(repo, "apply", join(ROOT, "examples/demo/rename.patch"));
  await git(repo, "commit", "-q", "-am", "Rename cart_total to order_total; receipts say 'Total: … EUR'");
  console.log((await git(repo, "log", "--oneline")).trimEnd());

  const base = Deno.env.get("LLM_BASE") ?? "http://127.0.0.1:11434";
  let llmBase = base;
  if (await ollamaAnswers(base)) {
    say(`2. Using the model server at ${base} (MODEL_PLAN / MODEL_PATCH as configured)`);
  } else {
    standIn = await startStandIn({ reply: (req) => demoReply(req) });
    llmBase = standIn.url;
    say(`2. No Ollama at ${base}; using the scripted stand-in model server at ${llmBase}`);
  }

  say("3. sentries tests");
  const config = JSON.parse(await Deno.readTextFile(join(ROOT, "deno.json")));
  const flags = (config.tasks.sentries as string).split(/\s+/).slice(2, -1);
  const env: Record<string, string> = { LLM_BASE: llmBase };
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", ...flags, "--config", join(ROOT, "deno.json"), join(ROOT, "main.ts"), "tests", "-C", repo],
    env,
    stdout: "inherit",
    stderr: "inherit",
  }).spawn();
  code = (await child.status).code;

  say("4. What it left behind");
  console.log((await git(repo, "branch", "--list", "ai-test-fixes/*")).trimEnd() || "(no branch)");
  const branch = (await git(repo, "branch", "--list", "--format=%(refname:short)", "ai-test-fixes/*")).trim();
  if (branch) {
    console.log((await git(repo, "show", "--stat", "--format=%an <%ae>%n%s%n%n%b", branch)).trimEnd());
    console.log((await git(repo, "diff", "main", branch, "--", "tests")).trimEnd());
  }
  console.log(`working tree of main untouched: ${(await git(repo, "status", "--porcelain")).trim() === "" ? "yes" : "NO"}`);
} finally {
  await standIn?.close();
  if (keep) console.log(`kept ${repo}`);
  else await Deno.remove(repo, { recursive: true });
}
Deno.exit(code);
