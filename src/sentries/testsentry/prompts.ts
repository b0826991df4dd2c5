/** The planner and patcher prompts of TestSentry. */
import type { ChatMessage } from "../../llm/mod.ts";
import { type EditFormat, editFormatInstructions } from "../../patch/mod.ts";
import { asData, DATA_RULE, previousAttemptSection, verbatimFiles } from "../prompts_common.ts";

export const PLANNER_FORMAT = `VERDICT: UPDATE_TESTS | SOURCE_BUG | NO_CHANGES
REASON: <one sentence>
PLAN:
1. <file and test to change, and how, in one line>
2. ...`;

export const PLANNER_SYSTEM = `You are a senior Python engineer triaging failing pytest tests.
The source code changed on purpose; tests that were not updated now fail. Decide whether the TESTS are out of date
(the usual case: a renamed function, a new return format, a moved module, a changed default) or whether the SOURCE
has a genuine bug that the tests rightly catch (then the tests must not be changed).
${DATA_RULE}

Answer in exactly this format:
${PLANNER_FORMAT}

Rules: at most 5 steps; only files under tests/ may change; never delete, skip or weaken a test, never replace an
assertion with something weaker; keep every assertion checking the intended new behaviour.`;

export function plannerMessages(contextText: string): ChatMessage[] {
  return [
    { role: "system", content: PLANNER_SYSTEM },
    {
      role: "user",
      content: `${asData("failing tests, their code and the recent source change", contextText)}\n\n` +
        "Give your VERDICT, REASON and PLAN.",
    },
  ];
}

export function patcherSystem(format: EditFormat, maxFiles: number, maxLines: number): string {
  return `You are a precise Python engineer. You update out-of-date pytest tests so they pass against the current
source code, following the given plan.
${DATA_RULE}

Hard rules (a change that breaks one is refused whole):
- Change only files under tests/ (test modules and conftest.py). Never touch source code.
- At most ${maxFiles} files and ${maxLines} changed lines.
- Keep every test testing: never delete a test, never add skip/xfail, never remove or weaken assertions,
  never wrap a test in try/except. Update expected values, names, imports and calls instead.
- Keep the existing style and indentation.

${editFormatInstructions(format)}`;
}

export interface PatcherInput {
  plan: string;
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
  const files = verbatimFiles(input.files);
  const parts = [
    `## Plan\n${input.plan}`,
    `## Failures and related code\n${asData("context", input.contextText)}`,
  ];
  if (files) parts.push(`## Current content of the test files you may edit\n${files}`);
  if (input.feedback) parts.push(previousAttemptSection(input.feedback));
  parts.push("Write the change now.");
  return [
    { role: "system", content: patcherSystem(format, limits.maxFiles, limits.maxLines) },
    { role: "user", content: parts.join("\n\n") },
  ];
}
