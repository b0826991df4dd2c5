/** The shared attempt loop, in-process, against a loopback model stand-in with a scripted patcher. */
import assert from "node:assert/strict";
import { createLlmClient } from "../../src/llm/mod.ts";
import { resolvePolicy } from "../../src/patch/mod.ts";
import { type CheckOutcome, runAttemptLoop } from "../../src/sentries/attempt_loop.ts";
import type { AcceptedPatch } from "../../src/sentries/patch_step.ts";
import { RunState } from "../../src/sentries/run_state.ts";
import { createPyRepo } from "../support/pyrepo.ts";
import { startStandIn } from "../support/standin_llm.ts";

const FILE = "tests/test_calc.py";
const ORIGINAL = "def test_add():\n    assert add(1, 2) == 4\n";

function wholeFile(content: string): string {
  return `${FILE}\n\`\`\`python\n${content}\`\`\`\n`;
}

/** Runs the loop with the patcher's replies in order and a check that passes only the `good` content. */
async function runLoop(replies: string[], good: string, maxAttempts = 3) {
  const repo = await createPyRepo({ files: { [FILE]: ORIGINAL, "calc.py": "def add(a, b):\n    return a + b\n" } });
  const standIn = await startStandIn({ reply: (_req, i) => replies[Math.min(i, replies.length - 1)] });
  const feedbackSeen: Array<string | undefined> = [];
  const checked: string[] = [];
  try {
    const outcome = await runAttemptLoop({
      llm: createLlmClient({ baseUrl: standIn.url, retryBaseDelayMs: 1 }),
      config: { modelPatch: "deepseek-coder:6.7b-instruct-q5_K_M", maxAttempts, editFormat: "whole" },
      state: new RunState("tests"),
      repoRoot: repo.dir,
      policy: resolvePolicy("tests", {}),
      messages: (feedback) => {
        feedbackSeen.push(feedback);
        return [{ role: "user", content: `fix the test${feedback ? `\n${feedback}` : ""}` }];
      },
      noChangesFeedback: "You answered NO_CHANGES; change the test.",
      check: (patch: AcceptedPatch): Promise<CheckOutcome<string>> => {
        const content = patch.changes[0].newContent ?? "";
        checked.push(content);
        return Promise.resolve(
          content === good
            ? { ok: true, proof: "passed" }
            : { ok: false, result: "tests_failed", feedback: `still failing: ${content.trim().split("\n").pop()}` },
        );
      },
    });
    return { outcome, feedbackSeen, checked, requests: standIn.requests.length };
  } finally {
    await standIn.close();
    await repo.cleanup();
  }
}

const GOOD = "def test_add():\n    assert add(1, 2) == 3\n";
const BAD = "def test_add():\n    assert add(1, 2) == 5\n";

Deno.test("attempt loop: a check failure is fed back and the next attempt passes", async () => {
  const { outcome, feedbackSeen, checked } = await runLoop([wholeFile(BAD), wholeFile(GOOD)], GOOD);
  assert.equal(outcome.stop, "accepted");
  assert.equal(outcome.stop === "accepted" && outcome.proof, "passed");
  assert.deepEqual(outcome.attempts.map((a) => a.result), ["tests_failed", "applied_and_passed"]);
  assert.equal(feedbackSeen[0], undefined);
  assert.match(feedbackSeen[1] ?? "", /still failing: .*== 5/);
  assert.deepEqual(checked, [BAD, GOOD]);
});

Deno.test("attempt loop: the same reply twice stops early, without a third model call", async () => {
  const { outcome, requests } = await runLoop([wholeFile(BAD)], GOOD, 5);
  assert.equal(outcome.stop, "repeated_reply");
  assert.deepEqual(outcome.attempts.map((a) => a.result), ["tests_failed", "repeated"]);
  assert.equal(requests, 2);
});

Deno.test("attempt loop: a differently worded reply with a patch that already failed stops early", async () => {
  const { outcome, checked } = await runLoop([wholeFile(BAD), `Here it is:\n\n${wholeFile(BAD)}`], GOOD, 5);
  assert.equal(outcome.stop, "repeated_patch");
  assert.equal(checked.length, 1, "the repeated patch is not checked again");
});

Deno.test("attempt loop: a guard refusal never reaches the check; the problem is fed back", async () => {
  const outside = "calc.py\n```python\ndef add(a, b):\n    return 3\n```\n";
  const { outcome, checked, feedbackSeen } = await runLoop([outside, wholeFile(GOOD)], GOOD);
  assert.equal(outcome.stop, "accepted");
  assert.equal(outcome.attempts[0].result, "rejected");
  assert.ok(outcome.attempts[0].problems?.length);
  assert.deepEqual(checked, [GOOD]);
  assert.match(feedbackSeen[1] ?? "", /calc\.py/);
});

Deno.test("attempt loop: maxAttempts failures end as exhausted", async () => {
  const replies = [1, 2, 3].map((n) => wholeFile(`def test_add():\n    assert add(1, 2) == ${n + 10}\n`));
  const { outcome } = await runLoop(replies, GOOD, 3);
  assert.equal(outcome.stop, "exhausted");
  assert.equal(outcome.attempts.length, 3);
});
