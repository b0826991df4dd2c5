/**
 * A pytest fork server: one warmed-up pytest process per sentries run that
 * forks a fresh child for each re-run (see fork_server_plugin.ts for why).
 * Any trouble — it does not start, a request breaks — and callers fall back
 * to starting pytest normally; a timeout or an interrupt stops the server.
 */
import { delimiter, join } from "node:path";
import { log } from "../log.ts";
import { type RunResult, spawnProgram } from "../proc/run.ts";
import { FORK_SERVER_DONE, FORK_SERVER_MODULE, FORK_SERVER_READY, FORK_SERVER_SOURCE } from "./fork_server_plugin.ts";
import { readEnv } from "../env.ts";
import type { InterpreterFacts } from "./environment.ts";

export interface ForkServerOptions {
  /** Extra environment for pytest (the same as normal runs get). */
  env: Record<string, string>;
  /** How long the warm-up may take before giving up on the server. */
  readyTimeoutMs?: number;
  /** Gives up on a warm-up still under way (the run no longer needs it). */
  signal?: AbortSignal;
}

async function* lines(stream: ReadableStream<Uint8Array>): AsyncGenerator<string> {
  let buffer = "";
  for await (const chunk of stream.pipeThrough(new TextDecoderStream())) {
    buffer += chunk;
    let newline: number;
    while ((newline = buffer.indexOf("\n")) >= 0) {
      yield buffer.slice(0, newline);
      buffer = buffer.slice(newline + 1);
    }
  }
  if (buffer) yield buffer;
}

export class PytestForkServer {
  #alive = true;
  #queue: Promise<unknown> = Promise.resolve();
  #facts: InterpreterFacts = {};

  private constructor(
    readonly command: string[],
    private readonly child: Deno.ChildProcess,
    private readonly replies: AsyncGenerator<string>,
    private readonly dir: string,
    private readonly writer: WritableStreamDefaultWriter<Uint8Array>,
  ) {}

  get alive(): boolean {
    return this.#alive;
  }

  /** Which Python and pytest serve (what the server said when it became ready). */
  get facts(): InterpreterFacts {
    return this.#facts;
  }

  /** Starts `command` as a fork server; undefined when it cannot serve (not pytest, no fork, too slow). */
  static async start(command: string[], options: ForkServerOptions): Promise<PytestForkServer | undefined> {
    const dir = await Deno.makeTempDir({ prefix: "sentries-forkserver-" });
    const pluginDir = join(dir, "plugin");
    const emptyDir = join(dir, "empty");
    await Deno.mkdir(pluginDir);
    await Deno.mkdir(emptyDir);
    await Deno.writeTextFile(join(pluginDir, `${FORK_SERVER_MODULE}.py`), FORK_SERVER_SOURCE);
    const original = options.env.PYTHONPATH ?? readEnv("PYTHONPATH") ?? "";
    let child: Deno.ChildProcess;
    log.debug(`pytest fork server: starting \`${command.join(" ")}\``);
    try {
      child = spawnProgram(
        command[0],
        [...command.slice(1), "-p", FORK_SERVER_MODULE, "-p", "no:cacheprovider", "--co", "-q", emptyDir],
        {
          cwd: emptyDir,
          stderr: "null",
          env: {
            ...options.env,
            PYTHONPATH: original ? `${pluginDir}${delimiter}${original}` : pluginDir,
            SENTRIES_FORK_SERVER: "1",
            SENTRIES_FORK_ORIGINAL_PYTHONPATH: original,
          },
        },
      );
    } catch (err) {
      log.debug(`pytest fork server: not started (${(err as Error).message})`);
      await Deno.remove(dir, { recursive: true }).catch(() => {});
      return undefined;
    }
    const replies = lines(child.stdout);
    const writer = child.stdin.getWriter();
    const server = new PytestForkServer(command, child, replies, dir, writer);
    const onAbort = () => server.#kill();
    options.signal?.addEventListener("abort", onAbort, { once: true });
    const ready = await server.#waitFor(FORK_SERVER_READY, options.readyTimeoutMs ?? 60_000)
      .finally(() => options.signal?.removeEventListener("abort", onAbort));
    if (!ready || options.signal?.aborted) {
      log.debug(`pytest fork server: \`${command.join(" ")}\` did not become ready; running pytest normally`);
      await server.close();
      return undefined;
    }
    server.#facts = factsIn(ready);
    log.debug(`pytest fork server ready (${command.join(" ")}: ${JSON.stringify(server.#facts)})`);
    return server;
  }

