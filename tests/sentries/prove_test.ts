/**
 * The differential proof with real git repositories and real pytest: a patched test must pass on the new
 * code (verifyFix) and fail on the source before the change that broke it (proveFix). Cheats that pass on
 * both are refused; honest fixes are proven; where the old code cannot be had, the proof says why.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { Git } from "../../src/git/git.ts";
import { createWorktree } from "../../src/git/worktree.ts";
import { discoverFailures, type PytestConfig } from "../../src/pytest/mod.ts";
import { type DifferentialProof, proveFix, topLevelNames } from "../../src/sentries/testsentry/prove.ts";
import { type Verification, verifyFix } from "../../src/sentries/testsentry/verify.ts";
import { proofLines } from "../../src/sentries/testsentry/report.ts";
import { missingNames } from "../../src/sentries/testsentry/removed_name.ts";
import { createPyRepo, type PyRepo, type PyRepoCommit } from "../support/pyrepo.ts";

const PYTEST: PytestConfig = { command: ["python3", "-m", "pytest"], timeoutMs: 60_000 };

const PRICING_V1 = `def label(amount):
    return f"\${amount:.2f}"


def ratio(a, b):
    return a / b
`;

const PRICING_V2 = `def label(amount):
    return f"{amount:.2f} EUR"


def ratio(a, b):
    return round(a / b, 4)
`;

const TEST_V1 = `from shop.pricing import label, ratio


def test_label():
    assert label(5) == "$5.00"


def test_ratio():
    assert ratio(1, 3) == 0.3333333333333333
`;

const BASE_FILES = {
  "conftest.py": "",
  "shop/legacy.py": "OLD = True\n",
  "shop/__init__.py": "",
  "shop/pricing.py": PRICING_V1,
  "tests/test_pricing.py": TEST_V1,
};

const EUROS: PyRepoCommit = {
  message: "Show prices in euros, ratios to 4 places",
  files: { "shop/pricing.py": PRICING_V2 },
};

interface Checked {
  verification: Verification;
  proof?: DifferentialProof;
}

/**
 * Discovers the failures at HEAD, writes `patched` over tests/test_pricing.py (and `alsoPatched` over theirs),
 * verifies, then proves.
 */
async function check(
  repo: PyRepo,
  patched: string,
  options: {
    pullRequestBase?: string;
    testFile?: string;
    sourceFiles?: string[];
    secondWorktree?: boolean;
    alsoPatched?: Record<string, string>;
  } = {},
): Promise<Checked> {
  const git = new Git(repo.dir);
  const head = await git.headSha();
  const worktree = await createWorktree(git, head);
  try {
    const discovery = await discoverFailures(worktree.dir, PYTEST);
    assert.ok(discovery.confirmed.length > 0, "the scenario must start with failing tests");
    const path = options.testFile ?? "tests/test_pricing.py";
    const files: Record<string, string> = { [path]: patched, ...options.alsoPatched };
    for (const [file, content] of Object.entries(files)) await Deno.writeTextFile(join(worktree.dir, file), content);
    const verification = await verifyFix(
      worktree.dir,
      PYTEST,
      { run: discovery.run, failures: discovery.confirmed },
      Object.keys(files),
    );
    if (!verification.ok) return { verification };
    const proof = await proveFix({
      repo: git,
      headSha: head,
      pullRequestBase: options.pullRequestBase,
      sourceFiles: options.sourceFiles ?? ["shop/pricing.py"],
      changes: Object.entries(files).map(([file, content]) => ({ path: file, content })),
      repaired: verification.repaired,
      failedBefore: discovery.confirmed,
      collectedAfter: verification.runs[verification.runs.length - 1].collected,
      currentTrees: [worktree.dir, repo.dir],
      pytest: PYTEST,
      inPlace: options.secondWorktree ? undefined : { worktree: worktree.git, currentTrees: [repo.dir] },
    });
    // In place, the fix's worktree is back to HEAD plus the patch, index included.
    assert.deepEqual(
      (await worktree.git.text(["status", "--porcelain"])).split("\n").map((l) => l.trim()),
      Object.keys(files).sort().map((f) => `M ${f}`),
    );
    return { verification, proof };
  } finally {
    await worktree.remove();
  }
}

