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
export function closedPort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr as Deno.NetAddr;
  listener.close();
  return port;
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
