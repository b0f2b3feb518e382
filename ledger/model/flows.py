"""Who gave and who took in one transaction: what passed from a fund to another owner.

An owner is a fund code, or None for the accounts that belong to no fund. Equity postings
(opening balances, pads) are no movement of money and are left out.

Within one transaction a fund's postings are first matched among themselves, by kind:

- money *due* to the fund (credits to its Income, refunds credited to its costs) is taken in by
  debits to its own Assets first, then by its other debits (a funder paying the fund's own
  supplier directly);
- money *paid* by the fund (credits to its Assets, and to its Liabilities: money it now owes)
  goes to its other debits first (its own costs, its own payables), then to its own Assets
  (bank to petty cash).

What is left of either kind went to other owners whose postings in the transaction net to a
debit; it is matched to them in posting order, so every yuan is counted once. The movement rules
judge what was paid, the withholding rule what was due.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from beancount.core import account_types as account_types_lib

from ledger.model.postings import Leg, Owner, one_owner

ZERO = Decimal(0)


@dataclass(frozen=True)
class Transfer:
    """Money of one fund that ended up with another owner within one transaction."""

    source: str
    kind: str  # "paid" out of the fund's Assets or Liabilities, or "due" to it (income, refunds)
    target: Owner
    account: str  # the target's first debited account in the transaction
    currency: str
    amount: Decimal


@dataclass
class _Legs:
    """One fund's postings in one transaction and currency, by kind."""

    due: Decimal = ZERO
    paid: Decimal = ZERO
    into_assets: Decimal = ZERO
    into_other: Decimal = ZERO
    income: Decimal = ZERO  # net credit to its Income accounts: a receipt

    def unmatched(self) -> tuple[Decimal, Decimal]:
        """What was paid and what was due that the fund's own debits did not take."""
        due, paid = self.due, self.paid
        received = min(due, self.into_assets)
        spent = min(paid, self.into_other)
        due, paid = due - received, paid - spent
        direct = min(due, self.into_other - spent)
        moved = min(paid, self.into_assets - received)
        return paid - moved, due - direct


@dataclass
class Flows:
    """One transaction as the rules see it."""

    receipts: dict[tuple[str, str], Decimal] = field(default_factory=dict)
    transfers: list[Transfer] = field(default_factory=list)


def read_flows(legs: list[Leg], account_types: account_types_lib.AccountTypes) -> Flows | None:
    """The receipts and transfers of a transaction, given its legs; None when it has neither,
    as when all its legs belong to one owner and none touches Income."""
    equity = account_types.equity
    if one_owner(legs, account_types.income):
        return None
    net: dict[tuple[Owner, str], Decimal] = {}
    debited: dict[tuple[Owner, str], str] = {}
    funds: dict[tuple[str, str], _Legs] = {}
    for _, account, owner, root, number, currency in legs:
        if root == equity:
            continue
        net[owner, currency] = net.get((owner, currency), ZERO) + number
        if number > 0:
            debited.setdefault((owner, currency), account)
        if owner is not None:
            _add_leg(funds.setdefault((owner, currency), _Legs()), number, root, account_types)
    flows = Flows({key: leg.income for key, leg in funds.items() if leg.income > 0})
    flows.transfers = _transfers(funds, net, debited)
    return flows


def _add_leg(legs: _Legs, number: Decimal, root: str,
             account_types: account_types_lib.AccountTypes) -> None:
    if root == account_types.income:
        legs.income -= number
    if number < 0:
        if root in (account_types.assets, account_types.liabilities):
            legs.paid -= number
        else:
            legs.due -= number
    elif root == account_types.assets:
        legs.into_assets += number
    else:
        legs.into_other += number


def _transfers(legs: dict[tuple[str, str], _Legs], net: dict[tuple[Owner, str], Decimal],
               debited: dict[tuple[Owner, str], str]) -> list[Transfer]:
    """Match each fund's unmatched money to the owners that gained, in posting order."""
    available = {key: gained for key, gained in net.items() if gained > 0}
    transfers = []
    for (fund, currency), leg in legs.items():
        for kind, left in zip(("paid", "due"), leg.unmatched(), strict=True):
            for target_key, gained in available.items():
                if left <= 0:
                    break
                if target_key[1] != currency or gained <= 0:
                    continue
                amount = min(left, gained)
                transfers.append(Transfer(fund, kind, target_key[0], debited[target_key],
                                          currency, amount))
                available[target_key] -= amount
                left -= amount
    return transfers
