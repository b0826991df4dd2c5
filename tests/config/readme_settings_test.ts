import assert from "node:assert/strict";
import { SETTINGS } from "../../src/config/settings.ts";

Deno.test("the README's configuration table names every setting, so the docs cannot silently rot", async () => {
  const readme = await Deno.readTextFile(new URL("../../README.md", import.meta.url));
  const table = readme.slice(readme.indexOf("## Configuration"), readme.indexOf("## Guardrails"));
  const missing = SETTINGS.filter((s) => !table.includes(`\`${s.env}\``)).map((s) => s.env);
  assert.deepEqual(missing, []);
  const missingKeys = SETTINGS.filter((s) => s.toml && !table.includes(`\`${s.toml}\``)).map((s) => s.toml);
  assert.deepEqual(missingKeys, []);
});
