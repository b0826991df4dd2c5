import assert from "node:assert/strict";
import { type ContextSection, fitToBudget, renderSections, truncateText } from "../../src/context/budget.ts";
import { estimateTokens } from "../../src/llm/tokens.ts";

function section(title: string, priority: number, lines: number): ContextSection {
  return { title, priority, text: Array.from({ length: lines }, (_, i) => `${title} line ${i + 1}`).join("\n") };
}

const SECTIONS = [
  section("failure", 100, 20),
  section("test", 90, 40),
  section("history", 70, 80),
  section("fixtures", 60, 40),
  section("other", 70, 60),
];

Deno.test("fitToBudget: everything fits under a large budget, untouched", () => {
  const fitted = fitToBudget(SECTIONS, 100_000);
  assert.equal(fitted.truncated, false);
  assert.deepEqual(fitted.sections, SECTIONS);
  assert.equal(fitted.text, renderSections(SECTIONS));
  assert.equal(fitted.estimatedTokens, estimateTokens(fitted.text));
});

Deno.test("fitToBudget: drops the lowest priority first, then cuts, keeping order and the top sections whole", () => {
  const full = renderSections(SECTIONS).length;
  const fixturesCost = renderSections([SECTIONS[3]]).length + 1;
  // Room for everything but the fixtures and half of the later 70-priority section ("other").
  const budget = Math.floor((full - fixturesCost - 300) / 4);
  const fitted = fitToBudget(SECTIONS, budget);
  assert.equal(fitted.truncated, true);
  assert.ok(fitted.estimatedTokens <= budget, `${fitted.estimatedTokens} <= ${budget}`);
  assert.deepEqual(fitted.sections.map((s) => s.title), ["failure", "test", "history", "other"]);
  assert.deepEqual(fitted.sections.slice(0, 3), SECTIONS.slice(0, 3));
  assert.match(fitted.sections[3].text, /more lines cut to fit the token budget\)$/);
});

Deno.test("fitToBudget: a tiny budget keeps only the most important section, cut", () => {
  const fitted = fitToBudget(SECTIONS, 100);
  assert.deepEqual(fitted.sections.map((s) => s.title), ["failure"]);
  assert.ok(fitted.estimatedTokens <= 100);
  assert.match(fitted.text, /^## failure\n```\nfailure line 1\n/);
  assert.deepEqual(fitToBudget(SECTIONS, 0).sections, []);
});

Deno.test("fitToBudget: deterministic for every budget, and never over it", () => {
  for (let budget = 0; budget <= 1500; budget += 37) {
    const a = fitToBudget(SECTIONS, budget);
    assert.deepEqual(fitToBudget(SECTIONS, budget), a);
    assert.ok(a.estimatedTokens <= budget, `budget ${budget}: ${a.estimatedTokens}`);
  }
});

Deno.test("truncateText: whole lines plus a note, within the limit", () => {
  const text = Array.from({ length: 8 }, (_, i) => `${i}`.repeat(10)).join("\n");
  assert.equal(truncateText(text, 100), text);
  const cut = truncateText(text, 70)!;
  assert.ok(cut.length <= 70);
  assert.equal(cut, "0000000000\n1111111111\n... (6 more lines cut to fit the token budget)");
  assert.equal(truncateText(text, 10), undefined);
});
