import assert from "node:assert/strict";
import { LiveLines } from "../../src/term.ts";
import { formatBytes, formatDuration, progressBar } from "../../src/format.ts";
import { PullTracker } from "../../src/setup/pull_progress.ts";

const MIB = 1024 ** 2;

function clock(start = 1_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

Deno.test("formatting: binary units, short durations, a fixed-width bar", () => {
  assert.equal(formatBytes(512), "512 B");
  assert.equal(formatBytes(1536), "1.5 KiB");
  assert.equal(formatBytes(4.92e9), "4.6 GiB");
  assert.equal(formatBytes(300 * MIB), "300 MiB");
  assert.equal(formatDuration(42_000), "42s");
  assert.equal(formatDuration(80_000), "1m20s");
  assert.equal(formatDuration(3_700_000), "1h01m");
  assert.equal(progressBar(0.5, 10), "[#####.....]");
  assert.equal(progressBar(2, 4), "[####]");
});

Deno.test("a layer's bar shows bytes, speed over the recent window and an ETA", () => {
  const c = clock();
  const t = new PullTracker("m:1b", c.now);
  t.update({ status: "pulling manifest" });
  assert.deepEqual(t.lines(), ["pulling m:1b: pulling manifest"]);
  const digest = "sha256:aaaaaaaaaaaa0000";
  t.update({ status: "pulling aaaa", digest, total: 1000 * MIB, completed: 0 });
  c.advance(2000);
  t.update({ status: "pulling aaaa", digest, total: 1000 * MIB, completed: 100 * MIB });
  const [header, bar] = t.lines();
  assert.equal(header, "pulling m:1b: downloading");
  // 100 MiB in 2 s = 50 MiB/s; 900 MiB left = 18 s.
  assert.match(bar, /^ {2}aaaaaaaaaaaa \[##\.+\] 100 MiB\/1000 MiB {2}50\.0 MiB\/s {2}ETA 18s$/);
  assert.equal(t.summary(), "pulling m:1b: 10% of 1000 MiB, 50.0 MiB/s, ETA 18s");
});

Deno.test("finished layers read done; small layers do not skew the overall numbers", () => {
  const c = clock();
  const t = new PullTracker("m:1b", c.now);
  t.update({ status: "pulling", digest: "sha256:bbbbbbbbbbbb", total: 96, completed: 96 });
  t.update({ status: "pulling", digest: "sha256:cccccccccccc", total: 10 * MIB, completed: 0 });
  c.advance(1000);
  t.update({ status: "pulling", digest: "sha256:cccccccccccc", total: 10 * MIB, completed: 5 * MIB });
  const lines = t.lines();
  assert.match(lines[1], /bbbbbbbbbbbb \[#+\] 96 B\/96 B done$/);
  assert.match(lines[2], /5\.0 MiB\/s {2}ETA 1s$/);
  assert.equal(t.totals().completed, 5 * MIB + 96);
});

Deno.test("a resumed stream continues the layer from where it was, without a negative speed", () => {
  const c = clock();
  const t = new PullTracker("m:1b", c.now);
  const digest = "sha256:dddddddddddd";
  t.update({ status: "pulling", digest, total: 100 * MIB, completed: 40 * MIB });
  c.advance(1000);
  // The reconnect reports the bytes already on disk again.
  t.update({ status: "pulling", digest, total: 100 * MIB, completed: 40 * MIB });
  c.advance(1000);
  t.update({ status: "pulling", digest, total: 100 * MIB, completed: 60 * MIB });
  assert.match(t.summary(), /60% of 100 MiB, 10\.0 MiB\/s, ETA 4s/);
});

Deno.test("on a terminal the block is redrawn in place; off one, a plain line at most every few seconds", () => {
  const c = clock();
  const tty: string[] = [];
  const live = new LiveLines({ interactive: true, write: (s) => tty.push(s), now: c.now });
  live.update(["a", "b"], "plain");
  c.advance(200);
  live.update(["a2", "b2"], "plain");
  live.done("finished");
  assert.deepEqual(tty, ["a\nb\n", "\x1b[2A\r\x1b[Ja2\nb2\n", "\x1b[2A\r\x1b[J", "finished\n"]);

  const plain: string[] = [];
  const log = new LiveLines({ interactive: false, write: (s) => plain.push(s), plainEveryMs: 5000, now: c.now });
  log.update(["x"], "one");
  c.advance(1000);
  log.update(["x"], "two");
  c.advance(5000);
  log.update(["x"], "three");
  log.done();
  assert.deepEqual(plain, ["… one\n", "… three\n"]);
  assert.ok(plain.every((s) => !s.includes("\x1b")), "no escape codes in CI logs");
});

Deno.test("on a terminal, redraws are limited to ten a second", () => {
  const c = clock();
  const out: string[] = [];
  const live = new LiveLines({ interactive: true, write: (s) => out.push(s), now: c.now });
  for (let i = 0; i < 50; i++) {
    live.update([`line ${i}`], "");
    c.advance(10);
  }
  assert.equal(out.length, 5);
});
