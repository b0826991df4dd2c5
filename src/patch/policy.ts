/**
 * Guard policies per sentry. Configuration (`[tool.sentries.tests]` / `[tool.sentries.docs]`) may
 * only lower the limits and narrow the built-in allowlist: a pull request can change
 * pyproject.toml, so nothing read from it may widen what a sentry is allowed to touch. There is
 * deliberately no opt-in to widen it.
 */
import { ConfigError } from "../errors.ts";
import { matchesAnyGlob, matchesGlob, normalizeGlob } from "./glob.ts";
import type { GuardPolicy, SentryKind } from "./types.ts";

const DEFAULT_ALLOW: Record<SentryKind, readonly string[]> = {
  tests: ["tests/**"],
  docs: [
    "README.md",
    "README.rst",
    "docs/**",
    "CHANGELOG.md",
    "CHANGES.md",
    "CHANGES.rst",
    "HISTORY.*",
    "ARCHITECTURE.md",
    "ADR/**",
    "openapi.yaml",
  ],
};

const HARD_LIMITS: Record<SentryKind, { maxFiles: number; maxChangedLines: number }> = {
  tests: { maxFiles: 5, maxChangedLines: 200 },
  docs: { maxFiles: 5, maxChangedLines: 300 },
};

/** Paths no allowlist glob may ever match. */
const FORBIDDEN_PROBES = [
  ".git",
  ".git/config",
  ".git/hooks/pre-commit",
  ".github",
  ".github/workflows/ci.yml",
  ".github/CODEOWNERS",
];

export function defaultPolicy(sentry: SentryKind): GuardPolicy {
  return { sentry, allow: [...DEFAULT_ALLOW[sentry]], ...HARD_LIMITS[sentry] };
}

export interface PolicyOverrides {
  allow?: string[];
  maxFiles?: number;
  maxChangedLines?: number;
}

/** Why a user glob is refused, or undefined when it is acceptable. */
export function unsafeGlobReason(glob: string): string | undefined {
  if (glob.trim() === "") return "is empty";
  // deno-lint-ignore no-control-regex -- control characters are exactly what is refused
  if (/[\x00-\x1f\x7f\\]/.test(glob)) return "contains a control character or backslash";
  if (glob.startsWith("/") || glob.startsWith("~") || /^[A-Za-z]:/.test(glob)) return "is absolute";
  const segments = glob.split("/");
  if (segments.includes("..")) return "leaves the repository (`..`)";
  if (segments.some((s) => s.toLowerCase() === ".git")) return "names .git";
  if (segments[0].toLowerCase() === ".github") return "names .github";
  const probe = FORBIDDEN_PROBES.find((path) => matchesGlob(path, glob));
  if (probe) return `would match ${probe}`;
  return undefined;
}

const WILDCARD = /[*?[\]{}]/;

/**
 * Whether every path `glob` can match is also matched by one of the built-in globs. Decided on the
 * glob's literal shape, not by probing: a glob is inside `tests/**` only if it starts with the
 * literal folder `tests/` and names something below it; inside a literal file name only if it is
 * that name. Anything else (`**`, `*\/**`, `{tests,shop}/**`, `Tests/**`) counts as reaching outside.
 */
export function isWithinAllowlist(glob: string, builtIn: readonly string[]): boolean {
  const normalized = normalizeGlob(glob);
  const segments = normalized.split("/");
  if (segments.some((s) => s === "" || s === "." || s === "..")) return false;
  if (!WILDCARD.test(normalized)) return matchesAnyGlob(normalized, builtIn);
  return builtIn.some((base) => {
    if (base === normalized) return true;
    if (!base.endsWith("/**")) return false;
    const prefix = base.slice(0, -3).split("/");
    if (prefix.some((s) => WILDCARD.test(s))) return false;
    return segments.length > prefix.length && prefix.every((s, i) => segments[i] === s);
  });
}

function lowerOnlyLimit(name: string, value: number | undefined, hard: number): number {
  if (value === undefined) return hard;
  if (!Number.isInteger(value) || value < 1) {
    throw new ConfigError(`[tool.sentries] ${name} = ${value} is not a positive whole number`, {
      hint: `use a whole number from 1 to ${hard}`,
    });
  }
  if (value > hard) {
    throw new ConfigError(`[tool.sentries] ${name} = ${value} exceeds the hard limit ${hard}`, {
      hint: `guard limits can only be lowered; use at most ${hard}`,
    });
  }
  return value;
}

/**
 * Merges user overrides into the default policy. `allow`, when given, replaces the default list
 * and may only narrow it: every glob must be safe and inside the built-in allowlist. Throws
 * ConfigError naming the key and the glob.
 */
export function resolvePolicy(sentry: SentryKind, overrides: PolicyOverrides): GuardPolicy {
  const base = defaultPolicy(sentry);
  let allow = base.allow;
  if (overrides.allow !== undefined) {
    if (overrides.allow.length === 0) {
      throw new ConfigError(`[tool.sentries] the ${sentry} allowlist is empty`, {
        hint: "list at least one glob, or remove the key to use the default",
      });
    }
    for (const glob of overrides.allow) {
      const reason = unsafeGlobReason(glob);
      if (reason) {
        throw new ConfigError(`[tool.sentries] allow glob "${glob}" ${reason}`, {
          hint: "allowlists may not reach .git/**, .github/** or outside the repository",
        });
      }
    }
    allow = overrides.allow.map((glob) => glob.replace(/^\.\//, ""));
    const outside = allow.find((glob) => !isWithinAllowlist(glob, base.allow));
    if (outside !== undefined) {
      throw new ConfigError(
        `[tool.sentries] allow glob "${outside}" reaches outside the built-in ${sentry} allowlist (${
          base.allow.join(", ")
        })`,
        {
          hint: `configuration can only narrow what the ${sentry} sentry may change; ` +
            `use globs inside ${base.allow.join(", ")} (e.g. ${
              sentry === "tests" ? "tests/unit/**" : "docs/guide/**"
            })`,
        },
      );
    }
  }
  return {
    sentry,
    allow,
    maxFiles: lowerOnlyLimit("max_files", overrides.maxFiles, base.maxFiles),
    maxChangedLines: lowerOnlyLimit("max_changed_lines", overrides.maxChangedLines, base.maxChangedLines),
  };
}
