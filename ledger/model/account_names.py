"""Account names as Beancount's parser accepts them, Chinese components included.

``beancount.core.account.is_valid`` wants every component to start with an upper-case letter
or a digit, so it refuses ``Expenses:Operating:社区活动``, which the books load without a word:
the parser reads an account token (a root, then components of ASCII letters, digits, ``-`` and
any non-ASCII characters, each but the root free to start with a digit) and only asks that it
*begin* with a root name and one such component (``Expenses:Operating``). Every directive of
ours that names an account takes exactly the names the parser takes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import regex
from beancount.core.account import ACC_COMP_NAME_RE

ROOTS = ("Assets", "Liabilities", "Equity", "Income", "Expenses")

_NON_ASCII = r"[^\x00-\x7f]"
_REST = rf"(?:[A-Za-z0-9\-]|{_NON_ASCII})*"
_TOKEN = re.compile(rf"(?:[A-Z]|{_NON_ASCII}){_REST}(?::(?:[A-Z0-9]|{_NON_ASCII}){_REST})+")
_SPACE = re.compile(r"\s")


def is_account_name(name: object, roots: Iterable[str] = ROOTS) -> bool:
    """Whether the parser would read ``name`` as an account of the books (``roots``: the
    books' five root names, as their options give them)."""
    if not isinstance(name, str) or _TOKEN.fullmatch(name) is None or _SPACE.search(name):
        return False
    start = "|".join(regex.escape(root) for root in roots)
    return regex.match(rf"(?:{start})(?::{ACC_COMP_NAME_RE})+", name) is not None
