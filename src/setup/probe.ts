/**
 * The one seam through which setup and `models` read the machine: OS,
 * architecture, memory, free disk and the home directory. The real probe asks
 * Deno (the permission set grants sys: osRelease, systemMemoryInfo, homedir,
 * statfs); tests pass a probe with fixed readings instead of patching globals.
 */
import { statfs } from "node:fs/promises";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import { readEnv } from "../env.ts";

export interface SystemProbe {
  /** Deno.build.os: "linux", "darwin", "windows", … */
  os: string;
  arch: string;
  /** Kernel or OS release, when readable. */
  osRelease(): string | undefined;
  /** Total and currently available memory in bytes. */
  memory(): { totalBytes: number; availableBytes: number };
  /** Free bytes (for an unprivileged user) on the file system holding `path` or its nearest existing parent. */
  freeDiskBytes(path: string): Promise<number>;
  homeDir(): string | undefined;
  /** An environment variable (OLLAMA_MODELS, …), read through the same seam. */
  env(name: string): string | undefined;
}

async function nearestExisting(path: string): Promise<string> {
  let current = path;
  while (true) {
    try {
      await Deno.stat(current);
      return current;
    } catch (err) {
      if (!(err instanceof Deno.errors.NotFound)) throw err;
      const parent = dirname(current);
      if (parent === current) return current;
      current = parent;
    }
  }
}

export const realSystemProbe: SystemProbe = {
  os: Deno.build.os,
  arch: Deno.build.arch,
  osRelease() {
    try {
      return Deno.osRelease();
    } catch {
      return undefined;
    }
  },
  memory() {
    const info = Deno.systemMemoryInfo();
    return { totalBytes: info.total, availableBytes: info.available };
  },
  async freeDiskBytes(path: string) {
    const stats = await statfs(await nearestExisting(path));
    return stats.bavail * stats.bsize;
  },
  homeDir() {
    try {
      return homedir() || undefined;
    } catch {
      return undefined;
    }
  },
  env: readEnv,
};

/** Where Ollama keeps models on this machine: OLLAMA_MODELS, else ~/.ollama/models. */
export function ollamaModelsDir(probe: SystemProbe): string | undefined {
  const configured = probe.env("OLLAMA_MODELS");
  if (configured) return configured;
  const home = probe.homeDir();
  return home ? join(home, ".ollama", "models") : undefined;
}
