/**
 * Step 6b of `sentries tests`: prove that each repaired test still tells the old behaviour from the new.
 * After the patch passes on the new code, the repaired tests run once more over the source as it was before
 * the change that broke them (old source, patched tests: in the fix's own worktree with the changed source files
 * put back for the run, or in a second worktree). A test that passes there too no
 * longer checks what changed, and the patch is refused with a reason for the patcher — unless the change only
 * removed a name the test used and the patch only renamed it (removed_name.ts): then it is left unproven.
 */
import { dirname, join, resolve } from "node:path";
import { isTestFile } from "../../context/resolve.ts";
import type { Git } from "../../git/git.ts";
import {
  createOverlayWorktree,
  exportOldSource,
  findOldSource,
  type OldSource,
  type OldSourceExport,
  type OverlayFile,
  withOldSourceInPlace,
} from "../../git/overlay.ts";
import { log } from "../../log.ts";
import { moduleOf, type PytestConfig, type PytestRun, runPytest, unusableRunReason } from "../../pytest/mod.ts";
import type { RepairedTest } from "../../pytest/repaired.ts";
import type { FailureKind, TestFailure } from "../../pytest/results.ts";
import type { PythonChecker } from "../../patch/python_checker.ts";
import { excuseRemovedNames, type RemovedName } from "./removed_name.ts";

/**
 * `lacks_name`: the test module imports a name the old code does not have (`cannot import name 'plus' from
 * 'calc.ops'`, a project module): the old code is there but its API differs, which fails the test there too.
 */
export type OldOutcome =
  | "failed"
  | "lacks_name"
  | "passed"
  | "error"
  | "collection_error"
  | "skipped"
  | "xfailed"
  | "missing";

const FAILS_ON_OLD: ReadonlySet<OldOutcome | undefined> = new Set(["failed", "lacks_name"]);

export interface TestProof {
  nodeId: string;
  before: FailureKind;
  /** How the patched test ran over the old source; absent when it could not run there at all. */
  old?: OldOutcome;
  /** pytest's message on the old source, one line. */
  detail?: string;
  /**
   * It passes on the old source too, but the change only removed this name, which the test used, and the patch
   * only renamed it: nothing the old code could tell apart (not a refusal).
   */
  removed?: RemovedName;
}

interface ProofBase {
  tests: TestProof[];
  /** Time the differential run took (worktree, pytest, clean-up). */
  durationMs: number;
}

export type DifferentialProof =
  | ProofBase & { kind: "proven"; oldSha: string; oldLabel: string; rule: string }
  | ProofBase & { kind: "refused"; oldSha: string; oldLabel: string; rule: string; feedback: string }
  | ProofBase & { kind: "unproven"; reason: string; oldSha?: string; oldLabel?: string; rule?: string };

export interface ProveInput {
  /** The user's repository: worktrees and history come from it, its files are never touched. */
  repo: Git;
  /** The commit the fix is based on. */
  headSha: string;
  /** In pull_request mode: the PR's base commit. */
  pullRequestBase?: string;
  /** Non-test files the failure context pointed at. */
  sourceFiles: string[];
  /** The patch's files (new content, or null for a deletion). */
  changes: OverlayFile[];
  /** The tests that failed before and pass now (Verification.repaired). */
  repaired: RepairedTest[];
  /** How the repaired tests failed before the patch (Discovery.confirmed): a missing name excuses a pass. */
  failedBefore?: TestFailure[];
  /** The guards' Python process, for the rename check; else one is started when that check is needed. */
  checker?: PythonChecker;
  /** Node ids collected after the patch: the tests of a module that failed to collect before. */
  collectedAfter: string[];
  /** Folders that hold the new code (the fix's worktree, the user's tree): the old run must not import from them. */
  currentTrees: string[];
  pytest: PytestConfig;
  signal?: AbortSignal;
  /**
   * Prove in the fix's own temporary worktree (the patch applied): its changed source files go back to the
   * old commit for the run and are restored after it, which costs far less than a second checkout. Only for
   * a worktree Sentries owns; `currentTrees` then names the folders besides it that hold the new code.
   */
  inPlace?: { worktree: Git; currentTrees: string[] };
  /** The `worktree_dir` setting, for a second worktree (a proof not in place). */
  worktreeDir?: string;
  /** {@link prepareProof} for this input, started ahead; else the proof prepares itself. */
  prepared?: Promise<PreparedProof>;
}

/** What the proof needs before there is a patch: the commit with the old source, and (in place) its files. */
export interface PreparedProof {
  old: OldSource;
  /** For a proof in place: the old versions of the changed source files, exported beside the worktree. */
  view?: OldSourceExport;
}

