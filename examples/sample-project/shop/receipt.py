"""Plain-text receipts."""
from shop.pricing import cart_total


def format_receipt(items):
    lines = [f"{name} x{quantity}" for name, quantity, _price in items]
    lines.append(f"TOTAL {cart_total(items):.2f}")
    return "\n".join(lines)
