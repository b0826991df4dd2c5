/**
 * Turns Ollama's pull progress lines into what people see: one bar per layer
 * (bytes, speed, ETA) on a terminal, or a one-line summary for CI logs. Pure:
 * the clock is passed in, so tests can replay a pull at any speed.
 */
import type { PullProgress } from "../llm/mod.ts";
import { formatBytes, formatDuration, formatSpeed, progressBar } from "../format.ts";

/** Speed is measured over this recent window, so a resumed or stalled pull shows its current pace. */
const SPEED_WINDOW_MS = 5_000;

interface Layer {
  digest: string;
  total: number;
  completed: number;
  samples: Array<{ at: number; completed: number }>;
}

export class PullTracker {
  readonly #layers = new Map<string, Layer>();
  #phase = "starting";
  readonly #startedAt: number;

  constructor(readonly model: string, private readonly now: () => number = Date.now) {
    this.#startedAt = now();
  }

  update(progress: PullProgress): void {
    const at = this.now();
    if (progress.digest === undefined || progress.total === undefined) {
      this.#phase = progress.status || this.#phase;
      return;
    }
    this.#phase = "downloading";
    const layer = this.#layers.get(progress.digest) ??
      { digest: progress.digest, total: progress.total, completed: 0, samples: [] };
    layer.total = progress.total;
    layer.completed = Math.min(progress.total, progress.completed ?? layer.completed);
    layer.samples.push({ at, completed: layer.completed });
    while (layer.samples.length > 2 && at - layer.samples[0].at > SPEED_WINDOW_MS) layer.samples.shift();
    this.#layers.set(progress.digest, layer);
  }

  /** Bytes per second over the recent window; 0 until there are two samples apart in time. */
  #speed(layer: Layer): number {
    if (layer.samples.length < 2) return 0;
    const first = layer.samples[0];
    const last = layer.samples[layer.samples.length - 1];
    const seconds = (last.at - first.at) / 1000;
    if (seconds <= 0) return 0;
    return Math.max(0, (last.completed - first.completed) / seconds);
  }

  totals(): { completed: number; total: number; bytesPerSecond: number } {
    let completed = 0;
    let total = 0;
    let bytesPerSecond = 0;
    for (const layer of this.#layers.values()) {
      completed += layer.completed;
      total += layer.total;
      if (layer.completed < layer.total) bytesPerSecond += this.#speed(layer);
    }
    return { completed, total, bytesPerSecond };
  }

  /** One bar per layer under a header line, for a terminal. */
  lines(): string[] {
    const lines = [`pulling ${this.model}: ${this.#phase}`];
    for (const layer of this.#layers.values()) {
      const name = layer.digest.replace(/^sha256:/, "").slice(0, 12);
      const bar = progressBar(layer.total > 0 ? layer.completed / layer.total : 1);
      const sizes = `${formatBytes(layer.completed)}/${formatBytes(layer.total)}`;
      if (layer.completed >= layer.total) {
        lines.push(`  ${name} ${bar} ${sizes} done`);
        continue;
      }
      const speed = this.#speed(layer);
      const eta = speed > 0 ? formatDuration(((layer.total - layer.completed) / speed) * 1000) : "?";
      lines.push(`  ${name} ${bar} ${sizes}  ${formatSpeed(speed)}  ETA ${eta}`);
    }
    return lines;
  }

  /** One line for logs: overall percentage, speed and ETA. */
  summary(): string {
    const { completed, total, bytesPerSecond } = this.totals();
    if (total === 0) return `pulling ${this.model}: ${this.#phase}`;
    const percent = Math.floor((completed / total) * 100);
    const eta = bytesPerSecond > 0 ? formatDuration(((total - completed) / bytesPerSecond) * 1000) : "?";
    return `pulling ${this.model}: ${percent}% of ${formatBytes(total)}, ${formatSpeed(bytesPerSecond)}, ETA ${eta}`;
  }

  elapsedMs(): number {
    return this.now() - this.#startedAt;
  }
}
