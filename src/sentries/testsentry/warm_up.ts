/**
 * The pytest fork server a run's re-runs are forked from (fork_server.ts), warming up while other work goes
 * on. Its environment is the worktree's pytest environment, so that the worktree's source wins (issue 15.4).
 * Where that environment cannot depend on the worktree — no PYTHONPATH, and no `src` at the commit's root
 * (worktreePytestEnv then adds nothing but the checkout's pyenv folder, pyenvDirEnv) — the server starts before
 * the worktree exists, while git checks it out; otherwise once the worktree is there, as before.
 *
 * The first pytest start costs more than anything else before the first re-run, so where the folder the run was
 * pointed at already shows the answer (no PYTHONPATH, no `src/` there, the pytest command its Python environment
 * gives), a server starts before git is asked anything (startEarlyWarmUp); startWarmUp keeps it only when the
 * run's target confirms every one of those facts (that folder is the root; no `src` at the commit; the same
 * command), and otherwise ends it and starts as above.
 */
import { join } from "node:path";
import type { Config } from "../../config/load.ts";
import { readEnv } from "../../env.ts";
import type { Git } from "../../git/git.ts";
import { AUTO_PYTEST_COMMANDS, PYTEST_ENV, type PytestForkServer, startForkServerFor } from "../../pytest/mod.ts";
import { pyenvDirEnv, sameEnv, worktreePytestEnv } from "../../pytest/isolation.ts";
import { sameCommand } from "../../pytest/run.ts";
import { findProjectEnvironment } from "../../pytest/environment.ts";

export interface WarmUp {
  /** Whether the server started before the worktree existed. */
  readonly early: boolean;
  /** The server for the run's worktree: the one already warming up when its environment fits, else a new one. */
  forWorktree(worktreeDir: string): Promise<PytestForkServer | undefined> | undefined;
  /** Gives up on a warm-up still under way and ends the server(s); safe to call more than once. */
  stop(): Promise<void>;
}

/** Forking a warmed-up pytest is safe on Linux; macOS frameworks can crash in a forked child. */
export function forkServerWanted(config: Pick<Config, "pytestFork">): boolean {
  return config.pytestFork === "on" || (config.pytestFork === "auto" && Deno.build.os === "linux");
}

/** No PYTHONPATH and no `src` at the commit: worktreePytestEnv can only give pyenvDirEnv for a worktree of it. */
async function envFreeOfWorktree(repo: Git, commit: string): Promise<boolean> {
  if ((readEnv("PYTHONPATH") ?? "") !== "") return false;
  const listed = await repo.run(["ls-tree", "--name-only", commit, "--", "src"], { allowFail: true });
  return listed.code === 0 && listed.stdout.trim() === "";
}

/** A server started before the run's target was known, with what it was started for. */
export interface EarlyWarmUp {
  /** The folder the run was pointed at, as a real path. */
  readonly folder: string;
  /** The pytest command it runs (undefined: the automatic candidates). */
  readonly command: string[] | undefined;
  readonly server: Promise<PytestForkServer | undefined>;
  /** Ends it (a warm-up under way is given up); safe to call more than once. */
  stop(): Promise<void>;
}

/**
 * Starts the fork server from the folder the run was pointed at, before anything else, where that folder shows
 * no reason to wait (see the module's doc); undefined otherwise. startWarmUp decides whether the run keeps it.
 */
export function startEarlyWarmUp(
  config: Pick<Config, "pytestFork" | "pytestCommand" | "repoPath">,
): EarlyWarmUp | undefined {
  if (!forkServerWanted(config) || (readEnv("PYTHONPATH") ?? "") !== "") return undefined;
  let folder: string;
  try {
    folder = Deno.realPathSync(config.repoPath);
    if (existsSync(join(folder, "src"))) return undefined;
  } catch {
    return undefined; // not a folder we can read: the run says why
  }
  const command = findProjectEnvironment(folder, config.pytestCommand).command;
  const abort = new AbortController();
  const env = { ...PYTEST_ENV, ...pyenvDirEnv(folder) };
  const server = startForkServerFor(command, env, AUTO_PYTEST_COMMANDS, abort.signal);
  let stopped: Promise<void> | undefined;
  return {
    folder,
    command,
    server,
    stop() {
      abort.abort();
      return stopped ??= server.then((s) => s?.close(), () => {});
    },
  };
}

function existsSync(path: string): boolean {
  try {
    Deno.lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

/** sameCommand, where no command (undefined or empty: the automatic candidates) is the same as no command. */
function sameConfigured(a: readonly string[] | undefined, b: readonly string[] | undefined): boolean {
  if (!a || !b || a.length === 0 || b.length === 0) return (!a || a.length === 0) && (!b || b.length === 0);
  return sameCommand(a, b);
}

export async function startWarmUp(
  config: Pick<Config, "pytestFork" | "pytestCommand">,
  repo: Git,
  target: { baseSha: string; root: string },
  /** startEarlyWarmUp's server: kept when the target confirms what it was started for, else ended here. */
  earlier?: EarlyWarmUp,
): Promise<WarmUp> {
  const wanted = forkServerWanted(config);
  const abort = new AbortController();
  const started: Promise<PytestForkServer | undefined>[] = [];
  const start = (env: Record<string, string>) => {
    const server = startForkServerFor(
      config.pytestCommand,
      { ...PYTEST_ENV, ...env },
      AUTO_PYTEST_COMMANDS,
      abort.signal,
    );
    started.push(server);
    return server;
  };
  const free = wanted && await envFreeOfWorktree(repo, target.baseSha);
  const keep = free && earlier !== undefined && earlier.folder === target.root &&
    sameConfigured(earlier.command, config.pytestCommand);
  if (!keep) void earlier?.stop(); // not what this run needs: given up now (stop() waits for it)
  // The environment a server started before the worktree has: the same for the early one (same root).
  const earlyEnv = pyenvDirEnv(target.root);
  const early = keep ? earlier.server : free ? start(earlyEnv) : undefined;
  let stopped = false;
  return {
    early: early !== undefined,
    forWorktree(worktreeDir) {
      if (!wanted) return undefined;
      const env = worktreePytestEnv(worktreeDir, target.root);
      if (early && sameEnv(env, earlyEnv)) return early;
      return start(env); // an early server whose environment does not fit is ended by stop()
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      abort.abort(); // a warm-up still under way is not needed any more
      await Promise.all([...started.map((server) => server.then((s) => s?.close())), earlier?.stop()]);
    },
  };
}
