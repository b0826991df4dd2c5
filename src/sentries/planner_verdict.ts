/**
 * Reading a planner's verdict strictly enough that an unreadable answer never
 * turns into "change the files": only a `VERDICT:` line with a known word, or
 * a line that is nothing but a verdict word, counts. Prose that merely
 * mentions "update" does not.
 */
export type Verdict = "update" | "source_bug" | "no_changes";

const HEAD_LINES = 6;

/** The verdict in a planner reply, or undefined when the reply states none. */
export function readVerdict(text: string, updateWord: string): Verdict | undefined {
  const normalized = text.replace(/\r\n/g, "\n");
  const line = /^[\s>*#_`-]*VERDICT\s*\**\s*[:=]\s*\**\s*(.*)$/im.exec(normalized);
  if (line) return verdictWord(line[1], updateWord);
  for (const raw of normalized.split("\n").slice(0, HEAD_LINES)) {
    const bare = raw.replace(/[\s>*#_`.:!-]+$/g, "").replace(/^[\s>*#_`-]+/g, "");
    if (/^[A-Z_ -]+$/i.test(bare)) {
      const verdict = verdictWord(bare, updateWord);
      if (verdict) return verdict;
    }
  }
  return undefined;
}

function verdictWord(value: string, updateWord: string): Verdict | undefined {
  const word = value.toUpperCase();
  if (/SOURCE[_ -]?BUG/.test(word)) return "source_bug";
  const update = word.includes(updateWord);
  if (/NO[_ -]?CHANGES?/.test(word) && !update) return "no_changes";
  if (update) return "update";
  return undefined;
}

/** Sent once, after an answer with no verdict, before giving up. */
export function verdictReminder(format: string): string {
  return "Your answer had no VERDICT line, so it cannot be acted on. Answer again, starting with the VERDICT line, " +
    `in exactly this format:\n${format}`;
}

export const NO_VERDICT_MESSAGE = "the planner's answer had no verdict";
