/** One check as the line people read (doctor, setup and models print the same lines). */
import type { CheckResult } from "./checks.ts";

const MARK: Record<CheckResult["status"], string> = { ok: "ok  ", warn: "warn", fail: "FAIL" };

export function renderCheck(r: CheckResult): string {
  const time = r.durationMs !== undefined ? ` (${r.durationMs} ms)` : "";
  const hint = r.hint && r.status !== "ok" ? `\n       → ${r.hint}` : "";
  return `[${MARK[r.status]}] ${r.name}: ${r.detail}${time}${hint}`;
}
