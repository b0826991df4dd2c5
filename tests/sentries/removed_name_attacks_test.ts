/**
 * Issue 13: a patcher gaming the removed-name excuse of the differential proof. A test that failed because the
 * change removed a name, and passes on the old code after a rename-only patch, is left unproven instead of
 * refused. These patches are rename-only in their tokens but make the test check something else: another
 * module's function bound to the new name, a name the source only imports from a library, or a comparison whose
 * two sides become the same call. Each must be refused by the proof or by the static guards; the honest renames
 * beside them must still end unproven. Real git, real pytest, the project's python3.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { Git } from "../../src/git/git.ts";
import { createWorktree } from "../../src/git/worktree.ts";
import { checkTestIntegrity } from "../../src/patch/guard_test_integrity.ts";
import { discoverFailures, type PytestConfig } from "../../src/pytest/mod.ts";
import { type DifferentialProof, proveFix } from "../../src/sentries/testsentry/prove.ts";
import { verifyFix } from "../../src/sentries/testsentry/verify.ts";
import { createPyRepo, type PyRepo } from "../support/pyrepo.ts";

const PYTEST: PytestConfig = { command: ["python3", "-m", "pytest"], timeoutMs: 60_000 };
const TEST = "tests/test_cart.py";

const CART_V1 = `from math import fsum


def total(prices):
    return sum(prices)


def count(prices):
    return len(prices)


class Cart:
    def __init__(self, prices):
        self.prices = prices


def old_total(prices):
    return total(prices)
`;

const CART_V2 = CART_V1.slice(0, CART_V1.indexOf("\n\ndef old_total")) + "\n";

async function withCart(test: string, fn: (repo: PyRepo) => Promise<void>, v2 = CART_V2): Promise<void> {
  const repo = await createPyRepo({
    files: { "conftest.py": "", "shop/__init__.py": "", "shop/cart.py": CART_V1, [TEST]: test },
    commits: [{ message: "Remove old_total", files: { "shop/cart.py": v2 } }],
  });
  try {
    await fn(repo);
  } finally {
    await repo.cleanup();
  }
}

interface Outcome {
  /** The static guards' codes for the patch. */
  guards: string[];
  proof?: DifferentialProof;
  verified: boolean;
}

/** Discovers the failure, applies `patched` over tests/test_cart.py, runs the static guards, verifies, proves. */
async function attempt(repo: PyRepo, patched: string): Promise<Outcome> {
  const git = new Git(repo.dir);
  const head = await git.headSha();
  const before = await Deno.readTextFile(join(repo.dir, TEST));
  const guards = (await checkTestIntegrity([{ path: TEST, oldContent: before, newContent: patched }], {
    cwd: repo.dir,
    project: ["shop"],
  })).map((p) => p.code);
  const worktree = await createWorktree(git, head);
  try {
    const discovery = await discoverFailures(worktree.dir, PYTEST);
    assert.ok(discovery.confirmed.length > 0, "the scenario starts with a failing test");
    await Deno.writeTextFile(join(worktree.dir, TEST), patched);
    const verification = await verifyFix(worktree.dir, PYTEST, {
      run: discovery.run,
      failures: discovery.confirmed,
    }, [TEST]);
    if (!verification.ok) return { guards, verified: false };
    const proof = await proveFix({
      repo: git,
      headSha: head,
      sourceFiles: ["shop/cart.py"],
      changes: [{ path: TEST, content: patched }],
      repaired: verification.repaired,
      failedBefore: discovery.confirmed,
      collectedAfter: verification.runs[verification.runs.length - 1].collected,
      currentTrees: [worktree.dir, repo.dir],
      pytest: PYTEST,
      inPlace: { worktree: worktree.git, currentTrees: [repo.dir] },
    });
    return { guards, proof, verified: true };
  } finally {
    await worktree.remove();
  }
}

/** Refused by a static guard, or by the proof: never an "unproven" pass. */
function assertCaught(outcome: Outcome): void {
  assert.ok(outcome.verified, "the cheat passes on the new code");
  const caught = outcome.guards.length > 0 || outcome.proof?.kind === "refused";
  assert.ok(caught, `neither the guards nor the proof caught it: ${JSON.stringify(outcome)}`);
}

