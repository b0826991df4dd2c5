/**
 * The mixed repository most lifecycle tests run against: old and new bot
 * branches, people's branches (one with a bot-like name), a bot branch a
 * person committed to, the current branch and a worktree's branch being bot
 * branches, a kept PR, and a bot branch merged into main (leaving its
 * metadata file there). The fake GitHub holds the matching pull requests.
 */
import { prBodyWithMarkers } from "../../src/delivery/deliver.ts";
import type { SentriesMetadata } from "../../src/delivery/metadata.ts";
import type { FakeGitHub } from "../support/fake_github.ts";
import { daysAgo, OLD, type World } from "./world.ts";

export const B = {
  old: "ai-test-fixes/aaaaaaa-old",
  fresh: "ai-test-fixes/bbbbbbb-new",
  human: "ai-doc-updates/ccccccc-human",
  current: "ai-test-fixes/ddddddd-current",
  kept: "ai-test-fixes/eeeeeee-kept",
  elsewhere: "ai-test-fixes/fffffff-worktree",
  trailers: "ai-test-fixes/ggggggg-trailers",
  merged: "ai-test-fixes/hhhhhhh-merged",
  mine: "ai-test-fixes/mine",
  feature: "feature/x",
} as const;

export interface Scenario {
  pulls: { old: number; fresh: number; human: number; kept: number; merged: number };
  mainBefore: string;
}

function seedBotPull(
  gh: FakeGitHub,
  branch: string,
  sha: string,
  metadata: SentriesMetadata,
  extra: { labels?: string[]; state?: "open" | "closed"; merged?: boolean } = {},
): number {
  return gh.seedPull({
    title: `fix(tests): ${branch}`,
    body: prBodyWithMarkers("A verified test-only fix.", metadata),
    headRef: branch,
    headSha: sha,
    labels: ["ai-generated", "sentries", `sentry-${metadata.sentry}`, ...(extra.labels ?? [])],
    state: extra.state ?? "open",
    merged: extra.merged ?? false,
  }).number;
}

export async function buildScenario(world: World, gh?: FakeGitHub): Promise<Scenario> {
  const old = await world.botBranch({ name: B.old, date: OLD });
  const fresh = await world.botBranch({ name: B.fresh, date: daysAgo(1) });
  const human = await world.botBranch({ name: B.human, sentry: "docsentry", date: OLD });
  await world.humanCommit(B.human, daysAgo(2));
  await world.botBranch({ name: B.current, date: OLD });
  const kept = await world.botBranch({ name: B.kept, date: OLD });
  await world.botBranch({ name: B.elsewhere, date: OLD });
  await world.trailersOnlyBranch(B.trailers, "testsentry", OLD);
  const merged = await world.botBranch({ name: B.merged, date: OLD });
  for (const name of [B.mine, B.feature]) {
    await world.repo.git("branch", name, world.base);
    await world.humanCommit(name, OLD, `${name.replace("/", "_")}.txt`);
  }
  // A bot PR merged into main with a merge commit brings its metadata file along.
  await world.repo.git("merge", "--no-ff", "-q", "-m", `Merge ${B.merged}`, B.merged);
  await world.push(B.old, B.fresh, B.human, B.kept, B.merged, B.mine, B.feature, "main");
  await world.repo.git("switch", "-q", B.current);
  await world.checkoutElsewhere(B.elsewhere);
  const mainBefore = (await world.origin("rev-parse", "main")).trim();
  const pulls = { old: 0, fresh: 0, human: 0, kept: 0, merged: 0 };
  if (gh) {
    pulls.old = seedBotPull(gh, B.old, old.sha, old.metadata);
    pulls.fresh = seedBotPull(gh, B.fresh, fresh.sha, fresh.metadata);
    pulls.human = seedBotPull(gh, B.human, human.sha, human.metadata);
    pulls.kept = seedBotPull(gh, B.kept, kept.sha, kept.metadata, { labels: ["sentries:keep"] });
    pulls.merged = seedBotPull(gh, B.merged, merged.sha, merged.metadata, { state: "closed", merged: true });
  }
  return { pulls, mainBefore };
}
