/**
 * The model-style diff corpus: every case runs through preparePatch on a real temporary
 * repository, and accepted ones through writeChanges; disk contents are compared exactly.
 */
import assert from "node:assert/strict";
import { defaultPolicy, preparePatch, writeChanges } from "../../src/patch/mod.ts";
import { runProgram } from "../../src/proc/run.ts";
import { BASE_FILES, CORPUS } from "./corpus/mod.ts";
import { makeTempRepo, snapshot } from "./helpers.ts";

Deno.test("the corpus has at least 40 cases with unique names", () => {
  assert.ok(CORPUS.length >= 40, `only ${CORPUS.length} cases`);
  assert.equal(new Set(CORPUS.map((c) => c.name)).size, CORPUS.length);
});

async function gitApplyCheck(repo: string, diff: string): Promise<void> {
  const result = await runProgram("git", ["apply", "--check", "--verbose", "-"], { cwd: repo, stdin: diff });
  assert.equal(result.code, 0, `git apply --check refused the canonical diff:\n${result.stderr}\n${diff}`);
}

for (const testCase of CORPUS) {
  Deno.test(`corpus: ${testCase.name}`, async () => {
    await using temp = await makeTempRepo({ ...BASE_FILES, ...testCase.files }, testCase.symlinks);
    const before = await snapshot(temp.root);
    const prepared = await preparePatch(testCase.answer, {
      repoRoot: temp.repo,
      policy: defaultPolicy(testCase.sentry ?? "tests"),
      format: testCase.format,
    });
    const expect = testCase.expect;
    if (expect.kind !== "ok") {
      if (expect.kind === "rejected") {
        assert.equal(prepared.kind, "rejected", JSON.stringify(prepared, null, 1));
        if (prepared.kind !== "rejected") return;
        const codes = [...new Set(prepared.problems.map((p) => p.code))].sort();
        assert.deepEqual(codes, [...expect.codes].sort(), JSON.stringify(prepared.problems, null, 1));
        for (const p of prepared.problems) {
          assert.ok(p.message.length > 0 && !p.message.includes("\n"), `one-line message: ${p.message}`);
        }
      } else {
        assert.equal(prepared.kind, "no_changes", JSON.stringify(prepared, null, 1));
      }
      assert.deepEqual(await snapshot(temp.root), before, "a refused patch must not touch the disk");
      return;
    }
    assert.equal(prepared.kind, "ok", JSON.stringify(prepared, null, 1));
    if (prepared.kind !== "ok") return;
    await gitApplyCheck(temp.repo, prepared.diff);
    await writeChanges(temp.repo, prepared.changes);
    const expected: Record<string, string> = { ...before };
    for (const [path, content] of Object.entries(expect.files)) {
      if (content === null) delete expected[`repo/${path}`];
      else expected[`repo/${path}`] = content;
    }
    assert.deepEqual(await snapshot(temp.root), expected);
    assert.equal(prepared.filesChanged, Object.keys(expect.files).length);
  });
}
