import { SentriesError } from "../errors.ts";

/** For commands whose issue has not landed yet: a clear message and exit 1. */
export function notImplemented(command: string): never {
  throw new SentriesError(`\`sentries ${command}\` is not implemented yet`, {
    hint: "see the README's roadmap; `sentries doctor` and `sentries tests` work today",
    code: "not_implemented",
  });
}
