/**
 * The shape of a benchmark scenario: a small real repository (files, then
 * commits), the outcome the pipeline should reach, and what the stand-in
 * model knows — the right answer, the evidence it needs to give it, and the
 * plausible wrong answer it gives without that evidence.
 */

export type FileMap = Record<string, string>;

export interface RepoCommit {
  message: string;
  /** Path → new content; `null` deletes the file. */
  files: Record<string, string | null>;
}

/** A test-file edit as literal replacements, turned into a diff by the generator. */
export interface FileEdit {
  path: string;
  replace: Array<[from: string, to: string]>;
}

/** How the stand-in formats its right answer. */
export type AnswerStyle = "clean" | "sloppy";

/** What the stand-in knows about one scenario (as written by hand, before diffs are computed). */
export interface ModelKnowledge {
  /** The right planner answer. */
  plan: string;
  /** Strings a request must contain for the right answer (a real model would need them). */
  evidence: string[];
  /** More strings only the patcher needs (e.g. the exact text of the doc it edits). */
  patchEvidence?: string[];
  /** The planner answer without the evidence. */
  wrongPlan?: string;
  /** The right change; absent when the right answer changes nothing. */
  fix?: FileEdit[];
  /** A plausible wrong change (a guess), given without the evidence. */
  wrongFix?: FileEdit[];
  style?: AnswerStyle;
  /**
   * Wrong first, right only after feedback: the first patch is `first`; later ones are right
   * only when the retry prompt carries every string in `retryEvidence`.
   */
  firstTry?: { fix: FileEdit[]; retryEvidence: string[] };
}

/** The same knowledge with every edit turned into reply text the stand-in sends. */
export interface ModelBrief {
  plan: string;
  evidence: string[];
  patchEvidence: string[];
  wrongPlan: string;
  patch: string;
  wrongPatch: string;
  style: AnswerStyle;
  firstPatch?: string;
  retryEvidence?: string[];
}

/** `not_fixed`: every patch the model offers must be refused (a cheat). */
export type TestsExpected = "fixed" | "no_failures" | "flaky_only" | "source_bug" | "not_fixed";
export type DocsExpected = "updated" | "no_changes";

interface ScenarioBase {
  id: string;
  /** The category from the list this scenario covers. */
  title: string;
  files: FileMap;
  commits: RepoCommit[];
}

export interface TestsScenarioSpec extends ScenarioBase {
  kind: "tests";
  expected: TestsExpected;
  model: ModelKnowledge;
}

export interface DocsScenarioSpec extends ScenarioBase {
  kind: "docs";
  expected: DocsExpected;
  /** Commits on the `feature` branch, after `commits` on main. */
  branchCommits: RepoCommit[];
  model: ModelKnowledge;
}

export type ScenarioSpec = TestsScenarioSpec | DocsScenarioSpec;

/** A scenario as stored in bench/scenarios/<id>.json: ready to build and answer. */
export type Scenario =
  | Omit<TestsScenarioSpec, "model">
    & { model: ModelBrief }
  | Omit<DocsScenarioSpec, "model"> & { model: ModelBrief };
