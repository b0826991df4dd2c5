/**
 * The GitHub Actions `pull_request` (or `pull_request_target`) event payload, read from GITHUB_EVENT_PATH.
 * Parsing is pure; reading the file is the only I/O.
 */
import { GitHubError } from "./errors.ts";
import type { PullRequestEvent } from "./types.ts";

type Json = Record<string, unknown>;

function obj(value: unknown): Json | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? value as Json : undefined;
}

function str(value: unknown): string {
  return typeof value === "string" ? value : "";
}

/** The event's pull request, or undefined when the payload is not about one (push, schedule, …). */
export function parsePullRequestEvent(payload: unknown): PullRequestEvent | undefined {
  const pr = obj(obj(payload)?.pull_request);
  if (!pr) return undefined;
  const head = obj(pr.head) ?? {};
  const base = obj(pr.base) ?? {};
  const headRepo = obj(head.repo);
  const baseRepoName = str(obj(base.repo)?.full_name) || str(obj(obj(payload)?.repository)?.full_name);
  const headRepoFullName = str(headRepo?.full_name);
  const user = obj(pr.user) ?? {};
  const number = typeof pr.number === "number" ? pr.number : Number(obj(payload)?.number);
  if (!Number.isInteger(number) || number <= 0) return undefined;
  return {
    number,
    baseSha: str(base.sha),
    baseRef: str(base.ref),
    headSha: str(head.sha),
    headRef: str(head.ref),
    headRepoFullName,
    // A deleted fork has `head.repo: null`; it is still not ours to push to.
    isFork: headRepo === undefined || headRepoFullName.toLowerCase() !== baseRepoName.toLowerCase(),
    title: str(pr.title),
    body: str(pr.body),
    author: str(user.login),
    authorType: user.type === "Bot" ? "Bot" : "User",
    labels: Array.isArray(pr.labels) ? pr.labels.map((l) => str(obj(l)?.name)).filter((n) => n !== "") : [],
  };
}

/** Reads the event file; undefined when the event is not about a pull request. */
export async function readPullRequestEvent(eventPath: string): Promise<PullRequestEvent | undefined> {
  let text: string;
  try {
    text = await Deno.readTextFile(eventPath);
  } catch (err) {
    const why = err instanceof Deno.errors.NotFound ? "does not exist" : "cannot be read";
    throw new GitHubError(`the GitHub event file ${eventPath} (GITHUB_EVENT_PATH) ${why}`, {
      code: "github.event",
      hint: "unset GITHUB_EVENT_PATH to run locally, or pass --base/--head",
      cause: err,
    });
  }
  let payload: unknown;
  try {
    payload = JSON.parse(text);
  } catch (err) {
    throw new GitHubError(`the GitHub event file ${eventPath} (GITHUB_EVENT_PATH) is not valid JSON`, {
      code: "github.event",
      cause: err,
    });
  }
  return parsePullRequestEvent(payload);
}
