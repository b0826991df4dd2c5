/**
 * Setup step 2: a model server answering at LLM_BASE. When Ollama is installed
 * but not running, start `ollama serve` in the background and wait for it;
 * when it is not installed, say how to install it and stop.
 */
import { describeError } from "../errors.ts";
import {
  installInstructions,
  keepRunningHint,
  ollamaHostFor,
  serveLogFile,
  type ServerState,
  waitForServer,
} from "./ollama.ts";
import type { SetupRun } from "./setup_run.ts";

export type ServerOutcome = "ready" | "not-ready" | "not-installed";

export async function ensureServer(run: SetupRun, server: ServerState): Promise<ServerOutcome> {
  const { llmBase } = run.config;
  run.section("Model server");
  if (server.answering) {
    const what = run.api === "ollama" ? `Ollama ${server.version ?? "(version unknown)"}` : "an OpenAI-style server";
    run.report({ name: "LLM endpoint", status: "ok", detail: `${what} answering at ${llmBase}` });
    return "ready";
  }
  if (run.api !== "ollama" || !run.local) {
    run.report({
      name: "LLM endpoint",
      status: "fail",
      detail: `nothing answers at ${llmBase} (${server.error})`,
      hint: run.api === "ollama"
        ? `start Ollama on ${new URL(llmBase).host} (\`ollama serve\`), or point LLM_BASE at a running server`
        : "start your model server, or point LLM_BASE at a running one",
    });
    return "not-ready";
  }
  return await startLocalOllama(run, server.error);
}

async function startLocalOllama(run: SetupRun, why: string): Promise<ServerOutcome> {
  const { llmBase } = run.config;
  const { launcher, probe } = run.deps;
  const version = await launcher.clientVersion();
  if (version === undefined) {
    run.report({
      name: "ollama",
      status: "fail",
      detail: `Ollama is not installed (\`ollama\` is not on PATH) and nothing answers at ${llmBase}`,
      hint: "install it as below, then run `sentries setup` again",
    });
    for (const line of installInstructions(probe.os)) run.line(`  ${line}`);
    return "not-installed";
  }
  run.report({
    name: "ollama",
    status: "ok",
    detail: `ollama ${version || "(version unknown)"} is installed; its server is not running (${why})`,
  });
  if (!run.consent("Start `ollama serve` in the background now?", "start `ollama serve` in the background")) {
    return "not-ready";
  }
  const logFile = serveLogFile(probe.homeDir());
  let pid: number | undefined;
  try {
    pid = await launcher.startServer({ host: ollamaHostFor(llmBase), logFile });
  } catch (err) {
    run.report({ name: "ollama serve", status: "fail", detail: `could not start it: ${describeError(err)}` });
    return "not-ready";
  }
  const waitMs = run.deps.serverWaitMs;
  const state = await waitForServer(llmBase, { timeoutMs: waitMs });
  if (!state.answering) {
    run.report({
      name: "ollama serve",
      status: "fail",
      detail: `started (pid ${pid ?? "?"}) but ${llmBase} did not answer within ${Math.round(waitMs / 1000)} s`,
      hint: `see its log: ${logFile}`,
    });
    return "not-ready";
  }
  run.report({
    name: "ollama serve",
    status: "ok",
    detail: `started in the background (pid ${pid ?? "?"}, log ${logFile}); ` +
      `Ollama ${state.version ?? "(version unknown)"} answering at ${llmBase}`,
  });
  const hint = keepRunningHint(probe.os);
  run.line(`       → ${hint}`);
  run.notes.push(hint);
  return "ready";
}
