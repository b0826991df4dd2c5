/**
 * Just enough Python reading for context building, without running Python:
 * the outline of def/class/assignment blocks (indentation-based, aware of
 * multi-line strings and brackets), imports, fixtures and parameters. Pure.
 */

export interface Block {
  name: string;
  kind: "def" | "class" | "assign";
  /** 1-based first line, decorators included. */
  start: number;
  /** 1-based line of the `def`/`class` keyword (or the assignment). */
  headerLine: number;
  /** 1-based last line of the body. */
  end: number;
  indent: number;
  /** Names of the enclosing classes/functions, outermost first. */
  parents: string[];
  /** Decorator source text (joined), empty when none. */
  decorators: string;
}

export interface PythonImport {
  /** 1-based line of the statement. */
  line: number;
  /** Leading dots of a relative import. */
  level: number;
  /** Dotted module: `pkg.mod` in `from pkg.mod import x` and in `import pkg.mod`. */
  module: string;
  /** For `from M import a as b`: [{name: "a", alias: "b"}]; empty for `import M`. */
  names: { name: string; alias: string }[];
  /** For `import M as m`: "m"; for `import M`: "M". */
  alias?: string;
}

interface LineInfo {
  text: string;
  indent: number;
  /** The line starts inside a multi-line string or an open bracket: not a statement start. */
  continuation: boolean;
  blank: boolean;
}

/** Per-line facts: indentation, and whether the line continues a previous statement. */
export function scanLines(source: string): LineInfo[] {
  const lines = source.split("\n");
  const infos: LineInfo[] = [];
  let depth = 0;
  let quote: string | null = null; // the open string's delimiter: ', ", ''' or """
  let backslash = false;
  for (const text of lines) {
    const continuation = quote !== null || depth > 0 || backslash;
    const stripped = text.trim();
    infos.push({
      text,
      indent: text.length - text.trimStart().length,
      continuation,
      blank: stripped === "" || (!continuation && stripped.startsWith("#")),
    });
    backslash = false;
    for (let i = 0; i < text.length; i++) {
      const ch = text[i];
      if (quote !== null) {
        if (ch === "\\") i++;
        else if (text.startsWith(quote, i)) {
          i += quote.length - 1;
          quote = null;
        }
      } else if (ch === "#") break;
      else if (ch === '"' || ch === "'") {
        const triple = ch.repeat(3);
        quote = text.startsWith(triple, i) ? triple : ch;
        i += quote.length - 1;
      } else if ("([{".includes(ch)) depth++;
      else if (")]}".includes(ch)) depth = Math.max(0, depth - 1);
      else if (ch === "\\" && i === text.length - 1) backslash = true;
    }
    if (quote !== null && quote.length === 1) quote = null; // an unterminated one-line string ends with its line
  }
  return infos;
}

const DEF_PATTERN = /^(?:async\s+)?(def|class)\s+([A-Za-z_]\w*)/;
const ASSIGN_PATTERN = /^([A-Za-z_]\w*)\s*(?::[^=]*)?=(?!=)/;

/** Every def/class block (any depth) and top-level assignment, in source order. */
export function outlineBlocks(source: string): Block[] {
  const lines = scanLines(source);
  const blocks: Block[] = [];
  const open: Block[] = []; // enclosing def/class blocks of the current line
  for (let i = 0; i < lines.length; i++) {
    const info = lines[i];
    if (info.continuation || info.blank) continue;
    while (open.length > 0 && open[open.length - 1].indent >= info.indent) open.pop();
    const code = info.text.trimStart();
    const def = DEF_PATTERN.exec(code);
    const assign = !def && info.indent === 0 ? ASSIGN_PATTERN.exec(code) : null;
    if (!def && !assign) continue;
    const start = decoratorStart(lines, i);
    const block: Block = {
      name: def ? def[2] : assign![1],
      kind: def ? (def[1] as "def" | "class") : "assign",
      start: start + 1,
      headerLine: i + 1,
      end: blockEnd(lines, i, def !== null),
      indent: info.indent,
      parents: open.map((b) => b.name),
      decorators: lines.slice(start, i).map((l) => l.text.trim()).join("\n"),
    };
    blocks.push(block);
    if (def) open.push(block);
  }
  return blocks;
}

function decoratorStart(lines: LineInfo[], header: number): number {
  let start = header;
  for (let k = header - 1; k >= 0; k--) {
    const line = lines[k];
    if (line.continuation) continue;
    if (line.text.trim() === "") break;
    if (line.indent === lines[header].indent && line.text.trimStart().startsWith("@")) start = k;
    else break;
  }
  return start;
}

/** The last line (0-based) of the statement or block that starts at `header`. */
function blockEnd(lines: LineInfo[], header: number, hasBody: boolean): number {
  const indent = lines[header].indent;
  let end = header;
  for (let k = header + 1; k < lines.length; k++) {
    const line = lines[k];
    if (line.continuation) {
      end = k;
      continue;
    }
    if (line.blank) continue;
    if (!hasBody || line.indent <= indent) break;
    end = k;
  }
  return end + 1;
}

/** A top-level block by name (the last definition wins, as in Python). */
export function findTopLevel(blocks: Block[], name: string): Block | undefined {
  return blocks.filter((b) => b.parents.length === 0 && b.name === name).at(-1);
}

/** The innermost def/class containing a 1-based line. */
export function enclosingBlock(blocks: Block[], line: number): Block | undefined {
  let best: Block | undefined;
  for (const block of blocks) {
    if (block.kind === "assign" || line < block.start || line > block.end) continue;
    if (!best || block.start >= best.start) best = block;
  }
  return best;
}

