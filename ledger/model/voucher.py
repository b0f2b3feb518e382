"""One transaction as the rules read it: its postings decoded once for all of them.

:func:`ledger.rules.run_checks` reads each transaction into a :class:`Voucher` and hands it to
every rule. Its legs carry each posting's owner, root type and weight, so no rule looks an account
up or weighs a posting again; its flows are the money that passed between owners.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from beancount.core import account_types as account_types_lib
from beancount.core import data

from ledger.model.evidence import has_any, values_of
from ledger.model.flows import Flows, read_flows
from ledger.model.postings import AccountKind, Leg, Owner, read_legs

NetKey = tuple[Owner, str, str]  # owner, root type, currency


@dataclass(slots=True)
class Voucher:
    """A transaction, its legs, the postings with metadata of their own, and its flows."""

    transaction: data.Transaction
    legs: list[Leg]
    annotated: list[data.Posting]
    flows: Flows | None

    def carries_any(self, keys: tuple[str, ...]) -> bool:
        """Whether the transaction or one of its postings has a non-empty value for a key."""
        return has_any(self.transaction.meta, keys) or (bool(self.annotated) and any(
            has_any(posting.meta, keys) for posting in self.annotated))

    def values(self, key: str) -> list[str]:
        """The non-empty values of ``key`` on the transaction and then on its postings (only
        those with metadata of their own can have one)."""
        return values_of(self.transaction.meta, self.annotated, key)

    def fund_leg(self) -> Leg | None:
        """The first leg on an account of a fund, if any: the fund a finding on the whole
        transaction names."""
        return next((leg for leg in self.legs if leg[2] is not None), None)

    def nets(self) -> dict[NetKey, Decimal]:
        """The net weight per owner, root type and currency (debits positive)."""
        nets: dict[NetKey, Decimal] = {}
        for _, _, owner, root, number, currency in self.legs:
            key = (owner, root, currency)
            nets[key] = nets[key] + number if key in nets else number
        return nets


def read_voucher(transaction: data.Transaction, kinds: Mapping[str, AccountKind],
                 account_types: account_types_lib.AccountTypes) -> Voucher:
    legs, annotated = read_legs(transaction, kinds)
    return Voucher(transaction, legs, annotated, read_flows(legs, account_types))
