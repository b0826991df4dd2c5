/**
 * GitHub failures in plain words. Octokit throws `RequestError` (name "HttpError") with a status and the
 * response; a fetch that never got an answer becomes a RequestError with status 500 whose `cause` is the
 * original error (for a missing --allow-net that is Deno's NotCapable). Each becomes one GitHubError that
 * names the cause and the fix.
 */
import { SentriesError, type SentriesErrorOptions } from "../errors.ts";

export type GitHubErrorCode =
  | "github.auth"
  | "github.not_found"
  | "github.forbidden"
  | "github.rate_limited"
  | "github.http"
  | "github.unreachable"
  | "github.event";

export class GitHubError extends SentriesError {
  /** HTTP status when GitHub answered; undefined when it could not be reached. */
  readonly status?: number;
  /** GitHub's own message (`message` plus validation errors), when it answered. */
  readonly githubMessage?: string;

  constructor(
    message: string,
    options: SentriesErrorOptions & { code: GitHubErrorCode; status?: number; githubMessage?: string },
  ) {
    super(message, options);
    this.name = "GitHubError";
    this.status = options.status;
    this.githubMessage = options.githubMessage;
  }
}

/** What the adapter was doing when a call failed, so the message can say what the token lacks. */
export interface Operation {
  /** Finishes "the token cannot …", e.g. "open pull requests". */
  action: string;
  /** The workflow permission that allows it, e.g. "pull-requests: write". */
  permission: string;
  /** What a 404 means for this call; defaults to "the repository … was not found". */
  notFound?: string;
}

export interface ErrorContext {
  apiUrl: string;
  repository: string;
}

interface HttpErrorLike {
  name: string;
  status: number;
  message: string;
  cause?: unknown;
  request?: { url?: string };
  response?: { headers?: Record<string, string | undefined>; data?: unknown };
}

function isHttpErrorLike(err: unknown): err is HttpErrorLike {
  return err instanceof Error && err.name === "HttpError" && typeof (err as { status?: unknown }).status === "number";
}

/** GitHub's `message` plus any validation errors, as one line. */
export function githubMessageOf(data: unknown): string | undefined {
  if (typeof data === "string") return data.trim() || undefined;
  if (typeof data !== "object" || data === null) return undefined;
  const record = data as { message?: unknown; errors?: unknown };
  const main = typeof record.message === "string" ? record.message : undefined;
  const details = Array.isArray(record.errors)
    ? record.errors.map((e) => {
      if (typeof e === "string") return e;
      const item = e as { message?: unknown; field?: unknown; code?: unknown };
      if (typeof item.message === "string") return item.message;
      return [item.field, item.code].filter((x) => typeof x === "string").join(" ");
    }).filter((s) => s !== "")
    : [];
  const parts = [main, ...details].filter((s): s is string => !!s);
  return parts.length > 0 ? parts.join(": ") : undefined;
}

function hostOf(url: string | undefined, fallback: string): string {
  try {
    return new URL(url ?? fallback).host;
  } catch {
    return fallback;
  }
}

/** The first error in the cause chain that Deno raised for a missing permission. */
function findNotCapable(err: unknown): Error | undefined {
  let current: unknown = err;
  for (let depth = 0; depth < 8 && current instanceof Error; depth++) {
    if (current instanceof Deno.errors.NotCapable || current.name === "NotCapable") return current;
    current = current.cause;
  }
  return undefined;
}

function isAbort(err: unknown): boolean {
  return err instanceof Error && (err.name === "AbortError" || err.name === "TimeoutError");
}

function isRateLimited(err: HttpErrorLike, githubMessage: string | undefined): boolean {
  if (err.status === 429) return true;
  const remaining = err.response?.headers?.["x-ratelimit-remaining"];
  return remaining === "0" || /rate limit/i.test(githubMessage ?? "");
}

