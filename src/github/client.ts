/**
 * The one seam to GitHub's REST API: a thin layer over Octokit that speaks PullRequestInfo and throws
 * GitHubError. Tests point `apiUrl` at the loopback fake in tests/support/fake_github.ts.
 */
import { Octokit } from "@octokit/rest";
import { log } from "../log.ts";
import { VERSION } from "../version.ts";
import { type ErrorContext, type Operation, toGitHubError } from "./errors.ts";
import { UsageError } from "../errors.ts";
import { truncateBody } from "./marker.ts";
import type { GitHub, GitHubConfig, IssueComment, LabelSpec, PullRequestInfo } from "./types.ts";

export const DEFAULT_API_URL = "https://api.github.com";
const REQUEST_TIMEOUT_MS = 30_000;
const PER_PAGE = 100;

/** The fields of GitHub's pull request JSON that we read; list and single responses both fit. */
interface RawPull {
  number: number;
  html_url: string;
  title: string;
  body?: string | null;
  state: string;
  merged?: boolean;
  merged_at?: string | null;
  head: { ref: string; sha: string; repo?: { full_name: string } | null };
  base: { ref: string; repo?: { full_name: string } | null };
  labels?: Array<{ name?: string } | string>;
  user?: { login: string } | null;
  created_at: string;
  updated_at: string;
}

export function toPullRequestInfo(raw: RawPull, repository: string): PullRequestInfo {
  const baseRepo = raw.base.repo?.full_name ?? repository;
  const headRepo = raw.head.repo?.full_name;
  return {
    number: raw.number,
    url: raw.html_url,
    title: raw.title,
    body: raw.body ?? "",
    state: raw.state === "closed" ? "closed" : "open",
    // List responses carry only merged_at; a single pull carries `merged` too.
    merged: raw.merged ?? (raw.merged_at !== null && raw.merged_at !== undefined),
    headRef: raw.head.ref,
    headSha: raw.head.sha,
    baseRef: raw.base.ref,
    labels: (raw.labels ?? []).map((l) => typeof l === "string" ? l : l.name ?? "").filter((n) => n !== ""),
    user: raw.user?.login ?? "",
    createdAt: raw.created_at,
    updatedAt: raw.updated_at,
    isFork: headRepo === undefined || headRepo.toLowerCase() !== baseRepo.toLowerCase(),
  };
}

function splitRepository(repository: string): { owner: string; repo: string } {
  const match = /^([^/\s]+)\/([^/\s]+)$/.exec(repository.trim());
  if (!match) {
    throw new UsageError(`GITHUB_REPOSITORY must be owner/name, got "${repository}"`, { code: "github.config" });
  }
  return { owner: match[1], repo: match[2] };
}

/** A fetch that gives up when no response starts within the timeout (GitHub never answering). */
function withTimeout(baseFetch: typeof fetch, timeoutMs: number): typeof fetch {
  return async (input, init) => {
    if (init?.signal) return await baseFetch(input, init);
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    try {
      return await baseFetch(input, { ...init, signal: controller.signal });
    } finally {
      clearTimeout(timer);
    }
  };
}

const OPS = {
  access: { action: "read the repository", permission: "contents: read" },
  labels: { action: "create labels", permission: "issues: write" },
  createPull: { action: "open pull requests", permission: "pull-requests: write" },
  updatePull: { action: "update pull requests", permission: "pull-requests: write" },
  readPulls: { action: "read pull requests", permission: "pull-requests: read" },
  labelIssue: { action: "label pull requests", permission: "pull-requests: write" },
  comment: { action: "comment on pull requests", permission: "pull-requests: write" },
  readComments: { action: "read pull request comments", permission: "pull-requests: read" },
} satisfies Record<string, Operation>;

