/** Temp repositories on the real filesystem for patch tests. */
import { dirname, join } from "node:path";

export interface TempRepo {
  /** Holds `repo/` and `outside/` side by side. */
  root: string;
  repo: string;
  outside: string;
  [Symbol.asyncDispose](): Promise<void>;
}

export async function makeTempRepo(
  files: Record<string, string>,
  symlinks: Record<string, string> = {},
): Promise<TempRepo> {
  const root = await Deno.makeTempDir({ prefix: "sentries-patch-" });
  const repo = join(root, "repo");
  const outside = join(root, "outside");
  await Deno.mkdir(repo);
  await Deno.mkdir(outside);
  await Deno.writeTextFile(join(outside, "secret.txt"), "secret\n");
  await writeFiles(repo, files);
  for (const [link, target] of Object.entries(symlinks)) {
    await Deno.mkdir(dirname(join(repo, link)), { recursive: true });
    await Deno.symlink(target, join(repo, link));
  }
  return {
    root,
    repo,
    outside,
    async [Symbol.asyncDispose]() {
      await Deno.remove(root, { recursive: true });
    },
  };
}

export async function writeFiles(base: string, files: Record<string, string>): Promise<void> {
  for (const [path, content] of Object.entries(files)) {
    await Deno.mkdir(dirname(join(base, path)), { recursive: true });
    await Deno.writeTextFile(join(base, path), content);
  }
}

/** Every file, folder (`name/`) and link below `dir` (links recorded by their target, not followed). */
export async function snapshot(dir: string): Promise<Record<string, string>> {
  const result: Record<string, string> = {};
  async function walk(current: string, prefix: string): Promise<void> {
    for await (const entry of Deno.readDir(current)) {
      const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
      const full = join(current, entry.name);
      if (entry.isSymlink) result[rel] = `-> ${await Deno.readLink(full)}`;
      else if (entry.isDirectory) {
        result[`${rel}/`] = "(folder)";
        await walk(full, rel);
      } else result[rel] = await Deno.readTextFile(full);
    }
  }
  await walk(dir, "");
  return result;
}
