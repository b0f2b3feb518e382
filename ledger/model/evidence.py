"""Evidence metadata (凭证): ``invoice:``, ``contract:``, ``payroll:`` and the like.

A transaction carries a key when the transaction itself, or any of its postings, has it with a
non-empty value. One ``invoice:`` value may list several invoice numbers separated by commas or
semicolons (ASCII or full-width): ``invoice: "04418031，04418032"``.
"""

from __future__ import annotations

import re
from collections.abc import Collection

from beancount.core import data

_NUMBER_SEPARATORS = re.compile(r"[,;，；、]")


def has_any(meta: data.Meta | None, keys: Collection[str]) -> bool:
    """Whether the metadata has a non-empty value for one of the keys."""
    if not meta or meta.keys().isdisjoint(keys):
        return False
    for key in keys:
        value = meta.get(key)
        if value and _text(value):  # FALSE, 0 and "" are no evidence
            return True
    return False


def _text(value: object) -> str:
    return (value if isinstance(value, str) else str(value)).strip()


def _values(transaction: data.Transaction, key: str) -> list[str]:
    """The non-empty values of ``key`` on the transaction and then on its postings."""
    metas = [transaction.meta] if transaction.meta and key in transaction.meta else []
    metas += [posting.meta for posting in transaction.postings
              if posting.meta and key in posting.meta]
    values = []
    for meta in metas:
        value = meta[key]
        if value is not None and (text := _text(value)):
            values.append(text)
    return values


def carries_any(transaction: data.Transaction, keys: tuple[str, ...]) -> bool:
    """Whether the transaction or one of its postings has a non-empty value for one of keys."""
    return has_any(transaction.meta, keys) or any(
        posting.meta and not posting.meta.keys().isdisjoint(keys) and has_any(posting.meta, keys)
        for posting in transaction.postings)


def document_numbers(transaction: data.Transaction, key: str) -> list[str]:
    """Every document number the transaction gives under ``key``, once each, in order."""
    numbers: dict[str, None] = {}
    for value in _values(transaction, key):
        if _NUMBER_SEPARATORS.search(value) is None:
            numbers.setdefault(value, None)
            continue
        for number in _NUMBER_SEPARATORS.split(value):
            if number.strip():
                numbers.setdefault(number.strip(), None)
    return list(numbers)
