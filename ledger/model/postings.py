"""What a posting amounts to, in the currencies the rules compare."""

from __future__ import annotations

from decimal import Decimal

from beancount.core import convert, data
from beancount.core.amount import Amount


def amount_in(posting: data.Posting, currency: str) -> Decimal | None:
    """The posting's amount in ``currency``: its units if they are in it, else its weight if
    that is (a purchase abroad at a price), else None."""
    units = posting.units
    if units is not None and units.currency == currency and units.number is not None:
        return units.number
    weighed = weight(posting)
    return weighed[0] if weighed is not None and weighed[1] == currency else None


def weight(posting: data.Posting) -> tuple[Decimal, str] | None:
    """The amount a posting weighs in its transaction (at cost or price), if known."""
    units = posting.units
    if posting.cost is None and posting.price is None and units is not None:
        return None if units.number is None else (units.number, units.currency)
    amount: Amount = convert.get_weight(posting)  # type: ignore[no-untyped-call]
    return None if amount.number is None else (amount.number, amount.currency)


def net_per_account(transaction: data.Transaction, accounts: set[str]) -> dict[str, Decimal]:
    """The transaction's net units on each of ``accounts`` it touches (debits positive)."""
    nets: dict[str, Decimal] = {}
    for posting in transaction.postings:
        if posting.account in accounts and posting.units is not None:
            number = posting.units.number or Decimal(0)
            nets[posting.account] = nets.get(posting.account, Decimal(0)) + number
    return nets
