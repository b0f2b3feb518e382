"""Movement rules: 挤占 (cross-fund), 挪用 (diverted) and 经批准调剂 (approved-transfer).

Within one transaction the postings are summed per owner (see :mod:`ledger.model.flows`). Money
has left fund A when A's postings net to a credit and that credit sits on A's Assets (money paid
out) or Liabilities (money A now owes); it went to the owners whose postings net to a debit:

- another fund B: ``cross-fund``;
- accounts that belong to no fund: ``diverted``.

What left is matched to where it went in posting order, so every yuan is reported once. A
payment split between funds, each paying its own share, nets out and is quiet. A transaction
carrying ``approval:`` is an approved adjustment: its movements are reported as
``approved-transfer`` with severity info instead.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from beancount.core import data

from ledger.model.books import Books
from ledger.model.findings import Finding, finding_at
from ledger.model.flows import Flows, Owner


@dataclass(frozen=True)
class Move:
    """Money of one fund that went to another owner within a transaction."""

    source: str
    target: Owner
    currency: str
    amount: Decimal


def moves(flows: Flows) -> list[Move]:
    """What left each fund and where it went, matched in posting order: each amount once."""
    available = defaultdict(Decimal, flows.net)
    found = []
    for (source, currency), paid in flows.paid_out.items():
        left = min(paid, -flows.net[source, currency])
        if source is None or left <= 0:
            continue
        gaining = [owner for (owner, owner_currency), net in available.items()
                   if owner_currency == currency and owner != source and net > 0]
        for target in gaining:
            amount = min(left, available[target, currency])
            found.append(Move(source, target, currency, amount))
            available[target, currency] -= amount
            left -= amount
            if left == 0:
                break
    return found


def _finding(books: Books, transaction: data.Transaction, flows: Flows, move: Move) -> Finding:
    account = flows.debited[move.target, move.currency]
    money = f"{move.amount} {move.currency}"
    verb = "转入" if books.is_assets(account) or books.is_liabilities(account) else "用于"
    if move.target is None:
        where, where_en = f"非专项科目 {account}", f"non-fund account {account}"
    else:
        where, where_en = f"专项 {move.target} 的科目 {account}", f"fund {move.target}'s {account}"
    message = (f"专项 {move.source} 的资金 {money} {verb}{where} / "
               f"{money} of fund {move.source} went to {where_en}")
    rule = "cross-fund" if move.target else "diverted"
    document = (transaction.meta or {}).get("approval")
    if document is not None:
        message += f"（批准文件 {document} / approved by {document}）"
        rule = "approved-transfer"
    return finding_at(rule, transaction, message, fund=move.source, account=account,
                      amount=move.amount, currency=move.currency)


def check(books: Books) -> list[Finding]:
    """Cross-fund, diverted and approved movements, one pass over the transactions."""
    findings: list[Finding] = []
    for transaction, flows in zip(books.transactions, books.flows, strict=True):
        if flows is not None and flows.paid_out:
            findings.extend(_finding(books, transaction, flows, move) for move in moves(flows))
    return findings
