"""Evidence metadata (凭证): ``invoice:``, ``contract:``, ``payroll:`` and the like.

A transaction carries a key when the transaction itself, or any of its postings, has it with a
non-empty value. One ``invoice:`` value may list several invoice numbers separated by commas or
semicolons (ASCII or full-width): ``invoice: "04418031，04418032"``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from beancount.core import data

_NUMBER_SEPARATORS = re.compile(r"[,;，；、]")


def has_any(meta: data.Meta | None, keys: Iterable[str]) -> bool:
    """Whether the metadata has a non-empty value for one of the keys."""
    if not meta:
        return False
    return any(str(meta.get(key) or "").strip() for key in keys)


def _values(transaction: data.Transaction, key: str) -> Iterator[str]:
    for meta in (transaction.meta, *(posting.meta for posting in transaction.postings)):
        value = meta.get(key) if meta else None
        if value is not None and (text := str(value).strip()):
            yield text


def carries_any(transaction: data.Transaction, keys: Iterable[str]) -> bool:
    """Whether the transaction or one of its postings has a non-empty value for one of keys."""
    keys = tuple(keys)
    return any(has_any(meta, keys)
               for meta in (transaction.meta, *(posting.meta for posting in transaction.postings)))


def document_numbers(transaction: data.Transaction, key: str) -> list[str]:
    """Every document number the transaction gives under ``key``, once each, in order."""
    numbers: dict[str, None] = {}
    for value in _values(transaction, key):
        for number in _NUMBER_SEPARATORS.split(value):
            if number.strip():
                numbers.setdefault(number.strip(), None)
    return list(numbers)
