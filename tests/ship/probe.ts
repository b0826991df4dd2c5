/**
 * Runs tiny probe programs under exactly the permission flags of `deno task sentries` (and so
 * of the release binary, whose baked set baked_binary_test.ts compares with deno.json).
 */
import { join } from "node:path";
import { PROJECT_ROOT, sentriesTaskFlags } from "../support/cli.ts";

/** One action and what came of it: "ok", "ok:<value>" or the error's name (NotCapable…). */
export type Probe =
  | { fetch: string }
  | { connect: { hostname: string; port: number } }
  | { query: Deno.PermissionDescriptor }
  | { run: string; args?: string[] }
  | { env: string }
  | { envKeys: true }
  | { write: string }
  | { revokeWrite: string }
  | { hostname: true };

const PROBE_SOURCE = `
const probes = JSON.parse(Deno.args[0]);
const results = [];
const name = (err) => err?.name ?? String(err);
for (const p of probes) {
  try {
    if (p.fetch) { const r = await fetch(p.fetch); await r.body?.cancel(); results.push("ok:" + r.status); }
    else if (p.connect) { (await Deno.connect(p.connect)).close(); results.push("ok"); }
    else if (p.query) results.push("ok:" + (await Deno.permissions.query(p.query)).state);
    else if (p.run) { const o = await new Deno.Command(p.run, { args: p.args ?? [], stdout: "null", stderr: "null" }).output(); results.push("ok:" + o.code); }
    else if (p.env) results.push("ok:" + Deno.env.get(p.env));
    else if (p.envKeys) results.push("ok:" + Object.keys(Deno.env.toObject()).sort().join(","));
    else if (p.write) { await Deno.writeTextFile(p.write, "probe\\n"); results.push("ok"); }
    else if (p.revokeWrite) results.push("ok:" + (await Deno.permissions.revoke({ name: "write", path: p.revokeWrite })).state);
    else if (p.hostname) results.push("ok:" + Deno.hostname());
    else results.push("unknown probe");
  } catch (err) { results.push(name(err)); }
}
console.log(JSON.stringify(results));
`;

export interface ProbeOptions {
  cwd: string;
  env?: Record<string, string>;
  /** Another config (a throwaway permission set) instead of the project's deno.json. */
  config?: string;
  /** Another permission-set flag list instead of the sentries task's. */
  flags?: string[];
}

export async function runProbes(probes: Probe[], options: ProbeOptions): Promise<string[]> {
  const dir = await Deno.makeTempDir({ prefix: "sentries-probe-" });
  try {
    const script = join(dir, "probe.js");
    await Deno.writeTextFile(script, PROBE_SOURCE);
    const flags = options.flags ?? await sentriesTaskFlags();
    const out = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        ...flags,
        "--config",
        options.config ?? join(PROJECT_ROOT, "deno.json"),
        script,
        JSON.stringify(probes),
      ],
      cwd: options.cwd,
      env: { PATH: Deno.env.get("PATH") ?? "", HOME: Deno.env.get("HOME") ?? "", ...options.env },
      clearEnv: true,
      stdout: "piped",
      stderr: "piped",
    }).output();
    const stdout = new TextDecoder().decode(out.stdout);
    if (out.code !== 0) throw new Error(`probe exited ${out.code}: ${new TextDecoder().decode(out.stderr)}`);
    return JSON.parse(stdout);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}
