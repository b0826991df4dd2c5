import assert from "node:assert/strict";
import { runPytest } from "../../src/pytest/mod.ts";
import { createPyRepo } from "../support/pyrepo.ts";

Deno.test("runPytest: a long run says it is still running, with its limit, so CI logs never go silent", async () => {
  const repo = await createPyRepo({
    files: { "tests/test_slow.py": "import time\n\n\ndef test_slow():\n    time.sleep(1.5)\n" },
  });
  try {
    const lines: string[] = [];
    const run = await runPytest(repo.dir, {
      timeoutMs: 60_000,
      heartbeat: { everyMs: 300, write: (line) => lines.push(line) },
    });
    assert.equal(run.passed, 1);
    assert.ok(lines.length >= 2, lines.join("\n"));
    assert.match(lines[0], /^… pytest still running \(0m0\ds of at most 1m00s; SENTRIES_PYTEST_TIMEOUT\)$/);
  } finally {
    await repo.cleanup();
  }
});

Deno.test("runPytest: a quick run writes no still-running line", async () => {
  const repo = await createPyRepo({ files: { "tests/test_ok.py": "def test_ok():\n    pass\n" } });
  try {
    const lines: string[] = [];
    await runPytest(repo.dir, { heartbeat: { everyMs: 30_000, write: (line) => lines.push(line) } });
    assert.deepEqual(lines, []);
  } finally {
    await repo.cleanup();
  }
});
