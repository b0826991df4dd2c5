/**
 * The data `status` and `cleanup` pass between their steps: identify (what
 * exists, with the evidence for each) → plan (what to do, as plain data) →
 * execute (one outcome per action). No I/O here.
 */
import type { SentriesMetadata, SentryName } from "../delivery/metadata.ts";

/** Did someone other than the bot add commits to a branch? `unknown` when its commits could not be read. */
export type ForeignCommits = "none" | "some" | "unknown";

export interface CommitInfo {
  sha: string;
  authorName: string;
  authorEmail: string;
  /** Who wrote the commit object: differs from the author after an amend, rebase or cherry-pick by someone. */
  committerName: string;
  committerEmail: string;
  /** Committer date, ISO 8601. */
  date: string;
  trailers: Record<string, string>;
}

/** What git says about one branch whose name matches a bot prefix. */
export interface BranchEvidence {
  name: string;
  location: "local" | "remote";
  sha: string;
  /** The sentry its name prefix belongs to. */
  sentry: SentryName;
  /** The tip commit is in the local object store (a remote branch may not have been fetched). */
  available: boolean;
  /** `.sentries-metadata.json` at the tip, when it parses as the bot's. */
  metadata?: SentriesMetadata;
  /** Which of the bot's marks proves the branch is its own; undefined = a name match only. */
  proof?: "metadata" | "trailers";
  /** The commit the bot branched from (metadata `base_sha`, else the `Sentries-Base` trailer). */
  baseSha?: string;
  foreign: ForeignCommits;
  /** `<short sha> <author>` of each commit by someone else. */
  foreignCommits: string[];
  /** The tip's committer date. */
  tipDate?: string;
  /** Why the proof or the commit check is missing, for people. */
  note?: string;
}

/** A pull request whose head matches a bot prefix or that carries a `sentry-*` label. */
export interface PullEvidence {
  number: number;
  title: string;
  url: string;
  state: "open" | "merged" | "closed";
  headRef: string;
  baseRef: string;
  labels: string[];
  /** A `sentry-*` label plus the metadata marker in the body or a comment. */
  labelAndMarker: boolean;
  /** `created_at` from the metadata marker. */
  markerCreatedAt?: string;
  createdAt: string;
  isFork: boolean;
}

/** A `.sentries-metadata.json` on a branch that is not the bot's (left there by a merge). */
export interface OrphanEvidence {
  branch: string;
  /** Where the file was seen: the local branch, the one on origin, or both. */
  locations: Array<"local" | "remote">;
  /** The commit to remove it from: origin's tip when the branch is there, else the local tip. */
  commit: string;
  onRemote: boolean;
  /** The file's blob id: the same file merged into several branches is one problem. */
  blob: string;
  metadata?: SentriesMetadata;
  sentry: SentryName;
  createdAt?: string;
  isDefaultBranch: boolean;
}

export interface RepoContext {
  currentBranch?: string;
  /** Branches checked out in any worktree, the main one included. */
  checkedOut: string[];
  hasOrigin: boolean;
  defaultBranch?: string;
  /** `checked` when pull requests were listed; otherwise why not. */
  github: "checked" | "no token" | string;
  /** Bot branch names that exist locally or on origin (cleanup branches are deduplicated by name). */
  existingBranches: string[];
}

export interface Inventory {
  branches: BranchEvidence[];
  pulls: PullEvidence[];
  orphans: OrphanEvidence[];
  context: RepoContext;
  warnings: string[];
}

export type LineageState = "open" | "merged" | "closed" | "local-only" | "pushed";

/** Everything known about one bot branch name: its local and remote copies and its pull requests. */
export interface Lineage {
  branch: string;
  sentry?: SentryName;
  local?: BranchEvidence;
  remote?: BranchEvidence;
  pulls: PullEvidence[];
  verified: boolean;
  foreign: ForeignCommits;
  /** The number of a pull request labelled `sentries:keep`, when there is one. */
  keptBy?: number;
  createdAt?: string;
  ageSource?: "metadata" | "commit" | "pull request";
  state: LineageState;
}

export interface StatusItem {
  kind: "branch" | "pr";
  /** For branches: local or on origin. */
  location?: "local" | "remote";
  /** Branch name, or `#N` for a pull request. */
  name: string;
  number?: number;
  branch: string;
  sentry?: SentryName;
  baseSha?: string;
  createdAt?: string;
  ageDays?: number;
  ageSource?: Lineage["ageSource"];
  state: LineageState;
  verified: boolean;
  proof?: string;
  foreignCommits: ForeignCommits;
  keep: boolean;
  /** Other bot branches whose metadata has the same run key (the same fix for the same base and failures). */
  duplicateOf?: string[];
  note?: string;
}

export type Action =
  | { kind: "close-pr"; number: number; branch: string; comment: string }
  | { kind: "mark-abandoned"; number: number; branch: string; title: string; comment: string }
  | { kind: "delete-remote-branch"; branch: string; sha: string }
  | { kind: "delete-local-branch"; branch: string; sha: string }
  | {
    kind: "remove-orphan-metadata";
    branch: string;
    commit: string;
    newBranch: string;
    sentry: SentryName;
    /** Push the new branch and open a PR (a token is set and the branch is on origin). */
    openPr: boolean;
    key: string;
  };

export interface PlannedAction {
  action: Action;
  /** Why it is done, for people. */
  reason: string;
  /** Shown in the plan: a safety rule was lifted by a flag for this one. */
  override?: "include-unverified" | "include-foreign-commits";
}

export interface Skipped {
  /** `local branch x`, `remote branch x`, `PR #3`, `metadata on main`. */
  artifact: string;
  reason: string;
}

export interface CleanupOptions {
  /** Only artifacts older than this many days; null: no age limit, every verified artifact (issue 15.12). */
  maxAgeDays: number | null;
  includeUnverified: boolean;
  includeForeignCommits: boolean;
  /** A token is set, so orphan removals can be pushed and opened as PRs. */
  canOpenPullRequests: boolean;
}

export interface Plan {
  options: CleanupOptions;
  actions: PlannedAction[];
  skipped: Skipped[];
}

export interface Outcome {
  action: Action;
  status: "done" | "failed" | "skipped";
  detail: string;
}
