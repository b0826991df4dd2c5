/**
 * The denort runtime that `deno compile` builds on: where it comes from (DENORT_BIN or a
 * download) and one-line explanations when it is missing, wrong, or cannot be fetched.
 */
import { join } from "node:path";

/** A failure the script reports as one `error: …` line. */
export class CompileError extends Error {
  constructor(message: string, readonly exitCode = 1) {
    super(message);
    this.name = "CompileError";
  }
}

/** The target an executable was built for, from its header; undefined when it is not one. */
export function runtimeTargetOf(header: Uint8Array): string | undefined {
  const view = new DataView(header.buffer, header.byteOffset, header.byteLength);
  if (header.length >= 20 && view.getUint32(0) === 0x7f454c46) { // "\x7fELF"
    const machine = view.getUint16(18, header[5] === 1); // EI_DATA 1 = little-endian
    if (machine === 0x3e) return "x86_64-unknown-linux-gnu";
    if (machine === 0xb7) return "aarch64-unknown-linux-gnu";
    return undefined;
  }
  if (header.length >= 8 && view.getUint32(0, true) === 0xfeedfacf) { // 64-bit Mach-O
    const cpu = view.getUint32(4, true);
    if (cpu === 0x01000007) return "x86_64-apple-darwin";
    if (cpu === 0x0100000c) return "aarch64-apple-darwin";
    return undefined;
  }
  if (header.length >= 2 && header[0] === 0x4d && header[1] === 0x5a) return "x86_64-pc-windows-msvc"; // "MZ"
  return undefined;
}

export function denortHelp(target: string): string {
  return `set DENORT_BIN to a denort binary (from https://github.com/denoland/deno/releases, ` +
    `denort-${target}.zip) or build in the release workflow`;
}

/** Checks DENORT_BIN up front and says which target it can build. */
export async function checkDenortBin(path: string, deno = Deno.execPath()): Promise<string> {
  let info: Deno.FileInfo;
  try {
    info = await Deno.stat(path);
  } catch {
    throw new CompileError(`DENORT_BIN=${path} does not exist; ${denortHelp(Deno.build.target)}`);
  }
  if (!info.isFile) throw new CompileError(`DENORT_BIN=${path} is not a file; ${denortHelp(Deno.build.target)}`);
  if ((await Deno.realPath(path)) === (await Deno.realPath(deno))) {
    throw new CompileError(
      `DENORT_BIN=${path} is the full deno binary, which makes a plain deno instead of sentries; ` +
        denortHelp(Deno.build.target),
    );
  }
  const file = await Deno.open(path);
  const header = new Uint8Array(64);
  try {
    await file.read(header);
  } finally {
    file.close();
  }
  const target = runtimeTargetOf(header);
  if (!target) {
    throw new CompileError(`DENORT_BIN=${path} is not an executable for any target; ${denortHelp("<target>")}`);
  }
  return target;
}

export interface DenortSource {
  /** Deno's cache folder; deno compile keeps downloaded runtimes under dl/ there. */
  denoDir: string;
  baseUrl?: string;
  timeoutMs?: number;
}

/** Fails up front, in one line, when deno compile could neither find nor download the runtime. */
export async function checkDenortDownloadable(target: string, source: DenortSource): Promise<void> {
  const suffix = `release/v${Deno.version.deno}/denort-${target}.zip`;
  try {
    if ((await Deno.stat(join(source.denoDir, "dl", suffix))).isFile) return;
  } catch {
    // not cached: ask the download host
  }
  const url = `${source.baseUrl ?? "https://dl.deno.land"}/${suffix}`;
  let reason: string;
  try {
    const res = await fetch(url, { method: "HEAD", signal: AbortSignal.timeout(source.timeoutMs ?? 10_000) });
    await res.body?.cancel();
    if (res.ok) return;
    reason = `HTTP ${res.status}`;
  } catch (err) {
    reason = err instanceof Error ? err.message.split("\n")[0] : String(err);
  }
  throw new CompileError(
    `deno compile needs the denort runtime for ${target}, which cannot be downloaded here (${url}: ${reason}) — ${
      denortHelp(target)
    }`,
  );
}

/** One line for deno compile's multi-line failure, naming the fix when it is the missing denort. */
export function explainCompileFailure(stderr: string, target: string): string {
  const text = stderr;
  if (/denort|Setting up base binary|dl\.deno\.land/.test(text)) {
    return `deno compile needs the denort runtime for ${target}, which cannot be downloaded here — ${
      denortHelp(target)
    }`;
  }
  const first = text.split("\n").find((line) => line.startsWith("error:"))?.slice(6).trim();
  const hint = /Type checking failed/.test(text) ? " (run `deno check main.ts`)" : "";
  return `deno compile failed for ${target}: ${first ?? "see the output above"}${hint}`;
}
