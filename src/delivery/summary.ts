/** Appends a Markdown job summary to $GITHUB_STEP_SUMMARY when GitHub Actions provides one. */
import { log } from "../log.ts";
import { readEnv } from "../env.ts";

export async function writeJobSummary(markdown: string, path?: string): Promise<void> {
  const target = path ?? (readEnv("GITHUB_STEP_SUMMARY") || undefined);
  if (!target) return;
  try {
    await Deno.writeTextFile(target, markdown.endsWith("\n") ? markdown : markdown + "\n", { append: true });
  } catch (err) {
    log.warn(`could not write the job summary to ${target}: ${(err as Error).message}`);
  }
}
