/**
 * Reading a planner's verdict strictly enough that an unreadable answer never
 * turns into "change the files": only a `VERDICT:` line with a known word, or
 * a line that is nothing but a verdict word, counts. Prose that merely
 * mentions "update" does not, and neither does a line that lists several
 * verdict words (`VERDICT: UPDATE_TESTS | SOURCE_BUG | NO_CHANGES` — the model
 * copying the format instead of choosing): that states no verdict. Several
 * VERDICT lines that contradict each other state none either.
 */
export type Verdict = "update" | "source_bug" | "no_changes";

const HEAD_LINES = 6;

/** The verdict in a planner reply, or undefined when the reply states none. */
export function readVerdict(text: string, updateWord: string): Verdict | undefined {
  const normalized = text.replace(/\r\n/g, "\n");
  const stated = new Set<Verdict>();
  let sawVerdictLine = false;
  for (const line of normalized.matchAll(/^[\s>*#_`-]*VERDICT\s*\**\s*[:=]\s*\**\s*(.*)$/gim)) {
    sawVerdictLine = true;
    const verdict = verdictValue(line[1], updateWord);
    if (verdict) stated.add(verdict);
  }
  if (sawVerdictLine) return stated.size === 1 ? [...stated][0] : undefined;
  for (const raw of normalized.split("\n").slice(0, HEAD_LINES)) {
    const bare = raw.replace(/[\s>*#_`.:!-]+$/g, "").replace(/^[\s>*#_`-]+/g, "");
    if (/^[A-Z_ -]+$/i.test(bare)) {
      const verdict = verdictValue(bare, updateWord);
      if (verdict) return verdict;
    }
  }
  return undefined;
}

/** A verdict word, as written (UPDATE_TESTS, SOURCE BUG, no-changes, …). */
function verdictWordPattern(updateWord: string): RegExp {
  const update = updateWord.replace(/[^A-Z_]/gi, "");
  return new RegExp(`\\b(SOURCE[_ -]?BUG|NO[_ -]?CHANGES?|${update}[A-Z]*(?:[_-][A-Z]+| (?:TESTS?|DOCS?))?)\\b`, "gi");
}

function kindOf(word: string): Verdict {
  const upper = word.toUpperCase();
  if (/^SOURCE/.test(upper)) return "source_bug";
  if (/^NO[_ -]?CHANGE/.test(upper)) return "no_changes";
  return "update";
}

/** Separators of a list of alternatives: `|`, `/`, `,`, "or", placeholder brackets, markdown. */
const ALTERNATIVES_GAP = /^(?:[\s|/,*_`"'<>()[\]{}]|\bor\b|\band\b|\bone of\b)*$/i;

/**
 * The verdict a VERDICT line's value states. When it starts with a verdict word, that word counts unless
 * more verdict words follow as a list of alternatives (the format copied). Otherwise every verdict word in
 * it must agree.
 */
function verdictValue(value: string, updateWord: string): Verdict | undefined {
  const words = [...value.matchAll(verdictWordPattern(updateWord))];
  if (words.length === 0) return undefined;
  const kinds = new Set(words.map((w) => kindOf(w[1])));
  const leading = value.slice(0, words[0].index).replace(/[\s*_`"'<([{]/g, "") === "";
  if (leading) {
    // The leading word and the words listed right after it as alternatives.
    const listed = new Set([kindOf(words[0][1])]);
    for (let i = 1; i < words.length; i++) {
      const previous = words[i - 1];
      const gap = value.slice(previous.index + previous[0].length, words[i].index);
      if (!ALTERNATIVES_GAP.test(gap)) break;
      listed.add(kindOf(words[i][1]));
    }
    return listed.size === 1 ? [...listed][0] : undefined;
  }
  return kinds.size === 1 ? [...kinds][0] : undefined;
}

/** Sent once, after an answer with no verdict, before giving up. */
export function verdictReminder(format: string): string {
  return "Your answer had no VERDICT line, so it cannot be acted on. Answer again, starting with the VERDICT line, " +
    `in exactly this format:\n${format}`;
}

export const NO_VERDICT_MESSAGE = "the planner's answer had no verdict";
