/** The small repository every corpus case starts from, and helpers to state expected contents. */

export const F = "```";

export const CART = `import pytest

from shop.cart import Cart, Item


def make_cart():
    cart = Cart()
    cart.add(Item(price=3))
    return cart


def test_total():
    cart = make_cart()
    assert cart.total() == 4


def test_empty():
    cart = Cart()
    assert cart.total() == 0
    assert cart.items == []


class TestDiscount:
    def test_half(self):
        cart = make_cart()
        cart.discount(0.5)
        assert cart.total() == 1.5

    def test_invalid(self):
        with pytest.raises(ValueError):
            Cart().discount(2)
`;

export const README = `# Shop

Install with \`pip install shop\`.

## Usage

Call \`Cart.total()\` to get the total.
`;

export const GUIDE_NO_EOL = `# Guide

Step one.
Last line without newline`;

export const WINDOWS_DOC = "# Windows\r\n\r\nUse CRLF.\r\nSecond line.\r\n";

export const BASE_FILES: Record<string, string> = {
  "tests/test_cart.py": CART,
  "tests/data/old.txt": "old fixture\nsecond line\n",
  "README.md": README,
  "docs/guide.md": GUIDE_NO_EOL,
  "docs/windows.md": WINDOWS_DOC,
  "src/shop/cart.py": "class Cart:\n    pass\n",
  ".env": "SECRET=1\n",
};

/** Applies literal replacements (each must occur exactly once) to a base content. */
export function edited(base: string, replacements: ReadonlyArray<readonly [string, string]>): string {
  let result = base;
  for (const [from, to] of replacements) {
    const first = result.indexOf(from);
    if (first < 0 || result.indexOf(from, first + 1) >= 0) {
      throw new Error(`corpus fixture: ${JSON.stringify(from)} must occur exactly once`);
    }
    result = result.slice(0, first) + to + result.slice(first + from.length);
  }
  return result;
}

/** The most common fix in the corpus: test_total expects 3. */
export const CART_FIXED = edited(CART, [["== 4", "== 3"]]);

/** The standard hunk for that fix, as a well-behaved model writes it. */
export const FIX_HUNK = `@@ -12,3 +12,3 @@
 def test_total():
     cart = make_cart()
-    assert cart.total() == 4
+    assert cart.total() == 3`;

export const FIX_HEADER = `--- a/tests/test_cart.py
+++ b/tests/test_cart.py`;