function resetTime(err: HttpErrorLike): string | undefined {
  const reset = Number(err.response?.headers?.["x-ratelimit-reset"]);
  return Number.isFinite(reset) && reset > 0 ? new Date(reset * 1000).toISOString() : undefined;
}

/** Turns anything a GitHub call threw into a GitHubError; GitHubErrors pass through. */
export function toGitHubError(err: unknown, op: Operation, ctx: ErrorContext): GitHubError {
  if (err instanceof GitHubError) return err;
  const notCapable = findNotCapable(err);
  const requestUrl = isHttpErrorLike(err) ? err.request?.url : undefined;
  const host = hostOf(requestUrl, ctx.apiUrl);
  if (notCapable) {
    return new GitHubError(
      `sentries is not permitted to reach ${host} — its permission set allows only api.github.com and loopback hosts`,
      {
        code: "github.unreachable",
        hint: `for GitHub Enterprise, run with --allow-net=${host} (or check GITHUB_API_URL: ${ctx.apiUrl})`,
        cause: err,
      },
    );
  }
  if (isAbort(err)) {
    return new GitHubError(`the GitHub API at ${ctx.apiUrl} did not answer in time while trying to ${op.action}`, {
      code: "github.unreachable",
      hint: "check the network and GITHUB_API_URL, then run again",
      cause: err,
    });
  }
  if (!isHttpErrorLike(err)) {
    const detail = err instanceof Error ? err.message : String(err);
    return new GitHubError(`GitHub call failed while trying to ${op.action}: ${detail}`, {
      code: "github.http",
      cause: err,
    });
  }
  const githubMessage = githubMessageOf(err.response?.data);
  const status = err.status;
  const base = { cause: err, status, githubMessage };
  if (err.response === undefined) {
    // No answer at all: DNS, refused connection, TLS. Octokit reports these as status 500.
    return new GitHubError(`cannot reach the GitHub API at ${ctx.apiUrl} (${err.message})`, {
      code: "github.unreachable",
      hint: "check GITHUB_API_URL and the network",
      cause: err,
    });
  }
  if (status === 401) {
    return new GitHubError(`GitHub rejected the token (401 ${githubMessage ?? "Bad credentials"})`, {
      ...base,
      code: "github.auth",
      hint: "set GITHUB_TOKEN (or GH_TOKEN) to a valid, unexpired token",
    });
  }
  if ((status === 403 || status === 429) && isRateLimited(err, githubMessage)) {
    const reset = resetTime(err);
    return new GitHubError(`GitHub's API rate limit is used up${reset ? ` until ${reset}` : ""}`, {
      ...base,
      code: "github.rate_limited",
      hint: "wait for the limit to reset, or use a token with a higher limit",
    });
  }
  if (status === 403) {
    if (/not permitted to create or approve pull requests/i.test(githubMessage ?? "")) {
      return new GitHubError(`GitHub Actions may not open pull requests in ${ctx.repository}`, {
        ...base,
        code: "github.forbidden",
        hint: "enable Settings → Actions → General → “Allow GitHub Actions to create and approve pull requests”",
      });
    }
    return new GitHubError(
      `the token cannot ${op.action} in ${ctx.repository} (403 ${githubMessage ?? "Forbidden"}) — ` +
        `give the workflow \`permissions: ${op.permission}\``,
      { ...base, code: "github.forbidden", hint: "a personal access token needs the matching repository access" },
    );
  }
  if (status === 404) {
    return new GitHubError(
      op.notFound ??
        `the repository ${ctx.repository} was not found at ${ctx.apiUrl}, or the token cannot see it`,
      { ...base, code: "github.not_found", hint: "check GITHUB_REPOSITORY and that the token has access to it" },
    );
  }
  const said = githubMessage ? `: ${githubMessage}` : "";
  return new GitHubError(`GitHub refused to ${op.action} (HTTP ${status}${said})`, {
    ...base,
    code: "github.http",
    hint: status >= 500 ? "GitHub had a problem; try again later" : undefined,
  });
}
