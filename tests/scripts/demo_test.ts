/**
 * The README's first command, `deno task demo` (and `demo:docs`), run for real: with no model
 * server at LLM_BASE (a port nothing listens on) each demo uses its scripted stand-in and must end
 * with a verified, committed change on a bot branch and the user's tree untouched. The stand-ins
 * answer correctly only when the prompt carries the evidence, so this also fails when the
 * pipeline stops sending it (or when the prompts' layout changes under the stand-in's feet).
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { PROJECT_ROOT } from "../support/cli.ts";
import { closedPort } from "../llm/helpers.ts";

function closedPortUrl(): string {
  return `http://127.0.0.1:${closedPort()}`;
}

const ESC = String.fromCharCode(27);

async function runDemo(script: string): Promise<{ code: number; out: string }> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--no-prompt", join(PROJECT_ROOT, "scripts", script)],
    cwd: PROJECT_ROOT,
    env: { LLM_BASE: closedPortUrl(), NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
  return { code: out.code, out: text.replaceAll(ESC, "").replace(/\[[0-9;]*m/g, "") };
}

Deno.test("deno task demo: the stand-in story ends Fixed, on a bot branch, with main untouched", async () => {
  const r = await runDemo("demo.ts");
  assert.equal(r.code, 0, r.out);
  assert.match(r.out, /using the scripted stand-in model server/);
  assert.match(r.out, /TestSentry: Fixed/);
  assert.match(r.out, /^ai-test-fixes\/\S+$/m);
  assert.match(r.out, /\+from shop\.pricing import apply_discount, order_total/);
  assert.match(r.out, /working tree of main untouched: yes/);
});

Deno.test("deno task demo:docs: the stand-in story ends with a docs-only commit on a bot branch", async () => {
  const r = await runDemo("demo_docs.ts");
  assert.equal(r.code, 0, r.out);
  assert.match(r.out, /using the scripted stand-in model server/);
  assert.match(r.out, /^ai-doc-updates\/\S+$/m);
  assert.match(r.out, /docs\/options\.md/);
  assert.doesNotMatch(r.out, /\(no branch\)/);
});
