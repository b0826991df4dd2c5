/** What a `sentries docs` run did, for people, machines, PRs and job summaries. */
import { deliveryLines, jobSummaryTail, modelLine, renderAttemptLines, type RunSummary } from "../run_state.ts";
import type { SurfaceChange } from "./surface.ts";

export type DocsOutcome =
  | "updated" // a checked docs patch was committed (or shown, with --dry-run), or posted on a fork PR
  | "unchanged" // the open bot PR already carries this exact patch
  | "no_changes" // the planner found nothing the docs must say
  | "no_docs" // the repository has no allowlisted docs
  | "skipped" // a PR by a bot or by Sentries, a docs-only PR, or an empty diff
  | "not_updated"; // no attempt produced an acceptable patch

export interface DocsReport extends RunSummary {
  outcome: DocsOutcome;
  baseSha: string;
  headSha: string;
  headRef?: string;
  sourcePr?: number;
  changedCodeFiles: string[];
  surface: SurfaceChange[];
  docsConsidered: Array<{ path: string; mentions: number }>;
  pullRequest?: { number: number; url: string; action: "created" | "updated" | "unchanged" };
  closedPullRequests: number[];
  forkComment?: { url: string };
}

const TITLE: Record<DocsOutcome, string> = {
  updated: "Docs updated",
  unchanged: "Already proposed",
  no_changes: "No docs change needed",
  no_docs: "No docs",
  skipped: "Skipped",
  not_updated: "Not updated",
};

export function renderDocsHuman(r: DocsReport): string {
  const out = [`DocSentry: ${TITLE[r.outcome]}${r.dryRun ? " (dry run)" : ""}`, `  ${r.message}`];
  out.push(`  change: ${r.baseSha.slice(0, 7)}..${r.headSha.slice(0, 7)}${r.sourcePr ? ` (PR #${r.sourcePr})` : ""}`);
  for (const s of r.surface.slice(0, 12)) {
    out.push(`  • ${s.kind.replace("_", " ")}: ${s.detail ?? [s.old, s.new].filter(Boolean).join(" → ")}`);
  }
  if (r.docsConsidered.length) {
    out.push(`  docs: ${r.docsConsidered.slice(0, 6).map((d) => `${d.path} (${d.mentions})`).join(", ")}`);
  }
  if (r.reason) out.push(`  planner: ${r.reason}`);
  out.push(...renderAttemptLines(r));
  if (r.diff && (r.dryRun || r.prPreview)) out.push("", r.diff.trimEnd(), "");
  out.push(...deliveryLines(r));
  if (r.pullRequest) out.push(`  pull request (${r.pullRequest.action}): ${r.pullRequest.url}`);
  if (r.closedPullRequests.length) {
    out.push(`  closed superseded: ${r.closedPullRequests.map((n) => `#${n}`).join(", ")}`);
  }
  if (r.forkComment) out.push(`  suggested patch posted as a comment: ${r.forkComment.url}`);
  out.push(modelLine(r));
  return out.join("\n") + "\n";
}

/** What the docs pull request body says. */
export type DocsPrBodyFacts = Pick<
  DocsReport,
  "sourcePr" | "baseSha" | "headSha" | "surface" | "plan" | "changedFiles" | "linesAdded" | "linesRemoved" | "diff"
>;

export function renderDocsPrBody(r: DocsPrBodyFacts): string {
  const surface = r.surface.map((s) =>
    `- ${s.kind.replace("_", " ")}: ${s.detail ?? [s.old, s.new].filter(Boolean).map((n) => `\`${n}\``).join(" → ")}`
  ).join("\n");
  return [
    `## DocSentry: docs-only update`,
    ``,
    r.sourcePr
      ? `Keeps the docs in step with #${r.sourcePr}.`
      : `Keeps the docs in step with ${r.baseSha.slice(0, 7)}..${r.headSha.slice(0, 7)}.`,
    ``,
    `### What changed in the code`,
    ``,
    surface || "_(no public names changed)_",
    ``,
    `### Plan`,
    ``,
    r.plan ?? "",
    ``,
    `Changed: ${
      r.changedFiles.map((f) => `\`${f}\``).join(", ")
    } (+${r.linesAdded} −${r.linesRemoved}). Only documentation ` +
    `files can change; links, anchors and openapi.yaml were checked.`,
    ``,
    `<details><summary>Diff</summary>\n\n\`\`\`diff\n${r.diff ?? ""}\n\`\`\`\n</details>`,
    ``,
    `_Proposed by Sentries with local models. Review it like any contribution._`,
  ].join("\n");
}

export function renderDocsJobSummary(r: DocsReport): string {
  return [`### DocSentry: ${TITLE[r.outcome]}`, "", r.message, "", ...jobSummaryTail(r)].join("\n");
}
