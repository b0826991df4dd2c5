/**
 * Runs before `deno task demo` and `deno task test`: the demo and the tests use
 * real git and real pytest. If pytest is missing it tries to install it for
 * this user (pip), and otherwise says exactly what to run.
 */
async function works(program: string, args: string[]): Promise<boolean> {
  try {
    return (await new Deno.Command(program, { args, stdout: "null", stderr: "null" }).output()).success;
  } catch {
    return false;
  }
}

const problems: string[] = [];
if (!(await works("git", ["--version"]))) problems.push("git is missing: install it (https://git-scm.com/downloads)");
if (!(await works("python3", ["--version"]))) {
  problems.push("python3 is missing: install Python 3.9 or newer (https://www.python.org/downloads/)");
} else if (!(await works("python3", ["-m", "pytest", "--version"]))) {
  console.error("pytest is missing; installing it for this user: python3 -m pip install --user pytest");
  const pip = await works("python3", ["-m", "pip", "install", "--quiet", "--user", "pytest"]);
  if (!pip || !(await works("python3", ["-m", "pytest", "--version"]))) {
    problems.push(
      "pytest is missing and could not be installed: run `python3 -m pip install pytest` " +
        "(or `sudo apt-get install python3-pytest` on Debian/Ubuntu)",
    );
  }
}
if (problems.length > 0) {
  for (const p of problems) console.error(`error: ${p}`);
  Deno.exit(1);
}
