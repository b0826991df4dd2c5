/**
 * The results chart: per scenario, the largest request in estimated tokens (shipped vs naive,
 * with the budget line), and the wall time split into pytest, model and tool.
 */
import type { ScenarioResult } from "./measure.ts";
import { encodePng } from "./png.ts";
import { Raster, type Rgb } from "./raster.ts";
import { TOKEN_BUDGET } from "./report.ts";

const INK: Rgb = [40, 40, 40];
const GRID: Rgb = [225, 225, 225];
const SHIPPED: Rgb = [52, 101, 164];
const NAIVE: Rgb = [230, 145, 56];
const BUDGET: Rgb = [200, 30, 30];
const PYTEST: Rgb = [90, 160, 90];
const MODEL: Rgb = [150, 100, 180];
const TOOL: Rgb = [150, 150, 150];

const LEFT = 64, RIGHT = 16, GROUP = 26, PANEL = 190;

export function shortId(id: string): string {
  return id.split("-")[0].toUpperCase();
}

function niceCeiling(value: number, step: number): number {
  return Math.max(step, Math.ceil(value / step) * step);
}

function axis(r: Raster, top: number, height: number, max: number, step: number, label: (v: number) => string): void {
  for (let v = 0; v <= max; v += step) {
    const y = top + height - Math.round((v / max) * height);
    r.hline(LEFT, y, r.width - LEFT - RIGHT, GRID);
    const text = label(v);
    r.text(LEFT - 6 - Raster.textWidth(text, 2), y - 4, text, INK, 2);
  }
}

function legend(r: Raster, x: number, y: number, items: Array<[string, Rgb]>): void {
  let cx = x;
  for (const [name, color] of items) {
    r.fillRect(cx, y, 10, 10, color);
    cx += 14 + r.text(cx + 14, y, name, INK, 2) + 12;
  }
}

export function drawChart(scenarios: ScenarioResult[], naive: ScenarioResult[]): Raster {
  const width = LEFT + RIGHT + GROUP * Math.max(1, scenarios.length);
  const r = new Raster(Math.max(width, 640), 40 + PANEL + 70 + PANEL + 40);
  const plotW = r.width - LEFT - RIGHT;
  const group = plotW / Math.max(1, scenarios.length);

  // Panel 1: largest request per scenario.
  let top = 40;
  r.text(LEFT, 8, "LARGEST REQUEST PER SCENARIO (EST. TOKENS)", INK, 2);
  legend(r, LEFT, 24, [["SHIPPED", SHIPPED], ["NAIVE", NAIVE], [`BUDGET ${TOKEN_BUDGET}`, BUDGET]]);
  top += 12;
  const maxTokens = niceCeiling(
    Math.max(TOKEN_BUDGET, ...scenarios.map((s) => s.maxCallTokens), ...naive.map((s) => s.maxCallTokens)) * 1.05,
    2000,
  );
  axis(r, top, PANEL - 12, maxTokens, 2000, (v) => `${v / 1000}K`);
  const ty = (v: number) => top + (PANEL - 12) - Math.round((v / maxTokens) * (PANEL - 12));
  scenarios.forEach((s, i) => {
    const x = LEFT + i * group + 3;
    const b = naive.find((n) => n.id === s.id);
    const w = b ? (group - 6) / 2 : group - 6;
    r.fillRect(x, ty(s.maxCallTokens), w, ty(0) - ty(s.maxCallTokens), SHIPPED);
    if (b) r.fillRect(x + w, ty(b.maxCallTokens), w, ty(0) - ty(b.maxCallTokens), NAIVE);
    if (!s.passed) r.text(x, ty(0) + 16, "X", BUDGET, 2);
  });
  r.hline(LEFT, ty(TOKEN_BUDGET), plotW, BUDGET, 4);
  r.hline(LEFT, ty(TOKEN_BUDGET) + 1, plotW, BUDGET, 4);
  scenarios.forEach((s, i) => r.text(LEFT + i * group + 1, ty(0) + 4, shortId(s.id), INK, group >= 26 ? 2 : 1));

  // Panel 2: wall time split.
  top = 40 + PANEL + 30;
  r.text(LEFT, top, "WALL TIME PER SCENARIO (S), SHIPPED", INK, 2);
  legend(r, LEFT, top + 16, [["PYTEST", PYTEST], ["MODEL", MODEL], ["TOOL", TOOL]]);
  top += 40;
  const maxMs = niceCeiling(Math.max(...scenarios.map((s) => s.wallMs), 1000) * 1.05, 1000);
  const step = maxMs > 8000 ? 2000 : 1000;
  axis(r, top, PANEL - 12, maxMs, step, (v) => `${v / 1000}`);
  const h = (ms: number) => Math.round((ms / maxMs) * (PANEL - 12));
  const base = top + PANEL - 12;
  scenarios.forEach((s, i) => {
    const x = LEFT + i * group + 3;
    let y = base;
    for (const [ms, color] of [[s.pytestMs, PYTEST], [s.modelMs, MODEL], [s.overheadMs, TOOL]] as const) {
      r.fillRect(x, y - h(ms), group - 6, h(ms), color);
      y -= h(ms);
    }
    r.text(x - 2, base + 4, shortId(s.id), INK, group >= 26 ? 2 : 1);
  });
  return r;
}

export async function chartPng(scenarios: ScenarioResult[], naive: ScenarioResult[]): Promise<Uint8Array> {
  const r = drawChart(scenarios, naive);
  return await encodePng(r.width, r.height, r.data);
}
