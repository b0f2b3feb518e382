"""超限提现 (cash-withdrawal): more cash drawn out of a fund in one go than the cash limit.

A cash account is an Assets account under the chart's code 1001 (现金, as in
``Assets:1001-现金:运营经费备用金``), with a ``Cash`` name component, or one whose ``open``
carries ``kind: "cash"``. Within one transaction, what a fund's other Assets accounts (its bank
accounts) pay beyond the fund's own other debits (its costs, payables, other accounts) and what
cash accounts receive is withdrawn in cash by that fund; its own cash accounts are matched
first, then the others in posting order. When a fund draws more than the policy ``cash-limit``
in effect on the date (default 1000.00 CNY, the cash settlement threshold), the transaction is
reported for that fund. Only withdrawals in the limit's currency are judged. Money paid back from
cash into the bank, cash moved between cash accounts, income received in cash while the bank
pays a bill, and cash drawn and spent in the same voucher are no withdrawal.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ledger.model.books import Books
from ledger.model.findings import finding_at
from ledger.model.postings import Leg
from ledger.model.voucher import Voucher
from ledger.rules.rule import RuleCheck

ZERO = Decimal(0)


@dataclass
class _CashIn:
    """A debit to a cash account, and how much of it is not yet matched to a fund."""

    account: str
    owner: str | None
    left: Decimal


def _withdrawals(books: Books, legs: list[Leg], currency: str) -> list[tuple[str, str, Decimal]]:
    """(fund, cash account, amount) drawn in cash out of each fund's non-cash Assets."""
    paid: dict[str, Decimal] = {}
    own_debits: dict[str, Decimal] = {}
    cash_in: list[_CashIn] = []
    cash_out = ZERO
    for _, account, fund, root, number, in_currency in legs:
        if in_currency != currency:
            continue
        if books.cash[account]:
            if number > 0:
                cash_in.append(_CashIn(account, fund, number))
            else:
                cash_out -= number
        elif fund is None:
            continue
        elif number > 0:
            own_debits[fund] = own_debits.get(fund, ZERO) + number
        elif root == books.account_types.assets:
            paid[fund] = paid.get(fund, ZERO) - number
    _spend_from(cash_in, cash_out)
    beyond = {fund: amount - own_debits.get(fund, ZERO) for fund, amount in paid.items()}
    return _drawn(beyond, cash_in)


def _spend_from(cash_in: list[_CashIn], cash_out: Decimal) -> None:
    """Cash paid out in the same voucher was not drawn: take it off what cash accounts got."""
    for cash in cash_in:
        taken = min(cash_out, cash.left)
        cash.left, cash_out = cash.left - taken, cash_out - taken


def _drawn(beyond: dict[str, Decimal],
           cash_in: list[_CashIn]) -> list[tuple[str, str, Decimal]]:
    """Match what each fund paid beyond its own debits to the cash debits: every fund's own
    cash accounts first, then the others in posting order."""
    drawn: dict[str, tuple[str, Decimal]] = {}
    for own_cash_only in (True, False):
        for fund in beyond:
            for cash in cash_in:
                taken = min(beyond[fund], cash.left)
                if taken <= 0 or (cash.owner == fund) != own_cash_only:
                    continue
                cash.left, beyond[fund] = cash.left - taken, beyond[fund] - taken
                account, amount = drawn.get(fund, (cash.account, ZERO))
                drawn[fund] = (account, amount + taken)
    return [(fund, account, amount) for fund, (account, amount) in drawn.items()]


class CashWithdrawals(RuleCheck):
    """Cash withdrawals above the limit."""

    def visit(self, voucher: Voucher) -> None:
        cash = self.books.cash
        for leg in voucher.legs:
            if cash[leg[1]]:
                self._judge(voucher)
                return

    def _judge(self, voucher: Voucher) -> None:
        transaction = voucher.transaction
        limit = self.books.model.policy.amount("cash-limit", transaction.date)
        currency = limit.currency
        for fund, account, drawn in _withdrawals(self.books, voucher.legs, currency):
            if drawn > limit.number:
                self.found.append(finding_at(
                    "cash-withdrawal", transaction,
                    f"一次从专项 {fund} 提取现金 {drawn} {currency} 至 {account}，超过现金限额 "
                    f"{limit.number} {currency} / {drawn} {currency} of fund {fund} drawn in "
                    f"cash to {account} at once, above the cash limit {limit.number} {currency}",
                    fund=fund, account=account, amount=drawn, currency=currency))
