/**
 * The pytest fork server a run's re-runs are forked from (fork_server.ts), warming up while other work goes
 * on. Its environment is the worktree's pytest environment, so that the worktree's source wins (issue 15.4).
 * Where that environment cannot depend on the worktree — no PYTHONPATH, and no `src` at the commit's root
 * (worktreePytestEnv then adds nothing) — the server starts before the worktree exists, while git checks it
 * out; otherwise once the worktree is there, as before.
 */
import type { Config } from "../../config/load.ts";
import { readEnv } from "../../env.ts";
import type { Git } from "../../git/git.ts";
import { AUTO_PYTEST_COMMANDS, PYTEST_ENV, type PytestForkServer, startForkServerFor } from "../../pytest/mod.ts";
import { worktreePytestEnv } from "../../pytest/isolation.ts";

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

/** No PYTHONPATH and no `src` at the commit: worktreePytestEnv can only give {} for a worktree of it. */
async function envFreeOfWorktree(repo: Git, commit: string): Promise<boolean> {
  if ((readEnv("PYTHONPATH") ?? "") !== "") return false;
  const listed = await repo.run(["ls-tree", "--name-only", commit, "--", "src"], { allowFail: true });
  return listed.code === 0 && listed.stdout.trim() === "";
}

export async function startWarmUp(
  config: Pick<Config, "pytestFork" | "pytestCommand">,
  repo: Git,
  target: { baseSha: string; root: string },
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
  const early = wanted && await envFreeOfWorktree(repo, target.baseSha) ? start({}) : undefined;
  let stopped = false;
  return {
    early: early !== undefined,
    forWorktree(worktreeDir) {
      if (!wanted) return undefined;
      const env = worktreePytestEnv(worktreeDir, target.root);
      if (early && Object.keys(env).length === 0) return early;
      return start(env); // an early server whose environment does not fit is ended by stop()
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      abort.abort(); // a warm-up still under way is not needed any more
      await Promise.all(started.map((server) => server.then((s) => s?.close())));
    },
  };
}
