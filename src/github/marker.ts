/**
 * The hidden metadata marker in PR bodies and comments, and keeping bodies under GitHub's size limit.
 * Pure functions: no I/O.
 */

export const METADATA_MARKER = "sentries-metadata";

/** GitHub refuses issue and pull request bodies longer than this many characters. */
export const GITHUB_BODY_LIMIT = 65536;

const MARKER_PATTERN = new RegExp(`<!--\\s*${METADATA_MARKER}\\s+([\\s\\S]*?)\\s*-->`, "g");

/**
 * `<!-- sentries-metadata {json} -->`. `<` and `>` are written as JSON unicode escapes so that no value
 * (a test name, a commit message) can close the HTML comment early; JSON.parse reads them back unchanged.
 */
export function renderMetadataMarker(meta: unknown): string {
  const json = JSON.stringify(meta ?? null).replace(/</g, "\\u003c").replace(/>/g, "\\u003e");
  return `<!-- ${METADATA_MARKER} ${json} -->`;
}

/** The value of the first well-formed marker in `text`, or undefined when there is none. */
export function parseMetadataMarker(text: string): unknown | undefined {
  for (const match of text.matchAll(MARKER_PATTERN)) {
    try {
      return JSON.parse(match[1]);
    } catch {
      // A marker someone edited by hand; look for another.
    }
  }
  return undefined;
}

/** Does a fence line open or close a code block? Counted to close a block cut in half. */
function openFenceCount(text: string): number {
  return (text.match(/^ {0,3}(```|~~~)/gm) ?? []).length;
}

/** Cuts at `max` UTF-16 units without splitting a surrogate pair, preferring a line boundary. */
function cutAt(text: string, max: number): string {
  if (max <= 0) return "";
  let cut = text.slice(0, max);
  const lastChar = cut.charCodeAt(cut.length - 1);
  if (lastChar >= 0xd800 && lastChar <= 0xdbff) cut = cut.slice(0, -1);
  const newline = cut.lastIndexOf("\n");
  return newline > max * 0.8 ? cut.slice(0, newline) : cut;
}

/**
 * Keeps a body under GitHub's limit. Any metadata markers are kept at the end (other runs find the PR by
 * them), a code block cut in half is closed, and a note says how much was left out.
 */
export function truncateBody(body: string, limit: number = GITHUB_BODY_LIMIT): string {
  if (body.length <= limit) return body;
  const markers = [...body.matchAll(MARKER_PATTERN)].map((m) => m[0]);
  let rest = body;
  for (const marker of markers) rest = rest.replace(marker, "");
  const tail = markers.length > 0 ? "\n\n" + markers.join("\n") : "";
  // Room for the note; its number is at most as long as the body's length.
  const note = (omitted: number) =>
    `\n\n_… ${omitted} characters left out to stay under GitHub's ${limit}-character limit._`;
  const reserve = note(body.length).length + tail.length + "\n```".length;
  const kept = cutAt(rest, limit - reserve);
  const closeFence = openFenceCount(kept) % 2 === 1 ? "\n```" : "";
  const result = kept + closeFence + note(rest.length - kept.length) + tail;
  // Only an absurdly small limit (or markers bigger than it) gets here: hard cut, markers lost.
  return result.length <= limit ? result : cutAt(result, limit);
}
