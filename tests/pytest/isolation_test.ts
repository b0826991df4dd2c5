/**
 * The worktree isolates the source (issue 15.4): PYTHONPATH entries into the user's checkout and an
 * editable-style path entry must not let the tests import the checkout's uncommitted source. And it runs the
 * checkout's Python (issue 14.3): under pyenv, its shims are told the checkout's folder (PYENV_DIR).
 */
import assert from "node:assert/strict";
import { delimiter, join } from "node:path";
import { isolatedPythonPath, pyenvDirEnv, sameEnv } from "../../src/pytest/isolation.ts";
import { runProgram } from "../../src/proc/run.ts";
import { runCli } from "../support/cli.ts";
import { createPyRepo, type PyRepo, WRONG_SUM_FIX, WRONG_SUM_REPO } from "../support/pyrepo.ts";
import { startStandIn } from "../support/standin_llm.ts";
import { scriptedReply, UPDATE_PLAN } from "../support/scripted_models.ts";

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

Deno.test("pyenvDirEnv: the checkout's folder when pyenv's shims are on PATH and PYENV_DIR is not set", () => {
  const reader = (vars: Record<string, string>) => (name: string) => vars[name];
  const path = ["/usr/local/bin", "/home/me/.pyenv/shims", "/usr/bin"].join(delimiter);
  assert.deepEqual(pyenvDirEnv("/home/me/proj", reader({ HOME: "/home/me", PATH: path })), {
    PYENV_DIR: "/home/me/proj",
  });
  // PYENV_ROOT moves the shims; a trailing slash on PATH is the same folder.
  assert.deepEqual(pyenvDirEnv("/w/proj/", reader({ PYENV_ROOT: "/opt/pyenv", PATH: "/opt/pyenv/shims/:/usr/bin" })), {
    PYENV_DIR: "/w/proj",
  });
  // No shims on PATH: pyenv picks nothing, so nothing is set.
  assert.deepEqual(pyenvDirEnv("/home/me/proj", reader({ HOME: "/home/me", PATH: "/usr/bin" })), {});
  assert.deepEqual(pyenvDirEnv("/home/me/proj", reader({ PYENV_ROOT: "/opt/pyenv", PATH: path })), {});
  assert.deepEqual(pyenvDirEnv("/home/me/proj", reader({ PATH: "/usr/bin" })), {});
  // The user's own PYENV_DIR is theirs (passed through as it is).
  assert.deepEqual(pyenvDirEnv("/home/me/proj", reader({ HOME: "/home/me", PATH: path, PYENV_DIR: "/x" })), {});

  assert.ok(sameEnv({}, {}));
  assert.ok(sameEnv({ A: "1", B: "2" }, { B: "2", A: "1" }));
  assert.ok(!sameEnv({ A: "1" }, { A: "2" }));
  assert.ok(!sameEnv({ A: "1" }, { A: "1", B: "2" }));
  assert.ok(!sameEnv({ A: "1", B: "2" }, { A: "1" }));
});

/** A pyenv root whose shims note each start (name, PYENV_DIR) and run the machine's own Python. */
async function fakePyenv(root: string, log: string): Promise<void> {
  const found = await runProgram("python3", ["-c", "import sys; print(sys.executable)"]);
  assert.equal(found.code, 0, found.stderr);
  const python = found.stdout.trim();
  await Deno.mkdir(join(root, "shims"), { recursive: true });
  for (const [name, run] of [["python3", `'${python}' "$@"`], ["pytest", `'${python}' -m pytest "$@"`]]) {
    const shim = join(root, "shims", name);
    await Deno.writeTextFile(
      shim,
      `#!/bin/sh\nprintf '%s %s\\n' '${name}' "\${PYENV_DIR:-unset}" >> '${log}'\nexec ${run}\n`,
    );
    await Deno.chmod(shim, 0o755);
  }
}

for (const fork of ["on", "off"]) {
  Deno.test(`under pyenv, every Python of the run is picked for the checkout, not the worktree (fork ${fork})`, async () => {
    const repo = await createPyRepo({ files: WRONG_SUM_REPO });
    const standIn = await startStandIn({
      reply: scriptedReply({ plan: UPDATE_PLAN("1. expect 5"), patches: [WRONG_SUM_FIX] }),
    });
    const tmp = await Deno.makeTempDir({ prefix: "sentries-pyenv-" });
    try {
      const root = join(tmp, "pyenv");
      const log = join(tmp, "starts.log");
      await fakePyenv(root, log);
      const env = {
        PYENV_ROOT: root,
        PATH: `${join(root, "shims")}${delimiter}${Deno.env.get("PATH") ?? ""}`,
        LLM_BASE: standIn.url,
        SENTRIES_PYTEST_FORK: fork,
      };
      const r = await runCli(["tests", "--json"], { cwd: repo.dir, env });
      assert.equal(r.code, 0, r.stdout + r.stderr);
      assert.equal(JSON.parse(r.stdout).outcome, "fixed", r.stdout);
      const starts = (await Deno.readTextFile(log)).trim().split("\n");
      const checkout = await Deno.realPath(repo.dir);
      // pytest (the suite, the re-runs, a fork server) and the guards' python3 all ran through the shims…
      assert.ok(starts.some((l) => l.startsWith("pytest ")), starts.join("\n"));
      assert.ok(starts.some((l) => l.startsWith("python3 ")), starts.join("\n"));
      // …and every one of them was told the checkout's folder, where its .python-version is.
      assert.deepEqual(starts.filter((l) => !l.endsWith(` ${checkout}`)), [], starts.join("\n"));

      // A PYENV_DIR of the user's own is left as it is.
      await Deno.remove(log);
      const own = await runCli(["tests", "--json", "--dry-run"], { cwd: repo.dir, env: { ...env, PYENV_DIR: tmp } });
      assert.equal(own.code, 0, own.stdout + own.stderr);
      const mine = (await Deno.readTextFile(log)).trim().split("\n");
      assert.deepEqual(mine.filter((l) => !l.endsWith(` ${tmp}`)), [], mine.join("\n"));
    } finally {
      await standIn.close();
      await repo.cleanup();
      await Deno.remove(tmp, { recursive: true });
    }
  });
}
