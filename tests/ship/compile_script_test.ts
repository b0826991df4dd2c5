/**
 * `deno task compile` run for real where no denort exists: every way it cannot build ends in
 * exactly one `error:` line on stderr, exit 1 (2 for bad usage), no stack trace, nothing built.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { PROJECT_ROOT } from "../../scripts/compile.ts";

interface ScriptRun {
  code: number;
  stderrLines: string[];
  outDir: string;
}

async function runCompile(args: string[], env: Record<string, string>): Promise<ScriptRun> {
  const outDir = join(await Deno.makeTempDir({ prefix: "sentries-dist-" }), "dist");
  const base: Record<string, string> = { PATH: Deno.env.get("PATH") ?? "", HOME: Deno.env.get("HOME") ?? "" };
  for (const name of ["DENO_DIR", "TMPDIR"]) {
    const value = Deno.env.get(name);
    if (value !== undefined) base[name] = value;
  }
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--no-prompt", join(PROJECT_ROOT, "scripts/compile.ts"), "--out", outDir, ...args],
    cwd: PROJECT_ROOT,
    env: { ...base, NO_COLOR: "1", ...env },
    clearEnv: true,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stderrLines = new TextDecoder().decode(out.stderr).split("\n").filter((line) => line.trim() !== "");
  return { code: out.code, stderrLines, outDir };
}

async function assertNothingBuilt(run: ScriptRun): Promise<void> {
  await assert.rejects(Deno.stat(run.outDir), Deno.errors.NotFound);
  await Deno.remove(join(run.outDir, ".."), { recursive: true });
  for await (const entry of Deno.readDir(PROJECT_ROOT)) {
    assert.ok(!entry.name.startsWith(".deno.compile-"), `left behind ${entry.name}`);
  }
}

function assertOneErrorLine(run: ScriptRun, pattern: RegExp): void {
  assert.equal(run.stderrLines.length, 1, run.stderrLines.join("\n"));
  assert.match(run.stderrLines[0], /^error: /);
  assert.match(run.stderrLines[0], pattern);
}

Deno.test("DENORT_BIN pointing at nothing: one line, exit 1", async () => {
  const run = await runCompile([], { DENORT_BIN: "/nonexistent/denort" });
  assert.equal(run.code, 1);
  assertOneErrorLine(run, /DENORT_BIN=\/nonexistent\/denort does not exist; set DENORT_BIN to a denort binary/);
  await assertNothingBuilt(run);
});

Deno.test("DENORT_BIN pointing at a file that is no executable: one line, exit 1", async () => {
  const fake = await Deno.makeTempFile({ prefix: "fake-denort-" });
  await Deno.writeTextFile(fake, "#!/bin/sh\necho denort\n");
  try {
    const run = await runCompile([], { DENORT_BIN: fake });
    assert.equal(run.code, 1);
    assertOneErrorLine(run, /is not an executable for any target/);
    await assertNothingBuilt(run);
  } finally {
    await Deno.remove(fake);
  }
});

Deno.test("DENORT_BIN pointing at the full deno binary is refused (it would build plain deno)", async () => {
  const run = await runCompile([], { DENORT_BIN: Deno.execPath() });
  assert.equal(run.code, 1);
  assertOneErrorLine(run, /is the full deno binary, which makes a plain deno instead of sentries/);
  await assertNothingBuilt(run);
});

Deno.test("a runtime for one target cannot build another", async () => {
  // A minimal x86_64 ELF header: enough for the up-front check, which runs before deno compile.
  const stub = await Deno.makeTempFile({ prefix: "stub-denort-" });
  const elf = new Uint8Array(64);
  elf.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1]);
  elf[18] = 0x3e;
  await Deno.writeFile(stub, elf);
  try {
    const run = await runCompile(["--target", "aarch64-apple-darwin"], { DENORT_BIN: stub });
    assert.equal(run.code, 1);
    assertOneErrorLine(run, /is a x86_64-unknown-linux-gnu runtime and cannot build aarch64-apple-darwin/);
    await assertNothingBuilt(run);
  } finally {
    await Deno.remove(stub);
  }
});

Deno.test("bad usage exits 2 with one line", async () => {
  for (
    const [args, env, pattern] of [
      [["--target", "sparc"], {}, /unknown target "sparc"/],
      [[], { SENTRIES_EXTRA_NET: "*" }, /--extra-net: "\*" is not a host/],
    ] as const
  ) {
    const run = await runCompile([...args], { ...env });
    assert.equal(run.code, 2);
    assertOneErrorLine(run, pattern);
    await assertNothingBuilt(run);
  }
});

const denortCached = await (async () => {
  const info = await new Deno.Command(Deno.execPath(), { args: ["info", "--json"], stdout: "piped" }).output();
  const denoDir: string = JSON.parse(new TextDecoder().decode(info.stdout)).denoDir;
  try {
    await Deno.stat(join(denoDir, "dl", "release", `v${Deno.version.deno}`, "denort-x86_64-unknown-linux-gnu.zip"));
    return true;
  } catch {
    return false;
  }
})();

Deno.test({
  name: "no DENORT_BIN and no way to download denort: one line naming DENORT_BIN, exit 1",
  // Where a denort is already cached the script would really build; that is the release workflow's test.
  ignore: denortCached,
  fn: async () => {
    // The proxy is a closed loopback port, so the download fails the same way with or without a network.
    const proxy = "http://127.0.0.1:9";
    const run = await runCompile(["--target", "x86_64-unknown-linux-gnu"], {
      HTTPS_PROXY: proxy,
      https_proxy: proxy,
      HTTP_PROXY: proxy,
    });
    assert.equal(run.code, 1);
    assertOneErrorLine(
      run,
      /deno compile needs the denort runtime for x86_64-unknown-linux-gnu, which cannot be downloaded here .* set DENORT_BIN to a denort binary \(from https:\/\/github\.com\/denoland\/deno\/releases, denort-x86_64-unknown-linux-gnu\.zip\) or build in the release workflow$/,
    );
    await assertNothingBuilt(run);
  },
});
