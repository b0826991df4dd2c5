/** GitHub: the REST adapter, the Actions event reader and the PR-body metadata marker. */
export type {
  GitHub,
  GitHubConfig,
  IssueComment,
  LabelSpec,
  PullRequestEvent,
  PullRequestInfo,
  PullRequestState,
  RepositoryAccess,
} from "./types.ts";
export { createGitHub, DEFAULT_API_URL, toPullRequestInfo } from "./client.ts";
export { GitHubError, type GitHubErrorCode, toGitHubError } from "./errors.ts";
export { parsePullRequestEvent, readPullRequestEvent } from "./event.ts";
export {
  GITHUB_BODY_LIMIT,
  METADATA_MARKER,
  parseMetadataMarker,
  renderMetadataMarker,
  truncateBody,
} from "./marker.ts";
