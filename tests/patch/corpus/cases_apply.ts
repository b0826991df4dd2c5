/** Corpus: sloppy diffs whose intent is unambiguous, and hunks that must be refused. */
import type { CorpusCase } from "./types.ts";
import { CART, CART_FIXED, edited, F, FIX_HEADER, FIX_HUNK, WINDOWS_DOC } from "./fixtures.ts";

const HALF_HUNK = `@@ -24,4 +24,4 @@
     def test_half(self):
         cart = make_cart()
-        cart.discount(0.5)
-        assert cart.total() == 1.5
+        cart.discount(0.25)
+        assert cart.total() == 0.75`;

const CART_BOTH = edited(CART_FIXED, [["discount(0.5)", "discount(0.25)"], ["== 1.5", "== 0.75"]]);

export const APPLY_CASES: CorpusCase[] = [
  {
    name: "wrong line numbers in the hunk header",
    answer:
      `${FIX_HEADER}\n@@ -120,3 +131,3 @@\n def test_total():\n     cart = make_cart()\n-    assert cart.total() == 4\n+    assert cart.total() == 3\n`,
    expect: { kind: "ok", files: { "tests/test_cart.py": CART_FIXED } },
  },
  {
    name: "bare @@ ... @@ header",
    answer:
      `${FIX_HEADER}\n@@ ... @@\n def test_total():\n     cart = make_cart()\n-    assert cart.total() == 4\n+    assert cart.total() == 3\n`,
    expect: { kind: "ok", files: { "tests/test_cart.py": CART_FIXED } },
  },
  {
    name: "no @@ header at all",
    answer:
      `${F}diff\n${FIX_HEADER}\n def test_total():\n     cart = make_cart()\n-    assert cart.total() == 4\n+    assert cart.total() == 3\n${F}`,
    expect: { kind: "ok", files: { "tests/test_cart.py": CART_FIXED } },
  },
  {
    name: "wrong hunk line counts",
    answer:
      `${FIX_HEADER}\n@@ -12,9 +12,2 @@\n def test_total():\n     cart = make_cart()\n-    assert cart.total() == 4\n+    assert cart.total() == 3\n`,
    expect: { kind: "ok", files: { "tests/test_cart.py": CART_FIXED } },
  },
  {
    name: "new file whose header count is too small keeps every line",
    answer:
      `${F}diff\n--- /dev/null\n+++ b/tests/test_tax.py\n@@ -0,0 +1,2 @@\n+def test_tax():\n+    rate = 0.2\n+    assert round(10 * rate, 2) == 2.0\n+    assert rate < 1\n${F}`,
    expect: {
      kind: "ok",
      files: {
        "tests/test_tax.py":
          "def test_tax():\n    rate = 0.2\n    assert round(10 * rate, 2) == 2.0\n    assert rate < 1\n",
      },
    },
  },
  {
    name: "hunks out of order",
    answer: `${FIX_HEADER}\n${HALF_HUNK}\n${FIX_HUNK}\n`,
    expect: { kind: "ok", files: { "tests/test_cart.py": CART_BOTH } },
  },
  {
    name: "the same hunk sent twice",
    answer: `${FIX_HEADER}\n${FIX_HUNK}\n${FIX_HUNK}\n`,
    expect: { kind: "ok", files: { "tests/test_cart.py": CART_FIXED } },
  },
  {
    name: "later hunk in another fence without a file header belongs to the last file",
    answer: `${F}diff\n${FIX_HEADER}\n${FIX_HUNK}\n${F}\nAnd the discount test:\n${F}diff\n${HALF_HUNK}\n${F}\n`,
    expect: { kind: "ok", files: { "tests/test_cart.py": CART_BOTH } },
  },
  {
    name: "blank context lines without their leading space",
    answer:
      `${F}diff\n${FIX_HEADER}\n@@ -9,6 +9,6 @@\n     return cart\n\n\n def test_total():\n     cart = make_cart()\n-    assert cart.total() == 4\n+    assert cart.total() == 3\n\n\n def test_empty():\n${F}`,
    expect: { kind: "ok", files: { "tests/test_cart.py": CART_FIXED } },
  },
  {
    name: "trailing whitespace on context lines",
    answer:
      `${FIX_HEADER}\n@@ -12,3 +12,3 @@\n def test_total():   \n     cart = make_cart()\t\n-    assert cart.total() == 4\n+    assert cart.total() == 3\n`,
    expect: { kind: "ok", files: { "tests/test_cart.py": CART_FIXED } },
  },
  {
    name: "2-space indentation against the file's 4 spaces (added lines re-indented)",
    answer:
      `${FIX_HEADER}\n@@ -12,3 +12,4 @@\n def test_total():\n   cart = make_cart()\n-  assert cart.total() == 4\n+  assert cart.total() == 3\n+  assert len(cart.items) == 1\n`,
    expect: {
      kind: "ok",
      files: { "tests/test_cart.py": edited(CART, [["== 4\n", "== 3\n    assert len(cart.items) == 1\n"]]) },
    },
  },
  {
    name: "whole hunk outdented (a method written at top level)",
    answer:
      `${FIX_HEADER}\n@@ -24,4 +24,5 @@\n def test_half(self):\n     cart = make_cart()\n-    cart.discount(0.5)\n-    assert cart.total() == 1.5\n+    cart.discount(0.25)\n+    assert cart.total() == 0.75\n+    assert cart.items\n`,
    expect: {
      kind: "ok",
      files: {
        "tests/test_cart.py": edited(CART, [["discount(0.5)", "discount(0.25)"], [
          "== 1.5\n",
          "== 0.75\n        assert cart.items\n",
        ]]),
      },
    },
  },
  {
    name: "a blank context line missing from the hunk",
    answer:
      `${FIX_HEADER}\n@@ -9,6 +9,6 @@\n     return cart\n def test_total():\n     cart = make_cart()\n-    assert cart.total() == 4\n+    assert cart.total() == 3\n`,
    expect: { kind: "ok", files: { "tests/test_cart.py": CART_FIXED } },
  },
  {
    name: "an extra blank context line in the hunk",
    answer:
      `${FIX_HEADER}\n@@ -12,4 +12,4 @@\n def test_total():\n \n     cart = make_cart()\n-    assert cart.total() == 4\n+    assert cart.total() == 3\n`,
    expect: { kind: "ok", files: { "tests/test_cart.py": CART_FIXED } },
  },
  {
    name: "several edits in one hunk without @@ between them (lines in between left out)",
    answer:
      `${FIX_HEADER}\n@@ -12,16 +12,16 @@\n def test_total():\n     cart = make_cart()\n-    assert cart.total() == 4\n+    assert cart.total() == 3\n class TestDiscount:\n     def test_half(self):\n         cart = make_cart()\n-        cart.discount(0.5)\n-        assert cart.total() == 1.5\n+        cart.discount(0.25)\n+        assert cart.total() == 0.75\n`,
    expect: { kind: "ok", files: { "tests/test_cart.py": CART_BOTH } },
  },
  {
    name: "file without final newline, diff without the \\ No newline marker",
    sentry: "docs",
    answer:
      `--- a/docs/guide.md\n+++ b/docs/guide.md\n@@ -3,2 +3,2 @@\n Step one.\n-Last line without newline\n+Last line, still without newline\n`,
    expect: { kind: "ok", files: { "docs/guide.md": "# Guide\n\nStep one.\nLast line, still without newline" } },
  },
  {
    name: "CRLF file, LF diff: CRLF kept",
    sentry: "docs",
    answer:
      `--- a/docs/windows.md\n+++ b/docs/windows.md\n@@ -3,2 +3,2 @@\n Use CRLF.\n-Second line.\n+Second line, edited.\n`,
    expect: { kind: "ok", files: { "docs/windows.md": WINDOWS_DOC.replace("Second line.", "Second line, edited.") } },
  },
  {
    name: "new file via --- /dev/null",
    answer:
      `diff --git a/tests/test_new.py b/tests/test_new.py\nnew file mode 100644\n--- /dev/null\n+++ b/tests/test_new.py\n@@ -0,0 +1,2 @@\n+def test_new():\n+    assert [] == []\n`,
    expect: { kind: "ok", files: { "tests/test_new.py": "def test_new():\n    assert [] == []\n" } },
  },
  {
    name: "deleted file via +++ /dev/null",
    answer: `--- a/tests/data/old.txt\n+++ /dev/null\n@@ -1,2 +0,0 @@\n-old fixture\n-second line\n`,
    expect: { kind: "ok", files: { "tests/data/old.txt": null } },
  },
  {
    name: "combination: CRLF answer, no prefixes, bare header, out of order, re-indented",
    answer:
      `--- tests/test_cart.py\n+++ tests/test_cart.py\n@@ @@\n def test_half(self):\n     cart = make_cart()\n-    cart.discount(0.5)\n-    assert cart.total() == 1.5\n+    cart.discount(0.25)\n+    assert cart.total() == 0.75\n@@ @@\n def test_total():\n     cart = make_cart()\n-    assert cart.total() == 4\n+    assert cart.total() == 3\n`
        .replace(/\n/g, "\r\n"),
    expect: { kind: "ok", files: { "tests/test_cart.py": CART_BOTH } },
  },
  {
    name: "Markdown diff whose context lines are code fences",
    sentry: "docs",
    files: { "docs/install.md": "# Install\n\n```sh\npip install shop\n```\n\nDone.\n" },
    answer:
      `${F}diff\n--- a/docs/install.md\n+++ b/docs/install.md\n@@ -3,5 +3,5 @@\n ${F}sh\n-pip install shop\n+pip install shop==2.0\n ${F}\n \n Done.\n${F}\n`,
    expect: { kind: "ok", files: { "docs/install.md": "# Install\n\n```sh\npip install shop==2.0\n```\n\nDone.\n" } },
  },
  {
    name: "removed line that is not in the file (never fuzzed away)",
    answer:
      `${FIX_HEADER}\n@@ -12,3 +12,3 @@\n def test_total():\n     cart = make_cart()\n-    assert cart.total() == 5\n+    assert cart.total() == 3\n`,
    expect: { kind: "rejected", codes: ["apply.hunk_not_found"] },
  },
  {
    name: "hunk that matches two places",
    answer: `${FIX_HEADER}\n@@ -7 +7 @@\n-    cart = Cart()\n+    cart = Cart(currency="EUR")\n`,
    expect: { kind: "rejected", codes: ["apply.hunk_ambiguous"] },
  },
  {
    name: "context invented by the model",
    answer:
      `${FIX_HEADER}\n@@ -12,3 +12,3 @@\n def test_total():\n     cart = make_big_cart()\n-    assert cart.total() == 4\n+    assert cart.total() == 3\n`,
    expect: { kind: "rejected", codes: ["apply.hunk_not_found"] },
  },
  {
    name: "modifying a file that does not exist",
    answer: `--- a/tests/test_missing.py\n+++ b/tests/test_missing.py\n@@ -1 +1 @@\n-x = 1\n+x = 2\n`,
    expect: { kind: "rejected", codes: ["apply.file_not_found"] },
  },
  {
    name: "two hunks changing the same lines differently",
    answer: `${FIX_HEADER}\n${FIX_HUNK}\n@@ -14 +14 @@\n-    assert cart.total() == 4\n+    assert cart.total() == 7\n`,
    expect: { kind: "rejected", codes: ["apply.hunks_overlap"] },
  },
  {
    name: "the change breaks Python syntax",
    answer:
      `${FIX_HEADER}\n@@ -12,3 +12,3 @@\n-def test_total():\n+def test_total(:\n     cart = make_cart()\n     assert cart.total() == 4\n`,
    expect: { kind: "rejected", codes: ["python.syntax_error"] },
  },
];
