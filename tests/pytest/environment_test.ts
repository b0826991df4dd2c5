/**
 * The project's Python environment (issue 14.3): SENTRIES_PYTEST_COMMAND, then VIRTUAL_ENV, then .venv/ or
 * venv/ at the repository root, then PATH — and a real virtualenv runs the tests through the real permission set.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { displayCommand, findProjectEnvironment, venvPytestCommand } from "../../src/pytest/environment.ts";
import { EXEC_SHIM } from "../../src/proc/python_exec.ts";
import { runProgram } from "../../src/proc/run.ts";
import { runCli } from "../support/cli.ts";
import { createPyRepo, WRONG_SUM_FIX, WRONG_SUM_REPO } from "../support/pyrepo.ts";
import { startStandIn } from "../support/standin_llm.ts";
import { scriptedReply, UPDATE_PLAN } from "../support/scripted_models.ts";

async function fakeVenv(dir: string): Promise<string> {
  await Deno.mkdir(join(dir, "bin"), { recursive: true });
  await Deno.writeTextFile(join(dir, "bin", "python"), "");
  return join(dir, "bin", "python");
}

Deno.test("the order: configured command, VIRTUAL_ENV, .venv, venv, PATH", async () => {
  const root = await Deno.makeTempDir({ prefix: "sentries-env-" });
  const active = await Deno.makeTempDir({ prefix: "sentries-active-venv-" });
  try {
    const none = () => undefined;
    assert.deepEqual(findProjectEnvironment(root, undefined, none), { source: "PATH" });
    const venv = await fakeVenv(join(root, "venv"));
    assert.equal(findProjectEnvironment(root, undefined, none).python, venv);
    const dotVenv = await fakeVenv(join(root, ".venv"));
    const found = findProjectEnvironment(root, undefined, none);
    assert.equal(found.source, ".venv");
    assert.equal(displayCommand(found.command!), `${dotVenv} -m pytest`);
    const activePython = await fakeVenv(active);
    const env = (n: string) => n === "VIRTUAL_ENV" ? active : undefined;
    assert.equal(findProjectEnvironment(root, undefined, env).python, activePython);
    assert.equal(findProjectEnvironment(root, undefined, env).source, "VIRTUAL_ENV");
    // An active VIRTUAL_ENV that has no interpreter (deleted) does not win.
    assert.equal(findProjectEnvironment(root, undefined, () => "/nonexistent/venv").source, ".venv");
    assert.deepEqual(findProjectEnvironment(root, ["pytest", "-p", "x"], env), {
      source: "SENTRIES_PYTEST_COMMAND",
      command: ["pytest", "-p", "x"],
    });
  } finally {
    await Deno.remove(root, { recursive: true });
    await Deno.remove(active, { recursive: true });
  }
});

Deno.test("a venv's pytest command: the permitted python3, isolated, execs the venv's interpreter; shown as that", async () => {
  const python = "/repo/.venv/bin/python";
  assert.deepEqual(venvPytestCommand(python), ["python3", "-I", "-S", "-c", EXEC_SHIM, python, "-m", "pytest"]);
  assert.equal(displayCommand(venvPytestCommand(python)), "/repo/.venv/bin/python -m pytest");
  // A command the user configured is shown as it is, even one that looks like the shim's start.
  assert.equal(displayCommand(["python3", "-I", "-S", "-c", EXEC_SHIM]), `python3 -I -S -c ${EXEC_SHIM}`);
  assert.equal(displayCommand(["python3", "-c", EXEC_SHIM, python]), `python3 -c ${EXEC_SHIM} ${python}`);
  assert.equal(displayCommand(["pytest", "-x"]), "pytest -x");
  // -I -S bind only the python3 that execs: the venv's interpreter still reads PYTHONPATH and its site.
  const venv = await Deno.makeTempDir({ prefix: "sentries-shim-venv-" });
  try {
    const made = await runProgram("python3", ["-m", "venv", "--without-pip", venv]);
    assert.equal(made.code, 0, made.stderr);
    const [program, ...args] = venvPytestCommand(join(venv, "bin", "python")).slice(0, -2);
    const r = await runProgram(program, [...args, "-c", "import sys; print(sys.prefix); print(sys.path)"], {
      env: { PYTHONPATH: "/sentries/extra" },
    });
    assert.equal(r.code, 0, r.stderr);
    const [prefix, path] = r.stdout.trim().split("\n");
    assert.equal(await Deno.realPath(prefix), await Deno.realPath(venv));
    assert.ok(path.includes("/sentries/extra"), path);
    assert.ok(path.includes("site-packages"), path);
  } finally {
    await Deno.remove(venv, { recursive: true });
  }
});

Deno.test("a repository's .venv runs the tests (through the real permission set) and the report names it", async () => {
  const repo = await createPyRepo({
    files: {
      ".gitignore": ".venv/\n",
      "tests/test_dep.py": "import sys\nimport only_in_the_venv\n\n\ndef test_dep():\n" +
        "    assert only_in_the_venv.VALUE == 1\n    assert sys.prefix != sys.base_prefix\n",
    },
  });
  try {
    const venv = join(repo.dir, ".venv");
    // Shares the machine's pytest; the dependency exists only in the venv's own site-packages.
    const made = await runProgram("python3", ["-m", "venv", "--without-pip", "--system-site-packages", venv]);
    assert.equal(made.code, 0, made.stderr);
    const site = await runProgram(join(venv, "bin", "python"), [
      "-c",
      "import sysconfig; print(sysconfig.get_paths()['purelib'])",
    ]);
    await Deno.writeTextFile(join(site.stdout.trim(), "only_in_the_venv.py"), "VALUE = 1\n");

    for (const fork of ["on", "off"]) {
      const r = await runCli(["tests", "--json"], { cwd: repo.dir, env: { SENTRIES_PYTEST_FORK: fork } });
      assert.equal(r.code, 0, r.stdout + r.stderr);
      const report = JSON.parse(r.stdout);
      assert.equal(report.outcome, "no_failures", r.stdout);
      assert.equal(report.interpreter.source, ".venv");
      assert.equal(report.interpreter.python, join(venv, "bin", "python"));
      assert.match(report.interpreter.pytestVersion, /^\d+\./);
    }
    const human = await runCli(["tests"], { cwd: repo.dir });
    assert.match(
      human.stdout,
      /tests ran with: pytest \d\S* with Python 3\.\S+ \(.*\.venv\/bin\/python, from \.venv\)/,
    );
    const doctor = await runCli(["doctor"], { cwd: repo.dir });
    assert.match(
      doctor.stdout + doctor.stderr,
      /pytest: pytest \d\S* with Python 3\S* \(.*\.venv\/bin\/python, from \.venv\)/,
    );
  } finally {
    await repo.cleanup();
  }
});

Deno.test("the patch guards' Python is the project's venv interpreter too, started under the permission set", async () => {
  const repo = await createPyRepo({ files: { ".gitignore": ".venv/\n", ...WRONG_SUM_REPO } });
  const standIn = await startStandIn({
    reply: scriptedReply({ plan: UPDATE_PLAN("1. expect 5"), patches: [WRONG_SUM_FIX] }),
  });
  const tmp = await Deno.makeTempDir({ prefix: "sentries-venv-" });
  try {
    // The venv's interpreter: a real venv's python behind a wrapper that notes each start (its arguments).
    const real = join(tmp, "real");
    const made = await runProgram("python3", ["-m", "venv", "--without-pip", "--system-site-packages", real]);
    assert.equal(made.code, 0, made.stderr);
    const log = join(tmp, "starts.log");
    await Deno.mkdir(join(repo.dir, ".venv", "bin"), { recursive: true });
    const wrapper = join(repo.dir, ".venv", "bin", "python");
    await Deno.writeTextFile(
      wrapper,
      `#!/bin/sh\nprintf '%s\\n' "$1 $2 $3" >> '${log}'\nexec '${real}/bin/python' "$@"\n`,
    );
    await Deno.chmod(wrapper, 0o755);

    const r = await runCli(["tests", "--json"], { cwd: repo.dir, env: { LLM_BASE: standIn.url } });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const report = JSON.parse(r.stdout);
    assert.equal(report.outcome, "fixed", r.stdout);
    assert.equal(report.interpreter.source, ".venv");
    const starts = (await Deno.readTextFile(log)).trim().split("\n");
    // pytest ran in it, and so did the guards' checker (`-I -S -c <driver>`): one process for the run.
    assert.ok(starts.some((l) => l.startsWith("-m pytest")), starts.join("\n"));
    assert.equal(starts.filter((l) => l === "-I -S -c").length, 1, starts.join("\n"));
  } finally {
    await standIn.close();
    await repo.cleanup();
    await Deno.remove(tmp, { recursive: true });
  }
});
