/** The read-only part of the GitHub adapter: what a dry run may use to plan its delivery. */
import type { GitHub } from "../github/mod.ts";

export type GitHubReader = Pick<GitHub, "findPullRequestsByMarker" | "getPullRequest">;

/** Only the reads of `github`, so a dry run cannot post, push or label by mistake. */
export function readOnly(github: GitHub): GitHubReader {
  return {
    findPullRequestsByMarker: (marker, state) => github.findPullRequestsByMarker(marker, state),
    getPullRequest: (n) => github.getPullRequest(n),
  };
}
