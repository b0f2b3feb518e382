"""Who gave and who took in one transaction: its postings summed per owner and currency.

An owner is a fund code, or None for the accounts that belong to no fund. The movement and
withholding rules read a transaction through these sums, so that legitimate multi-leg vouchers
(a payment split between funds, a payroll with withholdings, one bank slip for two funds'
interest) net out before any rule judges them.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from beancount.core import account_types as account_types_lib
from beancount.core import data

from ledger.model.funds import FundModel
from ledger.model.postings import weight

Owner = str | None


def _sums() -> defaultdict[tuple[Owner, str], Decimal]:
    return defaultdict(Decimal)


@dataclass
class Flows:
    """The sums of one transaction, keyed by (owner, currency)."""

    net: defaultdict[tuple[Owner, str], Decimal] = field(default_factory=_sums)
    debited: dict[tuple[Owner, str], str] = field(default_factory=dict)
    paid_out: defaultdict[tuple[Owner, str], Decimal] = field(default_factory=_sums)
    income: defaultdict[tuple[Owner, str], Decimal] = field(default_factory=_sums)
    taken_in: defaultdict[tuple[Owner, str], Decimal] = field(default_factory=_sums)


def read_flows(transaction: data.Transaction, model: FundModel,
               account_types: account_types_lib.AccountTypes) -> Flows:
    """Sum a transaction's postings (at their weight) per owner and currency.

    - ``net``: everything an owner's postings add up to;
    - ``debited``: the first account of the owner that a posting debits;
    - ``paid_out``: a fund's credits on its Assets (paid) and Liabilities (now owed);
    - ``income``: a fund's credits on its Income accounts (money received for it);
    - ``taken_in``: a fund's debits on its other accounts (where its money arrived or went).
    """
    flows = Flows()
    for posting in transaction.postings:
        weighed = weight(posting)
        if weighed is None:
            continue
        number, currency = weighed
        owner = model.fund_of(posting.account)
        key = (owner, currency)
        flows.net[key] += number
        if number > 0:
            flows.debited.setdefault(key, posting.account)
        if owner is None:
            continue
        root = account_types_lib.get_account_type(posting.account)
        if root == account_types.income:
            if number < 0:
                flows.income[key] -= number
        elif number < 0 and root in (account_types.assets, account_types.liabilities):
            flows.paid_out[key] -= number
        elif number > 0:
            flows.taken_in[key] += number
    return flows
