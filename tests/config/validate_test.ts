/**
 * All configuration is checked when it is loaded (before pytest and any model call): guard limits name their
 * table, `.env` typos are errors like pyproject typos, and the files are read at the repository root.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { loadConfig } from "../../src/config/load.ts";
import { ConfigError } from "../../src/errors.ts";
import { runGitIn } from "../support/pyrepo.ts";

async function dirWith(files: Record<string, string>): Promise<string> {
  const dir = await Deno.realPath(await Deno.makeTempDir({ prefix: "sentries-config-" }));
  for (const [name, text] of Object.entries(files)) {
    await Deno.mkdir(join(dir, name, ".."), { recursive: true });
    await Deno.writeTextFile(join(dir, name), text);
  }
  return dir;
}

const noEnv = () => undefined;

async function rejection(dir: string, env: (n: string) => string | undefined = noEnv): Promise<ConfigError> {
  try {
    await loadConfig({ repoPath: dir, env });
  } catch (err) {
    assert.ok(err instanceof ConfigError, `expected ConfigError, got ${err}`);
    return err;
  }
  throw new Error("expected the configuration to be refused");
}

Deno.test("a guard limit above the hard limit fails at load time and names [tool.sentries.tests]", async () => {
  const dir = await dirWith({ "pyproject.toml": "[tool.sentries.tests]\nmax_changed_lines = 5000\n" });
  try {
    const err = await rejection(dir);
    assert.equal(err.exitCode, 2);
    assert.match(err.message, /pyproject\.toml \[tool\.sentries\.tests\] max_changed_lines = 5000 exceeds the hard/);
    assert.doesNotMatch(err.message, /\[tool\.sentries\] max_changed_lines/);
    assert.match(err.hint ?? "", /at most 200/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("docs guard limits are checked too, and limits at or below the hard ones load", async () => {
  const bad = await dirWith({ "pyproject.toml": "[tool.sentries.docs]\nmax_files = 6\n" });
  const good = await dirWith({
    "pyproject.toml": "[tool.sentries.tests]\nmax_changed_lines = 200\nmax_files = 5\n[tool.sentries.docs]\n" +
      "max_files = 1\n",
  });
  try {
    assert.match((await rejection(bad)).message, /\[tool\.sentries\.docs\] max_files = 6 exceeds/);
    const c = await loadConfig({ repoPath: good, env: noEnv });
    assert.equal(c.guards.tests.maxChangedLines, 200);
  } finally {
    await Deno.remove(bad, { recursive: true });
    await Deno.remove(good, { recursive: true });
  }
});

Deno.test("an unknown SENTRIES_* key in .env is an error with a suggestion; other tools' keys are left alone", async () => {
  const typo = await dirWith({ ".env": "SENTRIES_LLM_TIMOUT=5\n" });
  const unknown = await dirWith({ ".env": "SENTRIES_COLOUR_SCHEME=dark\n" });
  const others = await dirWith({ ".env": "DATABASE_URL=postgres://x\nSENTRIES_LLM_TIMEOUT=5\nGH_TOKEN=t\n" });
  try {
    const err = await rejection(typo);
    assert.equal(err.exitCode, 2);
    assert.match(err.message, /\.env: unknown setting SENTRIES_LLM_TIMOUT/);
    assert.match(err.hint ?? "", /did you mean SENTRIES_LLM_TIMEOUT\?/);
    assert.match((await rejection(unknown)).message, /unknown setting SENTRIES_COLOUR_SCHEME/);
    const c = await loadConfig({ repoPath: others, env: noEnv });
    assert.equal(c.llmTimeoutSec, 5);
  } finally {
    for (const d of [typo, unknown, others]) await Deno.remove(d, { recursive: true });
  }
});

Deno.test("GITHUB_REPOSITORY that is not owner/name fails at load time, naming its source", async () => {
  const dir = await dirWith({ ".env": "GITHUB_REPOSITORY=just-a-name\n" });
  try {
    const err = await rejection(dir);
    assert.match(err.message, /"just-a-name" for .*\.env GITHUB_REPOSITORY/);
    const ok = await loadConfig({ repoPath: dir, env: (n) => n === "GITHUB_REPOSITORY" ? "octo/shop" : undefined });
    assert.equal(ok.githubRepository, "octo/shop");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a run started in a subfolder reads pyproject.toml and .env at the repository root", async () => {
  const dir = await dirWith({
    "pyproject.toml": '[tool.sentries]\nmodel_plan = "root-planner"\n',
    ".env": "SENTRIES_MAX_ATTEMPTS=2\n",
    "pkg/sub/__init__.py": "",
  });
  try {
    await runGitIn(dir, ["init", "-q"]);
    const c = await loadConfig({ repoPath: join(dir, "pkg", "sub"), env: noEnv });
    assert.equal(c.modelPlan, "root-planner");
    assert.equal(c.maxAttempts, 2);
    assert.equal(c.sources.modelPlan, `${join(dir, "pyproject.toml")} [tool.sentries] model_plan`);
    // A bad value at the root is found from the subfolder too.
    await Deno.writeTextFile(join(dir, ".env"), "SENTRIES_MAX_ATTEMPTS=0\n");
    assert.match((await rejection(join(dir, "pkg"))).message, /\.env SENTRIES_MAX_ATTEMPTS: must be at least 1/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("outside any repository the given folder's own files are read", async () => {
  const dir = await dirWith({ "pyproject.toml": '[tool.sentries]\nmodel_plan = "here"\n' });
  try {
    assert.equal((await loadConfig({ repoPath: dir, env: noEnv })).modelPlan, "here");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("worktree_dir: a relative path or a missing folder stops at load time, naming the setting's source", async () => {
  const dir = await dirWith({ "pyproject.toml": '[tool.sentries]\nworktree_dir = "scratch"\n' });
  try {
    const relative = await rejection(dir);
    assert.equal(relative.exitCode, 2);
    assert.match(relative.message, /"scratch" for .*pyproject\.toml \[tool\.sentries\] worktree_dir: not an absolute/);
    assert.match(relative.hint ?? "", /auto, temp, or an absolute path/);
    const missing = join(dir, "no-such-folder");
    const gone = await rejection(dir, (n) => n === "SENTRIES_WORKTREE_DIR" ? missing : undefined);
    assert.match(gone.message, /for environment variable SENTRIES_WORKTREE_DIR: no such folder/);
    await Deno.writeTextFile(join(dir, "a-file"), "");
    const file = await rejection(dir, (n) => n === "SENTRIES_WORKTREE_DIR" ? join(dir, "a-file") : undefined);
    assert.match(file.message, /no such folder/); // a file is not a folder to make worktrees in
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("worktree_dir: /dev/shm, anything under /dev, /proc or /sys, and a link there stop at load time", async () => {
  const dir = await dirWith({});
  try {
    await Deno.symlink("/dev/shm", join(dir, "shm-link"));
    for (const value of ["/dev/shm", "/dev/shm/sentries", "/proc/self/cwd", "/sys/fs", join(dir, "shm-link")]) {
      const err = await rejection(dir, (n) => n === "SENTRIES_WORKTREE_DIR" ? value : undefined);
      assert.equal(err.exitCode, 2, value);
      assert.match(
        err.message,
        /cannot read or write files under \/dev, \/proc, \/sys \(its runtime, Deno, refuses/,
        value,
      );
      assert.match(err.hint ?? "", /XDG_RUNTIME_DIR/);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("worktree_dir: auto (the default), temp and an existing absolute folder are accepted as given", async () => {
  const dir = await dirWith({});
  try {
    assert.equal((await loadConfig({ repoPath: dir, env: noEnv })).worktreeDir, "auto");
    for (const value of ["temp", "auto", dir]) {
      const config = await loadConfig({ repoPath: dir, env: (n) => n === "SENTRIES_WORKTREE_DIR" ? value : undefined });
      assert.equal(config.worktreeDir, value);
      assert.equal(config.sources.worktreeDir, "environment variable SENTRIES_WORKTREE_DIR");
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