async function withRepo(fn: (repo: PyRepo) => Promise<void>, commits: PyRepoCommit[] = [EUROS]): Promise<void> {
  const repo = await createPyRepo({ files: BASE_FILES, commits });
  try {
    await fn(repo);
  } finally {
    await repo.cleanup();
  }
}

/** test_pricing.py with test_label's body replaced (test_ratio fixed honestly). */
function withLabelTest(body: string, header = ""): string {
  return `import pytest
from shop.pricing import label, ratio
${header}

def test_label():
${body}


def test_ratio():
    assert ratio(1, 3) == 0.3333
`;
}

const assertRefused = (checked: Checked, nodeId: string) => {
  assert.ok(checked.verification.ok, checked.verification.feedback);
  assert.equal(checked.proof?.kind, "refused", JSON.stringify(checked.proof));
  if (checked.proof?.kind !== "refused") return;
  assert.match(
    checked.proof.feedback,
    new RegExp(
      `${
        nodeId.replaceAll(/[.[\]]/g, "\\$&")
      } also passes on the code before [0-9a-f]{7}, so it no longer checks what changed; assert the new behaviour`,
    ),
  );
  assert.equal(checked.proof.tests.find((t) => t.nodeId === nodeId)?.old, "passed");
};

// --- cheats that must be refused ------------------------------------------------------------------------

Deno.test("proveFix refuses a value compared with itself", () =>
  withRepo(async (repo) => {
    assertRefused(
      await check(repo, withLabelTest("    x = label(5)\n    assert x == x")),
      "tests/test_pricing.py::test_label",
    );
  }));

Deno.test("proveFix refuses an expected value computed by calling the code under test", () =>
  withRepo(async (repo) => {
    const checked = await check(repo, withLabelTest("    expected = label(5.0)\n    assert label(5) == expected"));
    assertRefused(checked, "tests/test_pricing.py::test_label");
  }));

Deno.test("proveFix refuses an assertion moved under `if False:`", () =>
  withRepo(async (repo) => {
    const checked = await check(repo, withLabelTest('    if False:\n        assert label(5) == "5.00 EUR"'));
    assertRefused(checked, "tests/test_pricing.py::test_label");
  }));

Deno.test("proveFix refuses an assertion whose failure is swallowed", () =>
  withRepo(async (repo) => {
    const body = '    try:\n        assert label(5) == "5.00 EUR"\n    except AssertionError:\n        pass';
    assertRefused(await check(repo, withLabelTest(body)), "tests/test_pricing.py::test_label");
  }));

Deno.test("proveFix refuses a test changed to pass trivially", () =>
  withRepo(async (repo) => {
    assertRefused(await check(repo, withLabelTest("    assert label(5)")), "tests/test_pricing.py::test_label");
  }));

Deno.test("a loosened tolerance that no longer sees the change is refused: a human decides", () =>
  withRepo(async (repo) => {
    const patched = withLabelTest('    assert label(5) == "5.00 EUR"').replace(
      "assert ratio(1, 3) == 0.3333",
      "assert ratio(1, 3) == pytest.approx(0.3333, abs=1e-3)",
    );
    assertRefused(await check(repo, patched), "tests/test_pricing.py::test_ratio");
  }));

// --- item 1: a test that failed must be collected and pass ----------------------------------------------

Deno.test("verifyFix: a previously failing test that is now skipped is not fixed", () =>
  withRepo(async (repo) => {
    const patched = withLabelTest('    assert label(5) == "5.00 EUR"').replace(
      "def test_ratio",
      '@pytest.mark.skip(reason="later")\ndef test_ratio',
    );
    const { verification, proof } = await check(repo, patched);
    assert.equal(verification.ok, false);
    assert.equal(proof, undefined);
    assert.deepEqual(
      verification.repaired.map((t) => [t.nodeId, t.before, t.after]),
      [
        ["tests/test_pricing.py::test_label", "failed", "passed"],
        ["tests/test_pricing.py::test_ratio", "failed", "skipped"],
      ],
    );
    assert.match(verification.feedback ?? "", /test_ratio failed before and is skipped now.*: later/);
  }));

