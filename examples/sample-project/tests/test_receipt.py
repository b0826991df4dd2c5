from shop.receipt import format_receipt


def test_receipt_lists_items_and_total():
    text = format_receipt([("apple", 3, 0.5)])
    assert text == "apple x3\nTOTAL 1.50"