export function createGitHub(config: GitHubConfig, deps: { fetch?: typeof fetch; timeoutMs?: number } = {}): GitHub {
  const apiUrl = (config.apiUrl || DEFAULT_API_URL).replace(/\/+$/, "");
  const { owner, repo } = splitRepository(config.repository);
  const ctx: ErrorContext = { apiUrl, repository: `${owner}/${repo}` };
  const octokit = new Octokit({
    auth: config.token,
    baseUrl: apiUrl,
    userAgent: `sentries/${VERSION}`,
    request: { fetch: withTimeout(deps.fetch ?? fetch, deps.timeoutMs ?? REQUEST_TIMEOUT_MS) },
    // Octokit logs failed requests with console.error; ours are reported as GitHubError instead.
    log: {
      debug: () => {},
      info: (message: string) => log.debug(`github: ${message}`),
      warn: (message: string) => log.warn(`github: ${message}`),
      error: (message: string) => log.debug(`github: ${message}`),
    },
  });

  async function call<T>(op: Operation, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      throw toGitHubError(err, op, ctx);
    }
  }

  const info = (raw: RawPull) => toPullRequestInfo(raw, ctx.repository);

  async function listPullRequests(p: { state: "open" | "closed" | "all"; head?: string; base?: string }) {
    const pulls = await call(OPS.readPulls, () =>
      octokit.paginate(octokit.rest.pulls.list, {
        owner,
        repo,
        state: p.state,
        head: p.head,
        base: p.base,
        per_page: PER_PAGE,
      }));
    return pulls.map(info);
  }

  return {
    async checkAccess() {
      const { data } = await call(OPS.access, () => octokit.rest.repos.get({ owner, repo }));
      // Installation tokens (GitHub Actions' GITHUB_TOKEN) cannot read /user: the login is optional.
      const login = await octokit.rest.users.getAuthenticated().then((r) => r.data.login, () => undefined);
      return {
        ok: true as const,
        login,
        repoFullName: data.full_name,
        defaultBranch: data.default_branch,
        canPush: data.permissions?.push ?? true,
      };
    },

    async ensureLabels(labels: LabelSpec[]) {
      const existing = await call(
        OPS.labels,
        () => octokit.paginate(octokit.rest.issues.listLabelsForRepo, { owner, repo, per_page: PER_PAGE }),
      );
      const known = new Set(existing.map((l) => l.name.toLowerCase()));
      for (const label of labels) {
        if (known.has(label.name.toLowerCase())) continue;
        try {
          await octokit.rest.issues.createLabel({
            owner,
            repo,
            name: label.name,
            color: (label.color ?? "ededed").replace(/^#/, ""),
            description: label.description,
          });
        } catch (err) {
          // Another run created it between our list and our create.
          if (isAlreadyExists(err)) continue;
          throw toGitHubError(err, OPS.labels, ctx);
        }
        known.add(label.name.toLowerCase());
      }
    },

    async createPullRequest(p) {
      const { data } = await call(
        OPS.createPull,
        () =>
          octokit.rest.pulls.create({
            owner,
            repo,
            title: p.title,
            body: truncateBody(p.body),
            head: p.head,
            base: p.base,
            draft: p.draft,
          }),
      );
      return info(data);
    },

    async updatePullRequest(n, p) {
      const { data } = await call(
        { ...OPS.updatePull, notFound: `pull request #${n} was not found in ${ctx.repository}` },
        () =>
          octokit.rest.pulls.update({
            owner,
            repo,
            pull_number: n,
            title: p.title,
            body: p.body === undefined ? undefined : truncateBody(p.body),
            state: p.state,
          }),
      );
      return info(data);
    },

    async addLabels(issueNumber, labels) {
      if (labels.length === 0) return;
      await call(
        { ...OPS.labelIssue, notFound: `#${issueNumber} was not found in ${ctx.repository}` },
        () => octokit.rest.issues.addLabels({ owner, repo, issue_number: issueNumber, labels }),
      );
    },

    async removeLabel(issueNumber, label) {
      try {
        await octokit.rest.issues.removeLabel({ owner, repo, issue_number: issueNumber, name: label });
      } catch (err) {
        if ((err as { status?: unknown }).status === 404) return;
        throw toGitHubError(err, OPS.labelIssue, ctx);
      }
    },

    async comment(issueNumber, body) {
      const { data } = await call(
        { ...OPS.comment, notFound: `#${issueNumber} was not found in ${ctx.repository}` },
        () => octokit.rest.issues.createComment({ owner, repo, issue_number: issueNumber, body: truncateBody(body) }),
      );
      return { id: data.id, url: data.html_url };
    },

    async listComments(issueNumber): Promise<IssueComment[]> {
      const comments = await call(
        { ...OPS.readComments, notFound: `#${issueNumber} was not found in ${ctx.repository}` },
        () =>
          octokit.paginate(octokit.rest.issues.listComments, {
            owner,
            repo,
            issue_number: issueNumber,
            per_page: PER_PAGE,
          }),
      );
      return comments.map((c) => ({ id: c.id, body: c.body ?? "", user: c.user?.login ?? "" }));
    },

    listPullRequests,

    async getPullRequest(n) {
      const { data } = await call(
        { ...OPS.readPulls, notFound: `pull request #${n} was not found in ${ctx.repository}` },
        () => octokit.rest.pulls.get({ owner, repo, pull_number: n }),
      );
      return info(data);
    },

    async findPullRequestsByMarker(marker, state = "open") {
      const pulls = await listPullRequests({ state });
      return pulls.filter((p) => p.body.includes(marker));
    },
  };
}

function isAlreadyExists(err: unknown): boolean {
  const e = err as { status?: unknown; response?: { data?: { errors?: Array<{ code?: string }> } } };
  return e.status === 422 && (e.response?.data?.errors ?? []).some((x) => x.code === "already_exists");
}
