/**
 * Builds small real git repositories (python packages and their tests) in temp
 * directories, from a map of files. Every commit sets author, committer and
 * their dates explicitly, so history is the same on every machine, including
 * CI runners with no git identity.
 */
import { dirname, join } from "node:path";

export interface PyRepoCommit {
  message: string;
  /** Path → new content; `null` deletes the file (a delete plus an add of the same content reads as a rename). */
  files: Record<string, string | null>;
  /** ISO date for GIT_AUTHOR_DATE and GIT_COMMITTER_DATE; default: one minute after the previous commit. */
  date?: string;
  /** Default `Test Author <author@example.invalid>`. */
  author?: { name: string; email: string };
}

export interface PyRepoOptions {
  /** The first commit's files. */
  files: Record<string, string>;
  /** Commits made after the first, in order. */
  commits?: PyRepoCommit[];
  /** Default `initial`. */
  initialMessage?: string;
  /** Default `2024-01-01T00:00:00Z`. */
  initialDate?: string;
  /** Default `main`. */
  branch?: string;
}

export interface PyRepo {
  dir: string;
  /** Runs git in the repository with a fixed identity; returns stdout; throws with stderr on failure. */
  git(...args: string[]): Promise<string>;
  /** Writes files relative to the repository (`null` deletes) without committing. */
  write(files: Record<string, string | null>): Promise<void>;
  /** Writes the files and commits them; returns the new commit's sha. */
  commit(commit: PyRepoCommit): Promise<string>;
  cleanup(): Promise<void>;
}

export const TEST_AUTHOR = { name: "Test Author", email: "author@example.invalid" };

/** The environment for git in tests: no user config, no system config, nothing inherited that redirects git. */
export function gitTestEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {
    PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin",
    HOME: "/nonexistent",
    GIT_CONFIG_NOSYSTEM: "1",
    GIT_CONFIG_GLOBAL: "/dev/null",
    LANG: "C",
  };
  return { ...env, ...extra };
}

/** Runs git in `dir` with the isolated test environment; returns stdout, throws with stderr on failure. */
export async function runGitIn(dir: string, args: string[], env: Record<string, string> = {}): Promise<string> {
  const output = await new Deno.Command("git", {
    args,
    cwd: dir,
    env: gitTestEnv(env),
    clearEnv: true,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const decoder = new TextDecoder();
  if (output.code !== 0) {
    throw new Error(`git ${args.join(" ")} failed (${output.code}): ${decoder.decode(output.stderr)}`);
  }
  return decoder.decode(output.stdout);
}

export async function createPyRepo(options: PyRepoOptions): Promise<PyRepo> {
  const dir = await Deno.realPath(await Deno.makeTempDir({ prefix: "sentries-pyrepo-" }));
  let lastDate = Date.parse(options.initialDate ?? "2024-01-01T00:00:00Z");

  const run = (args: string[], env: Record<string, string> = {}): Promise<string> =>
    runGitIn(dir, ["-c", `user.name=${TEST_AUTHOR.name}`, "-c", `user.email=${TEST_AUTHOR.email}`, ...args], env);

  const write = async (files: Record<string, string | null>) => {
    for (const [path, content] of Object.entries(files)) {
      const full = join(dir, path);
      if (content === null) {
        await Deno.remove(full);
      } else {
        await Deno.mkdir(dirname(full), { recursive: true });
        await Deno.writeTextFile(full, content);
      }
    }
  };

  const commit = async (next: PyRepoCommit): Promise<string> => {
    await write(next.files);
    const when = next.date ? Date.parse(next.date) : lastDate + 60_000;
    lastDate = when;
    const iso = new Date(when).toISOString();
    const author = next.author ?? TEST_AUTHOR;
    await run(["add", "-A", "--", "."]);
    await run(["commit", "-q", "--allow-empty", "--no-verify", "-m", next.message], {
      GIT_AUTHOR_NAME: author.name,
      GIT_AUTHOR_EMAIL: author.email,
      GIT_COMMITTER_NAME: TEST_AUTHOR.name,
      GIT_COMMITTER_EMAIL: TEST_AUTHOR.email,
      GIT_AUTHOR_DATE: iso,
      GIT_COMMITTER_DATE: iso,
    });
    return (await run(["rev-parse", "HEAD"])).trim();
  };

  try {
    await run(["init", "-q", "-b", options.branch ?? "main"]);
    await commit({
      message: options.initialMessage ?? "initial",
      files: options.files,
      date: new Date(lastDate).toISOString(),
    });
    for (const next of options.commits ?? []) await commit(next);
  } catch (err) {
    await Deno.remove(dir, { recursive: true }).catch(() => {});
    throw err;
  }

  return {
    dir,
    git: (...args: string[]) => run(args),
    write,
    commit,
    cleanup: () => Deno.remove(dir, { recursive: true }).catch(() => {}),
  };
}

/** A one-test repository whose test expects the wrong sum, and the honest fix for it (a unified diff). */
export const WRONG_SUM_REPO = {
  "pyproject.toml": `[tool.pytest.ini_options]\npythonpath = ["."]\n`,
  "calc/__init__.py": "",
  "calc/ops.py": "def plus(a, b):\n    return a + b\n",
  "tests/test_ops.py": "from calc.ops import plus\n\n\ndef test_plus():\n    assert plus(2, 3) == 6\n",
};
export const WRONG_SUM_FIX = `--- a/tests/test_ops.py
+++ b/tests/test_ops.py
@@ -4,2 +4,2 @@
 def test_plus():
-    assert plus(2, 3) == 6
+    assert plus(2, 3) == 5
`;
