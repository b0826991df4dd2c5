/** Path guards against the real filesystem: symlinked files and folders, made with Deno.symlink. */
import assert from "node:assert/strict";
import { join } from "node:path";
import { checkRealPath } from "../../src/patch/guard_fs.ts";
import { checkPathSyntax } from "../../src/patch/guard_paths.ts";
import { defaultPolicy, preparePatch, writeChanges } from "../../src/patch/mod.ts";
import { makeTempRepo, snapshot } from "./helpers.ts";

Deno.test("checkPathSyntax table", () => {
  const cases: Array<[string, string | undefined]> = [
    ["tests/test_a.py", undefined],
    ["tests/a b/é.md", undefined],
    ["", "guard.path_invalid"],
    ["/etc/passwd", "guard.path_absolute"],
    ["~/.bashrc", "guard.path_absolute"],
    ["C:/Windows/x", "guard.path_absolute"],
    ["tests/../src/x.py", "guard.path_traversal"],
    ["..", "guard.path_traversal"],
    ["tests//x.py", "guard.path_invalid"],
    ["tests/./x.py", "guard.path_invalid"],
    ["tests\\..\\x.py", "guard.path_invalid_char"],
    ["tests/a\u0000.py", "guard.path_control_char"],
    ["tests/a\u001b[31m.py", "guard.path_control_char"],
    ["tests/.git/config", "guard.git_path"],
    [".GIT/config", "guard.git_path"],
    ["tests/.gitignore", undefined],
  ];
  for (const [path, code] of cases) {
    assert.equal(checkPathSyntax(path)[0]?.code, code, JSON.stringify(path));
  }
});

Deno.test("checkRealPath: symlinked files and folders", async () => {
  await using temp = await makeTempRepo(
    { "tests/real/test_a.py": "x = 1\n", "docs/a.md": "a\n", ".git/config": "[core]\n", "tests/file.txt": "f\n" },
    {
      "tests/ext": "../../outside",
      "tests/alias": "real",
      "tests/todocs": "../docs",
      "tests/togit": "../.git",
      "tests/dangling": "nowhere/at/all",
      "tests/link.py": "real/test_a.py",
    },
  );
  const allow = defaultPolicy("tests").allow;
  const cases: Array<[path: string, code: string | undefined, exists: boolean]> = [
    ["tests/real/test_a.py", undefined, true],
    ["tests/real/new/deep.py", undefined, false],
    ["tests/alias/test_a.py", undefined, true], // a link that stays inside the allowlist is fine
    ["tests/ext/secret.txt", "guard.symlink_escape", false],
    ["tests/ext/new.txt", "guard.symlink_escape", false],
    ["tests/todocs/a.md", "guard.path_outside_allowlist", false],
    ["tests/togit/config", "guard.git_path", false],
    ["tests/dangling/x.py", "guard.symlink_escape", false],
    ["tests/link.py", "guard.symlink_target", false],
    ["tests/real", "guard.not_a_file", false],
    ["tests/file.txt/x.py", "guard.not_a_directory", false],
  ];
  for (const [path, code, exists] of cases) {
    const check = await checkRealPath(temp.repo, path, allow);
    assert.equal(check.problems[0]?.code, code, path);
    if (code === undefined) assert.equal(check.exists, exists, path);
  }
  // The repository itself reached through a symlink still works.
  await Deno.symlink(temp.repo, join(temp.root, "repo-link"));
  assert.deepEqual((await checkRealPath(join(temp.root, "repo-link"), "tests/real/test_a.py", allow)).problems, []);
});

Deno.test("preparePatch + writeChanges through an in-allowlist symlinked folder writes the real file", async () => {
  await using temp = await makeTempRepo({ "tests/real/notes.txt": "one\n" }, { "tests/alias": "real" });
  const prepared = await preparePatch(
    "--- a/tests/alias/notes.txt\n+++ b/tests/alias/notes.txt\n@@ -1 +1 @@\n-one\n+two\n",
    { repoRoot: temp.repo, policy: defaultPolicy("tests") },
  );
  assert.equal(prepared.kind, "ok");
  if (prepared.kind !== "ok") return;
  await writeChanges(temp.repo, prepared.changes);
  const after = await snapshot(temp.repo);
  assert.equal(after["tests/real/notes.txt"], "two\n");
  assert.equal(after["tests/alias"], "-> real");
});
