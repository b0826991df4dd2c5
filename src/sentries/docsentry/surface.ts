/**
 * Step 2 of `sentries docs`: what changed, public surface first. Reads a
 * unified diff and names what docs talk about: renamed or removed functions
 * and classes, CLI options, environment variables, config keys, HTTP routes
 * and changed defaults. Heuristic and pure: no I/O.
 */

export type SurfaceKind = "function" | "class" | "cli_option" | "env_var" | "config_key" | "route" | "default";

export interface SurfaceChange {
  kind: SurfaceKind;
  /** The name before the change (absent for an addition). */
  old?: string;
  /** The name after the change (absent for a removal). */
  new?: string;
  file: string;
  /** For defaults: "timeout: 30 → 60". */
  detail?: string;
}

export interface FileDiff {
  path: string;
  removed: string[];
  added: string[];
  text: string;
}

/** Splits `git diff` output into per-file removed/added lines. */
export function splitDiff(diff: string): FileDiff[] {
  const files: FileDiff[] = [];
  let current: FileDiff | undefined;
  for (const line of diff.split("\n")) {
    const header = /^diff --git a\/(.+?) b\/(.+)$/.exec(line);
    if (header) {
      current = { path: header[2], removed: [], added: [], text: line + "\n" };
      files.push(current);
      continue;
    }
    if (!current) continue;
    current.text += line + "\n";
    if (line.startsWith("+++") || line.startsWith("---")) continue;
    if (line.startsWith("-")) current.removed.push(line.slice(1));
    else if (line.startsWith("+")) current.added.push(line.slice(1));
  }
  return files;
}

