/** Fakes for the setup seams: machine readings, the terminal, and the Ollama launcher. */
import { LiveLines } from "../../src/term.ts";
import type { Config } from "../../src/config/load.ts";
import { loadConfig } from "../../src/config/load.ts";
import { createLlmClient, type LlmClient } from "../../src/llm/mod.ts";
import type { SetupConsole } from "../../src/setup/console.ts";
import type { OllamaLauncher } from "../../src/setup/ollama.ts";
import type { SystemProbe } from "../../src/setup/probe.ts";

export const GIB = 1024 ** 3;

export interface FakeProbe extends SystemProbe {
  /** Paths freeDiskBytes was asked about. */
  diskQueries: string[];
}

export function fakeProbe(readings: {
  os?: string;
  totalGiB?: number;
  availableGiB?: number;
  freeDiskGiB?: number;
  home?: string;
  env?: Record<string, string>;
  diskError?: Error;
} = {}): FakeProbe {
  const diskQueries: string[] = [];
  return {
    os: readings.os ?? "linux",
    arch: "x86_64",
    osRelease: () => "6.1.0-test",
    memory: () => ({
      totalBytes: (readings.totalGiB ?? 32) * GIB,
      availableBytes: (readings.availableGiB ?? readings.totalGiB ?? 32) * GIB,
    }),
    freeDiskBytes: (path: string) => {
      diskQueries.push(path);
      return readings.diskError
        ? Promise.reject(readings.diskError)
        : Promise.resolve((readings.freeDiskGiB ?? 500) * GIB);
    },
    homeDir: () => readings.home ?? "/home/tester",
    env: (name: string) => readings.env?.[name],
    diskQueries,
  };
}

export interface RecordingConsole extends SetupConsole {
  stdout: string[];
  stderr: string[];
  questions: string[];
  text(): string;
}

/** A console that records everything; `answers` are given to questions in order (default: no). */
export function recordingConsole(options: { interactive?: boolean; answers?: boolean[] } = {}): RecordingConsole {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const questions: string[] = [];
  const answers = [...(options.answers ?? [])];
  const interactive = options.interactive ?? false;
  // A clock that jumps a second per reading, so every progress update is drawn.
  let tick = 0;
  const now = () => (tick += 1000);
  return {
    stdout,
    stderr,
    questions,
    interactive,
    out: (t) => stdout.push(t),
    err: (t) => stderr.push(t),
    confirm: (q) => {
      if (!interactive) throw new Error(`asked "${q}" without a terminal`);
      questions.push(q);
      return answers.shift() ?? false;
    },
    liveLines: () => new LiveLines({ interactive, write: (t) => stderr.push(t), now }),
    text: () => stdout.join(""),
  };
}

export interface FakeLauncher extends OllamaLauncher {
  starts: Array<{ host: string; logFile: string }>;
}

/** An Ollama launcher: `version` undefined = not on PATH; `onStart` plays the server starting. */
export function fakeLauncher(version: string | undefined, onStart?: (host: string) => Promise<void>): FakeLauncher {
  const starts: Array<{ host: string; logFile: string }> = [];
  return {
    starts,
    clientVersion: () => Promise.resolve(version),
    async startServer(options) {
      starts.push(options);
      await onStart?.(options.host);
      return 4242;
    },
  };
}

/** A client with 1 ms retry delays, so resume tests stay fast. */
export function fastClient(baseUrl: string): LlmClient {
  return createLlmClient({ baseUrl, retryBaseDelayMs: 1 });
}

export async function configFor(repoPath: string, env: Record<string, string> = {}): Promise<Config> {
  return await loadConfig({ repoPath, env: (name) => env[name] });
}
