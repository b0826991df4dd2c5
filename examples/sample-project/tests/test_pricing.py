import pytest

from shop.pricing import apply_discount, cart_total


def test_discount_halves_price():
    assert apply_discount(80.0, 50) == 40.0


def test_discount_rejects_out_of_range():
    with pytest.raises(ValueError):
        apply_discount(10.0, 120)


def test_cart_total_sums_lines():
    items = [("apple", 3, 0.5), ("pear", 2, 1.25)]
    assert cart_total(items) == 4.0
