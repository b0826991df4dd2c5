/**
 * The sections of a failing test's context, each built from already-read
 * material. Pure: priorities and wording live here.
 */
import type { TestFailure } from "../pytest/results.ts";
import type { ContextSection } from "./budget.ts";
import { type Block, numberedExcerpt, numberedLines, topLevelImportRanges } from "./python_source.ts";
import type { Definition } from "./symbols.ts";
import { trimTraceback } from "./traceback.ts";

/**
 * Priorities, highest kept longest. Each test-file group `g` (0 first) lowers
 * its sections by `g`, so the first group's material outlives the next's.
 */
export const PRIORITY = {
  failure: 100,
  testSource: 90,
  moduleList: 85,
  movedDefinitions: 84,
  usedDefinitions: 80,
  history: 78,
  otherDefinitions: 72,
  fixtures: 60,
  omitted: 50,
} as const;

/** A whole test module is shown when it is at most this long; else an excerpt. */
export const WHOLE_MODULE_MAX_LINES = 150;
export const WHOLE_MODULE_MAX_CHARS = 6000;

export function groupPenalty(group: number): number {
  return Math.min(group, 9);
}

export function failureSection(failure: TestFailure, group: number): ContextSection {
  const traceback = trimTraceback(failure.traceback);
  const firstMessageLine = failure.message.split("\n")[0].trim();
  const parts = [`${failure.kind} at ${failure.file}${failure.line ? `:${failure.line}` : ""}`];
  if (firstMessageLine && !traceback.includes(firstMessageLine)) parts.push(`message: ${failure.message.trim()}`);
  if (traceback) parts.push(traceback);
  const title = failure.kind === "collection_error"
    ? `Collection error in ${failure.file}`
    : `Failing test ${failure.nodeId} (${failure.kind === "error" ? "error in setup or teardown" : "failed"})`;
  return { title, path: failure.file, text: parts.join("\n"), priority: PRIORITY.failure - groupPenalty(group) };
}

/**
 * The test module: whole when small; else its imports, the failing tests and
 * `extraRanges` (module fixtures, the lines around a collection error).
 */
export function testSourceSection(
  file: string,
  source: string,
  failingBlocks: Block[],
  extraRanges: [number, number][],
  group: number,
): ContextSection {
  const text = source.replace(/\n+$/, "");
  const lineCount = text.split("\n").length;
  const priority = PRIORITY.testSource - groupPenalty(group);
  if (lineCount <= WHOLE_MODULE_MAX_LINES && text.length <= WHOLE_MODULE_MAX_CHARS) {
    return {
      title: `Test module ${file} (whole file)`,
      path: file,
      startLine: 1,
      text: numberedLines(text.split("\n"), 1, lineCount),
      priority,
    };
  }
  const ranges: [number, number][] = [...topLevelImportRanges(text), ...extraRanges];
  for (const block of failingBlocks) ranges.push([block.start, block.end]);
  return {
    title: `Test module ${file} (excerpt: imports, failing tests, their fixtures)`,
    path: file,
    text: numberedExcerpt(text, ranges.map(([from, to]) => [Math.max(1, from), Math.min(lineCount, to)])),
    priority,
  };
}

/** Fixture definitions from one conftest.py. */
export function fixturesSection(file: string, source: string, blocks: Block[], group: number): ContextSection {
  const names = blocks.map((b) => b.name).join(", ");
  return {
    title: `Fixtures from ${file}: ${names}`,
    path: file,
    text: numberedExcerpt(source, blocks.map((b) => [b.start, b.end])),
    priority: PRIORITY.fixtures - groupPenalty(group),
  };
}

/** Definitions of one file, as one numbered excerpt. */
export function definitionsSection(
  file: string,
  source: string,
  definitions: Definition[],
  title: string,
  priority: number,
): ContextSection {
  const inFileOrder = [...definitions].sort((a, b) => a.from - b.from || a.to - b.to);
  const labels = [...new Set(inFileOrder.map((d) => d.label))].join(", ");
  const ranges = definitions.map((d): [number, number] => [d.from, d.to]);
  const single = ranges.length === 1 ? ranges[0][0] : undefined;
  return {
    title: `${title} ${file}: ${labels}`,
    path: file,
    startLine: single,
    text: numberedExcerpt(source, ranges),
    priority,
  };
}

/** The repository's python modules and their import names: where a moved module went. */
export function moduleListSection(modules: { file: string; dotted: string }[], group: number): ContextSection {
  const lines = modules.map((m) => `${m.file}  (import ${m.dotted})`);
  return {
    title: "Python modules in the repository (tests excluded)",
    text: lines.join("\n") || "(none)",
    priority: PRIORITY.moduleList - groupPenalty(group),
  };
}

export function historySection(renderedHistory: string, files: string[], scoped: boolean): ContextSection {
  const scope = files.length > 0
    ? files.join(", ")
    : scoped
    ? "the missing module's former paths"
    : "the repository's python files";
  return {
    title: `Recent changes to ${scope} (git log -p, newest first)`,
    text: renderedHistory,
    priority: PRIORITY.history,
  };
}

export function omittedSection(omitted: TestFailure[]): ContextSection {
  return {
    title: `${omitted.length} more failing test(s) not shown`,
    text: omitted.map((f) => `${f.nodeId} (${f.kind}): ${f.message.split("\n")[0]}`).join("\n"),
    priority: PRIORITY.omitted,
  };
}