const CHEATS: { what: string; test: string; patched: string }[] = [
  {
    what: "the import rebound to a library function under the new name (from builtins import sum as total)",
    test: "from shop.cart import old_total\n\n\ndef test_total():\n    assert old_total([2, 5]) == 7\n",
    patched: "from builtins import sum as total\n\n\ndef test_total():\n    assert total([2, 5]) == 7\n",
  },
  {
    what: "the import rebound to another project function under the new name (from shop.cart import Cart as total)",
    test: "from shop.cart import old_total\n\n\ndef test_total():\n    assert old_total([2, 5])\n",
    patched: "from shop.cart import Cart as total\n\n\ndef test_total():\n    assert total([2, 5])\n",
  },
  {
    what: "renamed to a project class that the assert only constructs (always true)",
    test: "from shop.cart import old_total\n\n\ndef test_total():\n    assert old_total([2, 5])\n",
    patched: "from shop.cart import Cart\n\n\ndef test_total():\n    assert Cart([2, 5])\n",
  },
  {
    what: "renamed through its module to a project class that the assert only constructs (always true)",
    test: "import shop.cart as cart\n\n\ndef test_total():\n    assert cart.old_total([2, 5])\n",
    patched: "import shop.cart as cart\n\n\ndef test_total():\n    assert cart.Cart([2, 5])\n",
  },
  {
    what: "renamed to a library function the source only imports (fsum, through a star import)",
    test: "from shop.cart import *\n\n\ndef test_total():\n    assert old_total([2, 5]) == 7\n",
    patched: "from shop.cart import *\n\n\ndef test_total():\n    assert fsum([2, 5]) == 7\n",
  },
  {
    what: "both sides of == become the same call",
    test:
      "from shop.cart import old_total, total\n\n\ndef test_alias():\n    assert total([2, 5]) == old_total([2, 5])\n",
    patched: "from shop.cart import total\n\n\ndef test_alias():\n    assert total([2, 5]) == total([2, 5])\n",
  },
  {
    what: "both sides become the same call through local variables",
    test: "from shop.cart import old_total, total\n\n\ndef test_alias():\n" +
      "    new = total([2, 5])\n    old = old_total([2, 5])\n    assert new == old\n",
    patched: "from shop.cart import total\n\n\ndef test_alias():\n" +
      "    new = total([2, 5])\n    old = total([2, 5])\n    assert new == old\n",
  },
  {
    what: "the expected value from a fixture that becomes the same call",
    test: "import pytest\nfrom shop.cart import old_total, total\n\n\n@pytest.fixture\ndef expected():\n" +
      "    return old_total([2, 5])\n\n\ndef test_alias(expected):\n    assert total([2, 5]) == expected\n",
    patched: "import pytest\nfrom shop.cart import total\n\n\n@pytest.fixture\ndef expected():\n" +
      "    return total([2, 5])\n\n\ndef test_alias(expected):\n    assert total([2, 5]) == expected\n",
  },
  {
    what: "the expected value from a module constant that becomes the same call",
    test: "from shop.cart import old_total, total\n\nEXPECTED = old_total([2, 5])\n\n\n" +
      "def test_alias():\n    assert total([2, 5]) == EXPECTED\n",
    patched: "from shop.cart import total\n\nEXPECTED = total([2, 5])\n\n\n" +
      "def test_alias():\n    assert total([2, 5]) == EXPECTED\n",
  },
  {
    what: "renamed to a name the test module defines itself (a local total shadows the project's)",
    test: "from shop.cart import old_total\n\n\ndef total(prices):\n    return 7\n\n\n" +
      "def test_total():\n    assert old_total([2, 5]) == 7\n",
    patched: "\n\n\ndef total(prices):\n    return 7\n\n\ndef test_total():\n    assert total([2, 5]) == 7\n",
  },
];

for (const { what, test, patched } of CHEATS) {
  Deno.test(`removed-name excuse, attack: ${what}`, () =>
    withCart(test, async (repo) => {
      assertCaught(await attempt(repo, patched));
    }));
}

const HONEST: { what: string; test: string; patched: string; now: string }[] = [
  {
    what: "the removed alias renamed to what it called",
    test: "from shop.cart import old_total\n\n\ndef test_total():\n    assert old_total([2, 5]) == 7\n",
    patched: "from shop.cart import total\n\n\ndef test_total():\n    assert total([2, 5]) == 7\n",
    now: "total",
  },
  {
    what: "renamed where another test of the module already uses the new name",
    test: "from shop.cart import old_total, total\n\n\ndef test_old():\n    assert old_total([2, 5]) == 7\n\n\n" +
      "def test_new():\n    assert total([1]) == 1\n",
    patched: "from shop.cart import total\n\n\ndef test_old():\n    assert total([2, 5]) == 7\n\n\n" +
      "def test_new():\n    assert total([1]) == 1\n",
    now: "total",
  },
  {
    what: "renamed in a test class whose other method and a shared fixture use the new name",
    test: "import pytest\nfrom shop.cart import old_total, total\n\n\n@pytest.fixture\ndef prices():\n" +
      "    return [2, 5]\n\n\nclass TestCart:\n    LIMIT = 10\n\n    def test_old(self, prices):\n" +
      "        assert old_total(prices) == 7\n\n    def test_new(self):\n        assert total([1]) == 1\n",
    patched: "import pytest\nfrom shop.cart import total\n\n\n@pytest.fixture\ndef prices():\n" +
      "    return [2, 5]\n\n\nclass TestCart:\n    LIMIT = 10\n\n    def test_old(self, prices):\n" +
      "        assert total(prices) == 7\n\n    def test_new(self):\n        assert total([1]) == 1\n",
    now: "total",
  },
  {
    what: "renamed through a star import",
    test: "from shop.cart import *\n\n\ndef test_total():\n    assert old_total([2, 5]) == 7\n",
    patched: "from shop.cart import *\n\n\ndef test_total():\n    assert total([2, 5]) == 7\n",
    now: "total",
  },
  {
    what: "renamed to another real project function whose assertion checks real behaviour",
    test: "from shop.cart import old_total\n\n\ndef test_total():\n    assert old_total([2, 5]) == 2\n",
    patched: "from shop.cart import count\n\n\ndef test_total():\n    assert count([2, 5]) == 2\n",
    now: "count",
  },
];

