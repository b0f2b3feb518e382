"""The books as the rules see them: the transactions, the fund model and the account roots."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from typing import Any

from beancount.core import account as account_lib
from beancount.core import account_types as account_types_lib
from beancount.core import data
from beancount.parser import options

from ledger.model.flows import AccountKind, Flows, Owner, read_flows
from ledger.model.funds import FundModel, read_fund_model
from ledger.model.postings import weight

NetKey = tuple[Owner, str, str]  # owner, root type, currency


@dataclass(frozen=True)
class Books:
    """Everything a rule needs, read once per load."""

    transactions: list[data.Transaction]
    model: FundModel
    account_types: account_types_lib.AccountTypes
    last_transaction_date: datetime.date | None
    horizon: datetime.date | None  # the last day the books cover
    _kinds: dict[str, AccountKind] = field(default_factory=dict, repr=False, compare=False)
    _cash: dict[str, bool] = field(default_factory=dict, repr=False, compare=False)

    def kind(self, account: str) -> AccountKind:
        """The fund an account belongs to (or None) and its root type, worked out once."""
        found = self._kinds.get(account)
        if found is None:
            root = account_types_lib.get_account_type(account)
            found = self._kinds[account] = (self.model.fund_of(account), root)
        return found

    def is_assets(self, account: str) -> bool:
        return self.kind(account)[1] == self.account_types.assets

    def is_liabilities(self, account: str) -> bool:
        return self.kind(account)[1] == self.account_types.liabilities

    def is_cash(self, account: str) -> bool:
        """A cash account: an Assets account with a ``Cash`` name component, or opened with
        ``kind: "cash"``."""
        found = self._cash.get(account)
        if found is None:
            found = self._cash[account] = self.is_assets(account) and (
                "Cash" in account_lib.split(account) or account in self.model.cash_accounts)
        return found

    def debited(self, transaction: data.Transaction, *roots: str) -> list[str]:
        """The accounts of those root types that the transaction debits (units above zero), in
        posting order: the account a finding names."""
        return [posting.account for posting in transaction.postings
                if self.kind(posting.account)[1] in roots
                and posting.units is not None and (posting.units.number or 0) > 0]

    def nets(self, transaction: data.Transaction) -> dict[NetKey, Decimal]:
        """The transaction's net weight per owner, root type and currency (debits positive)."""
        nets: dict[NetKey, Decimal] = {}
        for posting in transaction.postings:
            units = posting.units
            if posting.cost is None and posting.price is None and units is not None:
                number, currency = units.number, units.currency
            else:
                number, currency = weight(posting) or (None, "")
            if number is not None:
                owner, root = self.kind(posting.account)
                key = (owner, root, currency)
                nets[key] = nets[key] + number if key in nets else number
        return nets

    @cached_property
    def flows(self) -> list[Flows | None]:
        """Each transaction's receipts and transfers between owners, in transaction order (None
        where it has neither); computed once for all the rules that read them."""
        return [read_flows(transaction, self.kind, self.account_types)
                for transaction in self.transactions]


def read_books(entries: data.Directives, options_map: dict[str, Any]) -> Books:
    """Read the fund model and split out the transactions, in one pass each."""
    transactions = [entry for entry in entries if isinstance(entry, data.Transaction)]
    account_types = options.get_account_types(options_map)  # type: ignore[no-untyped-call]
    last = transactions[-1].date if transactions else None
    return Books(transactions, read_fund_model(entries, account_types.assets), account_types, last,
                 _horizon(entries, last))


def _horizon(entries: data.Directives, last_transaction: datetime.date | None,
             ) -> datetime.date | None:
    """The last day the books cover: that of the last transaction, or the day before the last
    balance assertion (which states the balance at the start of its day), whichever is later."""
    last_balance = next((entry.date for entry in reversed(entries)
                         if isinstance(entry, data.Balance)), None)
    covered = [day for day in (last_transaction, last_balance and
                               last_balance - datetime.timedelta(days=1)) if day is not None]
    return max(covered, default=None)
