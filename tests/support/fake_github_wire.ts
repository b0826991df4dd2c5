/**
 * Wire pieces of the fake GitHub: the records it keeps and the HTTP answers it gives (JSON bodies,
 * GitHub's error shapes, `Link` pagination). Split from fake_github.ts, which holds the routes and state.
 */

export interface FakePull {
  number: number;
  title: string;
  body: string;
  state: "open" | "closed";
  merged: boolean;
  draft: boolean;
  headRef: string;
  headSha: string;
  /** `owner/name` of the head repository; another repository means a fork. */
  headRepo: string;
  baseRef: string;
  baseSha: string;
  user: string;
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
  mergedAt: string | null;
}

export interface FakeLabel {
  id: number;
  name: string;
  color: string;
  description: string | null;
}

export interface FakeComment {
  id: number;
  issueNumber: number;
  body: string;
  user: string;
  createdAt: string;
  updatedAt: string;
}

export interface FakeRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  body?: unknown;
}

/** A status, or a status with GitHub's message and headers (e.g. `x-ratelimit-remaining: 0`). */
export type FakeFailure = number | { status: number; message?: string; headers?: Record<string, string> };

export const DOCS = "https://docs.github.com/rest";
export const STATUS_MESSAGES: Record<number, string> = {
  400: "Problems parsing JSON",
  401: "Bad credentials",
  403: "Resource not accessible by integration",
  404: "Not Found",
  422: "Validation Failed",
  429: "API rate limit exceeded",
  500: "Server Error",
  502: "Bad Gateway",
};

export function timestamp(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, "Z");
}

export function fakeSha(seed: string): string {
  let h = 0x811c9dc5;
  let out = "";
  for (let round = 0; out.length < 40; round++) {
    for (const ch of `${seed}#${round}`) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0;
    out += h.toString(16).padStart(8, "0");
  }
  return out.slice(0, 40);
}

export function json(status: number, data: unknown, headers: Record<string, string> = {}): Response {
  return new Response(status === 204 ? null : JSON.stringify(data), {
    status,
    headers: {
      "content-type": "application/json; charset=utf-8",
      "x-github-request-id": crypto.randomUUID(),
      "x-ratelimit-limit": "5000",
      "x-ratelimit-remaining": "4999",
      ...headers,
    },
  });
}

export function error(
  status: number,
  message = STATUS_MESSAGES[status] ?? "Error",
  extra: Record<string, unknown> = {},
) {
  return json(status, { message, documentation_url: DOCS, status: String(status), ...extra });
}

export function validation(errors: Array<Record<string, string>>): Response {
  return error(422, "Validation Failed", { errors });
}

/** One page of `items` with GitHub's `Link` header (first/prev/next/last). */
export function paginate(url: URL, items: unknown[]): Response {
  const perPage = Math.min(Math.max(Number(url.searchParams.get("per_page") ?? 30) || 30, 1), 100);
  const page = Math.max(Number(url.searchParams.get("page") ?? 1) || 1, 1);
  const last = Math.max(Math.ceil(items.length / perPage), 1);
  const link = (p: number, rel: string) => {
    const u = new URL(url);
    u.searchParams.set("page", String(p));
    u.searchParams.set("per_page", String(perPage));
    return `<${u}>; rel="${rel}"`;
  };
  const links: string[] = [];
  if (page > 1) links.push(link(page - 1, "prev"), link(1, "first"));
  if (page < last) links.push(link(page + 1, "next"), link(last, "last"));
  const body = items.slice((page - 1) * perPage, page * perPage);
  return json(200, body, links.length > 0 ? { link: links.join(", ") } : {});
}
