"""凭证不全 (missing-evidence): costs paid out of a fund with no evidence.

A fund pays costs in a transaction when what it pays (its Assets and Liabilities net to a
credit: money out of the bank or cash, or now owed) goes to its own Expenses, or, through the
matching of :mod:`ledger.model.flows`, to another owner's Expenses. Such a transaction must carry
one of the policy ``evidence-keys`` (default ``invoice contract payroll``), on the transaction or
on a posting, with a non-empty value; else it is reported, once per fund and currency, with the
costs that fund paid.

Quiet: paying a payable whose booking carried the evidence (the payment charges no cost), a
refund, money moved between accounts or funds, and the district paying its own costs in the
same voucher as a fund's transfer.
"""

from __future__ import annotations

from decimal import Decimal

from beancount.core import data

from ledger.model.books import Books
from ledger.model.evidence import carries_any
from ledger.model.findings import Finding, finding_at
from ledger.model.flows import Flows

FundCurrency = tuple[str, str]
ZERO = Decimal(0)


def _costs_paid(books: Books, transaction: data.Transaction,
                flows: Flows | None) -> dict[FundCurrency, Decimal]:
    """The costs each fund paid in the transaction, per currency."""
    types = books.account_types
    paid: dict[FundCurrency, Decimal] = {}
    own_costs: dict[FundCurrency, Decimal] = {}
    for (fund, root, currency), net in books.nets(transaction).items():
        if fund is None:
            continue
        if root in (types.assets, types.liabilities):
            paid[fund, currency] = paid.get((fund, currency), ZERO) - net
        elif root == types.expenses:
            own_costs[fund, currency] = net
    costs = {key: min(amount, own_costs.get(key, ZERO)) for key, amount in paid.items()}
    for transfer in flows.transfers if flows is not None else ():
        if transfer.kind == "paid" and books.kind(transfer.account)[1] == types.expenses:
            key = (transfer.source, transfer.currency)
            costs[key] = max(costs.get(key, ZERO), ZERO) + transfer.amount
    return {key: amount for key, amount in costs.items() if amount > 0}


def _cost_account(books: Books, transaction: data.Transaction, fund: str) -> str | None:
    """The first Expenses account debited, the fund's own if any."""
    debited = [posting.account for posting in transaction.postings
               if books.kind(posting.account)[1] == books.account_types.expenses
               and posting.units is not None and (posting.units.number or 0) > 0]
    return next((account for account in debited if books.kind(account)[0] == fund),
                debited[0] if debited else None)


def check(books: Books) -> list[Finding]:
    """Costs paid out of a fund without evidence, one pass over the transactions."""
    findings = []
    policy = books.model.policy
    for transaction, flows in zip(books.transactions, books.flows, strict=True):
        keys = policy.keys("evidence-keys", transaction.date)
        costs = _costs_paid(books, transaction, flows)
        if not costs or carries_any(transaction, keys):
            continue
        for (fund, currency), amount in costs.items():
            findings.append(finding_at(
                "missing-evidence", transaction,
                f"专项 {fund} 支付费用 {amount} {currency} 无凭证（应有 {'、'.join(keys)} 之一） / "
                f"fund {fund} paid {amount} {currency} of costs with no evidence (one of: "
                f"{', '.join(keys)})",
                fund=fund, account=_cost_account(books, transaction, fund), amount=amount,
                currency=currency))
    return findings
