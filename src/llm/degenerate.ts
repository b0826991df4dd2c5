/**
 * A degenerate stream: the tail of the reply is one short unit repeated over and over ("the the the …",
 * the same line again and again). Small or broken models write that until the output cap; nothing in it
 * can become a usable edit, so the client stops reading. Pure.
 */

/** The repeated tail must be at least this long … */
const MIN_SPAN = 600;
/** … made of at least this many copies of a unit no longer than MAX_UNIT characters. */
const MIN_COPIES = 10;
const MAX_UNIT = 160;

/** Why the text is degenerate ("repetition: … ×N"), or undefined. */
export function degenerateTail(text: string): string | undefined {
  const tail = text.slice(-Math.max(MIN_SPAN, MAX_UNIT * MIN_COPIES) * 2);
  for (let unit = 1; unit <= MAX_UNIT; unit++) {
    let span = unit;
    while (span + unit <= tail.length) {
      const a = tail.length - span - unit;
      if (tail.slice(a, a + unit) !== tail.slice(tail.length - unit)) break;
      span += unit;
    }
    const copies = Math.floor(span / unit);
    if (span >= MIN_SPAN && copies >= MIN_COPIES) {
      const sample = tail.slice(-unit).replace(/\s+/g, " ").trim().slice(0, 40);
      return `repetition: "${sample}" ×${copies}`;
    }
  }
  return undefined;
}
