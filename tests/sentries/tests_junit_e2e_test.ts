/**
 * `sentries tests --junit-xml` end to end: the real CLI, a real git repository, the CI's own pytest step
 * writing the report, the stand-in model. Sentries must not run the suite again, and must still fix, verify
 * and prove as without a report.
 */
import assert from "node:assert/strict";
import { delimiter, join } from "node:path";
import { runCli } from "../support/cli.ts";
import { createPyRepo } from "../support/pyrepo.ts";
import { startStandIn } from "../support/standin_llm.ts";
import { scriptedReply, UPDATE_PLAN } from "../support/scripted_models.ts";

const CALC_FIX = `--- a/tests/test_ops.py
+++ b/tests/test_ops.py
@@ -1,5 +1,5 @@
 from calc.ops import describe
 
 
 def test_describe():
-    assert describe(4) == "value=4"
+    assert describe(4) == "<4>"
`;

Deno.test("--junit-xml: the CI report's failure is fixed and verified; the rest of the suite never runs again", async () => {
  const tmp = await Deno.makeTempDir({ prefix: "sentries-junit-e2e-" });
  const ranLog = join(tmp, "other-ran.log");
  const repo = await createPyRepo({
    files: {
      "pyproject.toml": '[tool.pytest.ini_options]\npythonpath = ["."]\n',
      "calc/__init__.py": "",
      "calc/ops.py": 'def describe(x):\n    return f"value={x}"\n',
      "tests/test_ops.py":
        'from calc.ops import describe\n\n\ndef test_describe():\n    assert describe(4) == "value=4"\n',
      "tests/test_other.py": `def test_other():\n    with open(${
        JSON.stringify(ranLog)
      }, "a") as f:\n        f.write("ran\\n")\n`,
    },
    commits: [{ message: "New describe format", files: { "calc/ops.py": 'def describe(x):\n    return f"<{x}>"\n' } }],
  });
  const standIn = await startStandIn({
    reply: scriptedReply({ plan: UPDATE_PLAN("1. expect <4>"), patches: [CALC_FIX], evidence: ["<{x}>"] }),
  });
  try {
    const report = join(tmp, "junit.xml");
    const ci = await new Deno.Command("python3", {
      args: ["-m", "pytest", "-q", "-p", "no:cacheprovider", `--junitxml=${report}`],
      cwd: repo.dir,
      env: { PYTHONDONTWRITEBYTECODE: "1" },
      stdout: "null",
    }).output();
    assert.equal(ci.code, 1);
    assert.equal(await Deno.readTextFile(ranLog), "ran\n");

    // `pytest` on PATH notes every start: with the report, the only one is the fork server the re-runs, the
    // verification and the proof are forked from (the CLI starts it early; the run must not start another).
    const bin = join(tmp, "bin");
    const starts = join(tmp, "pytest-starts.log");
    await Deno.mkdir(bin);
    await Deno.writeTextFile(
      join(bin, "pytest"),
      `#!/bin/sh\necho start >> '${starts}'\nexec python3 -m pytest "$@"\n`,
    );
    await Deno.chmod(join(bin, "pytest"), 0o755);
    const r = await runCli(["tests", "--json", "--junit-xml", report], {
      cwd: repo.dir,
      env: { LLM_BASE: standIn.url, PATH: `${bin}${delimiter}${Deno.env.get("PATH") ?? ""}` },
    });
    assert.equal(r.code, 0, r.stderr);
    const json = JSON.parse(r.stdout);
    assert.equal(json.outcome, "fixed", r.stderr);
    assert.deepEqual(json.failures.map((f: { nodeId: string }) => f.nodeId), ["tests/test_ops.py::test_describe"]);
    assert.equal(json.before.collected, 2, "the report's test cases are the collected set");
    assert.equal(json.verification.scope, "narrow");
    assert.match(r.stderr, /reading .*junit\.xml, re-running its failures/);
    assert.equal(await Deno.readTextFile(ranLog), "ran\n", "tests/test_other.py ran only in the CI's own step");
    assert.deepEqual((await Deno.readTextFile(starts)).trim().split("\n"), ["start"], "one pytest start in all");
    // Which Python and pytest re-ran the failures (issue 14.3): what the fork server said about itself.
    assert.match(json.interpreter.pytestVersion ?? "", /^\d+\./, r.stdout);
    assert.match(json.interpreter.pythonVersion ?? "", /^3\./, r.stdout);
    assert.equal(json.interpreter.source, "PATH");

    // Without the fork server the command is asked; the run stops at the earlier fix's branch, after discovery.
    const again = await runCli(["tests", "--junit-xml", report], {
      cwd: repo.dir,
      env: { LLM_BASE: standIn.url, SENTRIES_PYTEST_FORK: "off" },
    });
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /tests ran with: pytest \d\S* /, again.stdout);
  } finally {
    await standIn.close();
    await repo.cleanup();
    await Deno.remove(tmp, { recursive: true });
  }
});

Deno.test("--junit-xml: a report from another checkout is exit 2 and says it does not fit", async () => {
  const tmp = await Deno.makeTempDir({ prefix: "sentries-junit-e2e-" });
  const repo = await createPyRepo({ files: { "tests/test_a.py": "def test_a():\n    assert True\n" } });
  try {
    const report = join(tmp, "junit.xml");
    await Deno.writeTextFile(
      report,
      '<testsuites><testsuite name="pytest"><testcase classname="tests.test_gone" name="test_x">' +
        '<failure message="boom">boom</failure></testcase></testsuite></testsuites>',
    );
    const r = await runCli(["tests", "--junit-xml", report], {
      cwd: repo.dir,
      env: { LLM_BASE: "http://127.0.0.1:9" },
    });
    assert.equal(r.code, 2, r.stderr);
    assert.match(
      r.stderr,
      /does not fit this checkout: 1 of the 1 test files it names are not here \(tests\/test_gone\.py/,
    );
  } finally {
    await repo.cleanup();
    await Deno.remove(tmp, { recursive: true });
  }
});
