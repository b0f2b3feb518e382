"""Evidence metadata (凭证): ``invoice:``, ``contract:``, ``payroll:`` and the like.

A transaction carries a key when the transaction itself, or any of its postings, has it with a
non-empty value. One ``invoice:`` value may list several invoice numbers separated by commas or
semicolons (ASCII or full-width): ``invoice: "04418031，04418032"``.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Iterator

from beancount.core import data

_NUMBER_SEPARATORS = re.compile(r"[,;，；、]")
# quoted as a document beside the policy's evidence keys: a revision's or a contract's 批文
APPROVAL_KEYS = ("approval",)


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


def _text_values(meta: data.Meta | None, key: str) -> list[str]:
    """The value of ``key`` in the metadata as text, in a list; empty when none or blank."""
    value = meta.get(key) if meta else None
    text = _text(value) if value is not None else ""
    return [text] if text else []


def values_of(meta: data.Meta | None, postings: Iterable[data.Posting], key: str) -> list[str]:
    """The non-empty values of ``key`` on an entry's metadata, then on its postings'."""
    values = _text_values(meta, key)
    for posting in postings:
        values += _text_values(posting.meta, key)
    return values


def document_numbers(values: list[str]) -> list[str]:
    """Every document number the values give, once each, in order."""
    if len(values) < 2 and (not values or _NUMBER_SEPARATORS.search(values[0]) is None):
        return values  # the usual: none, or one number
    numbers: dict[str, None] = {}
    for value in values:
        if _NUMBER_SEPARATORS.search(value) is None:
            numbers.setdefault(value, None)
            continue
        for number in _NUMBER_SEPARATORS.split(value):
            if number.strip():
                numbers.setdefault(number.strip(), None)
    return list(numbers)


def quoted_numbers(meta: data.Meta | None, postings: Iterable[data.Posting],
                   evidence_keys: Iterable[str]) -> Iterator[tuple[str, str]]:
    """Each (key, number) an entry quotes under the evidence keys and ``approval:``: each key
    once, each number once per key, in order (the documents an auditor asks to see)."""
    postings = list(postings)
    for key in dict.fromkeys((*evidence_keys, *APPROVAL_KEYS)):
        for number in document_numbers(values_of(meta, postings, key)):
            yield key, number
