"""凭证不全 (missing-evidence): costs charged to a fund, or paid by it, with no evidence.

A fund's costs in a transaction are what its Expenses accounts net to when that is a debit,
however they are paid (bank, cash, a payable, income spent straight away), plus the costs of
accounts that belong to no fund that it pays (see :mod:`ledger.model.flows`). Such costs need one
of the policy ``evidence-keys`` (default ``invoice contract payroll``) with a non-empty value:
on the transaction, on a posting of that fund, or on a posting of an account of no fund. Else
the transaction is reported, once per fund and currency, with those costs.

Quiet: paying a payable whose booking carried the evidence (the payment charges no cost), a
refund, a reclassification of costs (within a fund or between funds), costs brought forward from
Equity in an opening entry, money moved between accounts or funds, and the district paying its
own costs in the same voucher as a fund's transfer.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from beancount.core import data

from ledger.model.books import Books
from ledger.model.evidence import has_any
from ledger.model.findings import Finding, finding_at
from ledger.model.postings import Owner
from ledger.model.voucher import Voucher
from ledger.rules.rule import RuleCheck

FundCurrency = tuple[str, str]
ZERO = Decimal(0)


def _costs(books: Books, voucher: Voucher) -> dict[FundCurrency, Decimal]:
    """Each fund's costs in the transaction, per currency: its Expenses' net debit, less costs
    moved from other owners' Expenses or brought from Equity (a reclassification or an opening
    entry charges nothing new), plus costs of no fund that it pays."""
    types = books.account_types
    costs: dict[FundCurrency, Decimal] = {}
    moved: dict[str, Decimal] = {}
    for (fund, root, currency), net in voucher.nets().items():
        if root == types.expenses and fund is not None and net > 0:
            costs[fund, currency] = net
        elif root in (types.expenses, types.equity) and net < 0:
            moved[currency] = moved.get(currency, ZERO) - net
    for (fund, currency), net in costs.items():
        taken = min(net, moved.get(currency, ZERO))
        costs[fund, currency], moved[currency] = net - taken, moved.get(currency, ZERO) - taken
    for transfer in voucher.flows.transfers if voucher.flows is not None else ():
        if (transfer.kind == "paid" and transfer.target is None
                and books.kinds[transfer.account][1] == types.expenses):
            key = (transfer.source, transfer.currency)
            costs[key] = costs.get(key, ZERO) + transfer.amount
    return {key: amount for key, amount in costs.items() if amount > 0}


def _evidenced(books: Books, transaction: data.Transaction,
               keys: tuple[str, ...]) -> set[Owner] | None:
    """The owners whose postings carry evidence; None when the transaction itself does."""
    if has_any(transaction.meta, keys):
        return None
    return {books.kinds[posting.account][0] for posting in transaction.postings
            if has_any(posting.meta, keys)}


def _cost_account(books: Books, transaction: data.Transaction, fund: str) -> str | None:
    """The first Expenses account debited, the fund's own if any."""
    debited = books.debited(transaction, books.account_types.expenses)
    return next((account for account in debited if books.kinds[account][0] == fund),
                debited[0] if debited else None)


def _missing(books: Books, transaction: data.Transaction, fund: str, currency: str,
             amount: Decimal, keys: tuple[str, ...]) -> Finding:
    return finding_at(
        "missing-evidence", transaction,
        f"专项 {fund} 列支费用 {amount} {currency} 无凭证（应有 {'、'.join(keys)} 之一） / "
        f"{amount} {currency} of costs of fund {fund} with no evidence (one of: "
        f"{', '.join(keys)})",
        fund=fund, account=_cost_account(books, transaction, fund), amount=amount,
        currency=currency)


class MissingEvidence(RuleCheck):
    """Costs of a fund without evidence."""

    def __init__(self, books: Books) -> None:
        super().__init__(books)
        self.day: datetime.date | None = None
        self.keys: tuple[str, ...] = ()

    def visit(self, voucher: Voucher) -> None:
        books, transaction = self.books, voucher.transaction
        if transaction.date != self.day:  # the policy in force, looked up once a day
            self.day = transaction.date
            self.keys = books.model.policy.keys("evidence-keys", transaction.date)
        keys = self.keys
        if has_any(transaction.meta, keys):
            return  # evidence for the whole voucher: most vouchers end here
        costs = _costs(books, voucher)
        if not costs:
            return
        evidenced = _evidenced(books, transaction, keys)
        if evidenced is None or None in evidenced:
            return
        self.found.extend(_missing(books, transaction, fund, currency, amount, keys)
                          for (fund, currency), amount in costs.items()
                          if fund not in evidenced)
