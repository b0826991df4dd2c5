/**
 * One `python3 -I` process for every Python check of the patch guards (python_check.ts, the test-integrity
 * guard): each check sends its script and its stdin as one JSON line and gets the script's exit code, stdout
 * and stderr back as one JSON line. A check costs a Python start (~20 ms, ~80 ms through a pyenv shim) only
 * once per run, and a process started ahead of time (`PythonChecker.start` while pytest or the model works)
 * costs nothing when the guard needs it. Each script runs as `python3 -I -c SCRIPT` would run it: its own
 * fresh globals, `__name__ == "__main__"`, stdin/stdout/stderr of its own, the given working directory, and
 * `-I` so a module in the repository (say `ast.py`) cannot shadow the stdlib. The scripts use the standard
 * library only, so `-S` skips `site` (and whatever `.pth` files of the installed packages would import).
 * `python` is `python3` on PATH, or the project's virtualenv interpreter (started through the permitted
 * python3, proc/python_exec.ts), so that `ast` parses what the tests' own Python parses; `env` is what picks
 * the tests' Python besides (a pyenv shim's PYENV_DIR, pytest/isolation.ts).
 */
import { log } from "../log.ts";
import { ProgramNotFoundError, spawnProgram } from "../proc/run.ts";
import { pythonInvocation } from "../proc/python_exec.ts";

export interface ScriptResult {
  code: number;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

// Requests and replies are single JSON lines (JSON escapes newlines), read and written as UTF-8 bytes
// whatever the locale. A script's exit (sys.exit) or exception ends only that script.
const DRIVER = String.raw`import ast, io, json, os, sys, traceback

_in, _out = sys.stdin.buffer, sys.stdout.buffer
_compiled = {}
while True:
    _line = _in.readline()
    if not _line:
        break
    _req = json.loads(_line.decode("utf-8"))
    _stdout, _stderr, _code = io.StringIO(), io.StringIO(), 0
    _saved = (sys.stdin, sys.stdout, sys.stderr, sys.argv)
    try:
        os.chdir(_req["cwd"])
        _src = _req["source"]
        if _src not in _compiled:
            _compiled[_src] = compile(_src, "<string>", "exec")
        if _req.get("compileOnly"):
            raise SystemExit(0)
        sys.stdin, sys.stdout, sys.stderr, sys.argv = io.StringIO(_req["stdin"]), _stdout, _stderr, ["-c"]
        exec(_compiled[_src], {"__name__": "__main__", "__builtins__": __builtins__})
    except SystemExit as e:
        if e.code is None or isinstance(e.code, int):
            _code = e.code or 0
        else:
            _stderr.write(str(e.code) + "\n")
            _code = 1
    except BaseException:
        traceback.print_exc(file=_stderr)
        _code = 1
    finally:
        sys.stdin, sys.stdout, sys.stderr, sys.argv = _saved
    _reply = {"code": _code, "stdout": _stdout.getvalue(), "stderr": _stderr.getvalue()}
    _out.write(json.dumps(_reply).encode("utf-8") + b"\n")
    _out.flush()
os._exit(0)  # every reply is flushed: no interpreter teardown to wait for
`;

const STDERR_KEPT = 4000;

/** The running process; a new one replaces it after a timeout or a crash. */
class Driver {
  readonly exited: Promise<Deno.CommandStatus>;
  #stderr = "";
  #buffer = "";
  #reader: ReadableStreamDefaultReader<string>;
  #writer: WritableStreamDefaultWriter<Uint8Array>;
  #stderrDone: Promise<void>;
  alive = true;

  constructor(private readonly child: Deno.ChildProcess) {
    this.exited = child.status.finally(() => this.alive = false);
    this.#reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
    this.#writer = child.stdin.getWriter();
    this.#stderrDone = (async () => {
      for await (const chunk of child.stderr.pipeThrough(new TextDecoderStream())) {
        this.#stderr = (this.#stderr + chunk).slice(-STDERR_KEPT);
      }
    })().catch(() => {});
  }

  /** One reply line, or undefined when the process stopped first. */
  async request(line: string): Promise<string | undefined> {
    try {
      await this.#writer.write(new TextEncoder().encode(line + "\n"));
    } catch {
      return undefined; // it exited before reading
    }
    for (;;) {
      const newline = this.#buffer.indexOf("\n");
      if (newline >= 0) {
        const reply = this.#buffer.slice(0, newline);
        this.#buffer = this.#buffer.slice(newline + 1);
        return reply;
      }
      const next = await this.#reader.read().catch(() => ({ done: true as const, value: undefined }));
      if (next.done) return undefined;
      this.#buffer += next.value;
    }
  }

  async stderr(): Promise<string> {
    await this.#stderrDone;
    return this.#stderr;
  }

  kill(): void {
    this.alive = false;
    try {
      this.child.kill("SIGKILL");
    } catch {
      // already gone
    }
  }

  async close(): Promise<void> {
    await this.#writer.close().catch(() => {});
    const exited = await Promise.race([
      this.exited.then(() => true),
      new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 3000)),
    ]);
    if (!exited) {
      this.kill();
      await this.exited;
    }
    await this.#reader.cancel().catch(() => {});
    await this.#stderrDone;
  }
}

