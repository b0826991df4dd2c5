import assert from "node:assert/strict";
import { parseLog, recentChanges, renderHistory } from "../../src/git/history.ts";
import { createPyRepo } from "../support/pyrepo.ts";

Deno.test("recentChanges: newest first, limited, renames detected across the given paths, tests excluded", async () => {
  const repo = await createPyRepo({
    files: { "src/a.py": "A = 1\n", "tests/test_a.py": "def test_a():\n    pass\n" },
    commits: [
      { message: "Change A", files: { "src/a.py": "A = 2\n", "tests/test_a.py": "def test_a():\n    assert 1\n" } },
      { message: "Move a to b", files: { "src/a.py": null, "src/b.py": "A = 2\n" }, date: "2024-02-03T04:05:06Z" },
      { message: "Docs only", files: { "README.md": "hi\n" } },
    ],
  });
  try {
    const commits = await recentChanges(repo.dir, ["src/a.py", "src/b.py"], { maxCommits: 2, exclude: ["tests"] });
    assert.deepEqual(commits.map((c) => [c.subject, c.date, c.author]), [
      ["Move a to b", "2024-02-03", "Test Author"],
      ["Change A", "2024-01-01", "Test Author"],
    ]);
    assert.match(commits[0].patch, /rename from src\/a\.py\nrename to src\/b\.py/);
    assert.match(commits[1].patch, /-A = 1\n\+A = 2/);
    assert.doesNotMatch(commits[1].patch, /tests\/test_a\.py/);
    assert.match(commits[0].sha, /^[0-9a-f]{40}$/);

    const rendered = renderHistory(commits);
    assert.match(
      rendered,
      /^commit [0-9a-f]{7} 2024-02-03 Test Author: Move a to b\ndiff --git a\/src\/a\.py b\/src\/b\.py/,
    );
    assert.doesNotMatch(rendered, /^index /m);

    assert.deepEqual(await recentChanges(repo.dir, ["src/b.py"], { maxCommits: 0 }), []);
  } finally {
    await repo.cleanup();
  }
});

Deno.test("recentChanges: no history is an empty list, not an error", async () => {
  const dir = await Deno.makeTempDir({ prefix: "sentries-nogit-" });
  try {
    assert.deepEqual(await recentChanges(dir, ["x.py"], { maxCommits: 3 }), []);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("renderHistory: long file diffs are cut per file", () => {
  const patch = ["diff --git a/x.py b/x.py", "index 1..2 100644", "--- a/x.py", "+++ b/x.py", "@@ -1,50 +1,50 @@"]
    .concat(Array.from({ length: 50 }, (_, i) => `+line ${i}`)).join("\n");
  const [commit] = parseLog(`\x1e${"f".repeat(40)}\x1ffffffff\x1f2024-01-01\x1fA\x1fsubject\x1f\n\n${patch}\n`);
  const rendered = renderHistory([commit], 10).split("\n");
  assert.equal(rendered[0], "commit fffffff 2024-01-01 A: subject");
  assert.equal(rendered.length, 12);
  assert.equal(rendered[11], "... (44 more diff lines cut)");
});
