/**
 * Golden-file tests: each named snapshot is rendered in-process and compared with the file of that name
 * in `dir`; `UPDATE_GOLDEN=1` rewrites the files (review the diff before committing it).
 */
import assert from "node:assert/strict";
import { join } from "node:path";

export function goldenTests(dir: string, snapshots: Record<string, () => string>): void {
  for (const [name, render] of Object.entries(snapshots)) {
    Deno.test(`${name} matches its snapshot`, async () => {
      const file = join(dir, name);
      const text = render();
      if (Deno.env.get("UPDATE_GOLDEN") === "1") await Deno.writeTextFile(file, text);
      const expected = await Deno.readTextFile(file).catch(() => "(no snapshot: run with UPDATE_GOLDEN=1)");
      assert.equal(text, expected);
    });
  }
}
