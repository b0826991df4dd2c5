/** Shared pieces of the demo scripts: a sample repo with history, a model server, the CLI as the task runs it. */
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type StandIn, type StandInRequest, startStandIn } from "../tests/support/standin_llm.ts";

export const ROOT = fileURLToPath(new URL("../", import.meta.url));

export async function git(dir: string, ...args: string[]): Promise<string> {
  const out = await new Deno.Command("git", {
    args: [
      "-c",
      "user.name=Demo Developer",
      "-c",
      "user.email=dev@example.invalid",
      "-c",
      "commit.gpgsign=false",
      ...args,
    ],
    cwd: dir,
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!out.success) throw new Error(`git ${args.join(" ")}: ${new TextDecoder().decode(out.stderr)}`);
  return new TextDecoder().decode(out.stdout);
}

export async function copyDir(from: string, to: string, skip: string[] = []): Promise<void> {
  await Deno.mkdir(to, { recursive: true });
  for await (const entry of Deno.readDir(from)) {
    if (["__pycache__", ".pytest_cache", ...skip].includes(entry.name)) continue;
    const src = join(from, entry.name);
    const dst = join(to, entry.name);
    if (entry.isDirectory) await copyDir(src, dst, skip);
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

export function say(text: string): void {
  console.log(`\x1b[1m${text}\x1b[0m`);
}

/** Ollama at LLM_BASE when one answers, else the scripted stand-in (and says so). */
export async function modelServer(
  reply: (req: StandInRequest) => string,
): Promise<{ url: string; standIn?: StandIn; description: string }> {
  const base = Deno.env.get("LLM_BASE") ?? "http://127.0.0.1:11434";
  if (await ollamaAnswers(base)) {
    return { url: base, description: `Using the model server at ${base} (MODEL_PLAN / MODEL_PATCH as configured)` };
  }
  const standIn = await startStandIn({ reply });
  return {
    url: standIn.url,
    standIn,
    description: `No Ollama at ${base}; using the scripted stand-in model server at ${standIn.url}`,
  };
}

/** Runs `sentries <args>` exactly as `deno task sentries` does, with the output shown live. */
export async function runSentries(args: string[], llmBase: string): Promise<number> {
  const config = JSON.parse(await Deno.readTextFile(join(ROOT, "deno.json")));
  const flags = (config.tasks.sentries as string).split(/\s+/).slice(2, -1);
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", ...flags, "--config", join(ROOT, "deno.json"), join(ROOT, "main.ts"), ...args],
    env: { LLM_BASE: llmBase },
    stdout: "inherit",
    stderr: "inherit",
  }).spawn();
  return (await child.status).code;
}
