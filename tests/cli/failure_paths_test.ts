/**
 * Failure paths as users on CI runners meet them, through the real CLI: each
 * must end in `error: …` + `hint: …` that names the cause and the fix, with the
 * right exit code and no stack trace, and never in a false "nothing to do".
 */
import assert from "node:assert/strict";
import { runCli } from "../support/cli.ts";
import { createPyRepo } from "../support/pyrepo.ts";

const FAILING_REPO = {
  "calc.py": "def add(a, b):\n    return a + b\n",
  "tests/test_calc.py": "from calc import add\n\n\ndef test_add():\n    assert add(1, 2) == 4\n",
};

function assertNoStack(stderr: string): void {
  assert.doesNotMatch(stderr, /\bat .*\.ts:\d+/);
}

Deno.test("tests: a pytest command that is not pytest is an error, not 'all 0 tests pass'", async () => {
  const repo = await createPyRepo({ files: FAILING_REPO });
  try {
    const r = await runCli(["tests", "--dry-run"], {
      cwd: repo.dir,
      env: { SENTRIES_PYTEST_COMMAND: "python3 -m nonexistent" },
    });
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.doesNotMatch(r.stdout, /nothing to fix/);
    assert.match(r.stderr, /error: pytest wrote no test report/);
    assert.match(r.stderr, /No module named nonexistent/);
    assert.match(r.stderr, /hint: .*SENTRIES_PYTEST_COMMAND/);
    assertNoStack(r.stderr);
  } finally {
    await repo.cleanup();
  }
});

Deno.test("tests: a pytest timeout names the setting to raise", async () => {
  const repo = await createPyRepo({
    files: { "tests/test_slow.py": "import time\n\n\ndef test_slow():\n    time.sleep(20)\n" },
  });
  try {
    const r = await runCli(["tests", "--dry-run"], { cwd: repo.dir, env: { SENTRIES_PYTEST_TIMEOUT: "1" } });
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /error: pytest did not finish in time/);
    assert.match(r.stderr, /hint: .*SENTRIES_PYTEST_TIMEOUT/);
    assertNoStack(r.stderr);
  } finally {
    await repo.cleanup();
  }
});
