/** The tool version; `deno task compile` stamps it from deno.json. */
export const VERSION = "0.1.0";

/** The target triple this build runs on, e.g. x86_64-unknown-linux-gnu. */
export function buildTarget(): string {
  return Deno.build.target;
}
