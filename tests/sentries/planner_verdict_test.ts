/**
 * A planner answer with no verdict never becomes "update the tests": it is asked
 * again once with the format, then the run stops (real CLI, real git and pytest,
 * the stand-in model server).
 */
import assert from "node:assert/strict";
import { parsePlannerAnswer } from "../../src/sentries/prompts_common.ts";
import { readVerdict } from "../../src/sentries/planner_verdict.ts";
import { runCli } from "../support/cli.ts";
import { createPyRepo, type PyRepo, WRONG_SUM_FIX, WRONG_SUM_REPO } from "../support/pyrepo.ts";
import { startStandIn } from "../support/standin_llm.ts";
import { isPlannerRequest, promptOf, UPDATE_PLAN } from "../support/scripted_models.ts";

Deno.test("readVerdict: stated verdicts are read, tolerant of markdown and bare words", () => {
  const cases: Array<[string, string | undefined]> = [
    ["VERDICT: UPDATE_TESTS\nREASON: r\nPLAN:\n1. x", "update"],
    ["**VERDICT:** SOURCE_BUG\nREASON: r", "source_bug"],
    ["verdict = no_changes", "no_changes"],
    ["NO_CHANGES", "no_changes"],
    ["## UPDATE_TESTS\n1. rename", "update"],
    ["VERDICT: UPDATE_DOCS\nPLAN:\n1. x", "update"],
  ];
  for (const [text, want] of cases) assert.equal(readVerdict(text, "UPDATE"), want, text);
});

Deno.test("readVerdict: no verdict stated means none, never update", () => {
  const cases = [
    "",
    "I think we should update the tests to use plus().\n1. change tests/test_ops.py",
    "REASON: the function was renamed\nPLAN:\n1. update the import",
    "VERDICT: maybe\nREASON: unsure",
    "Sure! Here is my analysis of the failing tests.",
  ];
  for (const text of cases) {
    assert.equal(readVerdict(text, "UPDATE"), undefined, text);
    assert.equal(parsePlannerAnswer(text, "UPDATE").verdict, undefined, text);
  }
});

Deno.test("readVerdict: the format copied (several verdict words offered) states no verdict", () => {
  const cases = [
    "VERDICT: UPDATE_TESTS | SOURCE_BUG | NO_CHANGES\nREASON: <one sentence>\nPLAN:\n1. <file and test to change>",
    "VERDICT: UPDATE_TESTS|SOURCE_BUG|NO_CHANGES",
    "**VERDICT:** `UPDATE_TESTS | SOURCE_BUG | NO_CHANGES`",
    "VERDICT: <UPDATE_TESTS | SOURCE_BUG | NO_CHANGES>",
    "VERDICT: [UPDATE_TESTS / SOURCE_BUG / NO_CHANGES]",
    "VERDICT: UPDATE_TESTS or SOURCE_BUG",
    "VERDICT: SOURCE_BUG or NO_CHANGES",
    "VERDICT: UPDATE_TESTS, SOURCE_BUG or NO_CHANGES",
    "VERDICT: one of UPDATE_TESTS, SOURCE_BUG, NO_CHANGES",
    "verdict = source_bug | no_changes",
    "VERDICT: UPDATE_DOCS | NO_CHANGES\nREASON: <one sentence>",
    "UPDATE_TESTS or SOURCE_BUG\nREASON: unsure",
    // Two VERDICT lines that contradict each other state none either.
    "VERDICT: SOURCE_BUG\nREASON: r\nVERDICT: UPDATE_TESTS",
  ];
  for (const text of cases) {
    assert.equal(readVerdict(text, "UPDATE"), undefined, text);
    assert.equal(parsePlannerAnswer(text, "UPDATE").verdict, undefined, text);
  }
});

