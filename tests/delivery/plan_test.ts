/** planDelivery as a table: the facts in, the plan (and its words for --dry-run) out. Pure, no I/O. */
import assert from "node:assert/strict";
import {
  type DeliveryFacts,
  type DeliveryPlan,
  describeDeliveryPlan,
  type DocsDeliveryFacts,
  planDelivery,
  type TestsDeliveryFacts,
} from "../../src/delivery/plan.ts";

const tests = (f: Partial<TestsDeliveryFacts> = {}): TestsDeliveryFacts => ({
  sentry: "testsentry",
  branch: "ai-test-fixes/abc1234-20240101000000",
  github: true,
  base: "main",
  ...f,
});
const docs = (f: Partial<DocsDeliveryFacts> = {}): DocsDeliveryFacts => ({
  sentry: "docsentry",
  branch: "ai-doc-updates/def5678-20240101000000",
  github: true,
  base: "feature",
  sourcePr: { number: 7, isFork: false },
  patchHash: "p2",
  headSha: "def5678aaaa",
  openDocsPulls: [],
  ...f,
});
const pull = (number: number, forHeadSha: string, patchHash: string) => ({
  number,
  url: `https://github.test/o/r/pull/${number}`,
  headRef: `ai-doc-updates/x-${number}`,
  headSha: `${number}`.repeat(7),
  forHeadSha,
  patchHash,
});

interface Case {
  name: string;
  facts: DeliveryFacts;
  kind: DeliveryPlan["kind"];
  steps: string[];
  words: RegExp[];
}

const CASES: Case[] = [
  {
    name: "tests: token and a branch → commit, push, open a labelled PR",
    facts: tests(),
    kind: "pull_request",
    steps: ["commit", "push", "open_pr"],
    words: [/would open a pull request against main labelled ai-generated, sentries, sentry-testsentry/],
  },
  {
    name: "tests: for a PR → the PR's head is the base, and the source PR is labelled",
    facts: tests({ base: "feature", sourcePr: { number: 3, isFork: false } }),
    kind: "pull_request",
    steps: ["commit", "push", "open_pr", "label_source"],
    words: [/against feature/, /would label pull request #3 tests-sentry:done/],
  },
  {
    name: "tests: an open duplicate → leave alone, nothing committed",
    facts: tests({ duplicate: { number: 12, url: "u" } }),
    kind: "leave_alone",
    steps: [],
    words: [/an open Sentries pull request #12 already proposes this fix/],
  },
  {
    name: "tests: no token → commit only, stays local",
    facts: tests({ github: false }),
    kind: "keep_local",
    steps: ["commit"],
    words: [/would commit on a new branch ai-test-fixes\//, /no GITHUB_TOKEN/],
  },
  {
    name: "tests: a fork's PR → never pushed (its head branch is not origin's)",
    facts: tests({ base: "main", sourcePr: { number: 9, isFork: true } }),
    kind: "keep_local",
    steps: ["commit"],
    words: [/#9 comes from a fork/],
  },
  {
    name: "tests: detached HEAD, no PR → no base to open against",
    facts: tests({ base: undefined }),
    kind: "keep_local",
    steps: ["commit"],
    words: [/detached/],
  },
  {
    name: "docs: fork PR with a token → a comment with the patch, then the label",
    facts: docs({ sourcePr: { number: 7, isFork: true } }),
    kind: "fork_comment",
    steps: ["comment_on_fork_pr", "label_source"],
    words: [/comment the suggested patch on fork pull request #7/],
  },
  {
    name: "docs: fork PR without a token → local commit (a comment needs GitHub)",
    facts: docs({ github: false, sourcePr: { number: 7, isFork: true } }),
    kind: "keep_local",
    steps: ["commit"],
    words: [/no GITHUB_TOKEN/],
  },
  {
    name: "docs: an open docs PR with the same patch → leave alone",
    facts: docs({ openDocsPulls: [pull(20, "def5678aaaa", "p2")] }),
    kind: "leave_alone",
    steps: [],
    words: [/#20 already carries this exact patch/],
  },
  {
    name: "docs: a bot PR for the same head with another patch → update it",
    facts: docs({ openDocsPulls: [pull(21, "def5678aaaa", "p1")], othersCommitsOnSameHead: [] }),
    kind: "pull_request",
    steps: ["commit", "update_pr", "label_source"],
    words: [/would update docs PR #21/],
  },
  {
    name: "docs: that PR has someone else's commits → keep the patch local, leave the PR alone",
    facts: docs({ openDocsPulls: [pull(21, "def5678aaaa", "p1")], othersCommitsOnSameHead: ["abc1234 by Jane"] }),
    kind: "keep_local",
    steps: ["commit"],
    words: [/#21 has commits from someone else \(abc1234 by Jane\)/],
  },
  {
    name: "docs: PRs for older heads → open a new PR and supersede them",
    facts: docs({ openDocsPulls: [pull(22, "0ld", "p0"), pull(23, "0lder", "p9")] }),
    kind: "pull_request",
    steps: ["commit", "push", "open_pr", "label_source", "close_superseded"],
    words: [/would close superseded #22, #23/],
  },
  {
    name: "docs: no token → local commit",
    facts: docs({ github: false }),
    kind: "keep_local",
    steps: ["commit"],
    words: [/no GITHUB_TOKEN/],
  },
  {
    name: "docs: detached head → local commit",
    facts: docs({ base: undefined }),
    kind: "keep_local",
    steps: ["commit"],
    words: [/detached head/],
  },
];

for (const c of CASES) {
  Deno.test(`planDelivery: ${c.name}`, () => {
    const plan = planDelivery(c.facts);
    assert.equal(plan.kind, c.kind);
    assert.deepEqual(plan.steps.map((s) => s.do), c.steps);
    const words = describeDeliveryPlan(plan).join("\n");
    for (const w of c.words) assert.match(words, w);
  });
}

Deno.test("planDelivery is pure: the same facts give the same plan, and the facts are not changed", () => {
  const facts = docs({ openDocsPulls: [pull(22, "0ld", "p0")] });
  const copy = structuredClone(facts);
  assert.deepEqual(planDelivery(facts), planDelivery(facts));
  assert.deepEqual(facts, copy);
});
