/**
 * Deterministic filler: ordinary functions, their passing tests and doc
 * pages, so scenario repositories are the size of real modules and choosing
 * context actually matters. Seeded, so every run generates the same bytes.
 */

/** mulberry32: a tiny seeded PRNG, enough for varied but repeatable filler. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const NOUNS = [
  "total",
  "score",
  "weight",
  "margin",
  "budget",
  "offset",
  "volume",
  "amount",
  "balance",
  "quota",
  "reading",
  "sample",
];

export interface FillerFunction {
  name: string;
  /** The Python source of the function. */
  source: string;
  /** A passing pytest function for it. */
  test: string;
}

/** `count` small functions named `<prefix>_<noun>_<i>`, with a test each. */
export function fillerFunctions(prefix: string, count: number, seed: number): FillerFunction[] {
  const rand = seeded(seed);
  const out: FillerFunction[] = [];
  for (let i = 0; i < count; i++) {
    const noun = NOUNS[Math.floor(rand() * NOUNS.length)];
    const name = `${prefix}_${noun}_${i}`;
    const factor = 1 + Math.floor(rand() * 5);
    const bias = Math.floor(rand() * 20);
    const limit = 50 + Math.floor(rand() * 100);
    const values = [1 + Math.floor(rand() * 9), 2 + Math.floor(rand() * 9), 3 + Math.floor(rand() * 9)];
    const raw = values.reduce((s, v) => s + v * factor, 0) + bias;
    const expected = Math.min(raw, limit);
    const source = [
      `def ${name}(values, factor=${factor}, limit=${limit}):`,
      `    """Return the ${noun} of \`values\` scaled by \`factor\`, plus ${bias}, capped at \`limit\`."""`,
      `    total = ${bias}`,
      `    for value in values:`,
      `        total += value * factor`,
      `    if total > limit:`,
      `        return limit`,
      `    return total`,
    ].join("\n");
    const test = [
      `def test_${name}():`,
      `    assert ${name}([${values.join(", ")}]) == ${expected}`,
    ].join("\n");
    out.push({ name, source, test });
  }
  return out;
}

/** A module body: a docstring, the given head, then filler functions. */
export function pythonModule(doc: string, head: string, filler: FillerFunction[]): string {
  const parts = [`"""${doc}"""`, head.trim(), ...filler.map((f) => f.source)].filter((p) => p !== "");
  return parts.join("\n\n\n") + "\n";
}

/** A test module: imports, the given tests, then one test per filler function. */
export function testModule(imports: string[], tests: string, filler: FillerFunction[]): string {
  const parts = [imports.join("\n"), tests.trim(), ...filler.map((f) => f.test)].filter((p) => p !== "");
  return parts.join("\n\n\n") + "\n";
}

/** `from <module> import (a, b, …)` for filler names, wrapped like black would. */
export function importFiller(module: string, filler: FillerFunction[]): string {
  if (filler.length === 0) return "";
  return `from ${module} import (\n${filler.map((f) => `    ${f.name},`).join("\n")}\n)`;
}

const TOPICS = [
  "Installing",
  "Caching",
  "Logging",
  "Plugins",
  "Security",
  "Upgrading",
  "Troubleshooting",
  "Performance",
  "Networking",
  "Storage",
];

/** A Markdown page of `sections` ordinary sections that mention nothing a scenario changes. */
export function fillerDoc(title: string, sections: number, seed: number): string {
  const rand = seeded(seed);
  const out = [`# ${title}`, ""];
  for (let i = 0; i < sections; i++) {
    const topic = TOPICS[Math.floor(rand() * TOPICS.length)];
    const n = 2 + Math.floor(rand() * 6);
    out.push(
      `## ${topic} ${i + 1}`,
      "",
      `This section explains ${topic.toLowerCase()} in everyday use. Most projects need no changes here; ` +
        `the defaults suit teams of up to ${n * 10} people.`,
      "",
      `- Keep the ${topic.toLowerCase()} settings in version control.`,
      `- Review them every ${n} months.`,
      "",
    );
  }
  return out.join("\n");
}