Deno.test("verifyFix: a previously failing test now marked xfail is not fixed", () =>
  withRepo(async (repo) => {
    const patched = withLabelTest('    assert label(5) == "5.00 EUR"').replace(
      "def test_ratio():\n    assert ratio(1, 3) == 0.3333",
      '@pytest.mark.xfail(reason="rounding")\ndef test_ratio():\n    assert ratio(1, 3) == 0.5',
    );
    const { verification } = await check(repo, patched);
    assert.equal(verification.ok, false);
    assert.equal(verification.repaired.find((t) => t.nodeId.endsWith("test_ratio"))?.after, "xfailed");
    assert.match(verification.feedback ?? "", /test_ratio failed before and is marked xfail now/);
  }));

// --- honest fixes that must pass ------------------------------------------------------------------------

Deno.test("proveFix proves an updated expected value: it fails on the code before the change", () =>
  withRepo(async (repo) => {
    const changed = (await repo.git("rev-parse", "--short=7", "HEAD")).trim();
    const parent = (await repo.git("rev-parse", "HEAD^")).trim();
    const { verification, proof } = await check(repo, withLabelTest('    assert label(5) == "5.00 EUR"'));
    assert.ok(verification.ok, verification.feedback);
    assert.equal(proof?.kind, "proven", JSON.stringify(proof));
    if (proof?.kind !== "proven") return;
    assert.equal(proof.oldSha, parent);
    assert.equal(proof.oldLabel, `the code before ${changed}`);
    assert.deepEqual(proof.tests.map((t) => [t.nodeId, t.old]), [
      ["tests/test_pricing.py::test_label", "failed"],
      ["tests/test_pricing.py::test_ratio", "failed"],
    ]);
    assert.ok(proof.durationMs > 0);
  }));

Deno.test("a loosened brittle assertion that still checks the new behaviour is proven", () =>
  withRepo(async (repo) => {
    const { proof } = await check(repo, withLabelTest('    assert label(5).endswith(" EUR")'));
    assert.equal(proof?.kind, "proven", JSON.stringify(proof));
  }));

Deno.test("proveFix in pull_request mode compares with the pull request's base", () =>
  withRepo(async (repo) => {
    const base = (await repo.git("rev-parse", "HEAD~2")).trim();
    const { proof } = await check(repo, withLabelTest('    assert label(5) == "5.00 EUR"'), { pullRequestBase: base });
    assert.equal(proof?.kind, "proven", JSON.stringify(proof));
    if (proof?.kind !== "proven") return;
    assert.equal(proof.oldSha, base);
    assert.equal(proof.oldLabel, `the pull request's base ${base.slice(0, 7)}`);
  }, [{ message: "docs", files: { "README.md": "shop\n" } }, EUROS]));

Deno.test("proveFix: a renamed import fails on the old code, which lacks the new name: proven", () =>
  withRepo(async (repo) => {
    const patched = withLabelTest('    assert price_label(5) == "5.00 EUR"').replace(
      "from shop.pricing import label, ratio",
      "from shop.pricing import price_label, ratio",
    );
    const { verification, proof } = await check(repo, patched);
    assert.ok(verification.ok, verification.feedback);
    assert.deepEqual(verification.repaired.map((t) => [t.nodeId, t.before, t.after]), [
      ["tests/test_pricing.py", "collection_error", "passed"],
    ]);
    assert.equal(proof?.kind, "proven", JSON.stringify(proof));
    assert.deepEqual(proof?.tests.map((t) => [t.old, t.detail]), [
      ["lacks_name", "the old shop.pricing has no price_label"],
    ]);
  }, [{
    message: "Rename label to price_label, euros",
    files: { "shop/pricing.py": PRICING_V2.replace("def label", "def price_label") },
  }]));

Deno.test("in a second worktree too: an honest fix is proven and a cheat refused", () =>
  withRepo(async (repo) => {
    const honest = await check(repo, withLabelTest('    assert label(5) == "5.00 EUR"'), { secondWorktree: true });
    assert.equal(honest.proof?.kind, "proven", JSON.stringify(honest.proof));
    const cheat = await check(repo, withLabelTest("    assert label(5)"), { secondWorktree: true });
    assertRefused(cheat, "tests/test_pricing.py::test_label");
    const renamed = withLabelTest('    assert label(5) == "5.00 EUR"') + "\n";
    assert.equal((await check(repo, renamed, { secondWorktree: true })).proof?.kind, "proven");
  }));

