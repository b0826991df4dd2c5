/**
 * The scripted "models" the demo uses when no Ollama is running. Like a real
 * model, they only give the right answer when the prompt carries the evidence
 * (the renamed function and the new receipt format); otherwise a wrong guess.
 */
import type { StandInRequest } from "../../tests/support/standin_llm.ts";

const PLAN = `VERDICT: UPDATE_TESTS
REASON: shop.pricing.cart_total was renamed to order_total and the receipt total line changed to "Total: 1.50 EUR"; the tests were not updated.
PLAN:
1. tests/test_pricing.py: import order_total instead of cart_total and call it in test_cart_total_sums_lines.
2. tests/test_receipt.py: expect the new total line "Total: 1.50 EUR".`;

// A typical small-model answer: prose, a fence, and wrong hunk line numbers.
const PATCH = `Here is the updated test code:

\`\`\`diff
--- a/tests/test_pricing.py
+++ b/tests/test_pricing.py
@@ -1,4 +1,4 @@
 import pytest
 
-from shop.pricing import apply_discount, cart_total
+from shop.pricing import apply_discount, order_total
@@ -20,3 +20,3 @@
 def test_cart_total_sums_lines():
     items = [("apple", 3, 0.5), ("pear", 2, 1.25)]
-    assert cart_total(items) == 4.0
+    assert order_total(items) == 4.0
--- a/tests/test_receipt.py
+++ b/tests/test_receipt.py
@@ -4,3 +4,3 @@
 def test_receipt_lists_items_and_total():
     text = format_receipt([("apple", 3, 0.5)])
-    assert text == "apple x3\\nTOTAL 1.50"
+    assert text == "apple x3\\nTotal: 1.50 EUR"
\`\`\`

This keeps both tests checking the same behaviour under the new names.`;

const WRONG = "VERDICT: SOURCE_BUG\nREASON: I cannot see why the tests fail.\nPLAN:\n1. Investigate.";

function promptText(req: StandInRequest): string {
  return req.messages.map((m) => m.content).join("\n");
}

export function demoReply(req: StandInRequest): string {
  const text = promptText(req);
  const hasEvidence = text.includes("order_total") && text.includes("Total: ");
  // Both roles share one system prompt (for the server's prompt cache); the task at the end tells them apart.
  const isPlanner = req.messages.at(-1)?.content.includes("## Your task now: triage") ?? false;
  if (isPlanner) return hasEvidence ? PLAN : WRONG;
  return hasEvidence ? PATCH : "NO_CHANGES";
}