  async #waitFor(marker: string, timeoutMs: number): Promise<string | undefined> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<undefined>((resolve) => timer = setTimeout(() => resolve(undefined), timeoutMs));
    const found = (async () => {
      for (;;) {
        const next = await this.replies.next();
        if (next.done) return undefined;
        if (next.value.startsWith(marker)) return next.value.slice(marker.length).trim();
      }
    })();
    try {
      return await Promise.race([found, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Runs pytest with `args` in `cwd` in a forked child; one run at a time. */
  run(args: string[], options: { cwd: string; timeoutMs: number; signal?: AbortSignal }): Promise<RunResult> {
    const next = this.#queue.then(() => this.#runOne(args, options));
    this.#queue = next.catch(() => {});
    return next;
  }

  async #runOne(args: string[], options: { cwd: string; timeoutMs: number; signal?: AbortSignal }): Promise<RunResult> {
    if (!this.#alive) throw new Error("the pytest fork server has stopped");
    const started = performance.now();
    const id = crypto.randomUUID();
    const out = join(this.dir, `${id}.out`);
    const err = join(this.dir, `${id}.err`);
    await this.writer.write(new TextEncoder().encode(JSON.stringify({ args, cwd: options.cwd, out, err }) + "\n"));
    let stopped: "timeout" | "abort" | undefined;
    const stop = (why: "timeout" | "abort") => {
      stopped = why;
      this.#kill();
    };
    const timer = setTimeout(() => stop("timeout"), options.timeoutMs);
    const onAbort = () => stop("abort");
    options.signal?.addEventListener("abort", onAbort, { once: true });
    try {
      const reply = await this.#waitFor(FORK_SERVER_DONE, options.timeoutMs + 5_000);
      const read = (path: string) => Deno.readTextFile(path).catch(() => "");
      const [stdout, stderr] = await Promise.all([read(out), read(err)]);
      if (reply === undefined) {
        this.#alive = false;
        if (!stopped) throw new Error("the pytest fork server stopped answering");
        return { code: -1, stdout, stderr, timedOut: stopped === "timeout", durationMs: performance.now() - started };
      }
      const { code, ms } = JSON.parse(reply) as { code: number; ms?: number };
      const durationMs = performance.now() - started;
      log.debug(`pytest fork server: run took ${Math.round(durationMs)} ms (the forked child ${ms} ms)`);
      return { code, stdout, stderr, timedOut: false, durationMs };
    } finally {
      clearTimeout(timer);
      options.signal?.removeEventListener("abort", onAbort);
      await Deno.remove(out).catch(() => {});
      await Deno.remove(err).catch(() => {});
    }
  }

  #kill(): void {
    this.#alive = false;
    try {
      this.child.kill("SIGTERM"); // the server kills its running child, then exits
    } catch {
      // already gone
    }
  }

  async close(): Promise<void> {
    this.#alive = false;
    await this.writer.close().catch(() => {});
    const exited = await Promise.race([
      this.child.status.then(() => true),
      new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 3000)),
    ]);
    if (!exited) {
      try {
        this.child.kill("SIGKILL");
      } catch {
        // already gone
      }
      await this.child.status;
    }
    await this.replies.return(undefined).catch(() => {});
    await this.child.stdout.cancel().catch(() => {});
    await Deno.remove(this.dir, { recursive: true }).catch(() => {});
  }
}

/** The ready line's facts; only strings are taken, anything else is left out. */
function factsIn(payload: string): InterpreterFacts {
  let parsed: unknown;
  try {
    parsed = JSON.parse(payload);
  } catch {
    return {};
  }
  const facts: InterpreterFacts = {};
  if (typeof parsed !== "object" || parsed === null) return facts;
  for (const key of ["python", "pythonVersion", "pytestVersion"] as const) {
    const value = (parsed as Record<string, unknown>)[key];
    if (typeof value === "string" && value !== "") facts[key] = value;
  }
  return facts;
}

/**
 * Starts a fork server for the configured pytest command, or for the first automatic one
 * (`pytest`, `python3 -m pytest`, `python -m pytest`) that serves; undefined when none does.
 */
export async function startForkServerFor(
  configured: string[] | undefined,
  env: Record<string, string>,
  candidates: readonly (readonly string[])[],
  signal?: AbortSignal,
): Promise<PytestForkServer | undefined> {
  const commands = configured && configured.length > 0 ? [configured] : candidates;
  for (const command of commands) {
    if (signal?.aborted) return undefined;
    const server = await PytestForkServer.start([...command], { env, signal });
    if (server) return server;
  }
  return undefined;
}
