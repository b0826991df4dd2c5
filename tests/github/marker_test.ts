import assert from "node:assert/strict";
import { GITHUB_BODY_LIMIT, parseMetadataMarker, renderMetadataMarker, truncateBody } from "../../src/github/mod.ts";

Deno.test("the metadata marker round-trips, even with comment-closing text inside", () => {
  const meta = { tool: "sentries", tests: ["test_a.py::test_x"], note: "--> <!-- </details> & 'q' \"dq\"", n: 3 };
  const marker = renderMetadataMarker(meta);
  assert.match(marker, /^<!-- sentries-metadata \{.*\} -->$/);
  assert.equal(marker.indexOf("-->"), marker.length - 3, "only the marker's own end closes the comment");
  assert.deepEqual(parseMetadataMarker(`# Title\n\nbody\n\n${marker}\n`), meta);
});

Deno.test("parseMetadataMarker: absent, broken, and the first good one of several", () => {
  assert.equal(parseMetadataMarker("no marker here"), undefined);
  assert.equal(parseMetadataMarker("<!-- sentries-metadata {not json} -->"), undefined);
  assert.equal(parseMetadataMarker('<!-- other {"a":1} -->'), undefined);
  const text = `<!-- sentries-metadata {broken -->\n${renderMetadataMarker({ a: 1 })}\n${
    renderMetadataMarker({ a: 2 })
  }`;
  assert.deepEqual(parseMetadataMarker(text), { a: 1 });
  assert.deepEqual(parseMetadataMarker('<!--sentries-metadata\n{"a": [1, 2]}\n-->'), { a: [1, 2] });
});

Deno.test("truncateBody leaves short bodies alone", () => {
  assert.equal(truncateBody("short"), "short");
  const exact = "y".repeat(GITHUB_BODY_LIMIT);
  assert.equal(truncateBody(exact), exact);
});

Deno.test("truncateBody keeps long bodies under the limit with a note, and keeps the marker", () => {
  const marker = renderMetadataMarker({ key: "k" });
  const body = "line\n".repeat(20_000) + marker;
  const out = truncateBody(body);
  assert.ok(out.length <= GITHUB_BODY_LIMIT, `got ${out.length}`);
  assert.match(out, /characters left out to stay under GitHub's 65536-character limit/);
  assert.ok(out.endsWith(marker));
  assert.deepEqual(parseMetadataMarker(out), { key: "k" });
  const omitted = Number(/_… (\d+) characters left out/.exec(out)?.[1]);
  const kept = out.slice(0, out.indexOf("\n\n_…"));
  assert.equal(kept.length + omitted, body.length - marker.length);
});

Deno.test("truncateBody closes a code block it cuts in half", () => {
  const body = "Before\n\n```diff\n" + "+added line\n".repeat(1000);
  const out = truncateBody(body, 2000);
  assert.ok(out.length <= 2000);
  const fences = out.match(/^```/gm) ?? [];
  assert.equal(fences.length % 2, 0);
});

Deno.test("truncateBody never splits a surrogate pair", () => {
  const body = "😀".repeat(2000);
  for (const limit of [1000, 1001]) {
    const out = truncateBody(body, limit);
    assert.ok(out.length <= limit);
    assert.ok(!/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/.test(out), `no lone high surrogate at limit ${limit}`);
  }
});
