/** --pytest-args and SENTRIES_PYTEST_ARGS split like a shell, and errors name where the value came from. */
import assert from "node:assert/strict";
import { join } from "node:path";
import { loadConfig } from "../../src/config/load.ts";
import { splitShellWords } from "../../src/config/shell_words.ts";
import { ConfigError } from "../../src/errors.ts";

Deno.test("shell words: quotes, escapes and spaces as a POSIX shell reads them", () => {
  const cases: [string, string[]][] = [
    ["-k 'receipt or pricing'", ["-k", "receipt or pricing"]],
    ['-m "not slow" -x', ["-m", "not slow", "-x"]],
    ["  -x\t-q  ", ["-x", "-q"]],
    [String.raw`-k receipt\ or\ pricing`, ["-k", "receipt or pricing"]],
    [String.raw`-k "say \"hi\" \\ \$HOME"`, ["-k", 'say "hi" \\ $HOME']],
    [String.raw`-k 'a\b'`, ["-k", String.raw`a\b`]],
    [`--deselect 'tests/t.py::test_x[1|2]' $NOT_EXPANDED *.py`, [
      "--deselect",
      "tests/t.py::test_x[1|2]",
      "$NOT_EXPANDED",
      "*.py",
    ]],
    ["-k ''", ["-k", ""]],
    ["a'b c'd", ["ab cd"]],
    ["", []],
  ];
  for (const [line, words] of cases) assert.deepEqual(splitShellWords(line), words, line);
});

Deno.test("shell words: an unclosed quote or a trailing backslash is an error that says where", () => {
  assert.throws(() => splitShellWords("-k 'receipt or"), /single quote at character 4 is never closed/);
  assert.throws(() => splitShellWords('-k "receipt'), /double quote at character 4 is never closed/);
  assert.throws(() => splitShellWords("-x \\"), /lone backslash/);
});

async function emptyRepo(): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "sentries-config-" });
  await Deno.writeTextFile(join(dir, "pyproject.toml"), "[tool.sentries]\n");
  return dir;
}

Deno.test("--pytest-args with a quoted -k expression keeps the expression in one argument", async () => {
  const dir = await emptyRepo();
  try {
    const c = await loadConfig({
      repoPath: dir,
      env: () => undefined,
      flags: { pytestArgs: { value: "-k 'receipt or pricing'", flag: "--pytest-args" } },
    });
    assert.deepEqual(c.pytestArgs, ["-k", "receipt or pricing"]);
    assert.equal(c.sources.pytestArgs, "flag --pytest-args");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("an unclosed quote names the source it came from: the flag, the variable, or the .env key", async () => {
  const dir = await emptyRepo();
  try {
    await assert.rejects(
      loadConfig({
        repoPath: dir,
        env: () => undefined,
        flags: { pytestArgs: { value: "-k 'receipt", flag: "--pytest-args" } },
      }),
      (err: unknown) =>
        err instanceof ConfigError && /flag --pytest-args/.test(err.message) &&
        !/SENTRIES_PYTEST_ARGS/.test(err.message),
    );
    await assert.rejects(
      loadConfig({ repoPath: dir, env: (n) => n === "SENTRIES_PYTEST_ARGS" ? '-m "not slow' : undefined }),
      (err: unknown) => err instanceof ConfigError && /environment variable SENTRIES_PYTEST_ARGS/.test(err.message),
    );
    await Deno.writeTextFile(join(dir, ".env"), 'SENTRIES_PYTEST_ARGS="-k \'a"\n');
    await assert.rejects(
      loadConfig({ repoPath: dir, env: () => undefined }),
      (err: unknown) => err instanceof ConfigError && /\.env SENTRIES_PYTEST_ARGS/.test(err.message),
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
