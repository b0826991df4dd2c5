/**
 * The current text of the files a patcher may edit, whole, within a share of the token budget. Both sentries
 * read them the same way; which paths, in which order, and which may be shown at all is theirs to say.
 */
import { join } from "node:path";
import { estimateTokens } from "../llm/tokens.ts";
import { log } from "../log.ts";

export interface FileToEdit {
  path: string;
  content: string;
}

export interface FilesToEditOptions {
  tokenBudget: number;
  /** At most this many files (default: no limit). */
  maxFiles?: number;
  /** Whether a path may be read into a prompt at all (default: every path). */
  mayRead?: (path: string) => Promise<boolean>;
}

/**
 * Reads `paths` in the order given (duplicates once): a missing file is skipped (the patch may create it), and a
 * file that would overflow the budget is skipped whole, never cut (a cut file invites edits against lines the
 * model never saw).
 */
export async function readFilesToEdit(
  dir: string,
  paths: string[],
  options: FilesToEditOptions,
): Promise<FileToEdit[]> {
  const files: FileToEdit[] = [];
  let used = 0;
  for (const path of new Set(paths)) {
    if (options.maxFiles !== undefined && files.length >= options.maxFiles) break;
    if (options.mayRead && !(await options.mayRead(path))) continue;
    let content: string;
    try {
      content = await Deno.readTextFile(join(dir, path));
    } catch {
      continue;
    }
    const cost = estimateTokens(content);
    if (used + cost > options.tokenBudget) {
      log.debug(`not sending ${path} whole (${cost} tokens over the budget)`);
      continue;
    }
    used += cost;
    files.push({ path, content });
  }
  return files;
}
