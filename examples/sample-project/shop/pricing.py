"""Prices and discounts."""


def apply_discount(price, percent):
    """Return the price after a percentage discount, rounded to cents."""
    if not 0 <= percent <= 100:
        raise ValueError("percent must be between 0 and 100")
    return round(price * (100 - percent) / 100, 2)


def cart_total(items):
    """Sum of quantity * unit price over (name, quantity, unit_price) items."""
    return round(sum(quantity * unit_price for _name, quantity, unit_price in items), 2)
