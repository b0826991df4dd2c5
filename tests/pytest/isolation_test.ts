/**
 * The worktree isolates the source (issue 15.4): PYTHONPATH entries into the user's checkout and an
 * editable-style path entry must not let the tests import the checkout's uncommitted source.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { isolatedPythonPath } from "../../src/pytest/isolation.ts";
import { runProgram } from "../../src/proc/run.ts";
import { runCli } from "../support/cli.ts";
import { createPyRepo, type PyRepo } from "../support/pyrepo.ts";
import { startStandIn } from "../support/standin_llm.ts";
import { scriptedReply } from "../support/scripted_models.ts";

Deno.test("PYTHONPATH entries inside the checkout move to the worktree; others stay; src/ goes first", () => {
  assert.equal(
    isolatedPythonPath("/tmp/wt", "/home/me/proj", "/home/me/proj/src:/opt/lib:rel:/home/me/proj", false),
    "/tmp/wt/src:/opt/lib:rel:/tmp/wt",
  );
  assert.equal(
    isolatedPythonPath("/tmp/wt", "/home/me/proj", "/home/me/project2/src", true),
    "/tmp/wt/src:/home/me/project2/src",
  );
  assert.equal(isolatedPythonPath("/tmp/wt", "/home/me/proj", undefined, false), undefined);
  assert.equal(isolatedPythonPath("/tmp/wt", "/home/me/proj", "/home/me/proj/src", true), "/tmp/wt/src");
});

const SHOP = {
  "src/shop/__init__.py": "def price():\n    return 3\n",
  "tests/test_shop.py": "import shop\n\n\ndef test_price():\n    assert shop.price() == 4\n",
};

/** HEAD has one failing test; the user's uncommitted source would make it pass. */
async function shopRepo(): Promise<PyRepo> {
  const repo = await createPyRepo({ files: SHOP });
  await repo.write({ "src/shop/__init__.py": "def price():\n    return 4\n" });
  return repo;
}

async function discoveredFailures(repo: PyRepo, env: Record<string, string>): Promise<unknown> {
  const standIn = await startStandIn({
    reply: scriptedReply({ plan: "VERDICT: SOURCE_BUG\nREASON: price is wrong.\nPLAN:\n1. none", patches: [] }),
  });
  try {
    const r = await runCli(["tests", "--json", "--dry-run"], { cwd: repo.dir, env: { LLM_BASE: standIn.url, ...env } });
    const report = JSON.parse(r.stdout);
    return report.failures?.map((f: { nodeId: string }) => f.nodeId) ?? report;
  } finally {
    await standIn.close();
  }
}

for (const fork of ["on", "off"]) {
  Deno.test(`an absolute PYTHONPATH into the checkout tests the committed source (fork ${fork})`, async () => {
    const repo = await shopRepo();
    try {
      const failures = await discoveredFailures(repo, {
        PYTHONPATH: join(repo.dir, "src"),
        SENTRIES_PYTEST_FORK: fork,
      });
      assert.deepEqual(failures, ["tests/test_shop.py::test_price"]);
    } finally {
      await repo.cleanup();
    }
  });
}

// pip install -e of a src-layout setuptools project writes `__editable__.<name>-<version>.pth` holding the
// checkout's src/ path into site-packages. Written here directly: the machine's setuptools lacks `wheel`, and a
// test must not download it.
Deno.test("an editable install of the checkout (a real venv with pip's .pth path entry) does not hide HEAD", async () => {
  const repo = await shopRepo();
  const tmp = await Deno.makeTempDir({ prefix: "sentries-editable-" });
  try {
    const venv = join(tmp, "venv");
    const made = await runProgram("python3", ["-m", "venv", "--without-pip", "--system-site-packages", venv]);
    assert.equal(made.code, 0, made.stderr);
    const python = join(venv, "bin", "python");
    const site = await runProgram(python, ["-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"]);
    await Deno.writeTextFile(join(site.stdout.trim(), "__editable__.shop-0.pth"), join(repo.dir, "src") + "\n");
    const where = await runProgram(python, ["-c", "import shop; print(shop.price())"], { cwd: tmp });
    assert.equal(where.stdout.trim(), "4", "the editable install imports the checkout's uncommitted source");
    for (const fork of ["on", "off"]) {
      const failures = await discoveredFailures(repo, { VIRTUAL_ENV: venv, SENTRIES_PYTEST_FORK: fork });
      assert.deepEqual(failures, ["tests/test_shop.py::test_price"], fork);
    }
  } finally {
    await Deno.remove(tmp, { recursive: true });
    await repo.cleanup();
  }
});
