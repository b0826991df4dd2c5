/**
 * Step 3 of `sentries tests`: what a model needs to see to fix failing tests,
 * under a token budget. Reads files and git history; everything else is pure.
 */
import { recentChanges, renderHistory } from "../git/history.ts";
import { compareText, type TestFailure } from "../pytest/results.ts";
import { type ContextSection, fitToBudget } from "./budget.ts";
import { collectGroup, ContextMaterial, type GroupDefinition } from "./collect.ts";
import { dottedNameOf, isTestFile } from "./resolve.ts";
import {
  definitionsSection,
  groupPenalty,
  historySection,
  moduleListSection,
  omittedSection,
  PRIORITY,
} from "./sections.ts";
import { SourceReader } from "./source_reader.ts";

export { type ContextSection, renderSections } from "./budget.ts";

export interface TestContext {
  /** The sections that fit, in reading order. */
  sections: ContextSection[];
  /** The rendered sections; deterministic for the same repository, failures and options. */
  text: string;
  estimatedTokens: number;
  /** Some section was cut or dropped to fit the budget. */
  truncated: boolean;
  /** Non-test files whose definitions the context refers to, sorted. */
  sourceFiles: string[];
  /** Test modules of the failures shown, and conftest files whose fixtures they use; sorted. */
  testFiles: string[];
  /** Node ids of the failures shown; the rest were over `maxFailures`. */
  shownFailures: string[];
}

export interface TestContextOptions {
  /** Default 6000, which leaves room for instructions and an answer in an 8k-token context. */
  tokenBudget?: number;
  /** Default 5. */
  maxFailures?: number;
  /** Default 5. */
  recentCommits?: number;
}

export const DEFAULT_CONTEXT_TOKENS = 6000;
const MAX_LISTED_MODULES = 200;

export async function buildTestContext(
  repoDir: string,
  failures: TestFailure[],
  options: TestContextOptions = {},
): Promise<TestContext> {
  const reader = await SourceReader.open(repoDir);
  const ordered = failures.map((f) => withoutRepoDir(f, reader.repoDir)).sort((a, b) =>
    compareText(a.nodeId, b.nodeId)
  );
  const shown = ordered.slice(0, Math.max(1, options.maxFailures ?? 5));
  const omitted = ordered.slice(shown.length);

  const material = new ContextMaterial();
  for (const [group, [file, groupFailures]] of groupByFile(shown).entries()) {
    await collectGroup(reader, material, group, file, groupFailures);
  }
  const { definitions, moved, importedFrom, historyPaths, historyFiles, testFiles } = material;

  const sourceFiles = [
    ...new Set([...definitions, ...moved, ...importedFrom].map((d) => d.file).filter((f) => !isTestFile(f))),
  ]
    .sort(compareText);
  for (const file of sourceFiles) {
    historyPaths.add(file);
    historyFiles.add(file);
  }

  const primary = definitions.filter((d) => d.rank === 0);
  const secondary = definitions.filter((d) =>
    d.rank > 0 && !primary.some((p) => p.file === d.file && p.from === d.from)
  );
  const sections = [
    ...material.groupSections,
    ...await definitionSections(reader, moved, "Where the missing name is defined now:", PRIORITY.movedDefinitions),
    ...await definitionSections(
      reader,
      importedFrom,
      "The module the name was imported from:",
      PRIORITY.movedDefinitions,
    ),
    ...await definitionSections(reader, primary, "Source", PRIORITY.usedDefinitions),
  ];
  if (material.moduleListGroup !== undefined) {
    const modules = reader.index.files.filter((f) => !isTestFile(f)).slice(0, MAX_LISTED_MODULES)
      .map((file) => ({ file, dotted: dottedNameOf(reader.index, file) }));
    sections.push(moduleListSection(modules, material.moduleListGroup));
  }
  const history = await historyText(repoDir, [...historyPaths].sort(compareText), [...testFiles], options);
  if (history) sections.push(historySection(history, [...historyFiles].sort(compareText), historyPaths.size > 0));
  sections.push(
    ...await definitionSections(
      reader,
      secondary,
      "Also imported by the tests, from",
      PRIORITY.otherDefinitions,
    ),
  );
  if (omitted.length > 0) sections.push(omittedSection(omitted));

  const fitted = fitToBudget(sections, options.tokenBudget ?? DEFAULT_CONTEXT_TOKENS);
  return {
    ...fitted,
    sourceFiles,
    testFiles: [...testFiles].sort(compareText),
    shownFailures: shown.map((f) => f.nodeId),
  };
}

/** The checkout's absolute path differs between runs (a temporary worktree): keep it out of the text. */
function withoutRepoDir(failure: TestFailure, repoDir: string): TestFailure {
  const prefix = repoDir.endsWith("/") ? repoDir : repoDir + "/";
  return {
    ...failure,
    message: failure.message.replaceAll(prefix, ""),
    traceback: failure.traceback.replaceAll(prefix, ""),
  };
}

function groupByFile(failures: TestFailure[]): [string, TestFailure[]][] {
  const groups = new Map<string, TestFailure[]>();
  for (const failure of failures) groups.set(failure.file, [...(groups.get(failure.file) ?? []), failure]);
  return [...groups.entries()].sort((a, b) => compareText(a[0], b[0]));
}

/** One section per file; a file's priority follows the earliest group that needs it. */
async function definitionSections(
  reader: SourceReader,
  definitions: GroupDefinition[],
  title: string,
  priority: number,
): Promise<ContextSection[]> {
  const byFile = new Map<string, GroupDefinition[]>();
  for (const definition of definitions) {
    byFile.set(definition.file, [...(byFile.get(definition.file) ?? []), definition]);
  }
  const sections: ContextSection[] = [];
  for (const file of [...byFile.keys()].sort(compareText)) {
    const source = await reader.text(file);
    if (source === undefined) continue;
    const fileDefinitions = byFile.get(file)!;
    const group = Math.min(...fileDefinitions.map((d) => d.group));
    sections.push(definitionsSection(file, source, fileDefinitions, title, priority - groupPenalty(group)));
  }
  return sections;
}

async function historyText(
  repoDir: string,
  paths: string[],
  testFiles: string[],
  options: TestContextOptions,
): Promise<string> {
  const commits = await recentChanges(repoDir, paths.length > 0 ? paths : ["*.py"], {
    maxCommits: options.recentCommits ?? 5,
    exclude: testFiles,
  });
  return renderHistory(commits);
}
