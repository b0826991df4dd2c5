import assert from "node:assert/strict";
import { join } from "node:path";
import { PythonChecker } from "../../src/patch/python_checker.ts";
import { ProgramNotFoundError } from "../../src/proc/run.ts";
import { defaultPolicy, preparePatch } from "../../src/patch/mod.ts";
import { makeTempRepo } from "./helpers.ts";

const PID = "import os, sys\nprint(os.getpid())";
const timeoutMs = 30_000;

async function pidOf(checker: PythonChecker): Promise<string> {
  const r = await checker.run(PID, "", { timeoutMs });
  assert.equal(r.code, 0, r.stderr);
  return r.stdout.trim();
}

Deno.test("python checker: scripts run one after another in one process, each as `python3 -I -c` would", async () => {
  await using temp = await makeTempRepo({
    // -I: a module of the repository must not shadow the stdlib, whatever the working directory.
    "ast.py": "raise SystemExit('shadowed stdlib module was imported')\n",
    "json.py": "raise SystemExit('shadowed stdlib module was imported')\n",
    "colorsys.py": "raise SystemExit('shadowed stdlib module was imported')\n",
  });
  const checker = PythonChecker.start();
  try {
    const pid = await pidOf(checker);
    const first = await checker.run(
      "import ast, colorsys, json, os, sys\nSEEN = 1\ndata = json.load(sys.stdin)\n" +
        "print(json.dumps({'cwd': os.getcwd(), 'name': __name__, 'data': data, 'ok': bool(ast.parse('x = 1'))}))",
      JSON.stringify({ text: "é ✓ 🐍" }),
      { cwd: temp.repo, timeoutMs },
    );
    assert.equal(first.code, 0, first.stderr);
    assert.deepEqual(JSON.parse(first.stdout), {
      cwd: await Deno.realPath(temp.repo),
      name: "__main__",
      data: { text: "é ✓ 🐍" },
      ok: true,
    });
    // Fresh globals for each script: nothing of the first one is left.
    const second = await checker.run("print('SEEN' in globals())", "", { cwd: temp.repo, timeoutMs });
    assert.equal(second.stdout.trim(), "False");
    assert.equal(await pidOf(checker), pid);
  } finally {
    await checker.close();
  }
});

Deno.test("python checker: a script's exit code, exception or stderr ends only that script", async () => {
  const checker = PythonChecker.start();
  try {
    const pid = await pidOf(checker);
    const exited = await checker.run("import sys\nprint('partial')\nsys.exit(3)", "", { timeoutMs });
    assert.deepEqual([exited.code, exited.stdout.trim()], [3, "partial"]);
    const message = await checker.run("import sys\nsys.exit('bad input')", "", { timeoutMs });
    assert.deepEqual([message.code, message.stderr.trim()], [1, "bad input"]);
    const raised = await checker.run("import sys\nsys.stderr.write('note\\n')\nraise ValueError('boom')", "", {
      timeoutMs,
    });
    assert.equal(raised.code, 1);
    assert.match(raised.stderr, /^note\n/);
    assert.match(raised.stderr, /ValueError: boom/);
    assert.equal(await pidOf(checker), pid);
  } finally {
    await checker.close();
  }
});

Deno.test("python checker: a timeout, a crash or stray output costs a fresh process, not a wrong answer", async () => {
  const checker = PythonChecker.start();
  try {
    const first = await pidOf(checker);
    const hung = await checker.run("while True:\n    pass", "", { timeoutMs: 300 });
    assert.deepEqual([hung.timedOut, hung.code], [true, -1]);
    const second = await pidOf(checker);
    assert.notEqual(second, first);

    const crashed = await checker.run("import os, sys\nsys.stderr.flush()\nos._exit(7)", "", { timeoutMs });
    assert.deepEqual([crashed.code, crashed.timedOut], [7, false]);
    const third = await pidOf(checker);
    assert.notEqual(third, second);

    // Written past the captured stdout: the process's replies cannot be trusted any more.
    const stray = await checker.run("import os\nos.write(1, b'not json\\n')", "", { timeoutMs });
    assert.equal(stray.code, 1);
    assert.match(stray.stderr, /unreadable reply .*not json/);
    assert.notEqual(await pidOf(checker), third);
  } finally {
    await checker.close();
  }
});

Deno.test("python checker: a missing python is thrown by run; a closed checker runs nothing", async () => {
  const missing = PythonChecker.start({ python: join("/nonexistent", "python3") });
  await assert.rejects(missing.run(PID, "", { timeoutMs }), ProgramNotFoundError);
  await missing.close();
  const closed = PythonChecker.start();
  await pidOf(closed);
  await closed.close();
  await assert.rejects(closed.run(PID, "", { timeoutMs }), /closed/);
});

Deno.test("preparePatch runs its Python checks on the run's checker when it is given one", async () => {
  await using temp = await makeTempRepo({ "tests/test_a.py": "def test_a():\n    assert 1 == 1\n" });
  const answer = "tests/test_a.py\n```python\ndef test_a(:\n    assert 1 == 1\n```\n";
  const checker = PythonChecker.start();
  const own = await preparePatch(answer, { repoRoot: temp.repo, policy: defaultPolicy("tests"), format: "whole" });
  const shared = await preparePatch(answer, {
    repoRoot: temp.repo,
    policy: defaultPolicy("tests"),
    format: "whole",
    checker,
  });
  assert.equal(own.kind, "rejected");
  assert.deepEqual(shared, own);
  if (shared.kind === "rejected") {
    assert.ok(shared.problems.some((p) => p.code === "python.syntax_error"), JSON.stringify(shared.problems));
  }
  // The checker is the one used: once it is closed, the checks say Python is unavailable.
  await checker.close();
  const after = await preparePatch(answer, {
    repoRoot: temp.repo,
    policy: defaultPolicy("tests"),
    format: "whole",
    checker,
  });
  assert.equal(after.kind, "rejected");
  if (after.kind === "rejected") {
    assert.deepEqual([...new Set(after.problems.map((p) => p.code))], ["python.unavailable"]);
  }
});

Deno.test("python checker: a script compiled ahead runs only when asked, and one that does not compile fails then", async () => {
  const marker = join(await Deno.makeTempDir(), "ran");
  const script = `open(${JSON.stringify(marker)}, "a").write("x")\nprint("done")`;
  const broken = "def broken(:\n    pass";
  const checker = PythonChecker.start({ prepare: [script, broken] });
  try {
    const pid = await pidOf(checker); // queued after both compilations: they are done by now
    assert.equal(await Deno.stat(marker).then(() => true, () => false), false, "compiling does not run it");
    const ran = await checker.run(script, "", { timeoutMs });
    assert.equal(ran.code, 0, ran.stderr);
    assert.equal(ran.stdout.trim(), "done");
    assert.equal(await Deno.readTextFile(marker), "x", "it ran once, when asked");
    const failed = await checker.run(broken, "", { timeoutMs });
    assert.equal(failed.code, 1);
    assert.match(failed.stderr, /SyntaxError/);
    assert.equal(await pidOf(checker), pid, "one process throughout");
  } finally {
    await checker.close();
  }
});

Deno.test("python checker: the process starts without site (no .pth file of an installed package runs)", async () => {
  const checker = PythonChecker.start();
  try {
    const r = await checker.run("import sys\nprint('site' in sys.modules, sys.flags.no_site)", "", { timeoutMs });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.trim(), "False 1");
  } finally {
    await checker.close();
  }
});
