"""凭证号格式错误 (bad-evidence): a document number that Beancount did not read as text.

An evidence key (the policy's ``evidence-keys``, and ``voucher:``, ``approval:``, ``bank-ref:``)
on a transaction or on one of its postings must be a quoted string. Beancount reads an unquoted
``invoice: 05120210`` as the number 5120210: the leading zero is lost, the audit pack lists the
wrong number, and ``duplicate-invoice`` compares ``5120210`` with the quoted ``"05120210"`` of the
same invoice as two numbers. Which zeros were lost cannot be known (invoice numbers of different
kinds have different lengths), so no rule guesses: the finding names the key and the value as
read and asks for the value to be quoted; quoted, the number is compared like any other.

Quiet: quoted values, digits included (``invoice: "05120210"``), and keys that are no evidence.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from decimal import Decimal

from beancount.core import data

from ledger.model.books import Books
from ledger.model.findings import Finding, finding_at
from ledger.model.voucher import Voucher
from ledger.rules.rule import RuleCheck

ALWAYS = ("voucher", "approval", "bank-ref")
_KINDS = {"Decimal": ("数字", "a number"), "bool": ("逻辑值", "a boolean"),
          "date": ("日期", "a date"), "Amount": ("金额", "an amount")}


def _misread(meta: data.Meta | None, keys: tuple[str, ...]) -> Iterator[tuple[str, object]]:
    """The evidence keys in ``meta`` whose value is neither text nor absent."""
    if not meta or meta.keys().isdisjoint(keys):
        return
    for key in keys:
        value = meta.get(key)
        if value is not None and not isinstance(value, str):
            yield key, value


def _bad(transaction: data.Transaction, key: str, value: object,
         posting: data.Posting | None, fund: str | None) -> Finding:
    shown = str(value)
    kind = _KINDS.get(type(value).__name__, (type(value).__name__, type(value).__name__))
    where = f"（分录 {posting.account}）" if posting else ""
    where_en = f" (posting {posting.account})" if posting else ""
    hint = (("（不加引号的数字会丢掉开头的 0）", " (an unquoted number loses its leading zeros)")
            if isinstance(value, int | Decimal) and not isinstance(value, bool) else ("", ""))
    return finding_at(
        "bad-evidence", transaction,
        f"{key}: 的值被读成{kind[0]} {shown}{where}，不是文本：请加引号，"
        f"写成 {key}: \"…\"{hint[0]} / {key}: was read as "
        f"{kind[1]}, {shown}{where_en}, not as text: quote it, {key}: \"…\"{hint[1]}",
        fund=fund, account=posting.account if posting else None)


class BadEvidence(RuleCheck):
    """Evidence keys whose value is not a string, on transactions and their postings."""

    def __init__(self, books: Books) -> None:
        super().__init__(books)
        self.day: datetime.date | None = None
        self.keys: tuple[str, ...] = ALWAYS

    def visit(self, voucher: Voucher) -> None:
        transaction = voucher.transaction
        if transaction.date != self.day:  # the policy in force, looked up once a day
            self.day = transaction.date
            evidence = self.books.model.policy.keys("evidence-keys", transaction.date)
            self.keys = tuple(dict.fromkeys((*evidence, *ALWAYS)))
        keys = self.keys
        for key, value in _misread(transaction.meta, keys):
            leg = voucher.fund_leg()
            self.found.append(_bad(transaction, key, value, None, leg and leg[2]))
        for posting in voucher.annotated:
            for key, value in _misread(posting.meta, keys):
                fund = self.books.kinds[posting.account][0]
                self.found.append(_bad(transaction, key, value, posting, fund))
