"""The books as the rules see them: the transactions, the fund model and the account roots."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from beancount.core import account_types as account_types_lib
from beancount.core import convert, data
from beancount.core.amount import Amount
from beancount.parser import options

from ledger.model.funds import FundModel, read_fund_model


@dataclass(frozen=True)
class Books:
    """Everything a rule needs, read once per load."""

    transactions: list[data.Transaction]
    model: FundModel
    account_types: account_types_lib.AccountTypes
    last_transaction_date: datetime.date | None

    def is_assets(self, account: str) -> bool:
        return account_types_lib.get_account_type(account) == self.account_types.assets

    def is_liabilities(self, account: str) -> bool:
        return account_types_lib.get_account_type(account) == self.account_types.liabilities

    def is_income(self, account: str) -> bool:
        return account_types_lib.get_account_type(account) == self.account_types.income

    def is_expenses(self, account: str) -> bool:
        return account_types_lib.get_account_type(account) == self.account_types.expenses


def read_books(entries: data.Directives, options_map: dict[str, Any]) -> Books:
    """Read the fund model and split out the transactions, in one pass each."""
    transactions = [entry for entry in entries if isinstance(entry, data.Transaction)]
    account_types = options.get_account_types(options_map)  # type: ignore[no-untyped-call]
    last = transactions[-1].date if transactions else None
    return Books(transactions, read_fund_model(entries), account_types, last)


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
    amount: Amount = convert.get_weight(posting)  # type: ignore[no-untyped-call]
    return None if amount.number is None else (amount.number, amount.currency)
