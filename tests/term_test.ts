import assert from "node:assert/strict";
import {
  displayWidth,
  fitToWidth,
  LiveLines,
  StatusLine,
  stderrColumns,
  type Terminal,
  useTerminal,
  writeFinalLines,
} from "../src/term.ts";
import { log, Logger } from "../src/log.ts";
import { withInterruptSignal } from "../src/interrupt.ts";
import { askModel } from "../src/sentries/ask.ts";
import { createLlmClient } from "../src/llm/mod.ts";
import { startStandIn } from "./support/standin_llm.ts";

const CLEAR = "\r\x1b[2K";

/** A person's terminal `columns` wide that keeps every byte it is sent. */
function fakeTerminal(columns: number): Terminal & { out: string[]; text(): string } {
  const out: string[] = [];
  return { out, interactive: () => true, columns: () => columns, write: (t) => out.push(t), text: () => out.join("") };
}

/** What stays on screen after each carriage return: the frames a spinner drew. */
function frames(bytes: string): string[] {
  const clearToEnd = "\x1b[2K";
  return bytes.split("\r").map((f) => f.startsWith(clearToEnd) ? f.slice(clearToEnd.length) : f)
    .filter((f) => f.length > 0);
}

function withTerminal<T>(fake: Terminal, fn: () => T): T {
  const restore = useTerminal(fake);
  try {
    return fn();
  } finally {
    restore();
  }
}

/** A clock that moves only when told to. */
function clock() {
  let t = 0;
  return { now: () => t, advance: (ms: number) => void (t += ms) };
}

const LONG = "plan: llama3.1:8b-instruct-q4_K_M writing… 1,234 tokens, 17 s — ünïcödé 漢字 🙂 and more text";

