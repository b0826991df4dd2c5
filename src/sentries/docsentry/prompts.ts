/** The planner and patcher prompts of DocSentry. */
import type { ChatMessage } from "../../llm/mod.ts";
import { type EditFormat, editFormatInstructions } from "../../patch/mod.ts";
import { asData, DATA_RULE, previousAttemptSection, verbatimFiles } from "../prompts_common.ts";

export const DOCS_PLANNER_SYSTEM = `You are a technical writer reviewing a pull request's code change.
Decide whether the project's documentation must change so it stays true: renamed or removed functions, CLI
options, environment variables, config keys, HTTP routes or changed defaults that the docs mention; a CHANGELOG
entry for a user-visible change when the project keeps one.
${DATA_RULE}

Answer in exactly this format:
VERDICT: UPDATE_DOCS | NO_CHANGES
REASON: <one sentence>
PLAN:
1. <doc file and section to change, and how, in one line>

Answer NO_CHANGES when the change is internal (nothing the docs mention or users see changed).
Rules: at most 5 steps; only documentation files change, never code; keep edits minimal and factual.`;

export function docsPlannerMessages(changeText: string, docsText: string, title?: string): ChatMessage[] {
  return [
    { role: "system", content: DOCS_PLANNER_SYSTEM },
    {
      role: "user",
      content: [
        title ? `Pull request: ${asData("title", title)}` : "",
        `## The code change\n${asData("code change", changeText)}`,
        `## Relevant documentation\n${asData("docs", docsText)}`,
        "Give your VERDICT, REASON and PLAN.",
      ].filter(Boolean).join("\n\n"),
    },
  ];
}

export function docsPatcherSystem(format: EditFormat, allow: string[], maxFiles: number, maxLines: number): string {
  return `You are a precise technical writer. You update documentation to match a code change, following the plan.
${DATA_RULE}

Hard rules (a change that breaks one is refused whole):
- Change only documentation files: ${allow.join(", ")}. Never touch code.
- At most ${maxFiles} files and ${maxLines} changed lines. Change only what the code change makes untrue or
  incomplete; keep the existing wording, structure and style elsewhere.
- Do not leave names the change removed in the sections you edit (unless saying they were renamed).
- Keep Markdown valid (close code fences) and keep relative links pointing at files that exist.
- CHANGELOG.md in Keep a Changelog style: add entries under "## [Unreleased]" (create that heading under the
  title if missing), in the matching "### Added/Changed/Removed" group.
- openapi.yaml must stay valid YAML with its openapi, info and paths keys.

${editFormatInstructions(format)}`;
}

export interface DocsPatcherInput {
  plan: string;
  changeText: string;
  /** Whole doc files to edit (exact text for diffs). */
  files: Array<{ path: string; content: string }>;
  /** Sections of larger docs, with line ranges. */
  sectionsText: string;
  feedback?: string;
}

export function docsPatcherMessages(
  format: EditFormat,
  limits: { allow: string[]; maxFiles: number; maxLines: number },
  input: DocsPatcherInput,
): ChatMessage[] {
  const parts = [
    `## Plan\n${input.plan}`,
    `## The code change\n${asData("code change", input.changeText)}`,
  ];
  if (input.files.length) {
    parts.push(`## Current content of the doc files to edit\n${verbatimFiles(input.files)}`);
  }
  if (input.sectionsText) parts.push(`## Relevant sections of other docs\n${asData("docs", input.sectionsText)}`);
  if (input.feedback) parts.push(previousAttemptSection(input.feedback));
  parts.push("Write the change now.");
  return [
    { role: "system", content: docsPatcherSystem(format, limits.allow, limits.maxFiles, limits.maxLines) },
    { role: "user", content: parts.join("\n\n") },
  ];
}
