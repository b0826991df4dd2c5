/**
 * A loopback stand-in for GitHub's REST API: the routes Sentries calls, with the JSON shapes, status codes,
 * `Link` pagination and error bodies that Octokit expects. State lives in memory; tests seed and inspect it.
 * Git pushes do not come here: tests use a bare repository as `origin`.
 */

import {
  error,
  type FakeComment,
  type FakeFailure,
  type FakeLabel,
  type FakePull,
  type FakeRequest,
  fakeSha,
  json,
  paginate,
  timestamp,
  validation,
} from "./fake_github_wire.ts";

export type { FakeComment, FakeFailure, FakeLabel, FakePull, FakeRequest };

export interface FakeGitHub {
  /** API root to pass as apiUrl / GITHUB_API_URL. */
  url: string;
  token: string;
  repo: string;
  state: {
    pulls: FakePull[];
    /** Keyed by lower-cased name, as GitHub compares label names. */
    labels: Map<string, FakeLabel>;
    comments: FakeComment[];
    issueLabels: Map<number, string[]>;
  };
  requests: FakeRequest[];
  /** Failures to answer with, keyed `"METHOD /path"`; may be changed while running. */
  failWith: Record<string, FakeFailure>;
  seedPull(p: Partial<FakePull> & { labels?: string[] }): FakePull;
  seedComment(issueNumber: number, body: string, user?: string): FakeComment;
  close(): Promise<void>;
}

export interface FakeGitHubOptions {
  repo?: string;
  token?: string;
  defaultBranch?: string;
  canPush?: boolean;
  /** The login that owns the token; PRs and comments created through the API are by this user. */
  login?: string;
  failWith?: Record<string, FakeFailure>;
  /** Resolves a branch to its commit (e.g. from the bare origin); undefined means the branch does not exist. */
  resolveRef?: (ref: string) => string | undefined | Promise<string | undefined>;
}

