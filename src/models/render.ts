/** The `sentries models` report as text for people. */
import { formatBytes } from "../format.ts";
import type { ServerInventory } from "./inventory.ts";
import type { ModelRow, ModelsReport } from "./recommend.ts";

function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join("  ").trimEnd();
  return [line(header), ...rows.map(line)];
}

function installedText(row: ModelRow): string {
  if (row.installed === undefined) return "?";
  return row.installed ? "yes" : "no";
}

export function renderModelsReport(
  report: ModelsReport,
  server: ServerInventory,
  memory: { totalBytes: number },
): string {
  const out: string[] = [];
  const what = server.api === "ollama" ? `Ollama ${server.version ?? "(version unknown)"}` : "OpenAI-style server";
  out.push(
    server.reachable
      ? `Model server: ${what} at ${server.url}`
      : `Model server: nothing answers at ${server.url}; installed models unknown`,
  );
  out.push(`This machine: ${formatBytes(memory.totalBytes)} of memory`, "");
  const rows = report.rows.map((r) => [
    r.inCatalog ? r.name : `${r.name} *`,
    r.sizeBytes !== undefined ? formatBytes(r.sizeBytes) : "?",
    r.parameters ?? "?",
    r.quantization ?? "?",
    r.quality !== undefined ? `${r.quality}/5` : "-",
    r.speed !== undefined ? `${r.speed}/5` : "-",
    r.roles.join(",") || "-",
    r.minMemoryBytes !== undefined ? `${formatBytes(r.minMemoryBytes)}${r.fitsMemory ? "" : " (too big)"}` : "-",
    installedText(r),
    r.servesNow.join(", "),
  ]);
  out.push(
    ...table(
      ["MODEL", "SIZE", "PARAMS", "QUANT", "QUALITY", "SPEED", "ROLE", "MEMORY", "INSTALLED", "SERVES NOW"],
      rows,
    ),
  );
  if (report.rows.some((r) => !r.inCatalog)) out.push("* installed, not in the catalog");

  out.push("", `Recommended for this machine (${formatBytes(memory.totalBytes)}):`);
  for (const role of report.roles) {
    const label = role.role === "plan" ? "planner" : "patcher";
    out.push(`  ${label} (${role.setting}=${role.configured}): ${role.advice}`);
  }
  out.push("", "Profiles (sentries setup --profile NAME):");
  for (const p of report.profiles) {
    const fits = p.fits ? "" : ", too big for this machine";
    out.push(`  ${p.name.padEnd(9)} ${p.plan} + ${p.patch} (needs ${formatBytes(p.minMemoryBytes)}${fits})`);
  }
  if (report.toPull.length > 0) {
    out.push("", "Worth pulling:");
    for (const c of report.toPull) {
      const size = c.sizeBytes !== undefined ? ` (${formatBytes(c.sizeBytes)})` : "";
      out.push(`  ${c.name}${size}: ${c.reason}`);
    }
  }
  return out.join("\n") + "\n";
}
