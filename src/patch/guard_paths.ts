/**
 * Pure path guards: what a path string may look like before it is ever touched, and the
 * allowlist. The real-filesystem half (symlinks) is in guard_fs.ts.
 */
import { matchesAnyGlob } from "./glob.ts";
import { type FileEdit, type GuardPolicy, type PatchProblem, problem } from "./types.ts";

function show(path: string): string {
  return JSON.stringify(path.length > 120 ? `${path.slice(0, 119)}…` : path);
}

/** Problems with a repository-relative path as written, without the allowlist. */
export function checkPathSyntax(path: string): PatchProblem[] {
  const shown = show(path);
  if (path === "") return [problem("guard.path_invalid", "an edit names an empty file path")];
  // deno-lint-ignore no-control-regex -- control characters are exactly what is refused
  if (/[\x00-\x1f\x7f]/.test(path)) {
    return [problem("guard.path_control_char", `the path ${shown} contains a NUL or control character`, path)];
  }
  if (path.includes("\\")) {
    return [problem("guard.path_invalid_char", `the path ${shown} contains a backslash; use / between folders`, path)];
  }
  if (path.startsWith("/") || path.startsWith("~") || /^[A-Za-z]:/.test(path)) {
    return [
      problem("guard.path_absolute", `the path ${shown} is absolute; use a path relative to the repository root`, path),
    ];
  }
  const segments = path.split("/");
  if (segments.includes("..")) {
    return [problem("guard.path_traversal", `the path ${shown} contains "..", which could leave the repository`, path)];
  }
  if (segments.some((s) => s === "" || s === ".")) {
    return [problem("guard.path_invalid", `the path ${shown} has an empty or "." folder name`, path)];
  }
  if (segments.some((s) => s.toLowerCase() === ".git")) {
    return [
      problem("guard.git_path", `the path ${shown} is inside a .git folder; git's own files are never edited`, path),
    ];
  }
  return [];
}

export function checkAllowlist(path: string, policy: GuardPolicy): PatchProblem[] {
  if (matchesAnyGlob(path, policy.allow)) return [];
  return [problem(
    "guard.path_outside_allowlist",
    `the ${policy.sentry} sentry may only change ${policy.allow.join(", ")}; ${show(path)} is not among them`,
    path,
  )];
}

/** Everything about one edit that can be refused from the text alone. */
export function checkEditPaths(edit: FileEdit, policy: GuardPolicy): PatchProblem[] {
  const problems: PatchProblem[] = [];
  const paths = edit.sourcePath === undefined ? [edit.path] : [edit.sourcePath, edit.path];
  for (const path of paths) {
    const syntax = checkPathSyntax(path);
    problems.push(...(syntax.length > 0 ? syntax : checkAllowlist(path, policy)));
  }
  if (edit.modeChange) {
    problems.push(
      problem(
        "guard.mode_change",
        `the diff changes the file mode of ${show(edit.path)} (${edit.modeChange}); only content changes are accepted`,
        edit.path,
      ),
    );
  }
  if (edit.binary) {
    problems.push(
      problem(
        "guard.binary_patch",
        `the diff holds a binary patch for ${show(edit.path)}; only text edits are accepted`,
        edit.path,
      ),
    );
  }
  const pathRefused = problems.some((p) => p.code.startsWith("guard.path") || p.code === "guard.git_path");
  if ((edit.operation === "rename" || edit.operation === "copy") && pathRefused) {
    problems.push(problem(
      `guard.${edit.operation}_outside_allowlist`,
      `the ${edit.operation} ${show(edit.sourcePath ?? "")} → ${
        show(edit.path)
      } reaches outside what the ${policy.sentry} sentry may change`,
      edit.path,
    ));
  }
  return problems;
}