/**
 * Finds the old source and, for a proof in place, exports its changed files into the worktree's own temporary
 * folder (removed with it). Nothing here depends on the patch: the attempts start it once, ahead of the first.
 */
export async function prepareProof(
  input: Pick<ProveInput, "repo" | "headSha" | "pullRequestBase" | "sourceFiles" | "inPlace">,
): Promise<PreparedProof> {
  const old = await findOldSource(input.repo, {
    headSha: input.headSha,
    pullRequestBase: input.pullRequestBase,
    sourceFiles: input.sourceFiles,
    isTestPath: isTestFile,
  });
  if (old.kind === "none" || !input.inPlace) return { old };
  const { worktree } = input.inPlace;
  return { old, view: await exportOldSource(worktree, dirname(worktree.dir), old.sha, input.headSha, isTestFile) };
}

export const PROBE_FILE = "sentries_old_source_probe.py";

export async function proveFix(input: ProveInput): Promise<DifferentialProof> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const tests: TestProof[] = input.repaired.map((t) => ({ nodeId: t.nodeId, before: t.before }));
  const { old, view } = await (input.prepared ?? prepareProof(input));
  log.debug(`proof: old source ready after ${elapsed()} ms${input.prepared ? " (prepared ahead)" : ""}`);
  if (old.kind === "none") return { kind: "unproven", reason: old.reason, tests, durationMs: elapsed() };
  const at = { oldSha: old.sha, oldLabel: old.label, rule: old.rule };
  const judgeIn = async (dir: string, currentTrees: string[]): Promise<DifferentialProof> => {
    const probe = probePath(input.repaired);
    const probeFile = join(dir, probe);
    await Deno.writeTextFile(probeFile, probeSource(dir, currentTrees, topLevelNames(input.sourceFiles)));
    try {
      const run = await runOld(dir, input, probe);
      log.debug(`proof: pytest on the old source took ${run.durationMs} ms`);
      let judged = judge(input, run, probe, old.label);
      if (judged.kind === "refused") {
        const excused = await excusePasses(input, judged.tests, old.sha);
        if (excused.size > 0) judged = judge(input, run, probe, old.label, excused);
      }
      return { ...judged, ...at, tests: judged.tests, durationMs: elapsed() } as DifferentialProof;
    } finally {
      await Deno.remove(probeFile).catch(() => {});
    }
  };
  if (input.inPlace && view) {
    const { worktree, currentTrees } = input.inPlace;
    try {
      return await withOldSourceInPlace(worktree, view, () => judgeIn(worktree.dir, currentTrees));
    } finally {
      // Prepared here, for this proof only: its export goes now (one started ahead serves every attempt).
      if (!input.prepared) await Deno.remove(view.scratch, { recursive: true }).catch(() => {});
    }
  }
  const worktree = await createOverlayWorktree(
    input.repo,
    old.sha,
    input.headSha,
    input.changes,
    isTestFile,
    input.signal,
    input.worktreeDir,
  );
  try {
    return await judgeIn(worktree.dir, input.currentTrees);
  } finally {
    await worktree.remove();
  }
}

/** The repaired node ids on the old source, plus the probe last; by modules when pytest cannot find an id. */
async function runOld(dir: string, input: ProveInput, probe: string): Promise<PytestRun> {
  const ids = input.repaired.flatMap((t) =>
    t.nowAs ??
      (t.before === "collection_error"
        ? input.collectedAfter.filter((id) => id !== t.nodeId && moduleOf(id) === t.nodeId)
        : [t.nodeId])
  );
  const run = await runPytest(dir, input.pytest, [...new Set(ids), probe]);
  if (run.exitCode !== 4 || run.collected.length > 0) return run;
  // exit 4 with nothing reported: a node id not found (its parameters differ on the old code).
  const modules = [...new Set(ids.map(moduleOf))].sort();
  return await runPytest(dir, input.pytest, [...modules, probe]);
}

type Judged =
  | { kind: "proven"; tests: TestProof[] }
  | { kind: "refused"; feedback: string; tests: TestProof[] }
  | { kind: "unproven"; reason: string; tests: TestProof[] };

