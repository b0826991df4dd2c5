/**
 * The patch engine: reads the edits a model wrote (unified diff, SEARCH/REPLACE or whole files),
 * applies them in memory with tolerant but unambiguous matching, guards every path and limit,
 * and writes all or nothing.
 */
export type { EditFormat, FileChange, GuardPolicy, PatchProblem, PreparedPatch, SentryKind } from "./types.ts";
export { defaultPolicy, type PolicyOverrides, resolvePolicy } from "./policy.ts";
export { type PrepareOptions, preparePatch, TESTS_GUARD_SCRIPTS } from "./prepare.ts";
export { writeChanges } from "./write.ts";
export { editFormatInstructions, formatProblemsForModel } from "./feedback.ts";
