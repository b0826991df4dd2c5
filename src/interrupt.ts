/** Ctrl-C and SIGTERM as an AbortSignal for the whole run. */
import { log } from "./log.ts";

/**
 * Runs `fn` with an AbortSignal that fires on SIGINT/SIGTERM, so long steps
 * stop and `finally` blocks clean up before the process exits.
 */
export async function withInterruptSignal<T>(fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const signals: Deno.Signal[] = Deno.build.os === "windows" ? ["SIGINT"] : ["SIGINT", "SIGTERM"];
  const handlers = signals.map((sig) => {
    const handler = () => {
      if (!controller.signal.aborted) {
        log.warn(`received ${sig}: stopping and cleaning up…`);
        controller.abort(sig);
      }
    };
    Deno.addSignalListener(sig, handler);
    return [sig, handler] as const;
  });
  try {
    return await fn(controller.signal);
  } finally {
    for (const [sig, handler] of handlers) Deno.removeSignalListener(sig, handler);
  }
}
