/** Shapes the GitHub adapter hands to the rest of Sentries: plain data, no Octokit types. */

export interface GitHubConfig {
  token: string;
  /** `owner/name`. */
  repository: string;
  /** REST API root, e.g. `https://api.github.com` or a GHES `https://host/api/v3`. */
  apiUrl: string;
}

export interface PullRequestInfo {
  number: number;
  /** The web page of the pull request (html_url). */
  url: string;
  title: string;
  body: string;
  state: "open" | "closed";
  merged: boolean;
  headRef: string;
  headSha: string;
  baseRef: string;
  labels: string[];
  user: string;
  createdAt: string;
  updatedAt: string;
  /** The head branch lives in another repository (or one that was deleted). */
  isFork: boolean;
}

export interface RepositoryAccess {
  ok: true;
  /** Absent for GitHub Actions installation tokens, which cannot read `/user`. */
  login?: string;
  repoFullName: string;
  defaultBranch: string;
  /** From the repository's `permissions`; true when GitHub does not say (installation tokens). */
  canPush: boolean;
}

export interface LabelSpec {
  name: string;
  color?: string;
  description?: string;
}

export interface IssueComment {
  id: number;
  body: string;
  user: string;
}

export type PullRequestState = "open" | "closed";

export interface GitHub {
  /** Reads the repository; throws GitHubError with plain words on 401/403/404. */
  checkAccess(): Promise<RepositoryAccess>;
  /** Creates the labels that are missing; an `already_exists` answer counts as done. */
  ensureLabels(labels: LabelSpec[]): Promise<void>;
  createPullRequest(
    p: { title: string; body: string; head: string; base: string; draft?: boolean },
  ): Promise<PullRequestInfo>;
  updatePullRequest(
    n: number,
    p: { title?: string; body?: string; state?: PullRequestState },
  ): Promise<PullRequestInfo>;
  addLabels(issueNumber: number, labels: string[]): Promise<void>;
  /** Removing a label that is not there is not an error. */
  removeLabel(issueNumber: number, label: string): Promise<void>;
  comment(issueNumber: number, body: string): Promise<{ id: number; url: string }>;
  listComments(issueNumber: number): Promise<IssueComment[]>;
  /** All pages. `head` is `owner:branch`, as GitHub wants it. */
  listPullRequests(p: { state: PullRequestState | "all"; head?: string; base?: string }): Promise<PullRequestInfo[]>;
  getPullRequest(n: number): Promise<PullRequestInfo>;
  /** Pull requests whose body contains `marker`. */
  findPullRequestsByMarker(marker: string, state?: "open" | "all"): Promise<PullRequestInfo[]>;
}

/** The parts of a GitHub Actions `pull_request` event that Sentries uses. */
export interface PullRequestEvent {
  number: number;
  baseSha: string;
  baseRef: string;
  headSha: string;
  headRef: string;
  /** Empty when the head repository was deleted. */
  headRepoFullName: string;
  isFork: boolean;
  title: string;
  body: string;
  author: string;
  authorType: "Bot" | "User";
  labels: string[];
}