export interface CheckerOptions {
  /** `python3` on PATH (the default) or the project's virtualenv interpreter. */
  python?: string;
  /** Scripts to compile ahead (see `PythonChecker.start`). */
  prepare?: readonly string[];
  /** Added to the environment (a pyenv shim's PYENV_DIR). */
  env?: Record<string, string>;
}

export class PythonChecker {
  #driver?: Driver;
  /** Why the process could not be started (ProgramNotFoundError, ProgramNotPermittedError). */
  #startError?: unknown;
  #queue: Promise<unknown> = Promise.resolve();
  #closed = false;

  private constructor(readonly python: string, private readonly env: Record<string, string>) {}

  /**
   * Starts the process now (it waits for the first check); an error starting it is thrown by `run`.
   * `prepare`: scripts the checks will run, compiled as soon as the process is up (a large guard script takes
   * ~20 ms to compile), so that the first check does not wait for it.
   */
  static start(options: CheckerOptions = {}): PythonChecker {
    const checker = new PythonChecker(options.python ?? "python3", options.env ?? {});
    checker.#spawn();
    for (const script of options.prepare ?? []) checker.#compile(script);
    return checker;
  }

  /** Starts a checker for `fn` (see `start`: while `fn` does other work) and closes it after. */
  static async using<T>(fn: (checker: PythonChecker) => Promise<T>, options: CheckerOptions = {}): Promise<T> {
    const checker = PythonChecker.start(options);
    try {
      return await fn(checker);
    } finally {
      await checker.close();
    }
  }

  #spawn(): void {
    try {
      // A venv's interpreter is started through python3: one that is not there is said as such, not as a
      // python3 that exited.
      if (this.python.includes("/") && !isFile(this.python)) throw new ProgramNotFoundError(this.python);
      const { program, args } = pythonInvocation(this.python, ["-I", "-S", "-c", DRIVER]);
      this.#driver = new Driver(spawnProgram(program, args, { env: this.env }));
      this.#startError = undefined;
    } catch (err) {
      this.#driver = undefined;
      this.#startError = err;
    }
  }

  /** Compiles `script` in the process ahead of its first run; a failure here shows when it runs. */
  #compile(script: string): void {
    const next = this.#queue.then(() => this.#runOne(script, "", { timeoutMs: 30_000, compileOnly: true }));
    this.#queue = next.catch(() => {});
  }

  /** Runs `script` with `stdin` in `cwd`, as `python3 -I -c script` would; one script at a time. */
  run(script: string, stdin: string, options: { cwd?: string; timeoutMs: number }): Promise<ScriptResult> {
    const next = this.#queue.then(() => this.#runOne(script, stdin, options));
    this.#queue = next.catch(() => {});
    return next;
  }

  async #runOne(
    script: string,
    stdin: string,
    options: { cwd?: string; timeoutMs: number; compileOnly?: boolean },
  ): Promise<ScriptResult> {
    if (this.#closed) throw new Error("the Python checker was closed");
    if (this.#driver && !this.#driver.alive) {
      await this.#driver.close(); // after a timeout or a crash: a fresh process
      this.#spawn();
    } else if (!this.#driver) {
      this.#spawn();
    }
    const driver = this.#driver;
    if (!driver) throw this.#startError;
    const request = JSON.stringify({
      source: script,
      stdin,
      cwd: options.cwd ?? Deno.cwd(),
      ...(options.compileOnly ? { compileOnly: true } : {}),
    });
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<"timeout">((resolve) =>
      timer = setTimeout(() => resolve("timeout"), options.timeoutMs)
    );
    const started = performance.now();
    try {
      const reply = await Promise.race([driver.request(request), timeout]);
      const what = options.compileOnly ? "compiled a script" : "python check";
      log.debug(`${what}: ${Math.round(performance.now() - started)} ms (${script.length} characters of script)`);
      if (reply === "timeout") {
        driver.kill();
        await driver.exited;
        return { code: -1, stdout: "", stderr: "", timedOut: true };
      }
      if (reply === undefined) {
        const status = await driver.exited;
        return {
          code: status.code === 0 ? 1 : status.code,
          stdout: "",
          stderr: await driver.stderr(),
          timedOut: false,
        };
      }
      try {
        const parsed = JSON.parse(reply) as { code: number; stdout: string; stderr: string };
        return { ...parsed, timedOut: false };
      } catch {
        // Something wrote straight to the process's stdout: its replies cannot be trusted any more.
        driver.kill();
        return {
          code: 1,
          stdout: "",
          stderr: `unreadable reply from ${this.python}: ${reply.slice(0, 200)}`,
          timedOut: false,
        };
      }
    } finally {
      clearTimeout(timer);
    }
  }

  /** Ends the process (it exits when its stdin closes). */
  async close(): Promise<void> {
    this.#closed = true;
    await this.#queue;
    await this.#driver?.close();
  }
}

function isFile(path: string): boolean {
  try {
    return Deno.statSync(path).isFile;
  } catch {
    return false;
  }
}
