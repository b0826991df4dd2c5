import assert from "node:assert/strict";
import { join } from "node:path";
import { ProgramNotFoundError } from "../../src/proc/run.ts";
import { startDetached } from "../../src/setup/background.ts";
import {
  installInstructions,
  isLoopback,
  keepRunningHint,
  ollamaHostFor,
  waitForServer,
} from "../../src/setup/ollama.ts";
import { closedPort } from "../llm/helpers.ts";
import { type StandIn, startStandIn } from "../support/standin_llm.ts";
import { fakeLauncher, recordingConsole } from "./helpers.ts";
import { FAST, readEnv, setup } from "./scenario.ts";

Deno.test("Ollama not installed and nothing answering: install instructions for this OS, then stop", async () => {
  const launcher = fakeLauncher(undefined);
  await setup({ standIn: false, llmBase: `http://127.0.0.1:${closedPort()}`, launcher }, async (r) => {
    assert.equal(r.outcome.exitCode, 1);
    assert.match(r.out, /\[FAIL\] ollama: Ollama is not installed \(`ollama` is not on PATH\)/);
    assert.match(r.out, /curl -fsSL https:\/\/ollama\.com\/install\.sh \| sh/);
    assert.match(r.out, /does not download or run it for you/);
    assert.deepEqual(launcher.starts, []);
    assert.doesNotMatch(r.out, /Models|Files|Next steps/, "setup stopped");
    assert.equal(await readEnv(r.repo), undefined);
  });
  await setup(
    { standIn: false, llmBase: `http://127.0.0.1:${closedPort()}`, probe: { os: "darwin" }, launcher },
    (r) => {
      assert.match(r.out, /brew install ollama/);
    },
  );
});

Deno.test("Ollama installed but not running: `ollama serve` is started on LLM_BASE's port and waited for", async () => {
  const port = closedPort();
  let server: StandIn | undefined;
  const launcher = fakeLauncher("0.9.1", async (host) => {
    server = await startStandIn({ port: Number(host.split(":")[1]), models: FAST });
  });
  try {
    await setup({ standIn: false, llmBase: `http://127.0.0.1:${port}`, launcher }, (r) => {
      assert.equal(r.outcome.exitCode, 0, r.out);
      assert.deepEqual(launcher.starts, [{
        host: `127.0.0.1:${port}`,
        logFile: "/home/tester/.ollama/logs/sentries-ollama-serve.log",
      }]);
      assert.match(r.out, /\[ok {2}\] ollama: ollama 0\.9\.1 is installed; its server is not running/);
      assert.match(r.out, /\[ok {2}\] ollama serve: started in the background \(pid 4242, log \/home\/tester\//);
      assert.match(r.out, /→ to keep it running, use the systemd service .*systemctl enable --now ollama/);
      assert.match(r.out, /Next steps:[^]*systemctl enable --now ollama/);
    });
  } finally {
    await server?.close();
  }
});

Deno.test("a started server that never answers fails with the log file to read", async () => {
  const launcher = fakeLauncher("0.9.1");
  await setup({ standIn: false, llmBase: `http://127.0.0.1:${closedPort()}`, launcher, serverWaitMs: 300 }, (r) => {
    assert.equal(r.outcome.exitCode, 1);
    assert.equal(launcher.starts.length, 1);
    assert.match(
      r.out,
      /\[FAIL\] ollama serve: started \(pid 4242\) but http:\/\/127\.0\.0\.1:\d+ did not answer within 0 s/,
    );
    assert.match(r.out, /→ see its log: \/home\/tester\/\.ollama\/logs\/sentries-ollama-serve\.log/);
  });
});

Deno.test("without a terminal and --yes the server is not started, only explained (exit 2)", async () => {
  const launcher = fakeLauncher("0.9.1");
  await setup({ standIn: false, llmBase: `http://127.0.0.1:${closedPort()}`, launcher, yes: false }, (r) => {
    assert.equal((r.error as { exitCode?: number } | undefined)?.exitCode, 2, String(r.error));
    assert.match(String(r.error), /no terminal to ask on/);
    assert.deepEqual(launcher.starts, []);
    assert.match(r.out, /Setup would:\n {2}- start `ollama serve` in the background\n {2}- write \.env/);
    assert.match(r.out, /planner \(MODEL_PLAN\): llama3\.1:8b-instruct-q2_K \(3\.0 GiB\), once the server runs/);
  });
});

Deno.test("a remote LLM_BASE that does not answer is not started here, and memory is not judged here", async () => {
  const launcher = fakeLauncher("0.9.1");
  await setup({ standIn: false, llmBase: "http://192.0.2.1:11434", launcher, probe: { totalGiB: 2 } }, (r) => {
    assert.deepEqual(launcher.starts, []);
    assert.match(r.out, /\[ok {2}\] memory: not checked here: the models run on 192\.0\.2\.1:11434/);
    assert.match(r.out, /\[FAIL\] LLM endpoint: nothing answers at http:\/\/192\.0\.2\.1:11434/);
    assert.match(r.out, /start Ollama on 192\.0\.2\.1:11434/);
  });
});

Deno.test("host, loopback and OS hints", () => {
  assert.equal(ollamaHostFor("http://127.0.0.1:11434"), "127.0.0.1:11434");
  assert.equal(ollamaHostFor("http://localhost"), "localhost:80");
  assert.ok(isLoopback("http://[::1]:11434") && isLoopback("http://localhost:1"));
  assert.ok(!isLoopback("http://gpu-box:11434"));
  assert.match(keepRunningHint("darwin"), /brew services start ollama/);
  assert.match(installInstructions("windows").join("\n"), /ollama\.com\/download\/windows/);
  assert.match(installInstructions("freebsd").join("\n"), /LLM_BASE/);
});

Deno.test("waitForServer gives up after its time with the last error", async () => {
  const state = await waitForServer(`http://127.0.0.1:${closedPort()}`, { timeoutMs: 50, intervalMs: 10 });
  assert.equal(state.answering, false);
});

Deno.test("startDetached runs a program in the background with its output in a log file", async () => {
  const dir = await Deno.makeTempDir({ prefix: "sentries-detached-" });
  try {
    const logFile = join(dir, "logs", "serve.log");
    const pid = await startDetached("python3", [
      "-c",
      "import sys; print('out line'); print('err line', file=sys.stderr)",
    ], {
      logFile,
    });
    assert.ok(typeof pid === "number" && pid > 0);
    let text = "";
    for (let i = 0; i < 100 && !(text.includes("out line") && text.includes("err line")); i++) {
      await new Promise((r) => setTimeout(r, 20));
      text = await Deno.readTextFile(logFile);
    }
    assert.match(text, /out line/);
    assert.match(text, /err line/);
    await assert.rejects(() => startDetached("no-such-program-sentries", [], { logFile }), ProgramNotFoundError);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("declining to start the server on a terminal leaves setup unfinished (exit 1) and says what to do", async () => {
  const launcher = fakeLauncher("0.9.1");
  const console = recordingConsole({ interactive: true, answers: [false, true] });
  await setup(
    { standIn: false, llmBase: `http://127.0.0.1:${closedPort()}`, launcher, console, yes: false },
    async (r) => {
      assert.equal(console.questions[0], "Start `ollama serve` in the background now?");
      assert.deepEqual(launcher.starts, []);
      assert.match(r.out, /skipped: start `ollama serve` in the background/);
      assert.ok(await readEnv(r.repo), "the files were still written, as answered");
      assert.match(r.out, /- start the model server \(`ollama serve`\), then run `sentries setup` again/);
      assert.equal(r.outcome.exitCode, 1);
    },
  );
});