/** The repaired tests that pass on the old source only because the change removed a name they used. */
async function excusePasses(input: ProveInput, tests: TestProof[], oldSha: string): Promise<Map<string, RemovedName>> {
  const passing = new Set(tests.filter((t) => t.old === "passed").map((t) => t.nodeId));
  const failures = (input.failedBefore ?? []).filter((f) => passing.has(f.nodeId));
  if (failures.length === 0) return new Map();
  const verdict = await excuseRemovedNames({
    repo: input.repo,
    headSha: input.headSha,
    oldSha,
    sourceFiles: input.sourceFiles,
    projectNames: topLevelNames(input.sourceFiles),
    failures,
    changes: input.changes,
    checker: input.checker,
  });
  if (verdict.problem) log.debug(`  proof: a missing name does not excuse the pass: ${verdict.problem}`);
  return verdict.excused;
}

function judge(
  input: ProveInput,
  run: PytestRun,
  probe: string,
  oldLabel: string,
  excused: ReadonlyMap<string, RemovedName> = new Map(),
): Judged {
  const unusable = unusableRunReason(run);
  const bare = input.repaired.map((t) => ({ nodeId: t.nodeId, before: t.before }));
  if (unusable) return { kind: "unproven", reason: `pytest could not run on ${oldLabel}: ${unusable}`, tests: bare };
  const probeFailure = run.failures.find((f) => f.file === probe);
  if (probeFailure) {
    const imported = /SENTRIES_PROBE: (.*)/.exec(probeFailure.message + "\n" + probeFailure.traceback)?.[1];
    return {
      kind: "unproven",
      reason: imported
        ? `the run over ${oldLabel} imported the project from the current code (${imported.trim()}), so the old ` +
          "source could not stand in (an installed copy of the project, e.g. `pip install -e .`, wins)"
        : `the old-source check itself failed on ${oldLabel}: ${probeFailure.message.split("\n")[0]}`,
      tests: bare,
    };
  }
  const conftest = run.failures.find((f) => f.kind === "collection_error" && f.file.endsWith("conftest.py"));
  const names = topLevelNames(input.sourceFiles);
  const tests = input.repaired.map((t) => {
    const proof = proofOf(t, run, input.collectedAfter, names);
    const removed = proof.old === "passed" ? excused.get(t.nodeId) : undefined;
    return removed ? { ...proof, removed } : proof;
  });
  const passing = tests.filter((t) => t.old === "passed" && !t.removed);
  if (passing.length > 0) {
    const lines = passing.map((t) =>
      `- ${t.nodeId} also passes on ${oldLabel}, so it no longer checks what changed; assert the new behaviour`
    );
    return {
      kind: "refused",
      feedback: `These tests pass now, but they pass on the old source too:\n${lines.join("\n")}\n` +
        "A fixed test must fail on the code before the change and pass on the code after it. Do not compare a " +
        "value with itself, compute the expected value with the code under test, or swallow the assertion.",
      tests,
    };
  }
  const removed = removedNameReason(tests);
  const unproven = (reason: string): Judged => ({
    kind: "unproven",
    reason: [removed, reason].filter((r) => r).join("; "),
    tests,
  });
  if (tests.every((t) => FAILS_ON_OLD.has(t.old) || t.removed)) {
    return removed ? unproven("") : { kind: "proven", tests };
  }
  const cannotImport = conftest ?? run.failures.find((f) => f.kind === "collection_error");
  if (cannotImport) {
    return unproven(
      `the old code at ${oldLabel} cannot be imported by the tests (${cannotImport.nodeId}: ${
        cannotImport.message.split("\n")[0].slice(0, 160)
      })`,
    );
  }
  const unshown = tests.filter((t) => !FAILS_ON_OLD.has(t.old) && !t.removed).map((t) =>
    `${t.nodeId} ${t.old ?? "did not run"}`
  );
  return unproven(`on ${oldLabel}: ${unshown.join("; ")}`);
}

/** Said plainly in the report: what passes on both sides because the change only removed a name. */
function removedNameReason(tests: TestProof[]): string {
  const users = tests.filter((t) => t.removed);
  if (users.length === 0) return "";
  const names = [...new Set(users.map((t) => `\`${t.removed!.name}\``))];
  const who = users.length === 1 ? users[0].nodeId : "the repaired tests";
  const what = users.length === 1 ? "what it checks" : "what they check";
  return `the change removed ${names.join(", ")}, which ${who} used; ${what} behaves the same before and after, ` +
    "so the old code cannot tell them apart";
}

