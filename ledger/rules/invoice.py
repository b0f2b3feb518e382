"""重复报销 (duplicate-invoice): one invoice claimed twice.

A transaction claims an invoice when it charges costs (the weights of its Expenses postings net
to a debit; a reclassification nets to nothing) and gives the invoice's number under
``invoice:``. Claims are held in units of their currency. A claim of a number that an earlier
claim still holds is reported on the later transaction, naming the earlier one's date and line.

A transaction that credits costs in the claim's currency (a refund, or the red reversal of 红冲)
quoting the number gives back what it credits; once the whole claim is given back the number is
free again, so a correction booked as reversal and re-entry is quiet. A claim listing several
numbers is held, and given back, as a whole under each. Booking a payable and later paying it
with the same invoice is quiet too: the payment charges no cost.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from beancount.core import data

from ledger.model.books import Books
from ledger.model.evidence import document_numbers
from ledger.model.findings import Finding, finding_at, source_of
from ledger.model.postings import weight

ZERO = Decimal(0)


@dataclass
class _Claim:
    """The first transaction holding an invoice number, and what is claimed on it in total."""

    transaction: data.Transaction
    held: Decimal
    currency: str


def _charged(books: Books, transaction: data.Transaction) -> tuple[Decimal, str] | None:
    """What the transaction charges to costs: a claim (positive) when the weights of its Expenses
    postings net to a debit, a credit (negative) when to a credit, none when they cancel out (a
    reclassification). The amount is in units of the first currency that moves the same way, so
    a reversal at another exchange rate gives back the whole claim."""
    weights = ZERO
    units: dict[str, Decimal] = {}
    for posting in transaction.postings:
        if books.kind(posting.account)[1] != books.account_types.expenses:
            continue
        weighed = weight(posting)
        weights += weighed[0] if weighed is not None else ZERO
        if posting.units is not None and posting.units.number is not None:
            currency = posting.units.currency
            units[currency] = units.get(currency, ZERO) + posting.units.number
    return next(((net, currency) for currency, net in units.items()
                 if net != 0 and (net > 0) == (weights > 0)), None) if weights else None


def _cost_account(books: Books, transaction: data.Transaction) -> tuple[str | None, str | None]:
    """The first Expenses account the transaction debits, a fund's if any, with its fund."""
    debited = books.debited(transaction, books.account_types.expenses)
    account = next((account for account in debited if books.kind(account)[0] is not None),
                   debited[0] if debited else None)
    return (None, None) if account is None else (books.kind(account)[0], account)


def _duplicate(books: Books, transaction: data.Transaction, number: str, earlier: _Claim,
               charged: tuple[Decimal, str]) -> Finding:
    where, date = source_of(earlier.transaction), earlier.transaction.date
    fund, account = _cost_account(books, transaction)
    return finding_at(
        "duplicate-invoice", transaction,
        f"发票 {number} 已于 {date} 报销（{where}） / invoice {number} was already claimed on "
        f"{date} ({where})",
        fund=fund, account=account, amount=charged[0], currency=charged[1])


def check(books: Books) -> list[Finding]:
    """Invoices claimed again while an earlier claim holds them, one pass over the
    transactions."""
    findings = []
    claims: dict[str, _Claim] = {}
    for transaction in books.transactions:
        numbers = document_numbers(transaction, "invoice")
        charged = _charged(books, transaction) if numbers else None
        if charged is None:
            continue
        amount, currency = charged
        for number in numbers:
            claim = claims.get(number)
            if claim is None:
                if amount > 0:
                    claims[number] = _Claim(transaction, amount, currency)
                continue
            if amount > 0:
                findings.append(_duplicate(books, transaction, number, claim, charged))
            if currency == claim.currency:
                claim.held += amount
                if claim.held <= 0:
                    del claims[number]
    return findings