/** The block a pytest node id names: `tests/t.py::TestK::test_p[2]` → method test_p of class TestK. */
export function blockForNodeId(blocks: Block[], nodeId: string): Block | undefined {
  const path = nodeId.split("::").slice(1).map((part, i, all) =>
    i === all.length - 1 ? part.replace(/\[.*$/, "") : part
  );
  if (path.length === 0) return undefined;
  const name = path[path.length - 1];
  const parents = path.slice(0, -1);
  return blocks.find((b) => b.name === name && b.parents.join("::") === parents.join("::"));
}

/** Every import statement, at any depth (tests often import inside functions). */
export function parseImports(source: string): PythonImport[] {
  const lines = scanLines(source);
  const imports: PythonImport[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (lines[i].continuation || lines[i].blank) continue;
    let statement = lines[i].text.trim();
    for (let k = i + 1; k < lines.length && lines[k].continuation; k++) statement += " " + lines[k].text.trim();
    statement = statement.replace(/\\\s/g, " ").replace(/#.*$/, "");
    const from = /^from\s+(\.*)([\w.]*)\s+import\s+(.+)$/.exec(statement);
    if (from) {
      const names = from[3].replace(/[()]/g, "").split(",").map((part) => part.trim()).filter(Boolean).map(
        (part) => {
          const [name, alias] = part.split(/\s+as\s+/);
          return { name: name.trim(), alias: (alias ?? name).trim() };
        },
      );
      imports.push({ line: i + 1, level: from[1].length, module: from[2], names });
      continue;
    }
    const plain = /^import\s+(.+)$/.exec(statement);
    if (plain) {
      for (const part of plain[1].split(",")) {
        const [module, alias] = part.trim().split(/\s+as\s+/);
        if (module) imports.push({ line: i + 1, level: 0, module: module.trim(), names: [], alias: alias?.trim() });
      }
    }
  }
  return imports;
}

/** The 1-based line ranges of the top-level import statements (for excerpts of large test modules). */
export function topLevelImportRanges(source: string): [number, number][] {
  const lines = scanLines(source);
  const ranges: [number, number][] = [];
  for (let i = 0; i < lines.length; i++) {
    const info = lines[i];
    if (info.continuation || info.blank || info.indent > 0 || !/^(from|import)\s/.test(info.text)) continue;
    let end = i;
    while (end + 1 < lines.length && lines[end + 1].continuation) end++;
    ranges.push([i + 1, end + 1]);
  }
  return ranges;
}

/** Parameter names of the def whose header is at `block.headerLine` (self/cls excluded). */
export function parameterNames(source: string, block: Block): string[] {
  const text = source.split("\n").slice(block.headerLine - 1, block.end).join("\n");
  const open = text.indexOf("(");
  if (open === -1) return [];
  let depth = 0;
  let close = -1;
  for (let i = open; i < text.length; i++) {
    if ("([{".includes(text[i])) depth++;
    else if (")]}".includes(text[i]) && --depth === 0) {
      close = i;
      break;
    }
  }
  const inside = text.slice(open + 1, close === -1 ? undefined : close);
  const names: string[] = [];
  depth = 0;
  let current = "";
  for (const ch of inside + ",") {
    if ("([{".includes(ch)) depth++;
    if (")]}".includes(ch)) depth--;
    if (ch === "," && depth === 0) {
      const name = /^\**\s*([A-Za-z_]\w*)/.exec(current.trim())?.[1];
      if (name && name !== "self" && name !== "cls") names.push(name);
      current = "";
    } else current += ch;
  }
  return names;
}

/** pytest fixtures defined in a module: name (honouring `name=`) → block. */
export function fixtureBlocks(blocks: Block[]): Map<string, Block> {
  const fixtures = new Map<string, Block>();
  for (const block of blocks) {
    if (block.kind !== "def" || !/@(pytest\.)?fixture\b/.test(block.decorators)) continue;
    const renamed = /\bname\s*=\s*["']([^"']+)["']/.exec(block.decorators)?.[1];
    fixtures.set(renamed ?? block.name, block);
  }
  return fixtures;
}

/** Fixture names a test requests: its parameters plus `usefixtures` on it or its classes. */
export function requestedFixtures(source: string, blocks: Block[], test: Block): string[] {
  const names = new Set(parameterNames(source, test));
  const scopes = [test, ...blocks.filter((b) => b.kind === "class" && b.start <= test.start && b.end >= test.end)];
  for (const scope of scopes) {
    for (const use of scope.decorators.matchAll(/usefixtures\(([^)]*)\)/g)) {
      for (const quoted of use[1].matchAll(/["']([^"']+)["']/g)) names.add(quoted[1]);
    }
  }
  return [...names];
}

/** Lines `from..to` (1-based, inclusive) with right-aligned numbers: `  12 | def foo():`. */
export function numberedLines(lines: string[], from: number, to: number, width = String(to).length): string {
  const out: string[] = [];
  for (let n = from; n <= to && n <= lines.length; n++) out.push(`${String(n).padStart(width)} | ${lines[n - 1]}`);
  return out.join("\n");
}

/** Several line ranges of one file, numbered, with `...` between the gaps. */
export function numberedExcerpt(source: string, ranges: [number, number][]): string {
  const lines = source.split("\n");
  const merged: [number, number][] = [];
  for (const [from, to] of [...ranges].sort((a, b) => a[0] - b[0] || a[1] - b[1])) {
    const last = merged[merged.length - 1];
    if (last && from <= last[1] + 2) last[1] = Math.max(last[1], to);
    else merged.push([from, to]);
  }
  const width = String(Math.max(0, ...merged.map((r) => r[1]))).length;
  return merged.map(([from, to]) => numberedLines(lines, from, to, width)).join("\n" + " ".repeat(width) + " | ...\n");
}
