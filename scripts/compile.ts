/**
 * Builds the release binaries: `dist/sentries-<target>` for each target, with the `sentries`
 * permission set of deno.json baked in, and `dist/SHA256SUMS` over every `sentries-*` there.
 *
 *   deno task compile [--target T]... [--out DIR] [--extra-net HOST[:PORT],...]
 *
 * DENORT_BIN   a denort runtime for ONE target (its header says which); deno compile otherwise
 *              downloads one per target, which needs the network.
 * SENTRIES_EXTRA_NET   same as --extra-net: hosts added to the set's `net` list (a remote Ollama,
 *              a GitHub Enterprise API host), merged into a copy of deno.json for this build only.
 *
 * src/version.ts is the one source of the version; deno.json's "version" must equal it.
 */
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";
import { VERSION } from "../src/version.ts";
import { checkDenortBin, checkDenortDownloadable, CompileError, explainCompileFailure } from "./compile_denort.ts";

export { CompileError } from "./compile_denort.ts";

export const PROJECT_ROOT = fileURLToPath(new URL("../", import.meta.url));
export const DEFAULT_TARGETS = ["x86_64-unknown-linux-gnu", "aarch64-apple-darwin"] as const;
export const KNOWN_TARGETS = [
  "x86_64-unknown-linux-gnu",
  "aarch64-unknown-linux-gnu",
  "x86_64-apple-darwin",
  "aarch64-apple-darwin",
  "x86_64-pc-windows-msvc",
] as const;
const PERMISSION_SET = "sentries";
/** Kept out of the binary even if a local node_modules holds them (e.g. after `npm i deno`). */
export const EXCLUDED_PATHS = ["tests", "bench", "examples", "scripts", "node_modules/deno", "node_modules/@deno"];

export interface CompileOptions {
  targets: string[];
  outDir: string;
  extraNet: string[];
  denortBin?: string;
}

const HOST_PORT =
  /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

/** Parses `host[:port],…`; refuses anything that could widen `net` beyond named hosts. */
export function parseExtraNet(value: string): string[] {
  const hosts = value.split(",").map((h) => h.trim()).filter((h) => h !== "");
  for (const host of hosts) {
    const port = host.match(/:(\d+)$/)?.[1];
    if (!HOST_PORT.test(host) || (port !== undefined && Number(port) > 65535)) {
      throw new CompileError(`--extra-net: "${host}" is not a host or host:port (e.g. ollama.lan:11434)`, 2);
    }
  }
  return hosts;
}

export function parseCompileArgs(args: string[], env: Record<string, string | undefined>): CompileOptions {
  const targets: string[] = [];
  let outDir = join(PROJECT_ROOT, "dist");
  const extraNet = env.SENTRIES_EXTRA_NET ? parseExtraNet(env.SENTRIES_EXTRA_NET) : [];
  for (let i = 0; i < args.length; i++) {
    const [flag, inline] = args[i].split(/=(.*)/s, 2);
    const value = () => inline ?? args[++i] ?? "";
    if (flag === "--target") targets.push(value());
    else if (flag === "--out") outDir = value();
    else if (flag === "--extra-net") extraNet.push(...parseExtraNet(value()));
    else throw new CompileError(`unknown argument "${args[i]}" (use --target T, --out DIR, --extra-net HOSTS)`, 2);
  }
  for (const target of targets) {
    if (!(KNOWN_TARGETS as readonly string[]).includes(target)) {
      throw new CompileError(`unknown target "${target}"; one of: ${KNOWN_TARGETS.join(", ")}`, 2);
    }
  }
  if (outDir === "") throw new CompileError("--out needs a directory", 2);
  return { targets, outDir, extraNet, denortBin: env.DENORT_BIN || undefined };
}

async function denoDir(): Promise<string> {
  const fromEnv = Deno.env.get("DENO_DIR");
  if (fromEnv) return fromEnv;
  const out = await new Deno.Command(Deno.execPath(), { args: ["info", "--json"], stdout: "piped", stderr: "null" })
    .output();
  return JSON.parse(new TextDecoder().decode(out.stdout)).denoDir;
}

export interface CompileArgsInput {
  target: string;
  output: string;
  configPath: string;
  /** Tests about what gets embedded skip the type check; `deno task check` owns that. */
  typeCheck?: boolean;
}

/** The `deno compile` arguments for one target; tests run exactly these. */
export function compileArgs({ target, output, configPath, typeCheck = true }: CompileArgsInput): string[] {
  return [
    "compile",
    `-P=${PERMISSION_SET}`,
    "--no-prompt",
    "--config",
    configPath,
    "--target",
    target,
    "--output",
    output,
    // Embed only the npm packages main.ts reaches, from the global cache: never a local node_modules.
    "--node-modules-dir=none",
    "--exclude-unused-npm",
    ...EXCLUDED_PATHS.flatMap((path) => ["--exclude", join(PROJECT_ROOT, path)]),
    ...(typeCheck ? [] : ["--no-check"]),
    join(PROJECT_ROOT, "main.ts"),
  ];
}

/**
 * The config to compile with: deno.json itself, or (with extra hosts) a copy beside it whose
 * `net` list has them added. Flags like --allow-net REPLACE a set's list rather than add to it,
 * so the copy is the only way to add a host without dropping loopback and the GitHub API.
 * `prefix` names the copy (tests that run beside the compile script's own tests use their own).
 */
