/**
 * The overhead benchmark: one large repository (150 modules in 10 packages, 1,500 passing tests
 * plus one that a source change broke) where `sentries tests` is timed against a bare
 * `pytest -q` of the same suite. Both run cold (no bytecode cache), as on a fresh CI checkout.
 */
import { fillerFunctions, importFiller, pythonModule, testModule } from "./corpus/filler.ts";
import { PYPROJECT, UPDATE } from "./corpus/python_repo.ts";
import type { FileMap, Scenario } from "./corpus/types.ts";
import { editsToDiff } from "./generate.ts";

export const LARGE_SHAPE = { packages: 10, modulesPerPackage: 15, functionsPerModule: 10 } as const;

const BROKEN = { area: 7, module: 11 } as const;
const brokenTests = `tests/area_${BROKEN.area}/test_a${BROKEN.area}_m${BROKEN.module}.py`;

const LABEL_BEFORE = 'def label(x):\n    return f"#{x}"';
const LABEL_AFTER = 'def label(x):\n    return f"No. {x}"';

function largeFiles(): { files: FileMap; after: FileMap } {
  const files: FileMap = { "pyproject.toml": PYPROJECT, "big/__init__.py": "" };
  let after: FileMap = {};
  for (let a = 0; a < LARGE_SHAPE.packages; a++) {
    files[`big/area_${a}/__init__.py`] = "";
    for (let m = 0; m < LARGE_SHAPE.modulesPerPackage; m++) {
      const module = `big/area_${a}/mod_${m}.py`;
      const dotted = `big.area_${a}.mod_${m}`;
      const filler = fillerFunctions(`a${a}m${m}`, LARGE_SHAPE.functionsPerModule, 1000 + a * 100 + m);
      const broken = a === BROKEN.area && m === BROKEN.module;
      const doc = `Area ${a}, module ${m}.`;
      files[module] = pythonModule(doc, broken ? LABEL_BEFORE : "", filler);
      if (broken) after = { [module]: pythonModule(doc, LABEL_AFTER, filler) };
      files[`tests/area_${a}/test_a${a}_m${m}.py`] = testModule(
        [broken ? `from ${dotted} import label` : "", importFiller(dotted, filler)].filter(Boolean),
        broken ? 'def test_label():\n    assert label(7) == "#7"' : "",
        filler,
      );
    }
  }
  return { files, after };
}

/** The large repository as a scenario, so the same runner and stand-in drive it. */
export function largeScenario(): Scenario {
  const { files, after } = largeFiles();
  const head = { ...files, ...after };
  const fix = [{ path: brokenTests, replace: [['== "#7"', '== "No. 7"']] as Array<[string, string]> }];
  return {
    kind: "tests",
    id: "large-repo",
    title: "large repository (150 modules, 1,501 tests, one failure)",
    files,
    commits: [{ message: "Labels read 'No. N'", files: after }],
    expected: "fixed",
    model: {
      plan: UPDATE("labels changed format.", `1. ${brokenTests}: expect No. 7`),
      evidence: ["'No. 7' == '#7'"],
      patchEvidence: [],
      wrongPlan: "VERDICT: SOURCE_BUG\nREASON: unclear.\nPLAN:\n1. none",
      patch: editsToDiff(head, fix, "large-repo"),
      wrongPatch: "NO_CHANGES",
      style: "clean",
    },
  };
}

export const LARGE_BROKEN_FILE = brokenTests;
