/** The bot's default identity and a minimal metadata record, for tests that make bot commits. */
import { newMetadata, type SentriesMetadata } from "../../src/delivery/metadata.ts";
import type { Identity } from "../../src/git/git.ts";

export const BOT: Identity = { name: "Sentries", email: "sentries@users.noreply.github.com" };

export function sampleMetadata(base: string, overrides: Partial<SentriesMetadata> = {}): SentriesMetadata {
  return {
    ...newMetadata({
      sentry: "testsentry",
      models: { plan: "p", patch: "q" },
      base_sha: base,
      created_at: "2024-01-01T00:00:00Z",
      key: "k",
      attempts: 1,
      tokens: { prompt: 0, completion: 0, estimated_prompt: 0 },
      duration_ms: 1,
    }),
    ...overrides,
  };
}
