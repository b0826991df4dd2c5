/**
 * Checks of the whole configuration that need more than one value at a time, run when it is loaded (before
 * pytest or any model call, and in `doctor`): the guard policies each sentry will use, the GitHub repository
 * name, and the `.env` keys nothing reads.
 */
import { isAbsolute } from "node:path";
import { ConfigError } from "../errors.ts";
import { DENO_REFUSED, refusedByDeno } from "../git/worktree_location.ts";
import { resolvePolicy } from "../patch/policy.ts";
import type { SentryKind } from "../patch/types.ts";
import { closestWord } from "./closest.ts";
import { SETTINGS } from "./settings.ts";

/** A sentry's guard settings from `[tool.sentries.<sentry>]`: they may only narrow the built-in policy. */
export interface GuardOverrides {
  allow?: string[];
  maxFiles?: number;
  maxChangedLines?: number;
}

/**
 * Resolves each sentry's guard policy now, so a limit above the hard one fails at start-up, and names the table
 * the value is in (`[tool.sentries.tests]`), not only `[tool.sentries]`.
 */
export function validateGuards(guards: Record<SentryKind, GuardOverrides>, pyprojectPath: string): void {
  for (const sentry of ["tests", "docs"] as const) {
    try {
      resolvePolicy(sentry, guards[sentry]);
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      const table = `[tool.sentries.${sentry}]`;
      const message = err.message.replace(/^\[tool\.sentries(\.(tests|docs))?\]\s*/, "");
      throw new ConfigError(`${pyprojectPath} ${table} ${message}`, { hint: err.hint, cause: err });
    }
  }
}

/** GitHub names a repository owner/name; anything else would only fail when the run tries to push. */
export function validateRepository(repository: string | undefined, source: string | undefined): void {
  if (repository === undefined || /^[^/\s]+\/[^/\s]+$/.test(repository.trim())) return;
  throw new ConfigError(`invalid value ${JSON.stringify(repository)} for ${source ?? "GITHUB_REPOSITORY"}`, {
    hint: "use owner/name, e.g. octo-org/shop",
  });
}

/**
 * `worktree_dir`: `auto`, `temp`, or a folder that exists, given as an absolute path, and not one Deno refuses to
 * touch without --allow-all (/dev/shm and anything else under /dev, /proc or /sys; links resolved).
 */
export function validateWorktreeDir(value: string, source: string | undefined): void {
  if (value === "auto" || value === "temp") return;
  const where = source && source !== "default" ? source : "worktree_dir";
  if (!isAbsolute(value)) {
    throw new ConfigError(`invalid value ${JSON.stringify(value)} for ${where}: not an absolute path`, {
      hint: "use auto, temp, or an absolute path to an existing folder, e.g. /tmp or $XDG_RUNTIME_DIR",
    });
  }
  // Before anything touches it: under the permission set, Deno refuses even to look there.
  const refused = () =>
    new ConfigError(
      `invalid value ${JSON.stringify(value)} for ${where}: Sentries cannot read or write files under ${
        DENO_REFUSED.join(", ")
      } (its runtime, Deno, refuses them to any program without --allow-all)`,
      { hint: "use a memory-backed folder elsewhere, such as $XDG_RUNTIME_DIR, or auto (which picks it) or temp" },
    );
  if (refusedByDeno(value)) throw refused();
  let isFolder = false;
  try {
    isFolder = Deno.statSync(value).isDirectory;
    // A link to such a folder is refused just the same (Deno resolves links before it checks).
    if (refusedByDeno(Deno.realPathSync(value))) throw refused();
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    if (err instanceof Deno.errors.NotCapable) throw refused(); // under the permission set: a link there
    // missing or unreadable: said below
  }
  if (!isFolder) {
    throw new ConfigError(`invalid value ${JSON.stringify(value)} for ${where}: no such folder`, {
      hint: "create the folder first, or use auto or temp",
    });
  }
}

/** Names in `.env` that Sentries reads besides its settings' own. */
const OTHER_DOTENV_NAMES = ["GH_TOKEN"];

/**
 * A `SENTRIES_*` key in `.env` that no setting reads is an error, like an unknown key in `[tool.sentries]`:
 * a typo would otherwise be silently ignored. Other keys belong to other tools sharing the file.
 */
export function validateDotenvKeys(dotenv: Record<string, string>, dotenvPath: string): void {
  const known = [...SETTINGS.map((s) => s.env), ...OTHER_DOTENV_NAMES];
  for (const key of Object.keys(dotenv)) {
    if (!key.startsWith("SENTRIES_") || known.includes(key)) continue;
    const guess = closestWord(key, known.filter((k) => k.startsWith("SENTRIES_")));
    throw new ConfigError(`${dotenvPath}: unknown setting ${key}`, {
      hint: guess ? `did you mean ${guess}?` : 'see README "Configuration" for the settings, or remove the line',
    });
  }
}
