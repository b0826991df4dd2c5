/**
 * Generates the scenario corpus (bench/scenarios/*.json) from the definitions in bench/corpus/.
 * Deterministic: the same definitions always give the same bytes. Every right and wrong answer
 * is computed here as a real unified diff against the file it edits, so a typo in a scenario
 * fails generation instead of silently becoming a wrong answer.
 *
 *   deno run -A bench/generate.ts [OUT_DIR]
 */
import { join } from "node:path";
import { createTwoFilesPatch } from "diff";
import { API_SCENARIOS } from "./corpus/tests_api.ts";
import { CASE_SCENARIOS } from "./corpus/tests_cases.ts";
import { DOCS_SCENARIOS } from "./corpus/docs_scenarios.ts";
import { MORE_SCENARIOS } from "./corpus/tests_more.ts";
import { PROOF_SCENARIOS } from "./corpus/tests_proof.ts";
import { BLAME_SOURCE } from "./corpus/python_repo.ts";
import { LOOKS_INTERNAL } from "./corpus/docs_scenarios.ts";
import type { FileEdit, FileMap, ModelBrief, Scenario, ScenarioSpec } from "./corpus/types.ts";

export const SCENARIO_SPECS: ScenarioSpec[] = [
  ...API_SCENARIOS,
  ...MORE_SCENARIOS,
  ...PROOF_SCENARIOS,
  ...CASE_SCENARIOS,
  ...DOCS_SCENARIOS,
];

/** The files at the commit the pipeline runs on (HEAD of main, or of `feature` for docs). */
export function headFiles(spec: ScenarioSpec): FileMap {
  const files: FileMap = { ...spec.files };
  const commits = spec.kind === "docs" ? [...spec.commits, ...spec.branchCommits] : spec.commits;
  for (const commit of commits) {
    for (const [path, content] of Object.entries(commit.files)) {
      if (content === null) delete files[path];
      else files[path] = content;
    }
  }
  return files;
}

/** A unified diff (a/ b/ prefixes, 3 lines of context) for literal replacements in the head files. */
export function editsToDiff(files: FileMap, edits: FileEdit[], where: string): string {
  return edits.map((edit) => {
    const before = files[edit.path];
    if (before === undefined) throw new Error(`${where}: no file ${edit.path} to edit`);
    let after = before;
    for (const [from, to] of edit.replace) {
      if (!after.includes(from)) throw new Error(`${where}: ${edit.path} has no ${JSON.stringify(from)}`);
      after = after.replaceAll(from, to);
    }
    if (after === before) throw new Error(`${where}: the edit of ${edit.path} changes nothing`);
    const patch = createTwoFilesPatch(`a/${edit.path}`, `b/${edit.path}`, before, after, "", "", { context: 3 });
    // Drop the "=====" banner and the empty timestamps jsdiff writes after the file names.
    return patch.split("\n").filter((l) => !/^={10,}$/.test(l)).map((l) =>
      /^(---|\+\+\+) /.test(l) ? l.replace(/\t.*$/, "") : l
    ).join("\n");
  }).join("");
}

/**
 * The lines a diff removes or changes, trimmed: a model cannot edit a line it has not been
 * shown, so the patcher's right answer also needs each of them in its prompt.
 */
export function editedLines(diff: string): string[] {
  const lines = diff.split("\n").filter((l) => l.startsWith("-") && !l.startsWith("---")).map((l) => l.slice(1).trim());
  return [...new Set(lines.filter((l) => l !== ""))];
}

export function briefOf(spec: ScenarioSpec): ModelBrief {
  const files = headFiles(spec);
  const m = spec.model;
  const diff = (edits: FileEdit[] | undefined, what: string) =>
    edits ? editsToDiff(files, edits, `${spec.id} ${what}`) : "NO_CHANGES";
  const patch = diff(m.fix, "fix");
  return {
    plan: m.plan,
    evidence: m.evidence,
    patchEvidence: [...new Set([...(m.patchEvidence ?? []), ...(m.fix ? editedLines(patch) : [])])],
    // Without the evidence a planner blames the source (tests) or calls the change internal (docs).
    wrongPlan: m.wrongPlan ?? (spec.kind === "tests" ? BLAME_SOURCE : LOOKS_INTERNAL),
    patch,
    wrongPatch: diff(m.wrongFix, "wrongFix"),
    style: m.style ?? "clean",
    ...(m.firstTry ? { firstPatch: diff(m.firstTry.fix, "firstTry"), retryEvidence: m.firstTry.retryEvidence } : {}),
  };
}

export function buildCorpus(specs: ScenarioSpec[] = SCENARIO_SPECS): Scenario[] {
  const ids = new Set<string>();
  return specs.map((spec) => {
    if (ids.has(spec.id)) throw new Error(`duplicate scenario id ${spec.id}`);
    ids.add(spec.id);
    return { ...spec, model: briefOf(spec) } as Scenario;
  });
}

/** Writes one JSON file per scenario and removes stale ones; returns the scenarios. */
export async function writeCorpus(dir: string): Promise<Scenario[]> {
  const corpus = buildCorpus();
  await Deno.mkdir(dir, { recursive: true });
  const wanted = new Set(corpus.map((s) => `${s.id}.json`));
  for await (const entry of Deno.readDir(dir)) {
    if (entry.isFile && entry.name.endsWith(".json") && !wanted.has(entry.name)) {
      await Deno.remove(join(dir, entry.name));
    }
  }
  for (const scenario of corpus) {
    await Deno.writeTextFile(join(dir, `${scenario.id}.json`), JSON.stringify(scenario, null, 2) + "\n");
  }
  return corpus;
}

/** Reads the corpus back, in id order. */
export async function readCorpus(dir: string): Promise<Scenario[]> {
  const names: string[] = [];
  for await (const entry of Deno.readDir(dir)) if (entry.isFile && entry.name.endsWith(".json")) names.push(entry.name);
  names.sort();
  return await Promise.all(names.map(async (n) => JSON.parse(await Deno.readTextFile(join(dir, n))) as Scenario));
}

if (import.meta.main) {
  const dir = Deno.args[0] ?? new URL("./scenarios/", import.meta.url).pathname;
  const corpus = await writeCorpus(dir);
  console.log(`wrote ${corpus.length} scenarios to ${dir}`);
}
