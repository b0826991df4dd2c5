/** Corpus: extraction and the three edit formats. */
import type { CorpusCase } from "./types.ts";
import { CART, CART_FIXED, edited, F, FIX_HEADER, FIX_HUNK, README } from "./fixtures.ts";

export const FORMAT_CASES: CorpusCase[] = [
  {
    name: "bare unified diff, no fence, no prose",
    answer: `${FIX_HEADER}\n${FIX_HUNK}\n`,
    expect: { kind: "ok", files: { "tests/test_cart.py": CART_FIXED } },
  },
  {
    name: "```diff fence with prose before and after",
    answer: `The expected total is wrong.\n\n${F}diff\n${FIX_HEADER}\n${FIX_HUNK}\n${F}\n\nThis makes the test pass.`,
    expect: { kind: "ok", files: { "tests/test_cart.py": CART_FIXED } },
  },
  {
    name: "```patch fence",
    answer: `${F}patch\n${FIX_HEADER}\n${FIX_HUNK}\n${F}`,
    expect: { kind: "ok", files: { "tests/test_cart.py": CART_FIXED } },
  },
  {
    name: "plain ``` fence, prose with a bullet list after it",
    answer: `${F}\n${FIX_HEADER}\n${FIX_HUNK}\n${F}\n- fixed the expected total\n- nothing else`,
    expect: { kind: "ok", files: { "tests/test_cart.py": CART_FIXED } },
  },
  {
    name: "bare diff followed by prose",
    answer: `Here is the patch:\n${FIX_HEADER}\n${FIX_HUNK}\nThat should fix it.\n`,
    expect: { kind: "ok", files: { "tests/test_cart.py": CART_FIXED } },
  },
  {
    name: "several fenced blocks are merged (two files)",
    sentry: "docs",
    answer:
      `First README:\n${F}diff\n--- a/README.md\n+++ b/README.md\n@@ -7 +7 @@\n-Call \`Cart.total()\` to get the total.\n+Call \`Cart.total()\` to get the total in cents.\n${F}\nThen the guide:\n${F}diff\n--- a/docs/guide.md\n+++ b/docs/guide.md\n@@ -3 +3 @@\n-Step one.\n+Step one: install.\n${F}\n`,
    expect: {
      kind: "ok",
      files: {
        "README.md": edited(README, [["the total.", "the total in cents."]]),
        "docs/guide.md": "# Guide\n\nStep one: install.\nLast line without newline",
      },
    },
  },
  {
    name: "diff --git headers with index line",
    answer:
      `diff --git a/tests/test_cart.py b/tests/test_cart.py\nindex 3b18e51..a9c2f0d 100644\n${FIX_HEADER}\n${FIX_HUNK}\n`,
    expect: { kind: "ok", files: { "tests/test_cart.py": CART_FIXED } },
  },
  {
    name: "no a/ b/ prefixes",
    answer: `--- tests/test_cart.py\n+++ tests/test_cart.py\n${FIX_HUNK}\n`,
    expect: { kind: "ok", files: { "tests/test_cart.py": CART_FIXED } },
  },
  {
    name: "./ prefixes",
    answer: `--- ./tests/test_cart.py\n+++ ./tests/test_cart.py\n${FIX_HUNK}\n`,
    expect: { kind: "ok", files: { "tests/test_cart.py": CART_FIXED } },
  },
  {
    name: "CRLF in the model's answer, LF file",
    answer: [`${F}diff`, FIX_HEADER, FIX_HUNK, F, ""].join("\n").replace(/\n/g, "\r\n"),
    expect: { kind: "ok", files: { "tests/test_cart.py": CART_FIXED } },
  },
  { name: "NO_CHANGES", answer: "NO_CHANGES", expect: { kind: "no_changes" } },
  { name: "NO_CHANGES in bold and a fence", answer: `${F}\n**NO_CHANGES**\n${F}\n`, expect: { kind: "no_changes" } },
  {
    name: "NO_CHANGES after an explanation",
    answer: "The test is correct; the bug is in the code.\nNO_CHANGES\n",
    expect: { kind: "no_changes" },
  },
  {
    name: "prose without any edit",
    answer: "I think you should change the expected value to 3.",
    expect: { kind: "rejected", codes: ["extract.no_diff"] },
  },
  {
    name: "unclosed fence (answer cut off)",
    answer: `${F}diff\n${FIX_HEADER}\n@@ -12,3 +12,3 @@\n def test_total():\n     cart = make_cart()\n`,
    expect: { kind: "rejected", codes: ["extract.truncated"] },
  },
  {
    name: "bare diff cut off inside its last hunk",
    answer: `${FIX_HEADER}\n@@ -12,3 +12,3 @@\n def test_total():\n     cart = make_cart()`,
    expect: { kind: "rejected", codes: ["extract.truncated"] },
  },
  {
    name: "hunk header with no lines under it",
    answer: `${F}diff\n${FIX_HEADER}\n${FIX_HUNK}\n@@ -24,4 +24,4 @@\n${F}`,
    expect: { kind: "rejected", codes: ["extract.truncated"] },
  },
  {
    name: "placeholder comment for omitted code",
    answer:
      `${F}diff\n${FIX_HEADER}\n@@ -12,3 +12,4 @@\n def test_total():\n-    cart = make_cart()\n+    # ... existing code ...\n     assert cart.total() == 4\n${F}`,
    expect: { kind: "rejected", codes: ["extract.placeholder"] },
  },
  {
    name: "bare ... standing for omitted lines (whole file)",
    format: "whole",
    answer:
      `tests/test_cart.py\n${F}python\nimport pytest\n...\ndef test_total():\n    cart = make_cart()\n    assert cart.total() == 3\n${F}`,
    expect: { kind: "rejected", codes: ["extract.placeholder", "weaken.test_deleted"] },
  },
  {
    name: "search/replace block",
    format: "search-replace",
    answer:
      `tests/test_cart.py\n${F}python\n<<<<<<< SEARCH\n    assert cart.total() == 4\n=======\n    assert cart.total() == 3\n>>>>>>> REPLACE\n${F}\n`,
    expect: { kind: "ok", files: { "tests/test_cart.py": CART_FIXED } },
  },
  {
    name: "search/replace: two blocks for one file, second one mis-indented",
    format: "search-replace",
    answer:
      `**tests/test_cart.py**\n${F}python\n<<<<<<< SEARCH\n    assert cart.total() == 4\n=======\n    assert cart.total() == 3\n>>>>>>> REPLACE\n\n<<<<<<< SEARCH\ncart.discount(0.5)\nassert cart.total() == 1.5\n=======\ncart.discount(0.25)\nassert cart.total() == 0.75\n>>>>>>> REPLACE\n${F}\n`,
    expect: {
      kind: "ok",
      files: {
        "tests/test_cart.py": edited(CART_FIXED, [["discount(0.5)", "discount(0.25)"], ["== 1.5", "== 0.75"]]),
      },
    },
  },
  {
    name: "search/replace with an empty SEARCH creates a file",
    format: "search-replace",
    answer:
      `tests/test_new.py\n${F}python\n<<<<<<< SEARCH\n=======\ndef test_new():\n    assert 1 + 1 == 2\n>>>>>>> REPLACE\n${F}\n`,
    expect: { kind: "ok", files: { "tests/test_new.py": "def test_new():\n    assert 1 + 1 == 2\n" } },
  },
  {
    name: "search/replace cut off before REPLACE",
    format: "search-replace",
    answer:
      `tests/test_cart.py\n${F}python\n<<<<<<< SEARCH\n    assert cart.total() == 4\n=======\n    assert cart.total() == 3\n`,
    expect: { kind: "rejected", codes: ["extract.truncated"] },
  },
  {
    name: "search/replace answer although udiff was asked for",
    format: "udiff",
    answer:
      `tests/test_cart.py\n<<<<<<< SEARCH\n    assert cart.total() == 4\n=======\n    assert cart.total() == 3\n>>>>>>> REPLACE\n`,
    expect: { kind: "ok", files: { "tests/test_cart.py": CART_FIXED } },
  },
  {
    name: "whole file with its path on the line above",
    format: "whole",
    answer: `Updated file:\n\ntests/test_cart.py\n${F}python\n${CART_FIXED}${F}\n`,
    expect: { kind: "ok", files: { "tests/test_cart.py": CART_FIXED } },
  },
  {
    name: "whole Markdown file with nested code fences, path in the fence info",
    sentry: "docs",
    format: "whole",
    answer:
      `${F}markdown README.md\n# Shop\n\nInstall:\n\n${F}sh\npip install shop\n${F}\n\n## Usage\n\nCall \`Cart.total()\` to get the total.\n${F}\n`,
    expect: {
      kind: "ok",
      files: {
        "README.md":
          "# Shop\n\nInstall:\n\n```sh\npip install shop\n```\n\n## Usage\n\nCall `Cart.total()` to get the total.\n",
      },
    },
  },
  {
    name: "whole file identical to the current one",
    format: "whole",
    answer: `tests/test_cart.py\n${F}python\n${CART}${F}\n`,
    expect: { kind: "rejected", codes: ["apply.no_effect"] },
  },
];
