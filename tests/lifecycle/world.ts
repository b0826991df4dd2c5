/**
 * Real repositories for the lifecycle tests: a working clone with a bare
 * `origin`, bot branches made the way the bot makes them (commitOnBotBranch
 * in a worktree: metadata file, trailers, author Sentries), and people's
 * branches and commits next to them. Every commit has an explicit date.
 */
import { join } from "node:path";
import { commitOnBotBranch } from "../../src/delivery/deliver.ts";
import { newMetadata, type SentriesMetadata, type SentryName } from "../../src/delivery/metadata.ts";
import { Git, type Identity } from "../../src/git/git.ts";
import { createWorktree } from "../../src/git/worktree.ts";
import { createPyRepo, type PyRepo, runGitIn } from "../support/pyrepo.ts";
import { BOT } from "../support/bot.ts";

export { BOT };
export const HUMAN: Identity = { name: "Jane Doe", email: "jane@example.invalid" };
export const OLD = "2024-01-10T00:00:00Z";

export function daysAgo(days: number): string {
  return new Date(Date.now() - days * 86_400_000).toISOString();
}

/** A Git whose commits carry a fixed author and committer date, as GIT_*_DATE would set. */
class DatedGit extends Git {
  constructor(dir: string, private readonly date: string) {
    super(dir);
  }
  override commit(message: string, identity: Identity): Promise<string> {
    return super.commit(message, identity, this.date);
  }
}

export interface World {
  repo: PyRepo;
  git: Git;
  originDir: string;
  base: string;
  /** Runs git in the bare origin; returns stdout. */
  origin(...args: string[]): Promise<string>;
  /** Every ref and its sha, in the clone and in origin: compared before and after to prove nothing changed. */
  snapshot(): Promise<string>;
  botBranch(opts: BotBranchOptions): Promise<{ sha: string; metadata: SentriesMetadata }>;
  /** A bot branch with the trailers but no metadata file (an older bot, or one whose file was removed). */
  trailersOnlyBranch(name: string, sentry: SentryName, date: string): Promise<string>;
  humanCommit(branch: string, date: string, file?: string): Promise<string>;
  push(...branches: string[]): Promise<void>;
  /** Checks the branch out in a second worktree of the clone. */
  checkoutElsewhere(branch: string): Promise<void>;
  cleanup(): Promise<void>;
}

export interface BotBranchOptions {
  name: string;
  sentry?: SentryName;
  /** created_at in the metadata and the commit date. */
  date: string;
  from?: string;
}

export async function createWorld(): Promise<World> {
  const repo = await createPyRepo({
    files: { "pkg/__init__.py": "", "pkg/calc.py": "def add(a, b):\n    return a + b\n" },
    initialDate: OLD,
  });
  const originDir = await Deno.makeTempDir({ prefix: "sentries-origin-" });
  await runGitIn(originDir, ["init", "-q", "--bare", "-b", "main"]);
  await repo.git("remote", "add", "origin", originDir);
  await repo.git("push", "-q", "origin", "main");
  const git = new Git(repo.dir);
  const base = (await repo.git("rev-parse", "HEAD")).trim();
  const worktreeDirs: string[] = [];

  const world: World = {
    repo,
    git,
    originDir,
    base,
    origin: (...args) => runGitIn(originDir, args),
    async snapshot() {
      const local = await repo.git("for-each-ref", "--format=%(refname) %(objectname)");
      const remote = await runGitIn(originDir, ["for-each-ref", "--format=%(refname) %(objectname)"]);
      return `${local}--\n${remote}`;
    },
    async botBranch(opts) {
      const sentry = opts.sentry ?? "testsentry";
      const from = opts.from ?? base;
      const worktree = await createWorktree(git, from);
      try {
        await Deno.writeTextFile(join(worktree.dir, "tests_fix.txt"), `fix for ${opts.name}\n`);
        const metadata = newMetadata({
          sentry,
          models: { plan: "planner", patch: "patcher" },
          base_sha: from,
          base_branch: "main",
          created_at: opts.date,
          key: `key-${opts.name}`,
          attempts: 1,
          tokens: { prompt: 10, completion: 5, estimated_prompt: 10 },
          duration_ms: 1000,
        });
        const { commit: sha } = await commitOnBotBranch({
          worktree: new DatedGit(worktree.dir, opts.date),
          branch: opts.name,
          paths: ["tests_fix.txt"],
          metadata,
          subject: "fix(tests): update 1 out-of-date test",
          body: "Failing before:\n- tests/test_calc.py::test_add",
          identity: BOT,
        });
        return { sha, metadata };
      } finally {
        await worktree.remove();
      }
    },
    async trailersOnlyBranch(name, sentry, date) {
      const worktree = await createWorktree(git, base);
      try {
        await Deno.writeTextFile(join(worktree.dir, "old_bot.txt"), "from an older bot\n");
        await worktree.git.run(["switch", "--quiet", "-c", name]);
        await worktree.git.run(["add", "old_bot.txt"]);
        const message = `fix(tests): older bot\n\nSentries-Sentry: ${sentry}\nSentries-Version: 0.0.1\n` +
          `Sentries-Base: ${base}\nSentries-Key: k\n`;
        return await worktree.git.commit(message, BOT, date);
      } finally {
        await worktree.remove();
      }
    },
    async humanCommit(branch, date, file = "human.txt") {
      const worktree = await createWorktree(git, branch);
      try {
        await Deno.writeTextFile(join(worktree.dir, file), "a person's change\n");
        await worktree.git.run(["add", file]);
        const sha = await worktree.git.commit("a person's follow-up", HUMAN, date);
        await git.run(["update-ref", `refs/heads/${branch}`, sha]);
        return sha;
      } finally {
        await worktree.remove();
      }
    },
    async push(...branches) {
      await repo.git("push", "-q", "origin", ...branches.map((b) => `refs/heads/${b}:refs/heads/${b}`));
    },
    async checkoutElsewhere(branch) {
      const dir = await Deno.makeTempDir({ prefix: "sentries-elsewhere-" });
      worktreeDirs.push(dir);
      await repo.git("worktree", "add", "-q", join(dir, "wt"), branch);
    },
    async cleanup() {
      for (const dir of worktreeDirs) await Deno.remove(dir, { recursive: true }).catch(() => {});
      await repo.cleanup();
      await Deno.remove(originDir, { recursive: true }).catch(() => {});
    },
  };
  return world;
}

export async function branchExists(dir: string, ref: string): Promise<boolean> {
  const out = await runGitIn(dir, ["for-each-ref", "--format=%(refname)", ref]);
  return out.trim() !== "";
}
