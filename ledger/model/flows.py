"""Who gave and who took in one transaction: its postings summed per owner and currency.

An owner is a fund code, or None for the accounts that belong to no fund. The movement and
withholding rules read a transaction through these sums, so that legitimate multi-leg vouchers
(a payment split between funds, a payroll with withholdings, one bank slip for two funds'
interest) net out before any rule judges them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from beancount.core import account_types as account_types_lib
from beancount.core import data

from ledger.model.postings import weight

ZERO = Decimal(0)

Owner = str | None
AccountKind = tuple[Owner, str]  # the fund an account belongs to, and its root type
Sums = dict[tuple[Owner, str], Decimal]


@dataclass
class Flows:
    """The sums of one transaction, keyed by (owner, currency). Absent keys are zero."""

    net: Sums = field(default_factory=dict)
    debited: dict[tuple[Owner, str], str] = field(default_factory=dict)
    paid_out: Sums = field(default_factory=dict)
    income: Sums = field(default_factory=dict)
    taken_in: Sums = field(default_factory=dict)


def _add(sums: Sums, key: tuple[Owner, str], number: Decimal) -> None:
    sums[key] = sums.get(key, ZERO) + number


def read_flows(transaction: data.Transaction, kind: Callable[[str], AccountKind],
               account_types: account_types_lib.AccountTypes) -> Flows | None:
    """Sum a transaction's postings (at their weight) per owner and currency; None when all of
    them belong to one owner and none credits income, so nothing can pass between owners.

    - ``net``: everything an owner's postings add up to;
    - ``debited``: the first account of the owner that a posting debits;
    - ``paid_out``: a fund's credits on its Assets (paid) and Liabilities (now owed);
    - ``income``: a fund's credits on its Income accounts (money received for it);
    - ``taken_in``: a fund's debits on its other accounts (where its money arrived or went).
    """
    kinds = [kind(posting.account) for posting in transaction.postings]
    if (len({owner for owner, _ in kinds}) == 1
            and all(root != account_types.income for _, root in kinds)):
        return None
    flows = Flows()
    paying = (account_types.assets, account_types.liabilities)
    for posting, (owner, root) in zip(transaction.postings, kinds, strict=True):
        weighed = weight(posting)
        if weighed is None:
            continue
        number, currency = weighed
        key = (owner, currency)
        _add(flows.net, key, number)
        if number > 0:
            flows.debited.setdefault(key, posting.account)
        if owner is None:
            continue
        if root == account_types.income:
            if number < 0:
                _add(flows.income, key, -number)
        elif number < 0 and root in paying:
            _add(flows.paid_out, key, -number)
        elif number > 0:
            _add(flows.taken_in, key, number)
    return flows