Deno.test("readVerdict: honest verdict lines with words around them still count", () => {
  const cases: Array<[string, string]> = [
    ["VERDICT: SOURCE_BUG (do not update the tests)\nREASON: r", "source_bug"],
    ["VERDICT: NO_CHANGES (no update needed)", "no_changes"],
    ["VERDICT: UPDATE_TESTS, not SOURCE_BUG: the function was renamed", "update"],
    ["VERDICT: UPDATE_TESTS - no change to the source is needed", "update"],
    ["VERDICT: the tests are stale, so UPDATE_TESTS", "update"],
    ["VERDICT: update tests\nPLAN:\n1. x", "update"],
    ["VERDICT: Source bug", "source_bug"],
    // The format copied, then answered: the one verdict chosen counts.
    ["VERDICT: UPDATE_TESTS | SOURCE_BUG | NO_CHANGES\n\nVERDICT: SOURCE_BUG\nREASON: r", "source_bug"],
    ["VERDICT: UPDATE_DOCS\nREASON: the flag was renamed", "update"],
  ];
  for (const [text, want] of cases) assert.equal(readVerdict(text, "UPDATE"), want, text);
});

const FILES = WRONG_SUM_REPO;
const FIX = WRONG_SUM_FIX;
const RAMBLE = "Looking at this, the tests should probably be updated.\n1. fix the expected value in tests/test_ops.py";

async function runWithPlanner(plans: string[]) {
  const repo: PyRepo = await createPyRepo({ files: FILES });
  let planCalls = 0;
  const standIn = await startStandIn({
    reply: (req) => isPlannerRequest(req) ? plans[Math.min(planCalls++, plans.length - 1)] : FIX,
  });
  try {
    const r = await runCli(["tests", "--dry-run", "--json"], { cwd: repo.dir, env: { LLM_BASE: standIn.url } });
    return { r, requests: standIn.requests.slice() };
  } finally {
    await standIn.close();
    await repo.cleanup();
  }
}

Deno.test("a planner that never states a verdict: asked twice, then not_fixed, no patch asked for", async () => {
  const { r, requests } = await runWithPlanner([RAMBLE]);
  assert.equal(r.code, 1, r.stderr);
  const report = JSON.parse(r.stdout);
  assert.equal(report.outcome, "not_fixed");
  assert.equal(report.verdict, undefined);
  assert.match(report.message, /the planner's answer had no verdict/);
  assert.equal(requests.length, 2, "two planner requests, no patcher request");
  assert.ok(requests.every(isPlannerRequest));
  assert.match(promptOf(requests[1]), /Your answer had no VERDICT line[\s\S]*VERDICT: UPDATE_TESTS \| SOURCE_BUG/);
  assert.equal(report.attempts.length, 0);
});

Deno.test("a planner that copies the format line: asked again, then not_fixed (never source_bug)", async () => {
  const echo = "VERDICT: UPDATE_TESTS | SOURCE_BUG | NO_CHANGES\nREASON: <one sentence>\nPLAN:\n1. <file>";
  const { r, requests } = await runWithPlanner([echo]);
  assert.equal(r.code, 1, r.stderr);
  const report = JSON.parse(r.stdout);
  assert.equal(report.outcome, "not_fixed");
  assert.equal(report.verdict, undefined);
  assert.match(report.message, /the planner's answer had no verdict/);
  assert.equal(requests.length, 2);
  assert.ok(requests.every(isPlannerRequest));
});

Deno.test("a planner that states its verdict when reminded: the run goes on and fixes", async () => {
  const { r, requests } = await runWithPlanner([RAMBLE, UPDATE_PLAN("1. expect 5")]);
  assert.equal(r.code, 0, r.stderr);
  const report = JSON.parse(r.stdout);
  assert.equal(report.outcome, "fixed");
  assert.equal(report.verdict, "update");
  assert.equal(requests.filter(isPlannerRequest).length, 2);
});

Deno.test("a planner that states its verdict at once is asked only once", async () => {
  const { r, requests } = await runWithPlanner([UPDATE_PLAN("1. expect 5")]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(requests.filter(isPlannerRequest).length, 1);
});