export async function prepareConfig(
  extraNet: string[],
  prefix = ".deno.compile-",
): Promise<{ path: string; remove: () => Promise<void> }> {
  const original = join(PROJECT_ROOT, "deno.json");
  if (extraNet.length === 0) return { path: original, remove: async () => {} };
  const config = JSON.parse(await Deno.readTextFile(original));
  const set = config.permissions?.[PERMISSION_SET];
  if (!Array.isArray(set?.net)) throw new CompileError(`deno.json: permissions.${PERMISSION_SET}.net is not a list`);
  set.net = [...new Set([...set.net, ...extraNet])];
  // Same folder, so relative paths, the lock file and node_modules resolve as for deno.json.
  const path = join(PROJECT_ROOT, `${prefix}${crypto.randomUUID().slice(0, 8)}.json`);
  await Deno.writeTextFile(path, JSON.stringify(config, null, 2));
  return { path, remove: () => Deno.remove(path).catch(() => {}) };
}

export async function checkVersion(): Promise<void> {
  const config = JSON.parse(await Deno.readTextFile(join(PROJECT_ROOT, "deno.json")));
  if (config.version !== VERSION) {
    throw new CompileError(
      `deno.json "version" is ${config.version} but src/version.ts says ${VERSION}; make them equal`,
    );
  }
}

async function sha256Hex(path: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", await Deno.readFile(path));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** `sha256sum -c` format over every sentries-* binary in the folder. */
export async function writeChecksums(outDir: string): Promise<string> {
  const names: string[] = [];
  for await (const entry of Deno.readDir(outDir)) {
    if (entry.isFile && entry.name.startsWith("sentries-")) names.push(entry.name);
  }
  names.sort();
  const lines = await Promise.all(names.map(async (name) => `${await sha256Hex(join(outDir, name))}  ${name}`));
  const text = lines.map((line) => line + "\n").join("");
  await Deno.writeTextFile(join(outDir, "SHA256SUMS"), text);
  return text;
}

/** A binary for this machine must answer like sentries, not like the deno it was built from. */
async function smokeTestHostBinary(output: string): Promise<void> {
  const out = await new Deno.Command(output, { args: ["--version"], stdout: "piped", stderr: "piped" }).output();
  const text = new TextDecoder().decode(out.stdout).trim();
  if (!text.startsWith(`sentries ${VERSION} `)) {
    await Deno.remove(output).catch(() => {});
    throw new CompileError(`${basename(output)} --version printed "${text.split("\n")[0]}", not sentries ${VERSION}`);
  }
}

async function compileTarget(target: string, options: CompileOptions, configPath: string): Promise<void> {
  const output = join(options.outDir, `sentries-${target}`);
  console.error(`compiling ${basename(output)}`);
  const child = new Deno.Command(Deno.execPath(), {
    args: compileArgs({ target, output, configPath }),
    cwd: PROJECT_ROOT,
    env: { NO_COLOR: "1" }, // plain text to match on
    stdout: "inherit",
    stderr: "piped",
  });
  const result = await child.output();
  const stderr = new TextDecoder().decode(result.stderr);
  if (result.code !== 0) {
    const message = explainCompileFailure(stderr, target);
    // deno's own diagnostics (type errors…) help, its backtrace does not; the denort case needs neither.
    if (!message.includes("denort") || Deno.env.get("LOG_LEVEL") === "debug") {
      console.error(stderr.split("Stack backtrace:")[0].trimEnd());
    }
    throw new CompileError(message);
  }
  if (target === Deno.build.target) await smokeTestHostBinary(output);
  const { size } = await Deno.stat(output);
  console.error(`built ${output} (${(size / 1024 / 1024).toFixed(1)} MiB)`);
}

export async function compile(options: CompileOptions): Promise<void> {
  await checkVersion();
  let targets = options.targets.length > 0 ? options.targets : [...DEFAULT_TARGETS];
  if (options.denortBin) {
    const runtimeTarget = await checkDenortBin(options.denortBin);
    if (options.targets.length === 0) targets = [runtimeTarget];
    const other = targets.find((t) => t !== runtimeTarget);
    if (other) {
      throw new CompileError(`DENORT_BIN=${options.denortBin} is a ${runtimeTarget} runtime and cannot build ${other}`);
    }
  }
  if (!options.denortBin) {
    const dir = await denoDir();
    for (const target of targets) await checkDenortDownloadable(target, { denoDir: dir });
  }
  await Deno.mkdir(options.outDir, { recursive: true });
  const config = await prepareConfig(options.extraNet);
  try {
    for (const target of targets) await compileTarget(target, options, config.path);
  } finally {
    await config.remove();
  }
  const sums = await writeChecksums(options.outDir);
  console.error(`wrote ${join(options.outDir, "SHA256SUMS")}:\n${sums.trimEnd()}`);
}

if (import.meta.main) {
  try {
    await compile(parseCompileArgs(Deno.args, Deno.env.toObject()));
  } catch (err) {
    // One line, never a stack trace: the messages above say what to do.
    console.error(`error: ${err instanceof Error ? err.message : String(err)}`);
    Deno.exit(err instanceof CompileError ? err.exitCode : 1);
  }
}
