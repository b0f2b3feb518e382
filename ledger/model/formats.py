"""Numbers as people read them in messages, registers and pages."""

from __future__ import annotations

import unicodedata
from decimal import Decimal

HUNDRED = Decimal(100)


def money(number: Decimal) -> str:
    """An amount with two decimals: 1234.5 is 1234.50."""
    return f"{number:.2f}"


def percent(share: Decimal) -> str:
    """A share as a percentage, with the digits it has: 0.05 is 5%, 0.925 is 92.5%."""
    return f"{(share * HUNDRED).normalize():f}%"


def display_width(text: str) -> int:
    """How many columns ``text`` takes in a terminal or a spreadsheet: a Chinese (wide)
    character counts two."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)
