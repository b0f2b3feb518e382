"""The books as the rules see them: the transactions, the fund model and the account roots."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from beancount.core import account as account_lib
from beancount.core import account_types as account_types_lib
from beancount.core import data
from beancount.parser import options

from ledger.model.chart import is_cash_code
from ledger.model.funds import FundModel, read_fund_model
from ledger.model.postings import AccountKind

T = TypeVar("T")


class AccountFacts(dict[str, T]):
    """A fact about each account, worked out on its first lookup: rules look accounts up here,
    ``books.kinds[account]``, in their inner loops."""

    def __init__(self, work_out: Callable[[str], T]) -> None:
        super().__init__()
        self._work_out = work_out

    def __missing__(self, account: str) -> T:
        found = self[account] = self._work_out(account)
        return found


@dataclass(frozen=True)
class Books:
    """Everything a rule needs, read once per load."""

    transactions: list[data.Transaction]
    model: FundModel
    account_types: account_types_lib.AccountTypes
    last_transaction_date: datetime.date | None
    horizon: datetime.date | None  # the last day the books cover
    kinds: AccountFacts[AccountKind] = field(repr=False, compare=False)
    cash: AccountFacts[bool] = field(repr=False, compare=False)
    entries: data.Directives = field(default_factory=list, repr=False, compare=False)

    def is_assets(self, account: str) -> bool:
        return self.kinds[account][1] == self.account_types.assets

    def is_liabilities(self, account: str) -> bool:
        return self.kinds[account][1] == self.account_types.liabilities

    def is_cash(self, account: str) -> bool:
        """A cash account: an Assets account under the chart's code 1001 (现金), with a ``Cash``
        name component, or opened with ``kind: "cash"``."""
        return self.cash[account]

    def debited(self, transaction: data.Transaction, *roots: str) -> list[str]:
        """The accounts of those root types that the transaction debits (units above zero), in
        posting order: the account a finding names."""
        return [posting.account for posting in transaction.postings
                if self.kinds[posting.account][1] in roots
                and posting.units is not None and (posting.units.number or 0) > 0]


def read_books(entries: data.Directives, options_map: dict[str, Any]) -> Books:
    """Read the fund model and split out the transactions, in one pass each."""
    transactions = [entry for entry in entries if isinstance(entry, data.Transaction)]
    account_types = options.get_account_types(options_map)  # type: ignore[no-untyped-call]
    last = transactions[-1].date if transactions else None
    model = read_fund_model(entries, account_types)
    kinds: AccountFacts[AccountKind] = AccountFacts(
        lambda account: (model.fund_of(account), account_types_lib.get_account_type(account)))
    cash = AccountFacts(lambda account: kinds[account][1] == account_types.assets and (
        is_cash_code(account) or "Cash" in account_lib.split(account)
        or account in model.cash_accounts))
    return Books(transactions, model, account_types, last, _horizon(entries, last), kinds, cash,
                 entries)


def _horizon(entries: data.Directives, last_transaction: datetime.date | None,
             ) -> datetime.date | None:
    """The last day the books cover: that of the last transaction, or the day before the last
    balance assertion (which states the balance at the start of its day), whichever is later."""
    last_balance = next((entry.date for entry in reversed(entries)
                         if isinstance(entry, data.Balance)), None)
    before_balance = (None if last_balance is None or last_balance == datetime.date.min
                      else last_balance - datetime.timedelta(days=1))
    covered = [day for day in (last_transaction, before_balance) if day is not None]
    return max(covered, default=None)
