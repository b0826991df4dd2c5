import { APPLY_CASES } from "./cases_apply.ts";
import { FORMAT_CASES } from "./cases_format.ts";
import { GUARD_CASES } from "./cases_guard.ts";
import type { CorpusCase } from "./types.ts";

export { BASE_FILES } from "./fixtures.ts";
export type { CorpusCase, Expectation } from "./types.ts";

export const CORPUS: CorpusCase[] = [...FORMAT_CASES, ...APPLY_CASES, ...GUARD_CASES];
