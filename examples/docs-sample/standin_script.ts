/**
 * The scripted "models" the DocSentry demo uses when no Ollama is running.
 * They only give the right answer when the prompt carries the evidence: the
 * renamed option and the changed default, found by the public-surface reader.
 */
import type { StandInRequest } from "../../tests/support/standin_llm.ts";

const PLAN = `VERDICT: UPDATE_DOCS
REASON: --shout was renamed to --loud and --times now defaults to 2; README and docs/options.md still say otherwise.
PLAN:
1. README.md: use --loud in the example and the sentence after it.
2. docs/options.md: rename the shout section to loud; say --times defaults to 2.
3. CHANGELOG.md: add both changes under [Unreleased] / Changed.`;

const PATCH = "```diff\n" + "--- a/CHANGELOG.md\n" +
  "+++ b/CHANGELOG.md\n" +
  "@@ -5,6 +5,11 @@ All notable changes to this project are documented here, in the\n" +
  " \n" +
  " ## [Unreleased]\n" +
  " \n" +
  "+### Changed\n" +
  "+\n" +
  "+- `--shout` is renamed to `--loud`.\n" +
  "+- `--times` now defaults to 2.\n" +
  "+\n" +
  " ## [0.1.0] - 2026-01-10\n" +
  " \n" +
  " ### Added\n" +
  "--- a/README.md\n" +
  "+++ b/README.md\n" +
  "@@ -6,7 +6,7 @@ Say hello from the command line.\n" +
  " \n" +
  " ```sh\n" +
  " python -m greeter.cli Ada            # Hello, Ada!\n" +
  "-python -m greeter.cli Ada --shout    # HELLO, ADA!\n" +
  "+python -m greeter.cli Ada --loud     # HELLO, ADA!\n" +
  " ```\n" +
  " \n" +
  "-`--shout` prints the greeting in capitals. See [the options](docs/options.md#times) for repeating it.\n" +
  "+`--loud` prints the greeting in capitals. See [the options](docs/options.md#times) for repeating it.\n" +
  "--- a/docs/options.md\n" +
  "+++ b/docs/options.md\n" +
  "@@ -1,9 +1,9 @@\n" +
  " # Options\n" +
  " \n" +
  "-## shout\n" +
  "+## loud\n" +
  " \n" +
  "-`--shout` prints the greeting in capitals.\n" +
  "+`--loud` prints the greeting in capitals.\n" +
  " \n" +
  " ## times\n" +
  " \n" +
  "-`--times N` repeats the greeting N times (default 1).\n" +
  "+`--times N` repeats the greeting N times (default 2).\n" + "```\n";

function promptText(req: StandInRequest): string {
  return req.messages.map((m) => m.content).join("\n");
}

export function docsDemoReply(req: StandInRequest): string {
  const text = promptText(req);
  const hasEvidence = text.includes("--shout → --loud") && text.includes("--times: 1 → 2");
  // Both roles share one system prompt (for the server's prompt cache); the task at the end tells them apart.
  const isPlanner = req.messages.at(-1)?.content.includes("## Your task now: decide") ?? false;
  if (isPlanner) return hasEvidence ? PLAN : "VERDICT: NO_CHANGES\nREASON: nothing user-visible changed.";
  return hasEvidence ? PATCH : "NO_CHANGES";
}
