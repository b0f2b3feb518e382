"""What a posting amounts to, in the currencies the rules compare, and a transaction's postings
read once for all the rules (its legs)."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from beancount.core import convert, data
from beancount.core.amount import Amount

Owner = str | None  # a fund code, or None for the accounts that belong to no fund
AccountKind = tuple[Owner, str]  # the fund an account belongs to, and its root type
Leg = tuple[data.Posting, str, Owner, str, Decimal, str]
"""A posting of known weight as the rules read it: the posting, its account, the account's owner
and root type, and the number and currency of its weight."""


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


def read_legs(transaction: data.Transaction, kinds: Mapping[str, AccountKind],
              ) -> tuple[list[Leg], list[data.Posting]]:
    """The transaction's legs, in posting order, and its postings that carry metadata of their
    own (beyond the file and line the parser gives every posting): usually none."""
    legs: list[Leg] = []
    annotated: list[data.Posting] = []
    for posting in transaction.postings:
        meta = posting.meta
        if meta and (len(meta) > 2 or "filename" not in meta or "lineno" not in meta):
            annotated.append(posting)
        units = posting.units
        if units is None:
            continue
        if posting.cost is None and posting.price is None:
            number, currency = units.number, units.currency
        else:
            number, currency = weight(posting) or (None, "")
        if number is not None:
            account = posting.account
            owner, root = kinds[account]
            legs.append((posting, account, owner, root, number, currency))
    return legs, annotated


def one_owner(legs: list[Leg], income: str) -> bool:
    """Whether all the legs belong to one owner and none is on Income: no money changed
    owners, and nothing was received."""
    owner = legs[0][2] if legs else None
    for _, _, leg_owner, root, _, _ in legs:  # noqa: SIM110 (all() costs a generator per call)
        if leg_owner != owner or root == income:
            return False
    return True


def net_per_account(transaction: data.Transaction, accounts: set[str]) -> dict[str, Decimal]:
    """The transaction's net units on each of ``accounts`` it touches (debits positive)."""
    nets: dict[str, Decimal] = {}
    for posting in transaction.postings:
        if posting.account in accounts and posting.units is not None:
            number = posting.units.number or Decimal(0)
            nets[posting.account] = nets.get(posting.account, Decimal(0)) + number
    return nets