Deno.test("in place, source files added or deleted since the old commit are put back exactly", () =>
  withRepo(async (repo) => {
    const { proof } = await check(repo, withLabelTest('    assert label(5) == "5.00 EUR"'));
    assert.equal(proof?.kind, "proven", JSON.stringify(proof));
  }, [{
    message: "euros, a new module, an old one gone",
    files: { "shop/pricing.py": PRICING_V2, "shop/currency.py": "EUR = 'EUR'\n", "shop/legacy.py": null },
  }]));

// --- where no proof is possible ------------------------------------------------------------------------

Deno.test("proveFix: no earlier commit of the source means not proven, with the reason", async () => {
  const repo = await createPyRepo({ files: { ...BASE_FILES, "shop/pricing.py": PRICING_V2 } });
  try {
    const { proof } = await check(repo, withLabelTest('    assert label(5) == "5.00 EUR"'));
    assert.equal(proof?.kind, "unproven");
    if (proof?.kind !== "unproven") return;
    assert.match(proof.reason, /shop\/pricing\.py first appeared in [0-9a-f]{7}: there is no earlier version/);
  } finally {
    await repo.cleanup();
  }
});

Deno.test("proveFix: old code that does not import means not proven", () =>
  withRepo(async (repo) => {
    const { proof } = await check(repo, withLabelTest('    assert label(5) == "5.00 EUR"'));
    assert.equal(proof?.kind, "unproven", JSON.stringify(proof));
    if (proof?.kind !== "unproven") return;
    assert.match(proof.reason, /cannot be imported by the tests .*missing_dependency_xyz/);
  }, [
    { message: "needs a helper", files: { "shop/pricing.py": "import missing_dependency_xyz\n" + PRICING_V1 } },
    { message: "drop the helper; euros", files: { "shop/pricing.py": PRICING_V2 } },
  ]));