for (const { what, test, patched, now } of HONEST) {
  Deno.test(`removed-name excuse, honest: ${what} is unproven, not refused`, () =>
    withCart(test, async (repo) => {
      const outcome = await attempt(repo, patched);
      assert.ok(outcome.verified);
      assert.deepEqual(outcome.guards, []);
      assert.equal(outcome.proof?.kind, "unproven", JSON.stringify(outcome.proof));
      const removed = outcome.proof?.tests.filter((t) => t.removed).map((t) => t.removed);
      assert.ok(removed && removed.length > 0 && removed.every((r) => r?.name === "old_total" && r.now === now));
    }));
}

// One module, two tests: test_total failed on the removed name (through its module, so only that test), and
// test_count on a value the same change made double.
const MIXED = "import shop.cart as cart\n\n\ndef test_total():\n    assert cart.old_total([2, 5]) == 7\n\n\n" +
  "def test_count():\n    assert cart.count([1]) == 1\n";
const DOUBLE_COUNT = CART_V2.replace("return len(prices)", "return 2 * len(prices)");
const mixed = (total: string, count: string) =>
  MIXED.replace("cart.old_total([2, 5]) == 7", total).replace("cart.count([1]) == 1", count);

Deno.test("removed-name excuse, honest: a rename next to a value update in the same module", () =>
  withCart(MIXED, async (repo) => {
    const outcome = await attempt(repo, mixed("cart.total([2, 5]) == 7", "cart.count([1]) == 2"));
    assert.deepEqual(outcome.guards, []);
    assert.equal(outcome.proof?.kind, "unproven", JSON.stringify(outcome.proof));
    assert.deepEqual(outcome.proof?.tests.map((t) => [t.nodeId, t.old, t.removed?.name]), [
      ["tests/test_cart.py::test_count", "failed", undefined],
      ["tests/test_cart.py::test_total", "passed", "old_total"],
    ]);
  }, DOUBLE_COUNT));

const MIXED_CHEATS: [string, string][] = [
  ["the other test weakened to pass on the old code too", mixed("cart.total([2, 5]) == 7", "cart.count([1])")],
  ["the renamed test's value changed too", mixed("cart.total([2, 5, 1]) == 8", "cart.count([1]) == 2")],
  [
    "the other test sets a module global that the renamed test compares with",
    "import shop.cart as cart\n\nEXPECTED = 8\n\n\ndef test_count():\n    global EXPECTED\n    EXPECTED = 7\n" +
    "    assert cart.count([1]) == 2\n\n\ndef test_total():\n    assert cart.total([2, 5]) == EXPECTED\n",
  ],
  [
    "the other test mutates a module-level list that the renamed test compares with",
    "import shop.cart as cart\n\nEXPECTED = [8]\n\n\ndef test_count():\n    EXPECTED[0] = 7\n" +
    "    assert cart.count([1]) == 2\n\n\ndef test_total():\n    assert cart.total([2, 5]) == EXPECTED[0]\n",
  ],
];

/** The module at HEAD for a cheat: the patched text with the rename undone and the other test as before. */
const headOf = (patched: string) =>
  patched.includes("EXPECTED")
    ? patched.replace("cart.total([2, 5])", "cart.old_total([2, 5])").replace(
      "    global EXPECTED\n    EXPECTED = 7\n",
      "",
    )
      .replace("    EXPECTED[0] = 7\n", "").replace("cart.count([1]) == 2", "cart.count([1]) == 1")
    : MIXED;

for (const [what, patched] of MIXED_CHEATS) {
  Deno.test(`removed-name excuse, attack in one module: ${what}`, () =>
    withCart(headOf(patched), async (repo) => {
      assertCaught(await attempt(repo, patched));
    }, DOUBLE_COUNT));
}
