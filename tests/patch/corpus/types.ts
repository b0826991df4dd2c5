import type { EditFormat, SentryKind } from "../../../src/patch/mod.ts";

export type Expectation =
  /** Files listed get exactly this content afterwards (null: deleted); all others stay as they were. */
  | { kind: "ok"; files: Record<string, string | null> }
  | { kind: "no_changes" }
  /** Exactly this set of problem codes. */
  | { kind: "rejected"; codes: string[] };

export interface CorpusCase {
  name: string;
  answer: string;
  expect: Expectation;
  sentry?: SentryKind;
  format?: EditFormat;
  /** Extra files (relative to the repository) on top of fixtures.ts's BASE_FILES. */
  files?: Record<string, string>;
  /** Symbolic links to create: link path in the repository → link target (as written in the link). */
  symlinks?: Record<string, string>;
}
