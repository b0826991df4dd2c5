import assert from "node:assert/strict";
import { loadCatalog } from "../../src/models/catalog.ts";
import { ollamaModelsDir } from "../../src/setup/probe.ts";
import {
  checkDisk,
  checkMemory,
  checkModelsDisk,
  checkPlatform,
  DISK_MARGIN_BYTES,
} from "../../src/setup/system_checks.ts";
import { fakeProbe, GIB } from "./helpers.ts";

const catalog = loadCatalog();

Deno.test("memory: enough total and available is ok and names the profile's need", () => {
  const r = checkMemory(fakeProbe({ totalGiB: 16, availableGiB: 12 }).memory(), catalog.profiles.balanced, catalog);
  assert.equal(r.status, "ok");
  assert.match(r.detail, /16\.0 GiB total, 12\.0 GiB available \(the balanced profile needs 8\.0 GiB\)/);
});

Deno.test("memory: too little in total fails and suggests the profile that fits", () => {
  const r = checkMemory(fakeProbe({ totalGiB: 7 }).memory(), catalog.profiles.balanced, catalog);
  assert.equal(r.status, "fail");
  assert.equal(r.hint, "use --profile fast (needs 6.0 GiB)");
  const quality = checkMemory(fakeProbe({ totalGiB: 10 }).memory(), catalog.profiles.quality, catalog);
  assert.equal(quality.status, "fail");
  assert.equal(quality.hint, "use --profile balanced (needs 8.0 GiB)");
});

Deno.test("memory: a machine too small for every profile is pointed at a remote server", () => {
  const r = checkMemory(fakeProbe({ totalGiB: 4 }).memory(), catalog.profiles.fast, catalog);
  assert.equal(r.status, "fail");
  assert.match(r.hint ?? "", /LLM_BASE/);
});

Deno.test("memory: enough in total but little available only warns", () => {
  const r = checkMemory(fakeProbe({ totalGiB: 16, availableGiB: 3 }).memory(), catalog.profiles.balanced, catalog);
  assert.equal(r.status, "warn");
  assert.match(r.hint ?? "", /close memory-hungry programs/);
});

Deno.test("disk: the downloads plus the margin must fit; nothing to download always fits", () => {
  const download = 9 * GIB;
  assert.equal(checkDisk(download + DISK_MARGIN_BYTES, download, "/m").status, "ok");
  const tight = checkDisk(download + DISK_MARGIN_BYTES - 1, download, "/m");
  assert.equal(tight.status, "fail");
  assert.match(tight.detail, /at \/m; the models need 9\.0 GiB plus 2\.0 GiB to spare/);
  assert.match(tight.hint ?? "", /OLLAMA_MODELS/);
  assert.equal(checkDisk(0, 0, "/m").status, "ok");
});

Deno.test("disk is read where Ollama keeps models: OLLAMA_MODELS, else ~/.ollama/models", async () => {
  const custom = fakeProbe({ env: { OLLAMA_MODELS: "/big/disk/models" }, freeDiskGiB: 100 });
  assert.equal((await checkModelsDisk(custom, 5 * GIB)).status, "ok");
  assert.deepEqual(custom.diskQueries, ["/big/disk/models"]);

  const home = fakeProbe({ home: "/home/ann", freeDiskGiB: 6 });
  const r = await checkModelsDisk(home, 5 * GIB);
  assert.deepEqual(home.diskQueries, ["/home/ann/.ollama/models"]);
  assert.equal(r.status, "fail");
  assert.equal(ollamaModelsDir(home), "/home/ann/.ollama/models");
});

Deno.test("disk: a reading that fails is a warning, not a crash", async () => {
  const r = await checkModelsDisk(fakeProbe({ diskError: new Error("statfs: permission denied") }), GIB);
  assert.equal(r.status, "warn");
  assert.match(r.detail, /permission denied/);
});

Deno.test("platform: Linux, macOS and Windows are fine; others are told to use a remote server", () => {
  assert.equal(checkPlatform(fakeProbe({ os: "darwin" })).status, "ok");
  assert.match(checkPlatform(fakeProbe()).detail, /^linux x86_64 \(6\.1\.0-test\)$/);
  const freebsd = checkPlatform(fakeProbe({ os: "freebsd" }));
  assert.equal(freebsd.status, "warn");
  assert.match(freebsd.hint ?? "", /LLM_BASE/);
});

Deno.test("the real probe reads this machine", async () => {
  const { realSystemProbe } = await import("../../src/setup/probe.ts");
  const memory = realSystemProbe.memory();
  assert.ok(memory.totalBytes > 0 && memory.availableBytes <= memory.totalBytes);
  // A path that does not exist yet is measured at its nearest existing parent.
  assert.ok(await realSystemProbe.freeDiskBytes(`${Deno.cwd()}/no/such/dir/yet`) > 0);
});
