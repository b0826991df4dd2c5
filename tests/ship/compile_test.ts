import assert from "node:assert/strict";
import { join } from "node:path";
import { parseCompileArgs, parseExtraNet, PROJECT_ROOT, writeChecksums } from "../../scripts/compile.ts";
import {
  checkDenortDownloadable,
  CompileError,
  explainCompileFailure,
  runtimeTargetOf,
} from "../../scripts/compile_denort.ts";
import { VERSION } from "../../src/version.ts";

Deno.test("deno.json's version equals src/version.ts, and the compile task runs scripts/compile.ts", async () => {
  const config = JSON.parse(await Deno.readTextFile(join(PROJECT_ROOT, "deno.json")));
  assert.equal(config.version, VERSION);
  assert.equal(config.tasks.compile, "deno run -A --no-prompt scripts/compile.ts");
});

Deno.test("extra net hosts: names, IPs and ports pass; anything that could widen net is refused", () => {
  assert.deepEqual(parseExtraNet("ollama.lan:11434, ghe.example.com"), ["ollama.lan:11434", "ghe.example.com"]);
  assert.deepEqual(parseExtraNet("10.0.0.5:11434,[fd00::1]:443"), ["10.0.0.5:11434", "[fd00::1]:443"]);
  assert.deepEqual(parseExtraNet(""), []);
  for (const bad of ["*", "http://ollama.lan", "host:99999", "-x", "a b", "ollama.lan/path", ":11434"]) {
    assert.throws(() => parseExtraNet(bad), (err: unknown) => err instanceof CompileError && err.exitCode === 2, bad);
  }
});

Deno.test("arguments: --target twice or with =, --out, --extra-net plus SENTRIES_EXTRA_NET; unknown ones are usage errors", () => {
  const parsed = parseCompileArgs(
    [
      "--target=aarch64-apple-darwin",
      "--target",
      "x86_64-unknown-linux-gnu",
      "--out",
      "/tmp/o",
      "--extra-net",
      "a.lan",
    ],
    { SENTRIES_EXTRA_NET: "b.lan:1", DENORT_BIN: "" },
  );
  assert.deepEqual(parsed, {
    targets: ["aarch64-apple-darwin", "x86_64-unknown-linux-gnu"],
    outDir: "/tmp/o",
    extraNet: ["b.lan:1", "a.lan"],
    denortBin: undefined,
  });
  assert.deepEqual(parseCompileArgs([], {}).targets, []);
  assert.equal(parseCompileArgs([], {}).outDir, join(PROJECT_ROOT, "dist"));
  for (const bad of [["--target", "riscv"], ["--bogus"], ["--out="]]) {
    assert.throws(() => parseCompileArgs(bad, {}), (e: unknown) => e instanceof CompileError && e.exitCode === 2);
  }
});

function header(bytes: number[]): Uint8Array {
  const out = new Uint8Array(64);
  out.set(bytes);
  return out;
}

Deno.test("a runtime's target is read from its executable header", async () => {
  const elf = (machine: number) => header([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, ...Array(10).fill(0), machine, 0]);
  assert.equal(runtimeTargetOf(elf(0x3e)), "x86_64-unknown-linux-gnu");
  assert.equal(runtimeTargetOf(elf(0xb7)), "aarch64-unknown-linux-gnu");
  assert.equal(runtimeTargetOf(elf(0x28)), undefined); // 32-bit ARM: no deno target
  assert.equal(runtimeTargetOf(header([0xcf, 0xfa, 0xed, 0xfe, 0x0c, 0, 0, 0x01])), "aarch64-apple-darwin");
  assert.equal(runtimeTargetOf(header([0xcf, 0xfa, 0xed, 0xfe, 0x07, 0, 0, 0x01])), "x86_64-apple-darwin");
  assert.equal(runtimeTargetOf(header([0x4d, 0x5a])), "x86_64-pc-windows-msvc");
  assert.equal(runtimeTargetOf(new TextEncoder().encode("#!/bin/sh\necho denort\n")), undefined);
  // The deno running this test is a real executable for this machine.
  const file = await Deno.open(Deno.execPath());
  const real = new Uint8Array(64);
  await file.read(real);
  file.close();
  assert.equal(runtimeTargetOf(real), Deno.build.target);
});

