import assert from "node:assert/strict";
import { type PytestRun, type TestFailure } from "../../src/pytest/mod.ts";
import { compareRuns, lostTests, planRetest } from "../../src/pytest/verify.ts";

function failure(nodeId: string, kind: TestFailure["kind"] = "failed"): TestFailure {
  return { nodeId, file: nodeId.split("::")[0], kind, message: "m", traceback: "t" };
}

function run(collected: string[], failures: TestFailure[]): PytestRun {
  return {
    exitCode: failures.length > 0 ? 1 : 0,
    passed: collected.length - failures.length,
    failed: failures.length,
    errors: 0,
    skipped: 0,
    collected: [...collected].sort(),
    failures,
    durationMs: 1,
    timedOut: false,
    noTests: false,
    command: ["pytest"],
    outputTail: "",
    reportWritten: true,
  };
}

Deno.test("planRetest: only test modules changed → those plus the failing modules; anything else → full", () => {
  const failures = [failure("tests/test_a.py::test_x"), failure("tests/test_b.py", "collection_error")];
  assert.deepEqual(planRetest(["tests/test_a.py"], failures), {
    scope: "narrow",
    select: ["tests/test_a.py", "tests/test_b.py"],
    reason: "only tests/test_a.py, tests/test_b.py, because the patch changed only test modules",
  });
  assert.equal(planRetest(["tests/conftest.py", "tests/test_a.py"], failures).scope, "full");
  assert.equal(planRetest(["tests/helpers.py"], failures).scope, "full");
  assert.match(planRetest(["src/pkg/a.py"], failures).reason, /changed src\/pkg\/a\.py$/);
});

Deno.test("compareRuns: fixed, still failing, new failures and lost tests within the scope", () => {
  const before = run(
    [
      "tests/test_a.py::test_x",
      "tests/test_a.py::test_y",
      "tests/test_a.py::test_z",
      "tests/test_b.py",
      "tests/test_c.py::t",
    ],
    [
      failure("tests/test_a.py::test_x"),
      failure("tests/test_a.py::test_y"),
      failure("tests/test_b.py", "collection_error"),
    ],
  );
  const after = run(
    ["tests/test_a.py::test_x", "tests/test_a.py::test_y", "tests/test_a.py::test_w", "tests/test_b.py::test_1"],
    [failure("tests/test_a.py::test_y"), failure("tests/test_a.py::test_w")],
  );
  const plan = planRetest(["tests/test_a.py", "tests/test_b.py"], before.failures);
  const comparison = compareRuns(before, after, plan);
  assert.deepEqual(comparison.fixed, ["tests/test_a.py::test_x", "tests/test_b.py"]);
  assert.deepEqual(comparison.stillFailing.map((f) => f.nodeId), ["tests/test_a.py::test_y"]);
  assert.deepEqual(comparison.newFailures.map((f) => f.nodeId), ["tests/test_a.py::test_w"]);
  // test_z vanished; test_c is outside the narrow run, so not lost; the collection-error id is not a test.
  assert.deepEqual(comparison.lost, ["tests/test_a.py::test_z"]);
  assert.deepEqual(compareRuns(before, after, { scope: "full", reason: "" }).lost, [
    "tests/test_a.py::test_z",
    "tests/test_c.py::t",
  ]);
});

Deno.test("lostTests: parametrized cases compare by count, so changed parameter values are not lost tests", () => {
  const before = ["tests/t.py::test_p[1-2]", "tests/t.py::test_p[2-3]", "tests/t.py::test_q"];
  assert.deepEqual(lostTests(before, ["tests/t.py::test_p[1-3]", "tests/t.py::test_p[2-4]", "tests/t.py::test_q"]), []);
  assert.deepEqual(lostTests(before, ["tests/t.py::test_p[1-2]", "tests/t.py::test_q"]), ["tests/t.py::test_p[2-3]"]);
  assert.deepEqual(lostTests(before, ["tests/t.py::test_p[1-2]", "tests/t.py::test_p[2-3]"]), ["tests/t.py::test_q"]);
});
