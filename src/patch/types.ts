/** Types shared by every step of the patch pipeline (extract → parse → guard → apply → write). */

export type EditFormat = "udiff" | "search-replace" | "whole";
export type SentryKind = "tests" | "docs";

export interface GuardPolicy {
  sentry: SentryKind;
  /** Globs (relative POSIX paths) a patch may touch. */
  allow: string[];
  maxFiles: number;
  /** Added plus removed lines over the whole patch. */
  maxChangedLines: number;
}

/** One file's change: `oldContent` null = the file is created, `newContent` null = it is deleted. */
export interface FileChange {
  path: string;
  oldContent: string | null;
  newContent: string | null;
}

/** A reason a patch was refused: a machine-readable code and a one-line human message. */
export interface PatchProblem {
  code: string;
  message: string;
  path?: string;
}

export type PreparedPatch =
  | { kind: "no_changes" }
  | {
    kind: "ok";
    changes: FileChange[];
    diff: string;
    filesChanged: number;
    linesAdded: number;
    linesRemoved: number;
  }
  | { kind: "rejected"; problems: PatchProblem[] };

/** One line of a hunk: context (" "), removed ("-") or added ("+"). */
export interface HunkLine {
  op: " " | "-" | "+";
  text: string;
}

export interface HunkHeader {
  oldStart: number;
  oldLines: number;
  newStart: number;
  newLines: number;
}

export interface Hunk {
  lines: HunkLine[];
  /** Absent when the model wrote a bare `@@` or no header at all. */
  header?: HunkHeader;
  /** A `\ No newline at end of file` marker followed the last new-side line. */
  newSideNoNewline?: boolean;
}

export type EditOperation = "modify" | "create" | "delete" | "rename" | "copy" | "write";

/**
 * Every edit format becomes this before the guards run. `write` (whole-file format) sets the
 * file's content whether or not it exists; the others carry hunks.
 */
export interface FileEdit {
  operation: EditOperation;
  /** The file written (or deleted). */
  path: string;
  /** For rename/copy: the file read. */
  sourcePath?: string;
  hunks: Hunk[];
  /** For `write`: the complete new content. */
  content?: string;
  /** Facts the guards refuse: file-mode changes, binary patches. */
  modeChange?: string;
  binary?: boolean;
}

export function problem(code: string, message: string, path?: string): PatchProblem {
  return path === undefined ? { code, message } : { code, message, path };
}
