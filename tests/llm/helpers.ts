/** Shared set-up for the LLM client tests: a stand-in server and a client with short delays. */
import { createLlmClient, type LlmClient, type LlmClientConfig, LlmError } from "../../src/llm/mod.ts";
import { type StandIn, type StandInOptions, startStandIn } from "../support/standin_llm.ts";

export async function withStandIn(
  options: StandInOptions,
  run: (standIn: StandIn) => Promise<void>,
): Promise<void> {
  const standIn = await startStandIn(options);
  try {
    await run(standIn);
  } finally {
    await standIn.close();
  }
}

/** A client whose retries wait 1 ms, so retry tests stay fast. */
export function clientFor(baseUrl: string, config: Partial<LlmClientConfig> = {}): LlmClient {
  return createLlmClient({ baseUrl, retryBaseDelayMs: 1, ...config });
}

/** A loopback port nothing listens on: bind one, then let it go. */
/**
 * A port nothing listens on, below Linux's ephemeral range (32768–60999): a port the system hands out for
 * `port: 0` could be handed again to a stand-in of a test running in parallel while this one still uses it.
 */
export function closedPort(): number {
  for (;;) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    try {
      Deno.listen({ hostname: "127.0.0.1", port }).close();
      return port;
    } catch {
      // taken: try another
    }
  }
}

export const PLAN_MODEL = "llama3.1:8b-instruct-q4_K_M";
export const user = (content: string) => [{ role: "user" as const, content }];

/** The LlmError a promise rejects with; fails the test when it resolves or rejects with something else. */
export async function llmErrorOf(promise: Promise<unknown>): Promise<LlmError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof LlmError) return err;
    throw err;
  }
  throw new Error("expected an LlmError, but the call succeeded");
}