export function startFakeGitHub(opts: FakeGitHubOptions = {}): Promise<FakeGitHub> {
  const repo = opts.repo ?? "acme/widgets";
  const [owner, repoName] = repo.split("/");
  const token = opts.token ?? "fake-token-" + crypto.randomUUID().slice(0, 8);
  const login = opts.login ?? "sentries-bot";
  const defaultBranch = opts.defaultBranch ?? "main";
  const state: FakeGitHub["state"] = { pulls: [], labels: new Map(), comments: [], issueLabels: new Map() };
  const requests: FakeRequest[] = [];
  let nextNumber = 1;
  let nextId = 1000;

  const userJson = (name: string) => ({
    login: name,
    id: 1,
    type: name.endsWith("[bot]") ? "Bot" : "User",
    html_url: `https://github.com/${name}`,
  });
  const repoJson = (fullName: string) => {
    const [o, n] = fullName.split("/");
    return { id: 1, name: n, full_name: fullName, owner: userJson(o), fork: fullName !== repo, private: false };
  };
  const labelJson = (l: FakeLabel) => ({
    id: l.id,
    node_id: `LA_${l.id}`,
    url: `${server.url}repos/${repo}/labels/${encodeURIComponent(l.name)}`,
    name: l.name,
    color: l.color,
    default: false,
    description: l.description,
  });
  const ensureRepoLabel = (name: string): FakeLabel => {
    const existing = state.labels.get(name.toLowerCase());
    if (existing) return existing;
    const label = { id: nextId++, name, color: "ededed", description: null };
    state.labels.set(name.toLowerCase(), label);
    return label;
  };
  const issueLabelsJson = (n: number) =>
    (state.issueLabels.get(n) ?? []).map((name) => labelJson(ensureRepoLabel(name)));
  const pullJson = (p: FakePull, single: boolean) => ({
    url: `${server.url}repos/${repo}/pulls/${p.number}`,
    id: p.number + 500000,
    node_id: `PR_${p.number}`,
    html_url: `https://github.com/${repo}/pull/${p.number}`,
    number: p.number,
    state: p.state,
    locked: false,
    title: p.title,
    user: userJson(p.user),
    body: p.body === "" ? null : p.body,
    labels: issueLabelsJson(p.number),
    created_at: p.createdAt,
    updated_at: p.updatedAt,
    closed_at: p.closedAt,
    merged_at: p.mergedAt,
    draft: p.draft,
    head: {
      label: `${p.headRepo.split("/")[0]}:${p.headRef}`,
      ref: p.headRef,
      sha: p.headSha,
      repo: repoJson(p.headRepo),
    },
    base: { label: `${owner}:${p.baseRef}`, ref: p.baseRef, sha: p.baseSha, repo: repoJson(repo) },
    // Only the single-pull endpoint carries `merged`, as on GitHub.
    ...(single ? { merged: p.merged, mergeable: null, comments: 0, commits: 1 } : {}),
  });
  const commentJson = (c: FakeComment) => ({
    id: c.id,
    node_id: `IC_${c.id}`,
    url: `${server.url}repos/${repo}/issues/comments/${c.id}`,
    html_url: `https://github.com/${repo}/pull/${c.issueNumber}#issuecomment-${c.id}`,
    issue_url: `${server.url}repos/${repo}/issues/${c.issueNumber}`,
    body: c.body,
    user: userJson(c.user),
    created_at: c.createdAt,
    updated_at: c.updatedAt,
  });

  function seedPull(p: Partial<FakePull> & { labels?: string[] }): FakePull {
    const now = timestamp();
    const { labels, ...fields } = p;
    const number = fields.number ?? nextNumber;
    nextNumber = Math.max(nextNumber, number + 1);
    const headRef = fields.headRef ?? `feature-${number}`;
    const pull: FakePull = {
      number,
      title: `Pull request ${number}`,
      body: "",
      state: "open",
      merged: false,
      draft: false,
      headRef,
      headSha: fakeSha(`${repo}:${headRef}`),
      headRepo: repo,
      baseRef: defaultBranch,
      baseSha: fakeSha(`${repo}:${defaultBranch}`),
      user: login,
      createdAt: now,
      updatedAt: now,
      closedAt: null,
      mergedAt: null,
      ...fields,
    };
    if (pull.merged && pull.mergedAt === null) pull.mergedAt = pull.updatedAt;
    if (pull.state === "closed" && pull.closedAt === null) pull.closedAt = pull.updatedAt;
    state.pulls.push(pull);
    if (labels) {
      labels.forEach(ensureRepoLabel);
      state.issueLabels.set(number, [...labels]);
    }
    return pull;
  }

  function seedComment(issueNumber: number, body: string, user = login): FakeComment {
    const now = timestamp();
    const comment = { id: nextId++, issueNumber, body, user, createdAt: now, updatedAt: now };
    state.comments.push(comment);
    return comment;
  }

  const findPull = (n: number) => state.pulls.find((p) => p.number === n);

  async function createPull(body: Record<string, unknown>): Promise<Response> {
    const { title, head, base } = body;
    if (typeof title !== "string" || typeof head !== "string" || typeof base !== "string") {
      return validation([{ resource: "PullRequest", code: "missing_field", field: "title" }]);
    }
    const [headOwner, headRef] = head.includes(":") ? head.split(":", 2) : [owner, head];
    const headRepo = `${headOwner}/${repoName}`;
    const headSha = opts.resolveRef ? await opts.resolveRef(headRef) : fakeSha(`${headRepo}:${headRef}`);
    if (headSha === undefined) return validation([{ resource: "PullRequest", field: "head", code: "invalid" }]);
    const baseSha = opts.resolveRef ? await opts.resolveRef(base) : fakeSha(`${repo}:${base}`);
    if (baseSha === undefined) return validation([{ resource: "PullRequest", field: "base", code: "invalid" }]);
    const duplicate = state.pulls.find((p) =>
      p.state === "open" && p.headRef === headRef && p.headRepo === headRepo && p.baseRef === base
    );
    if (duplicate) {
      return validation([{
        resource: "PullRequest",
        code: "custom",
        message: `A pull request already exists for ${head}.`,
      }]);
    }
    const pull = seedPull({
      title,
      body: typeof body.body === "string" ? body.body : "",
      draft: body.draft === true,
      headRef,
      headRepo,
      headSha,
      baseRef: base,
      baseSha,
    });
    return json(201, pullJson(pull, true));
  }

  function updatePull(pull: FakePull, body: Record<string, unknown>): Response {
    if (typeof body.title === "string") pull.title = body.title;
    if (typeof body.body === "string") pull.body = body.body;
    if (typeof body.base === "string") pull.baseRef = body.base;
    if (body.state === "closed" && pull.state === "open") {
      pull.state = "closed";
      pull.closedAt = timestamp();
    } else if (body.state === "open" && pull.state === "closed") {
      if (pull.merged) {
        return validation([{
          resource: "PullRequest",
          code: "custom",
          message: "state cannot be changed. The pull request has been merged.",
        }]);
      }
      pull.state = "open";
      pull.closedAt = null;
    }
    pull.updatedAt = timestamp();
    return json(200, pullJson(pull, true));
  }

  function listPulls(url: URL): Response {
    const wanted = url.searchParams.get("state") ?? "open";
    const head = url.searchParams.get("head");
    const base = url.searchParams.get("base");
    const pulls = state.pulls
      .filter((p) => wanted === "all" || p.state === wanted)
      .filter((p) => {
        if (!head) return true;
        const [headOwner, headRef] = head.includes(":") ? head.split(":", 2) : [undefined, head];
        return p.headRef === headRef && (headOwner === undefined || p.headRepo.split("/")[0] === headOwner);
      })
      .filter((p) => !base || p.baseRef === base)
      .sort((a, b) => b.number - a.number);
    return paginate(url, pulls.map((p) => pullJson(p, false)));
  }

  function issueRoute(method: string, n: number, rest: string, url: URL, body: Record<string, unknown>): Response {
    if (!findPull(n)) return error(404);
    if (rest === "/comments" && method === "GET") {
      return paginate(url, state.comments.filter((c) => c.issueNumber === n).map(commentJson));
    }
    if (rest === "/comments" && method === "POST") {
      if (typeof body.body !== "string" || body.body === "") {
        return validation([{ resource: "IssueComment", code: "missing_field", field: "body" }]);
      }
      if (body.body.length > 65536) {
        return validation([{
          resource: "IssueComment",
          code: "custom",
          message: "Body is too long (maximum is 65536 characters)",
        }]);
      }
      return json(201, commentJson(seedComment(n, body.body)));
    }
    if (rest === "/labels" && method === "POST") {
      const names = Array.isArray(body.labels) ? body.labels.filter((l): l is string => typeof l === "string") : [];
      const current = state.issueLabels.get(n) ?? [];
      for (const name of names) {
        const label = ensureRepoLabel(name);
        if (!current.some((c) => c.toLowerCase() === name.toLowerCase())) current.push(label.name);
      }
      state.issueLabels.set(n, current);
      return json(200, issueLabelsJson(n));
    }
    const labelMatch = /^\/labels\/(.+)$/.exec(rest);
    if (labelMatch && method === "DELETE") {
      const name = decodeURIComponent(labelMatch[1]).toLowerCase();
      const current = state.issueLabels.get(n) ?? [];
      if (!current.some((c) => c.toLowerCase() === name)) return error(404, "Label does not exist");
      state.issueLabels.set(n, current.filter((c) => c.toLowerCase() !== name));
      return json(200, issueLabelsJson(n));
    }
    return error(404);
  }

  function labelsRoute(method: string, url: URL, body: Record<string, unknown>): Response {
    if (method === "GET") return paginate(url, [...state.labels.values()].map(labelJson));
    if (typeof body.name !== "string" || body.name === "") {
      return validation([{ resource: "Label", code: "missing_field", field: "name" }]);
    }
    if (state.labels.has(body.name.toLowerCase())) {
      return validation([{ resource: "Label", code: "already_exists", field: "name" }]);
    }
    const label = ensureRepoLabel(body.name);
    if (typeof body.color === "string") label.color = body.color;
    if (typeof body.description === "string") label.description = body.description;
    return json(201, labelJson(label));
  }

  async function route(req: Request, url: URL, body: Record<string, unknown>): Promise<Response> {
    const method = req.method;
    const path = url.pathname.replace(/\/+$/, "");
    if (path === "/user" && method === "GET") return json(200, userJson(login));
    const repoMatch = /^\/repos\/([^/]+)\/([^/]+)(\/.*)?$/.exec(path);
    if (!repoMatch || `${repoMatch[1]}/${repoMatch[2]}`.toLowerCase() !== repo.toLowerCase()) return error(404);
    const rest = repoMatch[3] ?? "";
    if (rest === "" && method === "GET") {
      return json(200, {
        ...repoJson(repo),
        html_url: `https://github.com/${repo}`,
        default_branch: defaultBranch,
        permissions: { admin: false, maintain: false, push: opts.canPush ?? true, triage: true, pull: true },
      });
    }
    if (rest === "/labels" && (method === "GET" || method === "POST")) return labelsRoute(method, url, body);
    if (rest === "/pulls" && method === "GET") return listPulls(url);
    if (rest === "/pulls" && method === "POST") return await createPull(body);
    const pullMatch = /^\/pulls\/(\d+)$/.exec(rest);
    if (pullMatch) {
      const pull = findPull(Number(pullMatch[1]));
      if (!pull) return error(404);
      if (method === "GET") return json(200, pullJson(pull, true));
      if (method === "PATCH") return updatePull(pull, body);
    }
    const issueMatch = /^\/issues\/(\d+)(\/.*)$/.exec(rest);
    if (issueMatch) return issueRoute(method, Number(issueMatch[1]), issueMatch[2], url, body);
    return error(404);
  }

  const failWith: Record<string, FakeFailure> = { ...opts.failWith };

  async function handle(req: Request): Promise<Response> {
    const url = new URL(req.url);
    const text = await req.text();
    let body: unknown;
    if (text !== "") {
      try {
        body = JSON.parse(text);
      } catch {
        return error(400);
      }
    }
    const path = url.pathname.replace(/\/+$/, "");
    requests.push({ method: req.method, path, query: Object.fromEntries(url.searchParams), body });
    const auth = req.headers.get("authorization") ?? "";
    if (auth !== `token ${token}` && auth !== `Bearer ${token}`) {
      return error(401, auth === "" ? "Requires authentication" : "Bad credentials");
    }
    const failure = failWith[`${req.method} ${path}`];
    if (failure !== undefined) {
      const f = typeof failure === "number" ? { status: failure } : failure;
      const response = error(f.status, f.message);
      for (const [k, v] of Object.entries(f.headers ?? {})) response.headers.set(k, v);
      return response;
    }
    const record = typeof body === "object" && body !== null && !Array.isArray(body)
      ? body as Record<string, unknown>
      : {};
    return await route(req, url, record);
  }

  const httpServer = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen: () => {} }, handle);
  const server = { url: `http://127.0.0.1:${httpServer.addr.port}/` };

  return Promise.resolve({
    url: `http://127.0.0.1:${httpServer.addr.port}`,
    token,
    repo,
    state,
    requests,
    failWith,
    seedPull,
    seedComment,
    async close() {
      await httpServer.shutdown();
    },
  });
}
