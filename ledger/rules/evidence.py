"""Evidence rules: 重复报销 (duplicate-invoice) and 凭证不全 (missing-evidence).

- ``duplicate-invoice``: a transaction that charges costs (its Expenses postings net to a debit)
  gives an ``invoice:`` number that an earlier such transaction already gave. The later one is
  reported, naming the earlier one's date and line. Booking a payable and later paying it with
  the same invoice is quiet (the payment charges no cost), as is a refund quoting the invoice.
- ``missing-evidence``: a transaction pays out of a fund's Assets (they net to a credit) to an
  Expenses account (they net to a debit) and carries none of the policy ``evidence-keys``
  (default ``invoice contract payroll``), on the transaction or on a posting.

See :mod:`ledger.model.evidence` for how metadata is read.
"""

from __future__ import annotations

from decimal import Decimal

from beancount.core import data

from ledger.model.books import Books, NetKey
from ledger.model.evidence import carries_any, document_numbers
from ledger.model.findings import Finding, finding_at, source_of


def _cost_account(books: Books, transaction: data.Transaction) -> tuple[str | None, str | None]:
    """The first Expenses account the transaction debits, a fund's if any, with its fund."""
    debited = [posting.account for posting in transaction.postings
               if books.kind(posting.account)[1] == books.account_types.expenses
               and posting.units is not None and (posting.units.number or 0) > 0]
    account = next((account for account in debited if books.kind(account)[0] is not None),
                   debited[0] if debited else None)
    return (None, None) if account is None else (books.kind(account)[0], account)


def _charged(books: Books, nets: dict[NetKey, Decimal]) -> tuple[Decimal, str] | None:
    """The net cost a transaction charges, in its first currency with a net debit."""
    totals: dict[str, Decimal] = {}
    for (_, root, currency), net in nets.items():
        if root == books.account_types.expenses:
            totals[currency] = totals.get(currency, Decimal(0)) + net
    return next(((net, currency) for currency, net in totals.items() if net > 0), None)


def _paid_by_fund(books: Books, nets: dict[NetKey, Decimal]) -> tuple[str, Decimal, str] | None:
    """The first fund whose Assets the transaction nets a credit to, with that credit."""
    return next(((fund, -net, currency) for (fund, root, currency), net in nets.items()
                 if fund is not None and root == books.account_types.assets and net < 0), None)


def _duplicate(books: Books, transaction: data.Transaction, number: str,
               earlier: data.Transaction, charged: tuple[Decimal, str]) -> Finding:
    where = source_of(earlier)
    fund, account = _cost_account(books, transaction)
    return finding_at(
        "duplicate-invoice", transaction,
        f"发票 {number} 已于 {earlier.date} 报销（{where}） / invoice {number} was already "
        f"claimed on {earlier.date} ({where})",
        fund=fund, account=account, amount=charged[0], currency=charged[1])


def _missing(books: Books, transaction: data.Transaction, paid: tuple[str, Decimal, str],
             keys: tuple[str, ...]) -> Finding:
    fund, amount, currency = paid
    account = _cost_account(books, transaction)[1]
    wanted = "、".join(keys)
    return finding_at(
        "missing-evidence", transaction,
        f"专项 {fund} 支付费用 {amount} {currency} 无凭证（应有 {wanted} 之一） / fund {fund} "
        f"paid {amount} {currency} of costs with no evidence (one of: {', '.join(keys)})",
        fund=fund, account=account, amount=amount, currency=currency)


def check(books: Books) -> list[Finding]:
    """Duplicate invoices and payments without evidence, one pass over the transactions."""
    findings = []
    claimed: dict[str, data.Transaction] = {}
    policy = books.model.policy
    for transaction in books.transactions:
        nets = books.nets(transaction)
        charged = _charged(books, nets)
        if charged is None:
            continue
        for number in document_numbers(transaction, "invoice"):
            earlier = claimed.setdefault(number, transaction)
            if earlier is not transaction:
                findings.append(_duplicate(books, transaction, number, earlier, charged))
        paid = _paid_by_fund(books, nets)
        keys = policy.keys("evidence-keys", transaction.date)
        if paid is not None and not carries_any(transaction, keys):
            findings.append(_missing(books, transaction, paid, keys))
    return findings
