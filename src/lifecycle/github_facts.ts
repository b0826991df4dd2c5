/**
 * Reads the bot's pull requests from GitHub: those whose head branch has a
 * bot prefix, and those with a `sentry-*` label (proven by the metadata
 * marker in the body or in a comment). Pull requests from forks are never
 * the bot's: it only pushes to the repository itself.
 */
import type { GitHub, PullRequestInfo } from "../github/mod.ts";
import { parseMetadataMarker } from "../github/mod.ts";
import { markerCreatedAt, sentryForBranch } from "./proof.ts";
import type { PullEvidence } from "./types.ts";

function hasSentryLabel(pr: PullRequestInfo): boolean {
  return pr.labels.some((l) => l.startsWith("sentry-"));
}

export async function listBotPulls(github: GitHub): Promise<PullEvidence[]> {
  const pulls = await github.listPullRequests({ state: "all" });
  const found: PullEvidence[] = [];
  for (const pr of pulls) {
    if (pr.isFork) continue;
    const named = sentryForBranch(pr.headRef) !== undefined;
    const labelled = hasSentryLabel(pr);
    if (!named && !labelled) continue;
    let marker = parseMetadataMarker(pr.body);
    if (marker === undefined && labelled) {
      // The bot also writes the marker in its metadata comment; a person may have edited the body.
      for (const comment of await github.listComments(pr.number)) {
        marker = parseMetadataMarker(comment.body);
        if (marker !== undefined) break;
      }
    }
    found.push({
      number: pr.number,
      title: pr.title,
      url: pr.url,
      state: pr.merged ? "merged" : pr.state,
      headRef: pr.headRef,
      baseRef: pr.baseRef,
      labels: pr.labels,
      labelAndMarker: labelled && marker !== undefined,
      markerCreatedAt: markerCreatedAt(marker),
      createdAt: pr.createdAt,
      isFork: pr.isFork,
    });
  }
  return found;
}
