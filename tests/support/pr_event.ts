/** Writes the `pull_request` event file GitHub Actions points GITHUB_EVENT_PATH at. */
import { join } from "node:path";

export interface PullRequestEventFields {
  number: number;
  title: string;
  headSha: string;
  headRef: string;
  baseSha: string;
  baseRef?: string;
  /** `owner/name` of the base repository. */
  repo: string;
  /** `owner/name` of the head repository; another one than `repo` is a fork. Default `repo`. */
  headRepo?: string;
  author?: { login: string; type: "User" | "Bot" };
  action?: string;
}

/**
 * Writes the event into `dir` and returns its path. The folder is the caller's, removed by its own cleanup:
 * a temporary folder made here was never removed, and every run left a `/tmp/sentries-event-*` behind.
 */
export async function writePullRequestEvent(fields: PullRequestEventFields, dir: string): Promise<string> {
  const path = join(dir, `event-${crypto.randomUUID()}.json`);
  const payload = {
    action: fields.action ?? "opened",
    number: fields.number,
    pull_request: {
      number: fields.number,
      title: fields.title,
      body: "",
      user: fields.author ?? { login: "dev", type: "User" },
      labels: [],
      head: { sha: fields.headSha, ref: fields.headRef, repo: { full_name: fields.headRepo ?? fields.repo } },
      base: { sha: fields.baseSha, ref: fields.baseRef ?? "main", repo: { full_name: fields.repo } },
    },
    repository: { full_name: fields.repo },
  };
  await Deno.writeTextFile(path, JSON.stringify(payload));
  return path;
}
