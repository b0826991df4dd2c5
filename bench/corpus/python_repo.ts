/** Builds the common shape of a test scenario: one package module that changes, its tests, filler around both. */
import { fillerFunctions, importFiller, pythonModule, testModule } from "./filler.ts";
import type { FileMap, ModelKnowledge, RepoCommit, TestsExpected, TestsScenarioSpec } from "./types.ts";

export const PYPROJECT = `[project]\nname = "bench-scenario"\nversion = "0.1.0"\n\n` +
  `[tool.pytest.ini_options]\npythonpath = ["."]\n`;

export interface ModuleScenarioInput {
  id: string;
  title: string;
  /** Module path without .py, e.g. `calc/ops`; its package gets an __init__.py. */
  module: string;
  /** The part of the module the commit changes, before and after. */
  before: string;
  after: string;
  message: string;
  /** Imports and tests specific to the scenario (filler tests are appended). */
  imports: string[];
  tests: string;
  seed: number;
  /** Filler functions in the module (default 20–119, from the seed); the first `fillerTests` (default 12) get tests. */
  filler?: number;
  fillerTests?: number;
  testPath?: string;
  extraFiles?: FileMap;
  /** More files the source commit changes. */
  extraChange?: Record<string, string | null>;
  expected?: TestsExpected;
  model: ModelKnowledge;
}

/** Real modules range from small to large; spread the scenarios' sizes (8 lines per function). */
export function moduleSize(seed: number): number {
  return 20 + (seed * 37) % 100;
}

export function moduleScenario(input: ModuleScenarioInput): TestsScenarioSpec {
  const filler = fillerFunctions(
    input.module.split("/").pop() ?? "m",
    input.filler ?? moduleSize(input.seed),
    input.seed,
  );
  const doc = `${input.module.replaceAll("/", ".")}: helpers used across the project.`;
  const dotted = input.module.replaceAll("/", ".");
  const packageDir = input.module.split("/").slice(0, -1).join("/");
  const tested = filler.slice(0, input.fillerTests ?? 12);
  const files: FileMap = {
    "pyproject.toml": PYPROJECT,
    [`${packageDir}/__init__.py`]: "",
    [`${input.module}.py`]: pythonModule(doc, input.before, filler),
    [input.testPath ?? `tests/test_${input.module.split("/").pop()}.py`]: testModule(
      [...input.imports, importFiller(dotted, tested)].filter((l) => l !== ""),
      input.tests,
      tested,
    ),
    ...input.extraFiles,
  };
  const commits: RepoCommit[] = [{
    message: input.message,
    files: { [`${input.module}.py`]: pythonModule(doc, input.after, filler), ...input.extraChange },
  }];
  return {
    kind: "tests",
    id: input.id,
    title: input.title,
    files,
    commits,
    expected: input.expected ?? "fixed",
    model: input.model,
  };
}

export const UPDATE = (reason: string, steps: string) => `VERDICT: UPDATE_TESTS\nREASON: ${reason}\nPLAN:\n${steps}`;

/** What a model says when it cannot see why the test fails: it blames the source. */
export const BLAME_SOURCE =
  "VERDICT: SOURCE_BUG\nREASON: the test looks right, so the source code seems to have regressed.\nPLAN:\n1. none";
