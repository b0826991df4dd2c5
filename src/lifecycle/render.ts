/** Human-readable text for `status` and `cleanup`: the table, the plan and the outcomes. Pure. */
import { METADATA_FILE } from "../delivery/metadata.ts";
import { countOf } from "../format.ts";
import { describeAction } from "./execute.ts";
import type { StatusReport } from "./lineage.ts";
import { limitText } from "./proof.ts";
import type { Outcome, Plan } from "./types.ts";

export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join("  ").trimEnd();
  return [line(header), ...rows.map(line)].join("\n") + "\n";
}

function age(days: number | undefined): string {
  return days === undefined ? "?" : `${days}d`;
}

export function renderStatus(report: StatusReport): string {
  const parts: string[] = [];
  if (report.items.length === 0) {
    parts.push("No Sentries branches or pull requests found.\n");
  } else {
    parts.push(table(
      ["KIND", "SENTRY", "NAME", "BASE", "AGE", "STATE", "VERIFIED", "OTHERS' COMMITS", "NOTE"],
      report.items.map((i) => [
        i.kind === "pr" ? "PR" : `branch (${i.location})`,
        i.sentry ?? "-",
        i.name,
        i.baseSha?.slice(0, 7) ?? "-",
        age(i.ageDays),
        i.state,
        i.verified ? `yes (${i.proof})` : "no",
        i.foreignCommits === "some" ? "yes" : i.foreignCommits === "unknown" ? "?" : "no",
        [i.keep ? "sentries:keep" : "", i.note ?? ""].filter((s) => s).join("; "),
      ]),
    ));
  }
  if (report.orphans.length > 0) {
    parts.push(`\nOrphaned ${METADATA_FILE} files (merged into branches that are not the bot's):\n`);
    parts.push(table(
      ["BRANCH", "WHERE", "SENTRY", "AGE", "NOTE"],
      report.orphans.map((o) => [
        o.branch,
        o.locations.join("+"),
        o.sentry,
        age(o.ageDays),
        [
          o.isDefaultBranch ? "default branch" : "",
          o.metadata ? "" : "not the bot's format",
          o.proposedOn ? `removal proposed on ${o.proposedOn}` : "",
        ].filter((s) => s).join("; "),
      ]),
    ));
  }
  if (report.duplicates.length > 0) {
    parts.push(`\nDuplicate fixes (the same sentry, base and failures on more than one branch; keep one):\n`);
    parts.push(table(
      ["SENTRY", "BASE", "BRANCHES (oldest first)"],
      report.duplicates.map((d) => [d.sentry, d.baseSha.slice(0, 7), d.branches.join(", ")]),
    ));
  }
  const s = report.summary;
  const pulls = s.pullRequests === null
    ? "pull requests unknown"
    : `${countOf(s.pullRequests, "pull request")} (${s.openPullRequests} open)`;
  parts.push(
    `\n${countOf(s.branches, "branch", "branches")} (${s.localBranches} local, ${s.remoteBranches} on origin), ` +
      `${pulls}; ${s.verified} verified, ` +
      `${s.unverified} unverified; ${s.withForeignCommits} with others' commits; ${s.kept} kept; ` +
      `${countOf(s.orphanedMetadata, "orphaned metadata file")}.\n`,
  );
  if (!report.context.hasOrigin) parts.push("No `origin` remote: only local branches are listed.\n");
  if (report.context.github === "no token") {
    parts.push("Pull requests not listed: set GITHUB_TOKEN and GITHUB_REPOSITORY to include them.\n");
  } else if (s.pullRequestsUnknownReason) {
    // The table lacks every pull request, so say so where the counts are, not only in a warning on stderr.
    parts.push(
      `Pull requests unknown: ${s.pullRequestsUnknownReason}. ` +
        "Check the network, GITHUB_API_URL and the token, then run again.\n",
    );
  }
  return parts.join("");
}

export function renderPlan(plan: Plan, dryRun: boolean): string {
  const lines: string[] = [];
  const o = plan.options;
  lines.push(
    `${dryRun ? "Dry run: would do" : "Plan"} (artifacts ${limitText(o.maxAgeDays)}` +
      `${o.includeUnverified ? ", including unverified" : ""}` +
      `${o.includeForeignCommits ? ", including branches with others' commits" : ""}):`,
  );
  if (plan.actions.length === 0) lines.push("  nothing to do");
  for (const p of plan.actions) {
    const flag = p.override ? ` [--${p.override}]` : "";
    lines.push(`  - ${describeAction(p.action)}${flag}: ${p.reason}`);
  }
  if (plan.skipped.length > 0) {
    lines.push("Left alone:");
    for (const s of plan.skipped) lines.push(`  - ${s.artifact}: ${s.reason}`);
  }
  return lines.join("\n") + "\n";
}

export function outcomeCounts(outcomes: Outcome[]): Record<Outcome["status"], number> {
  const counts = { done: 0, failed: 0, skipped: 0 };
  for (const o of outcomes) counts[o.status]++;
  return counts;
}

export function renderOutcomes(outcomes: Outcome[]): string {
  if (outcomes.length === 0) return "Nothing to clean up.\n";
  const lines = outcomes.map((o) => `  ${o.status.padEnd(7)} ${describeAction(o.action)}: ${o.detail}`);
  const c = outcomeCounts(outcomes);
  return `Outcomes:\n${lines.join("\n")}\n${c.done} done, ${c.failed} failed, ${c.skipped} skipped.\n`;
}