Deno.test("fitToWidth cuts by display width, keeps the last column free and ends with an ellipsis", () => {
  assert.equal(fitToWidth("short", 50), "short");
  assert.equal(fitToWidth("x".repeat(49), 50), "x".repeat(49), "49 columns fit a 50-column terminal");
  assert.equal(fitToWidth("x".repeat(50), 50), `${"x".repeat(48)}…`);
  const cut = fitToWidth(LONG, 50);
  assert.ok(cut.endsWith("…"));
  assert.equal(displayWidth(cut), 49);
  // Code points, not UTF-16 units: an emoji is one character (two columns), never half a surrogate pair.
  const emoji = fitToWidth("🙂".repeat(40), 21);
  assert.equal(emoji, `${"🙂".repeat(9)}…`);
  assert.equal(displayWidth(emoji), 19);
  assert.doesNotMatch(fitToWidth("a🙂🙂🙂🙂", 5), /[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
  assert.equal(displayWidth("漢字"), 4);
  assert.equal(displayWidth("e\u0301"), 1, "a combining accent takes no column");
  assert.equal(fitToWidth("abc", 1), "…", "a terminal too narrow for anything still gets one row");
});

Deno.test("off a terminal (as in this test run) the width is a standard 80 columns", () => {
  if (Deno.stderr.isTerminal()) return;
  assert.equal(stderrColumns(), 80);
});

Deno.test("a 50-column terminal: no spinner frame is longer than the width, none wraps to a new row", () => {
  const term = fakeTerminal(50);
  const c = clock();
  withTerminal(term, () => {
    const status = new StatusLine(5000, false, c.now);
    for (let i = 0; i < 30; i++) {
      status.update(`${LONG} ${"·".repeat(i)}`);
      c.advance(150);
    }
    status.done();
  });
  const drawn = frames(term.text());
  assert.equal(drawn.length, 30);
  for (const frame of drawn) {
    assert.ok(displayWidth(frame) < 50, `${displayWidth(frame)} columns: ${frame}`);
    assert.ok(!frame.includes("\n"), "a redraw never starts a new row");
  }
  assert.ok(term.text().endsWith(CLEAR), "done() leaves a clean line");
});

Deno.test("a resized pane: the next frame is cut to the new width", () => {
  let columns = 120;
  const term = { ...fakeTerminal(0), columns: () => columns };
  const out: string[] = [];
  term.write = (t) => out.push(t);
  const c = clock();
  withTerminal(term, () => {
    const status = new StatusLine(5000, false, c.now);
    status.update(LONG);
    columns = 30;
    c.advance(200);
    status.update(LONG);
    status.done();
  });
  const [wide, narrow] = frames(out.join(""));
  assert.equal(wide.slice(2), LONG);
  assert.equal(displayWidth(narrow), 29);
});

Deno.test("a log line over the spinner starts on a cleared line and the spinner is drawn again below it", () => {
  const term = fakeTerminal(50);
  const c = clock();
  withTerminal(term, () => {
    const status = new StatusLine(5000, false, c.now);
    status.update(LONG);
    log.warn("careful");
    status.done();
    log.warn("after");
  });
  const [spinner, warning, done, after] = term.out;
  assert.ok(spinner.startsWith(CLEAR));
  const redrawn = spinner.slice(CLEAR.length);
  assert.equal(warning, `${CLEAR}warning: careful\n${redrawn}`);
  assert.equal(done, CLEAR);
  assert.equal(after, "warning: after\n", "with no spinner on screen a log line is just the line");
});

Deno.test("a command's final error erases the spinner still on screen and does not draw it again", () => {
  const term = fakeTerminal(50);
  const c = clock();
  withTerminal(term, () => {
    const status = new StatusLine(5000, false, c.now);
    status.update(LONG);
    writeFinalLines(["error: the model server stopped answering", "hint: start it again"]);
    log.warn("later");
  });
  const [spinner, error, later] = term.out;
  assert.ok(spinner.startsWith(CLEAR));
  assert.equal(error, `${CLEAR}error: the model server stopped answering\nhint: start it again\n`);
  assert.equal(later, "warning: later\n", "nothing redraws the spinner after the final lines");
});

Deno.test("an interrupt while the spinner runs: the warning is written on a cleared line, not over the spinner", async () => {
  if (Deno.build.os === "windows") return;
  const term = fakeTerminal(50);
  const restore = useTerminal(term);
  try {
    const status = new StatusLine(5000, false);
    await withInterruptSignal(async (signal) => {
      status.update(LONG);
      // A signal listener does not keep the event loop alive; this timer does, and fails the test if no signal comes.
      let timer: ReturnType<typeof setTimeout> | undefined;
      const stopped = new Promise((resolve, reject) => {
        signal.addEventListener("abort", resolve, { once: true });
        timer = setTimeout(() => reject(new Error("the signal never arrived")), 10_000);
      });
      // SIGTERM takes the same path as Ctrl-C's SIGINT, which `deno test` keeps for itself.
      Deno.kill(Deno.pid, "SIGTERM");
      await stopped.finally(() => clearTimeout(timer));
    });
    status.done();
  } finally {
    restore();
  }
  const warning = term.out.find((t) => t.includes("received SIGTERM"));
  assert.ok(warning, term.text());
  assert.ok(warning.startsWith(`${CLEAR}warning: received SIGTERM: stopping and cleaning up…\n`), warning);
  for (const frame of frames(term.text())) assert.ok(displayWidth(frame.split("\n").at(-1) ?? "") < 50);
});

Deno.test("a model's progress line says '1 token', then 'N tokens', and fits the terminal", async () => {
  // Pieces 120 ms apart: the spinner redraws at most every 100 ms, so each count is drawn.
  const standIn = await startStandIn({ reply: () => ({ content: "VERDICT: UPDATE", chunkSize: 5, delayMs: 120 }) });
  const term = fakeTerminal(60);
  const restore = useTerminal(term);
  try {
    const llm = createLlmClient({ baseUrl: standIn.url });
    await askModel(llm, "llama3.1:8b-instruct-q4_K_M", [{ role: "user", content: "hi" }], { purpose: "plan" });
  } finally {
    restore();
    await standIn.close();
  }
  const drawn = frames(term.text());
  assert.ok(drawn.length > 0, term.text());
  assert.match(drawn[0], /^. plan: llama3\.1:8b-instruct-q4_K_M writing… 1 token, \d+ s$/);
  assert.ok(drawn.some((f) => / writing… [23] tokens, /.test(f)), drawn.join("\n"));
  for (const frame of drawn) {
    assert.doesNotMatch(frame, /\b1 tokens\b/);
    assert.ok(displayWidth(frame) < 60, frame);
  }
});

Deno.test("progress bars (setup, models) are cut to the width too, so moving up by the line count stays right", () => {
  const out: string[] = [];
  const c = clock();
  const live = new LiveLines({ interactive: true, write: (s) => out.push(s), now: c.now, columns: () => 20 });
  live.update(["llama3.1:8b-instruct-q4_K_M  [#####.....] 50%", "short"], "plain");
  assert.equal(out[0], "llama3.1:8b-instru…\nshort\n");
  for (const line of out[0].split("\n").filter((l) => l)) assert.ok(displayWidth(line) < 20, line);
  live.done();
});

Deno.test("a log line during a progress block is written above the block, which is drawn again below it", () => {
  const term = fakeTerminal(80);
  const c = clock();
  withTerminal(term, () => {
    const live = new LiveLines({ interactive: true, write: term.write, now: c.now });
    live.update(["layer 1 [###.......]", "layer 2 [#.........]"], "plain");
    log.warn("received SIGINT: stopping and cleaning up…");
    live.done();
  });
  assert.deepEqual(term.out, [
    "layer 1 [###.......]\nlayer 2 [#.........]\n",
    "\x1b[2A\r\x1b[Jwarning: received SIGINT: stopping and cleaning up…\nlayer 1 [###.......]\nlayer 2 [#.........]\n",
    "\x1b[2A\r\x1b[J",
  ]);
});

Deno.test("Logger writes its levels' prefixes through its sink", () => {
  const lines: string[] = [];
  const logger = new Logger("info", { write: (l) => lines.push(l) });
  logger.debug("hidden");
  logger.info("shown");
  logger.warn("careful");
  assert.deepEqual(lines, ["shown", "warning: careful"]);
});
