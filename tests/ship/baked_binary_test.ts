/**
 * What `deno task compile` puts into a binary, read from a real `deno compile` run with the
 * script's exact arguments. No denort is available here, so the full deno binary stands in as
 * the base: the result cannot run sentries, but deno appends the same payload (embedded files
 * and the JSON metadata with the baked permissions) that it appends to a denort.
 */
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { join } from "node:path";
import { compileArgs, prepareConfig, PROJECT_ROOT } from "../../scripts/compile.ts";

interface BakedPermissions {
  allow_all?: boolean;
  allow_net: string[] | null;
  allow_run: string[] | null;
  allow_env: string[] | null;
  ignore_env: string[] | null;
  allow_read: string[] | null;
  allow_write: string[] | null;
  deny_write: string[] | null;
  allow_sys: string[] | null;
  allow_ffi: string[] | null;
  prompt: boolean;
}

/** The JSON object that starts at `start`, found by matching braces outside strings. */
function jsonObjectAt(text: string, start: number): unknown {
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === "\\") i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === "{") depth++;
    else if (c === "}" && --depth === 0) return JSON.parse(text.slice(start, i + 1));
  }
  throw new Error("unterminated JSON object");
}

async function compileWithDenoAsBase(extraNet: string[]): Promise<{ permissions: BakedPermissions; tree: string }> {
  const dir = await Deno.makeTempDir({ prefix: "sentries-baked-" });
  const output = join(dir, "sentries");
  const config = await prepareConfig(extraNet, ".deno.baked-test-");
  try {
    const out = await new Deno.Command(Deno.execPath(), {
      args: compileArgs({ target: Deno.build.target, output, configPath: config.path, typeCheck: false }),
      cwd: PROJECT_ROOT,
      env: { DENORT_BIN: Deno.execPath(), NO_COLOR: "1" },
      stdout: "piped",
      stderr: "piped",
    }).output();
    const stderr = new TextDecoder().decode(out.stderr);
    assert.equal(out.code, 0, stderr);
    const binary = Buffer.from(await Deno.readFile(output));
    const start = binary.lastIndexOf('{"argv":');
    assert.ok(start >= 0, "no compile metadata in the binary");
    const text = binary.subarray(start, start + 1_000_000).toString("latin1");
    const metadata = jsonObjectAt(text, 0) as { permissions: BakedPermissions };
    return { permissions: metadata.permissions, tree: stderr.slice(stderr.indexOf("Embedded Files")) };
  } finally {
    await config.remove();
    await Deno.remove(dir, { recursive: true });
  }
}

const config = JSON.parse(await Deno.readTextFile(join(PROJECT_ROOT, "deno.json")));
const SET = config.permissions.sentries;

Deno.test("the binary carries exactly the sentries permission set, no prompts, and none of the dev files", async () => {
  const { permissions, tree } = await compileWithDenoAsBase([]);
  assert.notEqual(permissions.allow_all, true);
  assert.equal(permissions.prompt, false);
  assert.deepEqual(permissions.allow_net, SET.net);
  assert.deepEqual(permissions.allow_run, SET.run);
  assert.deepEqual(permissions.allow_env, SET.env.allow);
  assert.deepEqual(permissions.ignore_env, [], "ignore: true = every undeclared variable reads as unset");
  assert.deepEqual(permissions.allow_sys, SET.sys);
  assert.deepEqual(permissions.allow_read, [], "read: true");
  assert.deepEqual(permissions.allow_write, [], "write allow: true");
  assert.deepEqual(permissions.deny_write, SET.write.deny);
  assert.equal(permissions.allow_ffi, null);

  // Top-level entries of deno's "Embedded Files" tree: the entry point, src/, and the npm packages.
  const topLevel = tree.split("\n").filter((line) => /^[├└]/.test(line)).map((line) => line.split(" ")[1]);
  assert.deepEqual(topLevel.sort(), [".deno_compile_node_modules", "main.ts", "src"], tree);
  assert.doesNotMatch(tree, /[─┬] @deno\b|[─┬] deno\/\d/, "the npm deno package stays out");
});

Deno.test("extra hosts are added to the set's net list at build time, keeping loopback and the GitHub API", async () => {
  const { permissions } = await compileWithDenoAsBase(["ollama.lan:11434", "ghe.example.com"]);
  assert.deepEqual(permissions.allow_net, [...SET.net, "ollama.lan:11434", "ghe.example.com"]);
  assert.deepEqual(permissions.allow_run, SET.run);
});
