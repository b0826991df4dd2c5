/**
 * Whether the model server can be reached, asked once at the start of a run while pytest runs, so that a
 * run with failures and no server stops right after discovery with one message (issue 15.7) instead of
 * building context and retrying the planner. The probe itself prints nothing.
 */
import { SentriesError } from "../errors.ts";
import type { LlmClient } from "../llm/mod.ts";
import { log } from "../log.ts";

/** Why the server could not be reached, in the shape of a `--json` error. */
export interface ModelServerProblem {
  code: string;
  message: string;
  hint?: string;
}

export type ModelServerProbe = { reachable: true } | { reachable: false; problem: ModelServerProblem };

/**
 * Only "nothing answers" counts as unreachable: a refused or failed connection (`llm.unreachable`) or no
 * answer within the connect timeout. A server that answers with an error is reachable; the model call that
 * needs it reports what is wrong.
 */
export function isUnreachable(err: unknown): err is SentriesError {
  if (!(err instanceof SentriesError)) return false;
  return err.code === "llm.unreachable" || (err.code === "llm.timeout" && /connect timeout/.test(err.message));
}

/** Asks the server for its version; never throws. */
export function probeModelServer(llm: LlmClient): Promise<ModelServerProbe> {
  return llm.version().then(
    (): ModelServerProbe => ({ reachable: true }),
    (err): ModelServerProbe => {
      if (!isUnreachable(err)) {
        log.debug(`model server probe: ${err instanceof Error ? err.message : String(err)} (the server answered)`);
        return { reachable: true };
      }
      return { reachable: false, problem: { code: err.code, message: err.message, hint: err.hint } };
    },
  );
}
