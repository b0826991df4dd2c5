/** The pytest adapter: run pytest, read its results, find the failures that are real. */
export {
  DEFAULT_PYTEST_TIMEOUT_MS,
  PYTEST_ENV,
  type PytestConfig,
  type PytestRun,
  runPytest,
  unusableRunReason,
} from "./run.ts";
export { PytestForkServer, startForkServerFor } from "./fork_server.ts";
export { narrowRunConfig } from "./xdist.ts";
export { classifyRerun, discoverFailures, type Discovery, rerunFailures, selectionOf } from "./discover.ts";
export { type FailureKind, type TestFailure } from "./results.ts";
export { AUTO_PYTEST_COMMANDS, PytestNotInstalledError } from "./command.ts";
export {
  compareRuns,
  isTestModule,
  lostTests,
  moduleOf,
  planRetest,
  type RetestPlan,
  type RunComparison,
} from "./verify.ts";
