/**
 * The one shape of every `--json` document, success or failure:
 * `{"schemaVersion": 1, "command", "ok", "exitCode", …the command's own fields…, "error"?}`,
 * so a script reads `ok` and `exitCode` the same way for every command, and `jq .outcome`
 * still works on an error (it reads `null` instead of failing to parse).
 */
import { SentriesError } from "./errors.ts";

/** Raised when a field is added, renamed or changes meaning; adding a command's own field does not raise it. */
export const JSON_SCHEMA_VERSION = 1;

/** What `error` holds when a run ends in an expected (or unexpected) failure. */
export interface JsonErrorBody {
  code: string;
  message: string;
  hint?: string;
  exitCode: number;
}

/** The envelope's keys; a command's own fields follow them. */
export interface JsonEnvelope {
  schemaVersion: number;
  /** The subcommand's name (`models` for its alias `update-models`); null when none was recognised. */
  command: string | null;
  /** Whether the process exits 0. */
  ok: boolean;
  /** The process exit code. */
  exitCode: number;
  error?: JsonErrorBody;
  [field: string]: unknown;
}

export function jsonErrorBody(err: SentriesError): JsonErrorBody {
  return { code: err.code, message: err.message, hint: err.hint, exitCode: err.exitCode };
}

/**
 * The envelope around a command's fields. The envelope's values win over a field of the same name
 * (a report's own `exitCode` is the same number; doctor's `ok` the same verdict).
 */
export function jsonEnvelope(
  command: string | null,
  exitCode: number,
  fields: object = {},
  error?: JsonErrorBody,
): JsonEnvelope {
  const envelope: JsonEnvelope = { schemaVersion: JSON_SCHEMA_VERSION, command, ok: exitCode === 0, exitCode };
  for (const [key, value] of Object.entries(fields)) {
    if (!(key in envelope)) envelope[key] = value;
  }
  if (error) envelope.error = error;
  return envelope;
}

/** The envelope as printed on stdout: indented, one trailing newline. */
export function renderJson(
  command: string | null,
  exitCode: number,
  fields: object = {},
  error?: JsonErrorBody,
): string {
  return JSON.stringify(jsonEnvelope(command, exitCode, fields, error), null, 2) + "\n";
}
