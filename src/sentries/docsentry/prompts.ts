/**
 * The planner and patcher prompts of DocSentry, laid out so a model server's prompt cache serves
 * both: the same system prompt, the code change and the relevant docs come first in both calls;
 * the planner's task (with the PR title), or the patcher's plan, files, format and feedback, last.
 */
import type { ChatMessage } from "../../llm/mod.ts";
import { type EditFormat, editFormatInstructions } from "../../patch/mod.ts";
import { asData, DATA_RULE, previousAttemptSection, verbatimFiles } from "../prompts_common.ts";

/** One system prompt for both roles, so the two calls share it byte for byte. */
export const DOCS_SYSTEM = `You are a technical writer reviewing a pull request's code change and keeping the
project's documentation true. The work has two steps, each asked for separately at the end of a message: deciding
whether the documentation must change (renamed or removed functions, CLI options, environment variables, config
keys, HTTP routes or changed defaults that the docs mention; a CHANGELOG entry for a user-visible change when the
project keeps one), and then writing the change to the documentation.
${DATA_RULE}

Rules for every change (a change that breaks one is refused whole):
- Change only documentation files, never code; keep edits minimal and factual. Change only what the code change
  makes untrue or incomplete; keep the existing wording, structure and style elsewhere.
- Do not leave names the change removed in the sections you edit (unless saying they were renamed).
- Keep Markdown valid (close code fences) and keep relative links pointing at files that exist.
- CHANGELOG.md in Keep a Changelog style: add entries under "## [Unreleased]" (create that heading under the
  title if missing), in the matching "### Added/Changed/Removed" group.
- openapi.yaml must stay valid YAML with its openapi, info and paths keys.`;

/** Kept for callers that name the planner's system prompt: it is the shared one. */
export const DOCS_PLANNER_SYSTEM = DOCS_SYSTEM;

/** The shared opening of both calls' user message. */
function contextBlock(changeText: string, docsText: string): string {
  const parts = [`## The code change\n${asData("code change", changeText)}`];
  if (docsText) parts.push(`## Relevant documentation\n${asData("docs", docsText)}`);
  return parts.join("\n\n");
}

export const DOCS_PLANNER_TASK = `## Your task now: decide
Answer in exactly this format:
VERDICT: UPDATE_DOCS | NO_CHANGES
REASON: <one sentence>
PLAN:
1. <doc file and section to change, and how, in one line>

Answer NO_CHANGES when the change is internal (nothing the docs mention or users see changed).
At most 5 steps.

Give your VERDICT, REASON and PLAN.`;

export function docsPlannerMessages(changeText: string, docsText: string, title?: string): ChatMessage[] {
  const parts = [contextBlock(changeText, docsText)];
  // The title differs per pull request but is not shown to the patcher: after the shared part.
  if (title) parts.push(`Pull request: ${asData("title", title)}`);
  parts.push(DOCS_PLANNER_TASK);
  return [
    { role: "system", content: DOCS_SYSTEM },
    { role: "user", content: parts.join("\n\n") },
  ];
}

/** The patcher's rules that depend on the run (allowlist, limits, edit format), after the context. */
export function docsPatcherTask(
  format: EditFormat,
  limits: { allow: string[]; maxFiles: number; maxLines: number },
  plan: string,
): string {
  return `## Plan
${plan}

## Your task now: write the change, following the plan
Change only these documentation files: ${limits.allow.join(", ")}.
At most ${limits.maxFiles} files and ${limits.maxLines} changed lines.

${editFormatInstructions(format)}`;
}

export interface DocsPatcherInput {
  plan: string;
  changeText: string;
  /** Whole doc files to edit (exact text for diffs). */
  files: Array<{ path: string; content: string }>;
  /** Sections of larger docs, with line ranges: the planner's docs text, so both calls share it. */
  sectionsText: string;
  feedback?: string;
}

export function docsPatcherMessages(
  format: EditFormat,
  limits: { allow: string[]; maxFiles: number; maxLines: number },
  input: DocsPatcherInput,
): ChatMessage[] {
  const parts = [contextBlock(input.changeText, input.sectionsText)];
  if (input.files.length) {
    parts.push(`## Current content of the doc files to edit\n${verbatimFiles(input.files)}`);
  }
  parts.push(docsPatcherTask(format, limits, input.plan));
  if (input.feedback) parts.push(previousAttemptSection(input.feedback));
  parts.push("Write the change now.");
  return [
    { role: "system", content: DOCS_SYSTEM },
    { role: "user", content: parts.join("\n\n") },
  ];
}
