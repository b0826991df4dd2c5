/**
 * Snapshots of every `--help` text, so a change to what users read shows up in review.
 * After an intended change: UPDATE_GOLDEN=1 deno test -A tests/cli/help_golden_test.ts
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { runCli } from "../support/cli.ts";

const GOLDEN = fileURLToPath(new URL("./golden/", import.meta.url));
const COMMANDS = ["", "tests", "docs", "doctor", "status", "cleanup", "setup", "models"];

for (const command of COMMANDS) {
  const name = command || "sentries";
  Deno.test(`--help of ${name} matches its snapshot`, async () => {
    const r = await runCli(command ? [command, "--help"] : ["--help"]);
    assert.equal(r.code, 0, r.stderr);
    const file = join(GOLDEN, `help_${name}.txt`);
    if (Deno.env.get("UPDATE_GOLDEN") === "1") await Deno.writeTextFile(file, r.stdout);
    const expected = await Deno.readTextFile(file).catch(() => "(no snapshot: run with UPDATE_GOLDEN=1)");
    assert.equal(r.stdout, expected);
  });
}
