/**
 * Recent history of some files (`git log -p`): the change that most likely
 * broke a test tells a model whether the source change was intentional.
 */
import { log } from "../log.ts";
import { Git } from "./git.ts";

export interface CommitPatch {
  sha: string;
  shortSha: string;
  /** Author date, YYYY-MM-DD. */
  date: string;
  author: string;
  subject: string;
  /** The commit's unified diff (renames detected), as git printed it. */
  patch: string;
}

export interface HistoryOptions {
  /** At most this many commits, newest first. */
  maxCommits: number;
  /** Pathspecs to leave out (e.g. the failing test files). */
  exclude?: string[];
  /** Start from this commit instead of HEAD. */
  rev?: string;
}

const RECORD = "\x1e";
const FIELD = "\x1f";

/**
 * The newest commits that touched `paths` (pathspecs; files that no longer
 * exist are fine, which is how a moved module's old path still finds its
 * rename). Empty when there is no history (no commits, not a repository).
 */
export async function recentChanges(repoDir: string, paths: string[], options: HistoryOptions): Promise<CommitPatch[]> {
  if (options.maxCommits <= 0) return [];
  const pathspecs = [...paths, ...(options.exclude ?? []).map((p) => `:(exclude)${p}`)];
  const result = await new Git(repoDir).run([
    "-c",
    "core.quotepath=off",
    "log",
    "-M",
    "-p",
    "--no-color",
    "--no-ext-diff",
    "--date=short",
    `--format=${RECORD}%H${FIELD}%h${FIELD}%ad${FIELD}%an${FIELD}%s${FIELD}`,
    "-n",
    String(options.maxCommits),
    options.rev ?? "HEAD",
    "--",
    ...(pathspecs.length > 0 ? pathspecs : ["."]),
  ], { allowFail: true });
  if (result.code !== 0) {
    log.debug(`no history for context: ${result.stderr.trim().split("\n")[0]}`);
    return [];
  }
  return parseLog(result.stdout);
}

/** Parses the output of the `git log` above. Pure. */
export function parseLog(output: string): CommitPatch[] {
  return output.split(RECORD).filter((record) => record.trim() !== "").map((record) => {
    const [sha, shortSha, date, author, subject, rest] = record.split(FIELD);
    return { sha, shortSha, date, author, subject, patch: (rest ?? "").replace(/^\n+/, "").trimEnd() };
  });
}

/**
 * A compact rendering for a prompt: one header per commit, each file's diff
 * cut to `maxLinesPerFile`, `index` lines left out.
 */
export function renderHistory(commits: CommitPatch[], maxLinesPerFile = 60): string {
  return commits.map((commit) => {
    const header = `commit ${commit.shortSha} ${commit.date} ${commit.author}: ${commit.subject}`;
    const files = splitFileDiffs(commit.patch).map((diff) => {
      const lines = diff.split("\n").filter((line) => !line.startsWith("index "));
      if (lines.length <= maxLinesPerFile) return lines.join("\n");
      return [...lines.slice(0, maxLinesPerFile), `... (${lines.length - maxLinesPerFile} more diff lines cut)`]
        .join("\n");
    });
    return [header, ...files].join("\n");
  }).join("\n\n");
}

function splitFileDiffs(patch: string): string[] {
  if (patch === "") return [];
  return patch.split(/\n(?=diff --git )/);
}