function proofOf(t: RepairedTest, run: PytestRun, collectedAfter: string[], projectNames: string[]): TestProof {
  const base = { nodeId: t.nodeId, before: t.before };
  const outcome = (id: string): { old: OldOutcome; detail?: string } => {
    const failure = run.failures.find((f) => f.nodeId === id) ??
      run.failures.find((f) => f.kind === "collection_error" && f.nodeId === moduleOf(id));
    if (failure) return collectionOrFailure(failure, failure.nodeId !== id, projectNames);
    const notRun = run.notRun?.find((n) => n.nodeId === id);
    if (notRun) return { old: notRun.outcome, detail: notRun.message };
    return { old: run.collected.includes(id) ? "passed" : "missing" };
  };
  if (t.before !== "collection_error" && !t.nowAs) return { ...base, ...outcome(t.nodeId) };
  // A module that did not collect before (or a case renamed with its parameters): proven when one of its tests
  // fails on the old source, refused when all pass.
  const own = run.failures.find((f) => f.nodeId === t.nodeId);
  if (own) return { ...base, ...collectionOrFailure(own, true, projectNames) };
  const results = (t.nowAs ?? collectedAfter.filter((id) => id !== t.nodeId && moduleOf(id) === t.nodeId))
    .map(outcome);
  const first = (o: OldOutcome) => results.find((r) => r.old === o);
  return {
    ...base,
    ...(first("failed") ?? first("lacks_name") ?? first("collection_error") ?? first("error") ?? first("skipped") ??
      first("xfailed") ??
      first("missing") ?? first("passed") ?? { old: "missing" as const }),
  };
}

function collectionOrFailure(
  failure: TestFailure,
  moduleLevel: boolean,
  projectNames: string[],
): { old: OldOutcome; detail: string } {
  const text = failure.message + "\n" + failure.traceback;
  const detail = failure.message.split("\n")[0].slice(0, 200);
  if (!moduleLevel && failure.kind !== "collection_error") return { old: failure.kind, detail };
  const missing = /cannot import name '(\w+)' from '([\w.]+)'/.exec(text);
  if (missing && projectNames.includes(missing[2].split(".")[0])) {
    return { old: "lacks_name", detail: `the old ${missing[2]} has no ${missing[1]}` };
  }
  return { old: "collection_error", detail };
}

/** Next to the first repaired test, so it is imported the way the tests are (same rootdir, same conftest). */
function probePath(repaired: RepairedTest[]): string {
  const first = moduleOf(repaired[0]?.nodeId ?? "");
  const dir = first.includes("/") ? first.slice(0, first.lastIndexOf("/")) : "";
  return dir ? `${dir}/${PROBE_FILE}` : PROBE_FILE;
}

/** The project's own top-level packages and modules, from its source files (`src/` layouts included). */
export function topLevelNames(sourceFiles: string[]): string[] {
  const names = sourceFiles.filter((f) => f.endsWith(".py")).map((f) => {
    const parts = f.replace(/^src\//, "").split("/");
    return parts[0].replace(/\.py$/, "");
  });
  return [...new Set(names)].filter((n) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(n)).sort();
}

/**
 * A module (collected last) that fails when the run imported project code from anywhere but the old tree:
 * from the new code, or an installed copy of the project. It checks at collection and again after the tests.
 */
function probeSource(oldDir: string, currentTrees: string[], projectNames: string[]): string {
  const py = (value: unknown) => JSON.stringify(value);
  return `# Written by Sentries into its temporary old-source worktree; never committed.
"""PYTEST_DONT_REWRITE"""  # no assert statement here for pytest to rewrite: it need not parse the module
import os
import sys

_OLD = os.path.realpath(${py(resolve(oldDir))}) + os.sep
_CURRENT = [os.path.realpath(p) + os.sep for p in ${py(currentTrees.map((t) => resolve(t)))}]
_NAMES = set(${py(projectNames)})


def _real(path, folders):
    # os.path.realpath(path), resolving each folder once: several hundred modules live in a few dozen folders.
    folder, base = os.path.split(path)
    real_folder = folders.get(folder)
    if real_folder is None:
        real_folder = folders[folder] = os.path.realpath(folder)
    joined = os.path.join(real_folder, base)
    return os.path.realpath(joined) if os.path.islink(joined) else joined


def _wrong_imports():
    wrong = []
    folders = {}
    for name, module in list(sys.modules.items()):
        path = getattr(module, "__file__", None)
        if not path:
            continue
        real = _real(os.path.abspath(path), folders)
        if real.startswith(_OLD):
            continue
        installed = "site-packages" in real or "dist-packages" in real
        if name.split(".")[0] in _NAMES or (not installed and any(real.startswith(c) for c in _CURRENT)):
            wrong.append(name + " from " + real)
    return sorted(wrong)[:3]


def _check():
    wrong = _wrong_imports()
    if wrong:
        raise RuntimeError("SENTRIES_PROBE: " + "; ".join(wrong))


_check()


def test_sentries_old_source():
    _check()
`;
}
