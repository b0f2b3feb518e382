"""Movement rules: 挤占 (cross-fund), 挪用 (diverted) and 经批准调剂 (approved-transfer).

Within one transaction the postings are summed per owner: each fund, and "no fund". Money has
left fund A when A's postings net to a credit and that credit sits on A's Assets (money paid
out) or Liabilities (money A now owes); it went to the owners whose postings net to a debit:

- another fund B: ``cross-fund``;
- accounts that belong to no fund: ``diverted``.

The money that left is matched to where it went in posting order, so every yuan is reported
once. Netting per owner keeps a legitimate split payment (A pays A's cost, B pays B's) quiet, and
a transfer between two of the district's own accounts never counts as money received. A
transaction carrying ``approval:`` is an approved adjustment: its movements are reported as
``approved-transfer`` with severity info instead.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from beancount.core import data

from ledger.model.books import Books, weight
from ledger.model.findings import Finding, finding_at

Owner = str | None  # a fund code, or None for accounts of no fund


def _paying_account(books: Books, account: str) -> bool:
    return books.is_assets(account) or books.is_liabilities(account)


class _Flows:
    """One transaction's postings summed per (owner, currency)."""

    def __init__(self, books: Books, transaction: data.Transaction) -> None:
        self.net: dict[tuple[Owner, str], Decimal] = defaultdict(Decimal)
        self.paid_out: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
        self.debited: dict[tuple[Owner, str], str] = {}
        for posting in transaction.postings:
            weighed = weight(posting)
            if weighed is None:
                continue
            number, currency = weighed
            owner = books.model.fund_of(posting.account)
            self.net[owner, currency] += number
            if number > 0:
                self.debited.setdefault((owner, currency), posting.account)
            elif owner is not None and _paying_account(books, posting.account):
                self.paid_out[owner, currency] -= number

    def moves(self) -> list[tuple[str, Owner, str, Decimal]]:
        """(source fund, target owner, currency, amount): what left each fund, and where to."""
        moves = []
        for currency in sorted({currency for _, currency in self.paid_out}):
            sources = [_Share(fund, min(paid, -self.net[fund, currency]))
                       for (fund, paid_currency), paid in self.paid_out.items()
                       if paid_currency == currency and self.net[fund, currency] < 0]
            targets = [_Share(owner, net) for (owner, net_currency), net in self.net.items()
                       if net_currency == currency and net > 0]
            moves += [(str(source), target, currency, amount)
                      for source, target, amount in _match(sources, targets)]
        return moves


@dataclass
class _Share:
    """An owner's part of a movement still to be matched."""

    owner: Owner
    amount: Decimal


def _match(sources: list[_Share], targets: list[_Share]) -> list[tuple[Owner, Owner, Decimal]]:
    """Pair what left with what arrived, in order, so that no amount is counted twice."""
    pairs = []
    pending = iter(targets)
    target = next(pending, None)
    for source in sources:
        while source.amount > 0 and target is not None:
            amount = min(source.amount, target.amount)
            pairs.append((source.owner, target.owner, amount))
            source.amount -= amount
            target.amount -= amount
            if target.amount == 0:
                target = next(pending, None)
    return pairs


def _finding(transaction: data.Transaction, flows: _Flows, source: str, target: Owner,
             currency: str, amount: Decimal) -> Finding:
    account = flows.debited[target, currency]
    where = f"专项 {target} 的科目 {account}" if target else f"非专项科目 {account}"
    where_en = f"fund {target}'s account {account}" if target else f"non-fund account {account}"
    message = (f"专项 {source} 的资金 {amount} {currency} 转入{where} / "
               f"{amount} {currency} of fund {source} moved to {where_en}")
    rule = "cross-fund" if target else "diverted"
    document = (transaction.meta or {}).get("approval")
    if document is not None:
        message += f"（批准文件 {document} / approved by {document}）"
        rule = "approved-transfer"
    return finding_at(rule, transaction, message, fund=source, account=account,
                      amount=amount, currency=currency)


def check(books: Books) -> list[Finding]:
    """Cross-fund, diverted and approved movements, one pass over the transactions."""
    findings: list[Finding] = []
    for transaction in books.transactions:
        flows = _Flows(books, transaction)
        if flows.paid_out:
            findings.extend(_finding(transaction, flows, *move) for move in flows.moves())
    return findings
