/**
 * Finding and starting Ollama. The launcher is a seam (is `ollama` on PATH,
 * start `ollama serve`), so tests cover "not installed" and "installed but not
 * running" without a real Ollama. Install instructions are text only: setup
 * never downloads or runs an installer.
 */
import { join } from "node:path";
import { createLlmClient, type LlmApi } from "../llm/mod.ts";
import { describeError } from "../errors.ts";
import { ProgramNotFoundError, ProgramNotPermittedError, runProgram } from "../proc/run.ts";
import { startDetached } from "./background.ts";

export interface OllamaLauncher {
  /** The installed client's version ("" when it prints none); undefined when `ollama` is not on PATH. */
  clientVersion(): Promise<string | undefined>;
  /** Starts `ollama serve` in the background listening on `host`, logging to `logFile`; resolves with its pid. */
  startServer(options: { host: string; logFile: string }): Promise<number | undefined>;
}

export const realOllamaLauncher: OllamaLauncher = {
  async clientVersion() {
    try {
      const result = await runProgram("ollama", ["--version"], { timeoutMs: 15_000 });
      // "ollama version is 0.9.0", or "Warning: client version is 0.9.0" when no server runs.
      return /(\d+\.\d+\.\d+\S*)/.exec(result.stdout + result.stderr)?.[1] ?? "";
    } catch (err) {
      // Deno refuses a program from the allow-list that is not on PATH; both mean "not installed".
      if (err instanceof ProgramNotFoundError || err instanceof ProgramNotPermittedError) return undefined;
      throw err;
    }
  },
  startServer({ host, logFile }) {
    return startDetached("ollama", ["serve"], { logFile, env: { OLLAMA_HOST: host } });
  },
};

/** How to install Ollama on this OS, as lines to show. */
export function installInstructions(os: string): string[] {
  switch (os) {
    case "linux":
      return [
        "Install Ollama (see https://ollama.com/download/linux), for example:",
        "  curl -fsSL https://ollama.com/install.sh | sh",
        "Read the script first if you like; sentries does not download or run it for you.",
      ];
    case "darwin":
      return [
        "Install Ollama with Homebrew:  brew install ollama",
        "or download the app from https://ollama.com/download/mac",
      ];
    case "windows":
      return ["Install Ollama from https://ollama.com/download/windows"];
    default:
      return [
        `Ollama has no build for ${os}: run it on another machine and set LLM_BASE=http://HOST:11434`,
      ];
  }
}

/** How to keep the server running across reboots, for this OS. */
export function keepRunningHint(os: string): string {
  switch (os) {
    case "linux":
      return "to keep it running, use the systemd service the installer sets up: sudo systemctl enable --now ollama";
    case "darwin":
      return "to keep it running: brew services start ollama (launchd), or open the Ollama app, which starts at login";
    case "windows":
      return "to keep it running, start the Ollama app; it runs the server from the tray";
    default:
      return "to keep it running, start `ollama serve` from your init system";
  }
}

const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]", "::1", "0.0.0.0"]);

/** Whether LLM_BASE points at this machine, where setup may start Ollama and check memory and disk. */
export function isLoopback(baseUrl: string): boolean {
  try {
    return LOOPBACK.has(new URL(baseUrl).hostname);
  } catch {
    return false;
  }
}

/** OLLAMA_HOST for a server that should answer at `baseUrl`. */
export function ollamaHostFor(baseUrl: string): string {
  const url = new URL(baseUrl);
  return `${url.hostname}:${url.port || (url.protocol === "https:" ? "443" : "80")}`;
}

/** Where the background server writes its output. */
export function serveLogFile(home: string | undefined): string {
  return join(home ?? Deno.cwd(), ".ollama", "logs", "sentries-ollama-serve.log");
}

export type ServerState = { answering: true; version?: string } | { answering: false; error: string };

/** One quick look: does a model server answer at `baseUrl`? No retries. */
export async function probeServer(baseUrl: string, api: LlmApi, timeoutMs = 3_000): Promise<ServerState> {
  const client = createLlmClient({ baseUrl, api, retries: 0, connectTimeoutMs: timeoutMs });
  try {
    if (api === "openai") {
      await client.listModels();
      return { answering: true };
    }
    return { answering: true, version: await client.version() };
  } catch (err) {
    return { answering: false, error: describeError(err) };
  }
}

export interface WaitOptions {
  timeoutMs: number;
  intervalMs?: number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

/** Polls GET /api/version until it answers or the time is up; the last state either way. */
export async function waitForServer(baseUrl: string, options: WaitOptions): Promise<ServerState> {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const now = options.now ?? Date.now;
  const deadline = now() + options.timeoutMs;
  while (true) {
    const state = await probeServer(baseUrl, "ollama", 1_000);
    if (state.answering || now() >= deadline) return state;
    await sleep(options.intervalMs ?? 250);
  }
}
