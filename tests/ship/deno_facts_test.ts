/**
 * The Deno 2.9 behaviours the permission design rests on, checked on throwaway permission sets
 * so a Deno upgrade that changes them fails here (and the design can be revisited):
 * - a relative path in a permission set resolves against deno.json's folder, not the working
 *   directory, so "." cannot mean "the repository sentries was started in";
 * - revoking a path under a global write grant does not narrow it;
 * - a deny entry matches the path as written: a symlink into a denied folder gets through;
 * - an --allow-net flag next to -P replaces the set's net list instead of adding to it.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { runProbes } from "./probe.ts";

async function throwawaySet(set: Record<string, unknown>, fn: (root: string, config: string) => Promise<void>) {
  const root = await Deno.makeTempDir({ prefix: "sentries-facts-" });
  try {
    const config = join(root, "cfg", "deno.json");
    await Deno.mkdir(join(root, "cfg"));
    await Deno.mkdir(join(root, "work"));
    await Deno.writeTextFile(config, JSON.stringify({ permissions: { probe: set } }));
    await fn(root, config);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
}

Deno.test("a relative write path in a permission set means deno.json's folder, not the working directory", async () => {
  await throwawaySet({ write: ["."] }, async (root, config) => {
    const results = await runProbes(
      [{ write: join(root, "cfg", "a.txt") }, { write: join(root, "work", "b.txt") }],
      { cwd: join(root, "work"), config, flags: ["-P=probe", "--no-prompt"] },
    );
    assert.deepEqual(results, ["ok", "NotCapable"]);
  });
});

Deno.test("revoking a folder under a global write grant does not narrow it", async () => {
  await throwawaySet({ write: true }, async (root, config) => {
    const elsewhere = join(root, "work", "c.txt");
    const results = await runProbes(
      [{ revokeWrite: join(root, "work") }, { write: elsewhere }],
      { cwd: root, config, flags: ["-P=probe", "--no-prompt"] },
    );
    assert.deepEqual(results, ["ok:granted", "ok"]);
  });
});

Deno.test("a denied folder is matched as written: a symlink into it gets through", async () => {
  const denied = await Deno.makeTempDir({ prefix: "sentries-denied-" });
  try {
    await throwawaySet({ write: { allow: true, deny: [denied] } }, async (root, config) => {
      await Deno.symlink(denied, join(root, "work", "link"));
      const results = await runProbes(
        [{ write: join(denied, "direct.txt") }, { write: join(root, "work", "link", "via-link.txt") }],
        { cwd: root, config, flags: ["-P=probe", "--no-prompt"] },
      );
      assert.deepEqual(results, ["NotCapable", "ok"]);
    });
  } finally {
    await Deno.remove(denied, { recursive: true });
  }
});

Deno.test("--allow-net next to -P replaces the set's net list (so extra hosts go into a config copy)", async () => {
  await throwawaySet({ net: ["127.0.0.1"] }, async (root, config) => {
    const probes = [{ query: { name: "net" as const, host: "127.0.0.1:80" } }, {
      query: { name: "net" as const, host: "ollama.lan:80" },
    }];
    const flags = ["-P=probe", "--no-prompt", "--allow-net=ollama.lan"];
    assert.deepEqual(await runProbes(probes, { cwd: root, config, flags }), ["ok:prompt", "ok:granted"]);
  });
});
