/**
 * One guarded FileEdit → FileChanges, reading the current files (only after the path guards
 * passed, so nothing outside the allowlist is ever read) and applying hunks in memory.
 */
import { join } from "node:path";
import { applyHunks, checkDeletion, newFileContent } from "./apply.ts";
import { type FileChange, type FileEdit, type PatchProblem, problem } from "./types.ts";

export interface ComputedChanges {
  changes: FileChange[];
  problems: PatchProblem[];
}

type ReadResult = { ok: true; content: string } | { ok: false; problem: PatchProblem };

const MAX_FILE_BYTES = 8 * 1024 * 1024;

export async function readRepoText(repoRoot: string, path: string): Promise<ReadResult> {
  let bytes: Uint8Array;
  try {
    bytes = await Deno.readFile(join(repoRoot, path));
  } catch (err) {
    return {
      ok: false,
      problem: problem(
        "apply.read_failed",
        `cannot read ${path}: ${err instanceof Error ? err.message : String(err)}`,
        path,
      ),
    };
  }
  if (bytes.length > MAX_FILE_BYTES) {
    return {
      ok: false,
      problem: problem("guard.file_too_large", `${path} is larger than ${MAX_FILE_BYTES / 1024 / 1024} MiB`, path),
    };
  }
  if (bytes.includes(0)) {
    return {
      ok: false,
      problem: problem("guard.binary_file", `${path} is a binary file; only text files are edited`, path),
    };
  }
  try {
    return { ok: true, content: new TextDecoder("utf-8", { fatal: true }).decode(bytes) };
  } catch {
    return { ok: false, problem: problem("guard.binary_file", `${path} is not UTF-8 text`, path) };
  }
}

const onlyAdditions = (edit: FileEdit) => edit.hunks.every((h) => h.lines.every((l) => l.op === "+"));

function single(change: FileChange): ComputedChanges {
  return { changes: change.oldContent === change.newContent ? [] : [change], problems: [] };
}

function failed(...problems: PatchProblem[]): ComputedChanges {
  return { changes: [], problems };
}

/** `exists` tells, per path, whether it is a regular file now (from the filesystem guard). */
export async function computeChanges(
  repoRoot: string,
  edit: FileEdit,
  exists: (path: string) => boolean,
): Promise<ComputedChanges> {
  const { path } = edit;
  const readOld = async (p: string) => await readRepoText(repoRoot, p);
  switch (edit.operation) {
    case "write": {
      if (!exists(path)) return single({ path, oldContent: null, newContent: edit.content ?? "" });
      const old = await readOld(path);
      return old.ok ? single({ path, oldContent: old.content, newContent: edit.content ?? "" }) : failed(old.problem);
    }
    case "create":
    case "modify": {
      if (!exists(path)) {
        if (edit.operation === "modify" && !onlyAdditions(edit)) {
          return failed(
            problem(
              "apply.file_not_found",
              `${path} does not exist; to create a file use --- /dev/null and only + lines`,
              path,
            ),
          );
        }
        const created = newFileContent(path, edit.hunks);
        return created.ok
          ? single({ path, oldContent: null, newContent: created.content })
          : failed(...created.problems);
      }
      if (edit.operation === "create") {
        return failed(
          problem(
            "apply.file_exists",
            `${path} already exists; change it with hunks against its current content instead of creating it`,
            path,
          ),
        );
      }
      const old = await readOld(path);
      if (!old.ok) return failed(old.problem);
      const applied = applyHunks(path, old.content, edit.hunks);
      return applied.ok
        ? single({ path, oldContent: old.content, newContent: applied.content })
        : failed(...applied.problems);
    }
    case "delete": {
      if (!exists(path)) {
        return failed(problem("apply.file_not_found", `the diff deletes ${path}, which does not exist`, path));
      }
      const old = await readOld(path);
      if (!old.ok) return failed(old.problem);
      const mismatch = checkDeletion(path, old.content, edit.hunks);
      return mismatch.length > 0 ? failed(...mismatch) : single({ path, oldContent: old.content, newContent: null });
    }
    case "rename":
    case "copy": {
      const source = edit.sourcePath ?? "";
      if (!exists(source)) {
        return failed(problem("apply.file_not_found", `the ${edit.operation} source ${source} does not exist`, source));
      }
      if (exists(path)) {
        return failed(problem("apply.file_exists", `the ${edit.operation} target ${path} already exists`, path));
      }
      const old = await readOld(source);
      if (!old.ok) return failed(old.problem);
      const applied = edit.hunks.length === 0
        ? { ok: true as const, content: old.content }
        : applyHunks(source, old.content, edit.hunks);
      if (!applied.ok) return failed(...applied.problems);
      const changes: FileChange[] = [{ path, oldContent: null, newContent: applied.content }];
      if (edit.operation === "rename") changes.unshift({ path: source, oldContent: old.content, newContent: null });
      return { changes, problems: [] };
    }
  }
}
