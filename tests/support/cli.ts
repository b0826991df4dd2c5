/**
 * Starts the real CLI as a child process exactly the way `deno task sentries`
 * does (same permission set, `--no-prompt`), so tests see what users see.
 */
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const PROJECT_ROOT = fileURLToPath(new URL("../../", import.meta.url));

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** The flags of `deno task sentries`, read from deno.json so the two cannot drift apart. */
export async function sentriesTaskFlags(): Promise<string[]> {
  const config = JSON.parse(await Deno.readTextFile(join(PROJECT_ROOT, "deno.json")));
  const task: string = config.tasks.sentries;
  const parts = task.split(/\s+/);
  if (parts[0] !== "deno" || parts[1] !== "run" || parts[parts.length - 1] !== "main.ts") {
    throw new Error(`unexpected sentries task: ${task}`);
  }
  return parts.slice(2, -1);
}

export interface RunCliOptions {
  cwd?: string;
  /** Added to a minimal environment (PATH, HOME, NO_COLOR, a closed LLM_BASE, PYENV_ROOT, DENO_DIR, TMPDIR). */
  env?: Record<string, string>;
  stdin?: string;
  signal?: AbortSignal;
}

function cliEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {
    PATH: Deno.env.get("PATH") ?? "",
    HOME: Deno.env.get("HOME") ?? "",
    NO_COLOR: "1",
    // Keep a developer's own settings out of the tests.
    LLM_BASE: "http://127.0.0.1:9",
    ...extra,
  };
  for (const name of ["PYENV_ROOT", "DENO_DIR", "TMPDIR"]) {
    const v = Deno.env.get(name);
    if (v !== undefined && env[name] === undefined) env[name] = v;
  }
  return env;
}

/** Starts the CLI and hands back the child, for tests that signal it mid-run. */
export async function spawnCli(args: string[], options: RunCliOptions = {}): Promise<Deno.ChildProcess> {
  const flags = await sentriesTaskFlags();
  return new Deno.Command(Deno.execPath(), {
    args: ["run", ...flags, "--config", join(PROJECT_ROOT, "deno.json"), join(PROJECT_ROOT, "main.ts"), ...args],
    cwd: options.cwd ?? PROJECT_ROOT,
    env: cliEnv(options.env),
    clearEnv: true,
    stdin: options.stdin === undefined ? "null" : "piped",
    stdout: "piped",
    stderr: "piped",
    signal: options.signal,
  }).spawn();
}

export async function runCli(args: string[], options: RunCliOptions = {}): Promise<CliResult> {
  const child = await spawnCli(args, options);
  if (options.stdin !== undefined) {
    const w = child.stdin.getWriter();
    await w.write(new TextEncoder().encode(options.stdin));
    await w.close();
  }
  const out = await child.output();
  const dec = new TextDecoder();
  return {
    code: out.code,
    stdout: dec.decode(out.stdout),
    // Deno warns that config-file permissions are experimental; that is not ours to show.
    stderr: dec.decode(out.stderr).split("\n").filter((l) => !l.includes("experimental feature")).join("\n"),
  };
}
