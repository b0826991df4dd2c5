/**
 * The planner and patcher prompts of TestSentry, laid out so a model server's prompt cache serves
 * both: the same system prompt and the same repository context come first in both calls, and only
 * what differs (the planner's task; the plan, the edit format and any feedback for the patcher)
 * comes last. llama.cpp and Ollama reuse the longest prefix identical to the previous request, so
 * the patch call reads only its own tail, and a retry only its feedback.
 */
import type { ChatMessage } from "../../llm/mod.ts";
import { type EditFormat, editFormatInstructions } from "../../patch/mod.ts";
import { asData, DATA_RULE, previousAttemptSection, verbatimFiles } from "../prompts_common.ts";

export const PLANNER_FORMAT = `VERDICT: UPDATE_TESTS | SOURCE_BUG | NO_CHANGES
REASON: <one sentence>
PLAN:
1. <file and test to change, and how, in one line>
2. ...`;

/** One system prompt for both roles, so the two calls share it byte for byte. */
export const TESTS_SYSTEM = `You are a senior Python engineer keeping a project's pytest tests in step with its source.
The source code changed on purpose; tests that were not updated now fail. The work has two steps, each asked for
separately at the end of a message: triaging (are the TESTS out of date — the usual case: a renamed function, a
new return format, a moved module, a changed default — or does the SOURCE have a genuine bug that the tests rightly
catch, so the tests must not change?) and then writing the change to the out-of-date tests.
${DATA_RULE}

Rules for every change (a change that breaks one is refused whole):
- Change only files under tests/ (test modules and conftest.py). Never touch source code.
- Keep every test testing: never delete a test, never add skip/xfail, never remove or weaken assertions,
  never wrap a test in try/except. Update expected values, names, imports and calls instead.
- Keep every assertion checking the intended new behaviour; keep the existing style and indentation.`;

/** Kept for callers that name the planner's system prompt: it is the shared one. */
export const PLANNER_SYSTEM = TESTS_SYSTEM;

const CONTEXT_TITLE = "failing tests, their code and the recent source change";

/** The shared opening of both calls' user message: the repository context. */
function contextBlock(contextText: string): string {
  return asData(CONTEXT_TITLE, contextText);
}

export const PLANNER_TASK = `## Your task now: triage
Answer in exactly this format:
${PLANNER_FORMAT}

At most 5 steps; only files under tests/ may change.

Give your VERDICT, REASON and PLAN.`;

export function plannerMessages(contextText: string): ChatMessage[] {
  return [
    { role: "system", content: TESTS_SYSTEM },
    { role: "user", content: `${contextBlock(contextText)}\n\n${PLANNER_TASK}` },
  ];
}

/** The patcher's rules that depend on the run (limits, edit format): they go in its task, after the context. */
export function patcherTask(format: EditFormat, maxFiles: number, maxLines: number, plan: string): string {
  return `## Plan
${plan}

## Your task now: write the change, following the plan
At most ${maxFiles} files and ${maxLines} changed lines.

${editFormatInstructions(format)}`;
}

export interface PatcherInput {
  plan: string;
  /** Best the planner's context text exactly: then the patch call reuses the planner call's prompt cache. */
  contextText: string;
  /** Path → current content of the test files the plan is likely to change. */
  files: Array<{ path: string; content: string }>;
  /** Why the previous attempt failed, to correct it. */
  feedback?: string;
}

export function patcherMessages(
  format: EditFormat,
  limits: { maxFiles: number; maxLines: number },
  input: PatcherInput,
): ChatMessage[] {
  const parts = [contextBlock(input.contextText)];
  // A file the context already shows whole, byte for byte, is not sent twice.
  const missing = input.files.filter((f) => !input.contextText.includes(f.content));
  if (missing.length) parts.push(`## Current content of the test files you may edit\n${verbatimFiles(missing)}`);
  const shown = input.files.filter((f) => !missing.includes(f)).map((f) => f.path);
  if (shown.length) parts.push(`The test files you may edit are shown whole above: ${shown.join(", ")}.`);
  parts.push(patcherTask(format, limits.maxFiles, limits.maxLines, input.plan));
  // Feedback last: a retry shares everything before it with the previous attempt.
  if (input.feedback) parts.push(previousAttemptSection(input.feedback));
  parts.push("Write the change now.");
  return [
    { role: "system", content: TESTS_SYSTEM },
    { role: "user", content: parts.join("\n\n") },
  ];
}
