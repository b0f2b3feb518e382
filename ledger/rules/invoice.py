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
from ledger.model.voucher import Voucher
from ledger.rules.rule import RuleCheck

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
    kinds, expenses = books.kinds, books.account_types.expenses
    for posting in transaction.postings:
        if kinds[posting.account][1] != expenses or posting.units is None:
            continue
        number, currency = posting.units.number, posting.units.currency
        if number is None:
            continue
        weighed = weight(posting)
        weights += weighed[0] if weighed is not None else ZERO
        units[currency] = units.get(currency, ZERO) + number
    return next(((net, currency) for currency, net in units.items()
                 if net != 0 and (net > 0) == (weights > 0)), None) if weights else None


def _cost_account(books: Books, transaction: data.Transaction) -> tuple[str | None, str | None]:
    """The first Expenses account the transaction debits, a fund's if any, with its fund."""
    debited = books.debited(transaction, books.account_types.expenses)
    account = next((account for account in debited if books.kinds[account][0] is not None),
                   debited[0] if debited else None)
    return (None, None) if account is None else (books.kinds[account][0], account)


def _duplicate(books: Books, transaction: data.Transaction, number: str, earlier: _Claim,
               charged: tuple[Decimal, str]) -> Finding:
    where, date = source_of(earlier.transaction), earlier.transaction.date
    fund, account = _cost_account(books, transaction)
    return finding_at(
        "duplicate-invoice", transaction,
        f"发票 {number} 已于 {date} 报销（{where}） / invoice {number} was already claimed on "
        f"{date} ({where})",
        fund=fund, account=account, amount=charged[0], currency=charged[1])


class DuplicateInvoices(RuleCheck):
    """Invoices claimed again while an earlier claim holds them.

    Most numbers appear once, so the first transaction quoting a number is only remembered;
    what it charges is worked out when the number comes back.
    """

    def __init__(self, books: Books) -> None:
        super().__init__(books)
        self.claims: dict[str, _Claim | data.Transaction] = {}

    def visit(self, voucher: Voucher) -> None:
        numbers = document_numbers(voucher.values("invoice"))
        transaction = voucher.transaction
        charged: tuple[Decimal, str] | None = None
        worked_out = False
        for number in numbers:
            held = self.claims.get(number)
            if held is None:
                self.claims[number] = transaction
                continue
            if not isinstance(held, _Claim):
                held = self._first_claim(number, held)
            if not worked_out:
                charged, worked_out = _charged(self.books, transaction), True
            if held is None:
                if charged and charged[0] > 0:
                    self.claims[number] = _Claim(transaction, *charged)
            elif charged:
                self._claim_again(number, held, transaction, charged)

    def _first_claim(self, number: str, first: data.Transaction) -> _Claim | None:
        """The first quoting transaction as a claim, if it was one; else it is forgotten."""
        charged = _charged(self.books, first)
        if charged is None or charged[0] <= 0:
            del self.claims[number]
            return None
        claim = self.claims[number] = _Claim(first, *charged)
        return claim

    def _claim_again(self, number: str, claim: _Claim, transaction: data.Transaction,
                     charged: tuple[Decimal, str]) -> None:
        amount, currency = charged
        if amount > 0:
            self.found.append(_duplicate(self.books, transaction, number, claim, charged))
        if currency == claim.currency:
            claim.held += amount
            if claim.held <= 0:
                del self.claims[number]