// What deno 2.9.6 prints when it cannot download denort (captured here, colours off).
const DOWNLOAD_FAILURE = `Compile main.ts to dist/sentries-x86_64-unknown-linux-gnu
Download https://dl.deno.land/release/v2.9.6/denort-x86_64-unknown-linux-gnu.zip
error: Writing deno compile executable to temporary file 'dist/sentries.tmp-28f2ba0dc0ce7938'

Caused by:
    0: Setting up base binary.
    1: error sending request for url (https://dl.deno.land/release/v2.9.6/denort-x86_64-unknown-linux-gnu.zip): client error (Connect): dns error: failed to lookup address information: Name or service not known

Stack backtrace:
   0: <unknown>
`;

Deno.test("deno compile's failures become one line; the missing runtime names DENORT_BIN and the release page", () => {
  const line = explainCompileFailure(DOWNLOAD_FAILURE, "x86_64-unknown-linux-gnu");
  assert.ok(!line.includes("\n"));
  assert.match(
    line,
    /^deno compile needs the denort runtime for x86_64-unknown-linux-gnu, which cannot be downloaded here/,
  );
  assert.match(
    line,
    /set DENORT_BIN to a denort binary \(from https:\/\/github\.com\/denoland\/deno\/releases, denort-x86_64-unknown-linux-gnu\.zip\)/,
  );
  const typeError = explainCompileFailure(
    "TS2322 [ERROR]: ...\n\nerror: Type checking failed.\n",
    "aarch64-apple-darwin",
  );
  assert.equal(
    typeError,
    "deno compile failed for aarch64-apple-darwin: Type checking failed. (run `deno check main.ts`)",
  );
});

Deno.test("the runtime check: cached zip passes offline, 404 and unreachable hosts fail in one line", async () => {
  const denoDir = await Deno.makeTempDir();
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, (req) => {
    return new Response(null, { status: new URL(req.url).pathname.includes("aarch64-apple-darwin") ? 200 : 404 });
  });
  const baseUrl = `http://127.0.0.1:${server.addr.port}`;
  try {
    await checkDenortDownloadable("aarch64-apple-darwin", { denoDir, baseUrl });
    await assert.rejects(
      checkDenortDownloadable("x86_64-unknown-linux-gnu", { denoDir, baseUrl }),
      /needs the denort runtime for x86_64-unknown-linux-gnu, which cannot be downloaded here \(.*HTTP 404\)/,
    );
    await assert.rejects(
      checkDenortDownloadable("x86_64-unknown-linux-gnu", { denoDir, baseUrl: "http://127.0.0.1:9" }),
      /cannot be downloaded here .* set DENORT_BIN/,
    );
    const cached = join(denoDir, "dl", "release", `v${Deno.version.deno}`);
    await Deno.mkdir(cached, { recursive: true });
    await Deno.writeFile(join(cached, "denort-x86_64-unknown-linux-gnu.zip"), new Uint8Array([0x50, 0x4b]));
    await checkDenortDownloadable("x86_64-unknown-linux-gnu", { denoDir, baseUrl: "http://127.0.0.1:9" });
  } finally {
    await server.shutdown();
    await Deno.remove(denoDir, { recursive: true });
  }
});

Deno.test("SHA256SUMS covers every sentries-* binary, sorted, in the format sha256sum -c reads", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(join(dir, "sentries-x86_64-unknown-linux-gnu"), "linux");
    await Deno.writeTextFile(join(dir, "sentries-aarch64-apple-darwin"), "mac");
    await Deno.writeTextFile(join(dir, "notes.txt"), "not a binary");
    const sums = await writeChecksums(dir);
    assert.equal(
      sums,
      "348a629f5ceed032c3e8706ec47d9bfafb00fb4250b018dd965435ca50cb836e  sentries-aarch64-apple-darwin\n" +
        "caf90169eefa5f807d577486b9f795ab86ae2983c5c20806cff959117e90af18  sentries-x86_64-unknown-linux-gnu\n",
    );
    assert.equal(await Deno.readTextFile(join(dir, "SHA256SUMS")), sums);
    const check = await new Deno.Command("sha256sum", { args: ["-c", "SHA256SUMS"], cwd: dir, stdout: "piped" })
      .output();
    assert.equal(check.code, 0, new TextDecoder().decode(check.stdout));
    await Deno.writeTextFile(join(dir, "sentries-aarch64-apple-darwin"), "tampered");
    const tampered = await new Deno.Command("sha256sum", {
      args: ["-c", "SHA256SUMS"],
      cwd: dir,
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert.notEqual(tampered.code, 0);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