const DEF_PATTERNS: Array<[SurfaceKind, RegExp]> = [
  ["function", /^\s*(?:async\s+)?def\s+([A-Za-z_]\w*)\s*\(/],
  ["class", /^\s*class\s+([A-Za-z_]\w*)\s*[(:]/],
  ["function", /^\s*(?:export\s+)?(?:async\s+)?function\s+([A-Za-z_$][\w$]*)\s*\(/],
  ["class", /^\s*(?:export\s+)?class\s+([A-Za-z_$][\w$]*)/],
  ["function", /^\s*export\s+const\s+([A-Za-z_$][\w$]*)\s*=/],
  ["function", /^\s*func\s+(?:\([^)]*\)\s*)?([A-Za-z_]\w*)\s*\(/],
];

const OPTION = /(?<![\w-])(--[a-z][a-z0-9]*(?:-[a-z0-9]+)*)/g;
const ENV_CONTEXT = /getenv|environ|process\.env|Deno\.env|env\.get|os\.Getenv|ENV\[/;
const ENV_NAME = /\b([A-Z][A-Z0-9]*_[A-Z0-9_]+|[A-Z]{3,}[0-9]*)\b/g;
const ROUTE =
  /@\w+\.(?:get|post|put|delete|patch|route|api_route)\(\s*["']([^"']+)["']|\b(?:app|router)\.(?:get|post|put|delete|patch|use)\(\s*["'`]([^"'`]+)["'`]/;
const CONFIG_KEY =
  /(?:config|settings|conf|options)(?:\.get)?\s*[\[(]\s*["']([A-Za-z_][\w.-]*)["']|^\s*([a-z][a-z0-9_]*)\s*=\s*[^=]/;

function namesIn(lines: string[], pick: (line: string) => string[]): string[] {
  const out: string[] = [];
  for (const line of lines) for (const name of pick(line)) if (!out.includes(name)) out.push(name);
  return out;
}

function defsIn(lines: string[]): Array<{ kind: SurfaceKind; name: string }> {
  const out: Array<{ kind: SurfaceKind; name: string }> = [];
  for (const line of lines) {
    for (const [kind, pattern] of DEF_PATTERNS) {
      const m = pattern.exec(line);
      if (m && !out.some((d) => d.name === m[1])) {
        out.push({ kind, name: m[1] });
        break;
      }
    }
  }
  return out;
}

/** Pairs removed-only and added-only names in order: the n-th removal and n-th addition read as a rename. */
function pairChanges(kind: SurfaceKind, file: string, before: string[], after: string[]): SurfaceChange[] {
  const removed = before.filter((n) => !after.includes(n));
  const added = after.filter((n) => !before.includes(n));
  const out: SurfaceChange[] = [];
  const pairs = Math.min(removed.length, added.length);
  for (let i = 0; i < pairs; i++) out.push({ kind, old: removed[i], new: added[i], file });
  for (const name of removed.slice(pairs)) out.push({ kind, old: name, file });
  for (const name of added.slice(pairs)) out.push({ kind, new: name, file });
  return out;
}

function defaultsOf(lines: string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of lines) {
    const option = /add_argument\(\s*["'](--[\w-]+)["'].*default\s*=\s*([^,)]+)/.exec(line);
    if (option) {
      out.set(option[1], option[2].trim());
      continue;
    }
    const click = /@click\.option\(\s*["'](--[\w-]+)["'].*default\s*=\s*([^,)]+)/.exec(line);
    if (click) {
      out.set(click[1], click[2].trim());
      continue;
    }
    const def = /^\s*(?:async\s+)?def\s+(\w+)\s*\((.*)\)/.exec(line);
    if (def) {
      for (const param of def[2].split(",")) {
        const kv = /^\s*\*?(\w+)\s*(?::[^=]+)?=\s*(.+?)\s*$/.exec(param);
        if (kv) out.set(`${def[1]}(${kv[1]})`, kv[2]);
      }
      continue;
    }
    const constant = /^([A-Z][A-Z0-9_]*DEFAULT[A-Z0-9_]*|DEFAULT_[A-Z0-9_]+)\s*(?::[^=]+)?=\s*(.+?)\s*$/.exec(line);
    if (constant) out.set(constant[1], constant[2]);
  }
  return out;
}

export function surfaceOfFile(file: FileDiff): SurfaceChange[] {
  const changes: SurfaceChange[] = [];
  const defsBefore = defsIn(file.removed);
  const defsAfter = defsIn(file.added);
  for (const kind of ["function", "class"] as const) {
    const before = defsBefore.filter((d) => d.kind === kind).map((d) => d.name);
    const after = defsAfter.filter((d) => d.kind === kind).map((d) => d.name);
    changes.push(...pairChanges(kind, file.path, before, after));
  }
  const options = (line: string) => [...line.matchAll(OPTION)].map((m) => m[1]);
  changes.push(...pairChanges("cli_option", file.path, namesIn(file.removed, options), namesIn(file.added, options)));
  const envs = (line: string) => ENV_CONTEXT.test(line) ? [...line.matchAll(ENV_NAME)].map((m) => m[1]) : [];
  changes.push(...pairChanges("env_var", file.path, namesIn(file.removed, envs), namesIn(file.added, envs)));
  const routes = (line: string) => {
    const m = ROUTE.exec(line);
    return m ? [m[1] ?? m[2]] : [];
  };
  changes.push(...pairChanges("route", file.path, namesIn(file.removed, routes), namesIn(file.added, routes)));
  if (/\.(toml|ini|cfg|ya?ml|json)$/.test(file.path) || /config|settings/.test(file.path)) {
    const keys = (line: string) => {
      const m = CONFIG_KEY.exec(line);
      return m ? [m[1] ?? m[2]] : [];
    };
    changes.push(...pairChanges("config_key", file.path, namesIn(file.removed, keys), namesIn(file.added, keys)));
  }
  const oldDefaults = defaultsOf(file.removed);
  const newDefaults = defaultsOf(file.added);
  for (const [name, value] of newDefaults) {
    const before = oldDefaults.get(name);
    if (before !== undefined && before !== value) {
      changes.push({ kind: "default", old: name, new: name, file: file.path, detail: `${name}: ${before} → ${value}` });
    }
  }
  return changes;
}

const ORDER: SurfaceKind[] = ["function", "class", "cli_option", "env_var", "config_key", "route", "default"];

export function publicSurface(files: FileDiff[]): SurfaceChange[] {
  const all = files.flatMap(surfaceOfFile).filter((c) => !isPrivateName(c.old) || !isPrivateName(c.new));
  return all.sort((a, b) =>
    ORDER.indexOf(a.kind) - ORDER.indexOf(b.kind) || a.file.localeCompare(b.file) ||
    (a.old ?? a.new ?? "").localeCompare(b.old ?? b.new ?? "")
  );
}

function isPrivateName(name: string | undefined): boolean {
  return name === undefined || (name.startsWith("_") && !name.startsWith("__"));
}

/** Names that no longer exist after the change (for ranking docs and the "no stale name" check). */
export function removedNames(changes: SurfaceChange[]): string[] {
  const out = new Set<string>();
  for (const c of changes) if (c.old && c.old !== c.new && c.kind !== "default") out.add(c.old);
  return [...out].sort();
}

export function mentionedNames(changes: SurfaceChange[]): string[] {
  const out = new Set<string>();
  for (const c of changes) {
    if (c.old) out.add(c.old);
    if (c.new) out.add(c.new);
  }
  return [...out].sort();
}

export function describeSurface(changes: SurfaceChange[]): string {
  if (changes.length === 0) return "(no public names, options, variables, routes or defaults changed)";
  return changes.map((c) => {
    const what = c.kind.replace("_", " ");
    if (c.kind === "default") return `- default changed in ${c.file}: ${c.detail}`;
    if (c.old && c.new) return `- ${what} renamed in ${c.file}: ${c.old} → ${c.new}`;
    if (c.old) return `- ${what} removed in ${c.file}: ${c.old}`;
    return `- ${what} added in ${c.file}: ${c.new}`;
  }).join("\n");
}