Deno.test("proveFix: a run that imports the project from the current tree is not taken as the old code", () =>
  withRepo(async (repo) => {
    // As an editable install would: tests/conftest.py puts the user's tree first on sys.path.
    await repo.commit({
      message: "conftest that imports from the checkout",
      files: {
        "tests/conftest.py": `import sys\nsys.path.insert(0, ${JSON.stringify(repo.dir)})\nimport shop.pricing\n`,
      },
    });
    const { proof } = await check(repo, withLabelTest('    assert label(5) == "5.00 EUR"'));
    assert.equal(proof?.kind, "unproven", JSON.stringify(proof));
    if (proof?.kind !== "unproven") return;
    assert.match(proof.reason, /imported the project from the current code \(shop.* from /);
  }));

Deno.test("proveFix: no source file in the context means not proven", () =>
  withRepo(async (repo) => {
    const { proof } = await check(repo, withLabelTest('    assert label(5) == "5.00 EUR"'), { sourceFiles: [] });
    assert.equal(proof?.kind, "unproven");
    if (proof?.kind === "unproven") assert.match(proof.reason, /named no source file/);
  }));

Deno.test("the user's tree is left alone by the proof", () =>
  withRepo(async (repo) => {
    const before = await repo.git("status", "--porcelain", "--untracked-files=all");
    const worktreesBefore = await repo.git("worktree", "list");
    await check(repo, withLabelTest('    assert label(5) == "5.00 EUR"'));
    assert.equal(await repo.git("status", "--porcelain", "--untracked-files=all"), before);
    assert.equal(await repo.git("worktree", "list"), worktreesBefore);
  }));

Deno.test("topLevelNames: packages and modules, src layouts included", () => {
  assert.deepEqual(topLevelNames(["shop/pricing.py", "src/cart/x.py", "util.py", "docs/conf.txt"]), [
    "cart",
    "shop",
    "util",
  ]);
});

Deno.test("proofLines: each repaired test says failed before, passes now, and fails on the old code — or why not", () => {
  const lines = proofLines({
    kind: "unproven",
    oldSha: "abcdef1234567",
    oldLabel: "the code before 1a2b3c4",
    reason: "on the code before 1a2b3c4: tests/test_x.py::test_y error",
    durationMs: 120,
    tests: [
      { nodeId: "tests/test_x.py::test_y", before: "failed", after: "passed", old: "error", detail: "no fixture 'db'" },
      { nodeId: "tests/test_x.py::test_z", before: "error", after: "passed", old: "failed" },
    ],
  });
  assert.deepEqual(lines, [
    "tests/test_x.py::test_y: failed before, passes now; not proven against an earlier version: error on the code " +
    "before 1a2b3c4 (no fixture 'db')",
    "tests/test_x.py::test_z: errored before, passes now, fails on the code before 1a2b3c4 (at abcdef1)",
  ]);
  const none = proofLines({
    kind: "unproven",
    reason: "shop/pricing.py first appeared in 1a2b3c4: there is no earlier version",
    durationMs: 3,
    tests: [{ nodeId: "tests/test_x.py::test_y", before: "failed", after: "passed" }],
  });
  assert.match(none[0], /not proven against an earlier version: shop\/pricing\.py first appeared/);
});

Deno.test("a parametrized case whose id changed with its fixed parameters is repaired, and proven by its new id", () =>
  withRepo(async (repo) => {
    await repo.commit({
      message: "parametrized labels",
      files: {
        "tests/test_labels.py":
          'import pytest\nfrom shop.pricing import label\n\n\n@pytest.mark.parametrize("n, text", ' +
          '[(5, "$5.00"), (7, "$7.00")])\ndef test_labels(n, text):\n    assert label(n) == text\n',
      },
    });
    // The source change comes after the tests, so the failures are caused by it.
    await repo.commit({ message: "euros", files: { "shop/pricing.py": PRICING_V2 } });
    const fixed = 'import pytest\nfrom shop.pricing import label\n\n\n@pytest.mark.parametrize("n, text", ' +
      '[(5, "5.00 EUR"), (7, "7.00 EUR")])\ndef test_labels(n, text):\n    assert label(n) == text\n';
    const git = new Git(repo.dir);
    const head = await git.headSha();
    const worktree = await createWorktree(git, head);
    try {
      const discovery = await discoverFailures(worktree.dir, { ...PYTEST, paths: ["tests/test_labels.py"] });
      await Deno.writeTextFile(join(worktree.dir, "tests/test_labels.py"), fixed);
      const verification = await verifyFix(
        worktree.dir,
        PYTEST,
        { run: discovery.run, failures: discovery.confirmed },
        [
          "tests/test_labels.py",
        ],
      );
      assert.ok(verification.ok, verification.feedback);
      assert.deepEqual(verification.repaired.map((t) => t.nowAs), [
        ["tests/test_labels.py::test_labels[5-5.00 EUR]", "tests/test_labels.py::test_labels[7-7.00 EUR]"],
        ["tests/test_labels.py::test_labels[5-5.00 EUR]", "tests/test_labels.py::test_labels[7-7.00 EUR]"],
      ]);
      const proof = await proveFix({
        repo: git,
        headSha: head,
        sourceFiles: ["shop/pricing.py"],
        changes: [{ path: "tests/test_labels.py", content: fixed }],
        repaired: verification.repaired,
        collectedAfter: verification.runs[verification.runs.length - 1].collected,
        currentTrees: [worktree.dir, repo.dir],
        pytest: PYTEST,
      });
      assert.equal(proof.kind, "proven", JSON.stringify(proof));
    } finally {
      await worktree.remove();
    }
  }, []));

// --- issue 13: the change only removed a name (a deprecated alias); the honest fix renames it -------------

const CART_V1 = `import warnings


def total(items):
    return sum(price for _, price in items)


def count(items):
    return len(items)


def old_total(items):
    """Deprecated: use total()."""
    warnings.warn("old_total is deprecated; use total", DeprecationWarning)
    return total(items)
`;

const CART_V2 = `def total(items):
    return sum(price for _, price in items)


def count(items):
    return len(items)
`;

const CART_TEST = `from shop.cart import old_total


def test_total():
    assert old_total([("pen", 2), ("ink", 5)]) == 7
`;

/** The t09 bench shape: tests/test_cart.py uses old_total, which the last commit removed. */
async function withCartRepo(fn: (repo: PyRepo) => Promise<void>, test = CART_TEST): Promise<void> {
  const repo = await createPyRepo({
    files: { "conftest.py": "", "shop/__init__.py": "", "shop/cart.py": CART_V1, "tests/test_cart.py": test },
    commits: [{ message: "Remove the deprecated old_total", files: { "shop/cart.py": CART_V2 } }],
  });
  try {
    await fn(repo);
  } finally {
    await repo.cleanup();
  }
}

const checkCart = (repo: PyRepo, patched: string, alsoPatched?: Record<string, string>) =>
  check(repo, patched, { testFile: "tests/test_cart.py", sourceFiles: ["shop/cart.py"], alsoPatched });

Deno.test("a removed alias renamed in the test passes on the old code too: not proven, not refused", () =>
  withCartRepo(async (repo) => {
    const { verification, proof } = await checkCart(repo, CART_TEST.replaceAll("old_total", "total"));
    assert.ok(verification.ok, verification.feedback);
    assert.equal(proof?.kind, "unproven", JSON.stringify(proof));
    if (proof?.kind !== "unproven") return;
    assert.match(proof.oldSha ?? "", /^[0-9a-f]{40}$/);
    assert.equal(
      proof.reason,
      "the change removed `old_total`, which tests/test_cart.py used; what it checks behaves the same before and " +
        "after, so the old code cannot tell them apart",
    );
    assert.deepEqual(proof.tests.map((t) => [t.nodeId, t.before, t.old, t.removed]), [
      ["tests/test_cart.py", "collection_error", "passed", { name: "old_total", now: "total" }],
    ]);
    const [line] = proofLines({ ...proof, durationMs: 1, tests: proof.tests.map((t) => ({ ...t, after: "passed" })) });
    assert.match(
      line,
      /^tests\/test_cart\.py: errored before, passes now; not proven against an earlier version: passes on the code before [0-9a-f]{7} too, as the change only removed `old_total`, which the test used \(now `total`\)$/,
    );
  }));

Deno.test("a removed name used through its module (AttributeError) and renamed there: not proven, not refused", () =>
  withCartRepo(
    async (repo) => {
      const { verification, proof } = await checkCart(
        repo,
        'import shop.cart as cart\n\n\ndef test_total():\n    assert cart.total([("pen", 2), ("ink", 5)]) == 7\n',
      );
      assert.ok(verification.ok, verification.feedback);
      assert.equal(proof?.kind, "unproven", JSON.stringify(proof));
      assert.deepEqual(proof?.tests.map((t) => [t.before, t.removed]), [["failed", {
        name: "old_total",
        now: "total",
      }]]);
    },
    'import shop.cart as cart\n\n\ndef test_total():\n    assert cart.old_total([("pen", 2), ("ink", 5)]) == 7\n',
  ));

const CART_CHEATS: [string, string][] = [
  [
    "the expected value and input changed with the rename",
    "from shop.cart import total\n\n\ndef test_total():\n    assert total([]) == 0\n",
  ],
  [
    "the assertion replaced by one the old code passes trivially",
    "from shop.cart import total\n\n\ndef test_total():\n    assert callable(total)\n",
  ],
  [
    "a rename to another existing function, with the expected value changed to its result",
    'from shop.cart import count\n\n\ndef test_total():\n    assert count([("pen", 2), ("ink", 5)]) == 2\n',
  ],
  [
    "an operator changed with the rename",
    'from shop.cart import total\n\n\ndef test_total():\n    assert total([("pen", 2), ("ink", 5)]) != 8\n',
  ],
];

for (const [what, patched] of CART_CHEATS) {
  Deno.test(`a removed name does not excuse a pass on the old code when the patch also changes more: ${what}`, () =>
    withCartRepo(async (repo) => {
      assertRefused(await checkCart(repo, patched), "tests/test_cart.py");
    }));
}

Deno.test("a removed name does not excuse renaming another name: a value compared with itself is refused", () =>
  withCartRepo(
    async (repo) => {
      const patched = "from shop.cart import total\n\n\ndef test_total():\n    expected = 7\n" +
        '    result = total([("pen", 2), ("ink", 5)])\n    assert result == result\n';
      assertRefused(await checkCart(repo, patched), "tests/test_cart.py");
    },
    "from shop.cart import old_total\n\n\ndef test_total():\n    expected = 7\n" +
      '    result = old_total([("pen", 2), ("ink", 5)])\n    assert result == expected\n',
  ));

/** The cart repository with tests/test_count.py too, and a last commit that also makes count double. */
async function withCountChange(fn: (repo: PyRepo) => Promise<void>): Promise<void> {
  await withCartRepo(async (repo) => {
    await repo.commit({
      message: "count tests",
      files: {
        "tests/test_count.py": "from shop.cart import count\n\n\ndef test_count():\n    assert count([1]) == 1\n",
      },
    });
    await repo.commit({ message: "Bring old_total back", files: { "shop/cart.py": CART_V1 } });
    await repo.commit({
      message: "Remove old_total; count doubles",
      files: { "shop/cart.py": CART_V2.replace("return len(items)", "return 2 * len(items)") },
    });
    await fn(repo);
  });
}

Deno.test("a removed name does not excuse another test that failed on its assertion and passes on the old code", () =>
  withCountChange(async (repo) => {
    // test_count.py is "fixed" by checking nothing: refused, whatever test_cart.py's rename excuses.
    const checked = await checkCart(repo, CART_TEST.replaceAll("old_total", "total"), {
      "tests/test_count.py": "from shop.cart import count\n\n\ndef test_count():\n    assert count([1])\n",
    });
    assertRefused(checked, "tests/test_count.py::test_count");
    if (checked.proof?.kind !== "refused") return;
    assert.doesNotMatch(checked.proof.feedback, /tests\/test_cart\.py also passes/);
  }));

Deno.test("a rename next to an honest update of another test module: the rename is not proven, the update is", () =>
  withCountChange(async (repo) => {
    const { verification, proof } = await checkCart(repo, CART_TEST.replaceAll("old_total", "total"), {
      "tests/test_count.py": "from shop.cart import count\n\n\ndef test_count():\n    assert count([1]) == 2\n",
    });
    assert.ok(verification.ok, verification.feedback);
    assert.equal(proof?.kind, "unproven", JSON.stringify(proof));
    assert.deepEqual(proof?.tests.map((t) => [t.nodeId, t.old, t.removed?.name]), [
      ["tests/test_cart.py", "passed", "old_total"],
      ["tests/test_count.py::test_count", "failed", undefined],
    ]);
    if (proof?.kind === "unproven") {
      assert.match(proof.reason, /^the change removed `old_total`, which tests\/test_cart\.py used;/);
    }
  }));

Deno.test("a removed name does not excuse a rename when conftest.py changed too", () =>
  withCartRepo(async (repo) => {
    const checked = await check(repo, CART_TEST.replaceAll("old_total", "total"), {
      testFile: "tests/test_cart.py",
      sourceFiles: ["shop/cart.py"],
      alsoPatched: { "conftest.py": "import shop.cart\n" },
    });
    assertRefused(checked, "tests/test_cart.py");
  }));

Deno.test("missingNames: import, module attribute and NameError failures of project modules", () => {
  const failure = (message: string) => ({ message, traceback: "" });
  assert.deepEqual(
    missingNames(failure("ImportError: cannot import name 'old_total' from 'shop.cart' (/x/shop/cart.py)"), ["shop"]),
    ["old_total"],
  );
  assert.deepEqual(
    missingNames(failure("AttributeError: module 'shop.cart' has no attribute 'old_total'"), ["shop"]),
    ["old_total"],
  );
  assert.deepEqual(missingNames(failure("NameError: name 'old_total' is not defined"), ["shop"]), ["old_total"]);
  // A dependency's missing name is not the change's doing.
  assert.deepEqual(missingNames(failure("ImportError: cannot import name 'x' from 'requests'"), ["shop"]), []);
  assert.deepEqual(missingNames(failure("assert 8 == 7"), ["shop"]), []);
});
