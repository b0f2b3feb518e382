"""未分类款项 (unclassified) and 未复核 (unreviewed): a fund's money left in suspense, and
transactions of a fund still flagged ``!``.

``funds import`` books a statement line no import rule classifies against the books' suspense
account (``Equity:Suspense:待查明款项``), flagged ``!``. Until it is classified the fund's bank
shows the money but no Income, Expenses or Liabilities account of the fund does.

``unclassified`` (error): at the end of the books a suspense account (an Equity account whose
second name component is ``Suspense``) still holds money that came into or out of a fund's
Assets in a transaction whose other leg was that suspense account (a line). Each line is an open
item of its fund, account, currency and direction. A transaction that takes money out of
suspense without touching a fund's Assets (a reclassification: suspense against the fund's
Expenses, Income or Liabilities; the payroll's net leg settling a pay line) settles that fund's
items of the other direction: first one of exactly that amount, then the oldest (what it
takes before its line is booked, such as a payroll dated the day of its pay line, waits for
that line). Lines never settle each other (a receipt and a payment both in suspense are two
unclassified items, even of two funds and equal amounts), and money taken out of suspense to
another fund's or to no fund's accounts settles nothing: the fund's money is still not on its
own accounts. One finding per
line still (partly) in suspense, dated on it and naming it, with the amount still held:
``--since`` and ``--until`` and the month's 异常事项 sheet show the lines of their own dates that
are still unclassified when the check runs.

``unreviewed`` (warning): a transaction flagged ``!`` with a posting on a fund's account, not
reported as ``unclassified`` already. Reviewing it is changing its flag to ``*``.

Quiet: suspense money of accounts that belong to no fund, suspense items settled since, and
``*`` transactions.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from decimal import Decimal

from beancount.core import data, flags

from ledger.model.books import Books
from ledger.model.findings import Finding, finding_at, source_of
from ledger.model.voucher import Voucher
from ledger.rules.rule import RuleCheck

SUSPENSE = "Suspense"
ZERO = Decimal(0)


@dataclass
class _Item:
    """Money a line put into (or took out of) a suspense account, for a fund."""

    transaction: data.Transaction
    fund: str
    account: str  # the fund's account in the transaction
    held: Decimal  # what is still in suspense: a magnitude


class _Pool:
    """The open items of one suspense account, currency, fund and direction, oldest first."""

    def __init__(self) -> None:
        self.items: dict[int, _Item] = {}
        self.order: deque[int] = deque()  # settled keys are skipped when met
        self.by_amount: dict[Decimal, dict[int, None]] = {}  # each amount's items, oldest first
        self.next_key = 0

    def put(self, item: _Item) -> None:
        self.items[self.next_key] = item
        self.order.append(self.next_key)
        self.by_amount.setdefault(item.held, {})[self.next_key] = None
        self.next_key += 1

    def settle(self, amount: Decimal) -> Decimal:
        """Money taken out of suspense for the fund: an item of exactly that amount, else the
        oldest ones, as far as it goes; what is left over."""
        exact = self.by_amount.get(amount)
        if exact:
            self._forget(next(iter(exact)))
            return ZERO
        while amount and self.order:
            key = self.order[0]
            if key not in self.items:
                self.order.popleft()
                continue
            oldest = self._forget(key)
            settled = min(oldest.held, amount)
            amount -= settled
            if settled < oldest.held:  # partly settled: it stays the oldest
                oldest.held -= settled
                self.items[key] = oldest
                self.by_amount.setdefault(oldest.held, {})[key] = None
        return amount

    def open_items(self) -> list[_Item]:
        return [self.items[key] for key in self.order if key in self.items]

    def _forget(self, key: int) -> _Item:
        item = self.items.pop(key)
        keys = self.by_amount[item.held]
        del keys[key]
        if not keys:
            del self.by_amount[item.held]
        return item


PoolKey = tuple[str, str, str, bool]  # suspense account, currency, fund, into suspense


def _unclassified(item: _Item, suspense: str, currency: str) -> Finding:
    transaction, held = item.transaction, item.held
    voucher = transaction.meta.get("voucher") or transaction.meta.get("bank-ref") or "-"
    where = f"{transaction.date} {voucher} {source_of(transaction)}"
    return finding_at(
        "unclassified", transaction,
        f"专项 {item.fund} 的 {held} {currency} 仍挂在 {suspense}（{where}），请改记到本专项的"
        f"正确科目 / {held} {currency} of fund {item.fund} is still in {suspense} ({where}): "
        "book it to the fund's own account",
        fund=item.fund, account=item.account, amount=held, currency=currency)


def _unreviewed(transaction: data.Transaction, fund: str, account: str, amount: Decimal,
                currency: str) -> Finding:
    return finding_at(
        "unreviewed", transaction,
        f"涉及专项 {fund}（{account}）的交易仍带 ! 标记，复核后改为 * / a transaction of fund "
        f"{fund} ({account}) is still flagged !: review it, then flag it *",
        fund=fund, account=account, amount=amount, currency=currency)


class Unclassified(RuleCheck):
    """Suspense accounts' open items, per account, currency, fund and direction, and ``!``
    transactions."""

    def __init__(self, books: Books) -> None:
        super().__init__(books)
        self.prefix = f"{books.account_types.equity}:{SUSPENSE}"
        self.assets = books.account_types.assets
        self.pools: dict[PoolKey, _Pool] = {}
        self.advances: dict[PoolKey, Decimal] = {}  # reclassified before their line came
        self.flagged: list[Finding] = []

    def _is_suspense(self, account: str) -> bool:
        prefix = self.prefix
        return account.startswith(prefix) and (
            len(account) == len(prefix) or account[len(prefix)] == ":")

    def visit(self, voucher: Voucher) -> None:
        transaction = voucher.transaction
        fund_leg = voucher.fund_leg() if transaction.flag == flags.FLAG_WARNING else None
        if fund_leg is not None:
            _, account, fund, _, number, currency = fund_leg
            self.flagged.append(_unreviewed(transaction, str(fund), account, abs(number),
                                            currency))
        nets: dict[tuple[str, str], Decimal] = {}
        for _, account, _, _, number, currency in voucher.legs:
            if self._is_suspense(account):
                key = (account, currency)
                nets[key] = nets.get(key, ZERO) + number
        for (account, currency), net in nets.items():
            if net:
                self._move(voucher, account, currency, net)

    def _move(self, voucher: Voucher, account: str, currency: str, net: Decimal) -> None:
        """A line opens an item of the fund whose Assets it moves; any other transaction
        settles items of the fund its other legs belong to."""
        other = [leg for leg in voucher.legs if leg[2] is not None and leg[5] == currency
                 and (leg[4] > 0) != (net > 0)]
        line = next((leg for leg in other if leg[3] == self.assets), None)
        if line is not None:
            key = (account, currency, str(line[2]), net > 0)
            held = self._take_advance(key, abs(net))
            if held:
                pool = self.pools.setdefault(key, _Pool())
                pool.put(_Item(voucher.transaction, key[2], line[1], held))
        elif other:
            key = (account, currency, str(other[0][2]), net < 0)
            waiting = self.pools.get(key)
            left = abs(net) if waiting is None else waiting.settle(abs(net))
            if left:  # its line comes later (the same day's entries are in no set order)
                self.advances[key] = self.advances.get(key, ZERO) + left

    def _take_advance(self, key: PoolKey, amount: Decimal) -> Decimal:
        """What of a line's amount no earlier reclassification of its fund took already."""
        advance = self.advances.get(key, ZERO)
        taken = min(advance, amount)
        if taken:
            self.advances[key] = advance - taken
        return amount - taken

    def findings(self) -> list[Finding]:
        found = [_unclassified(item, account, currency)
                 for (account, currency, _, _), pool in self.pools.items()
                 for item in pool.open_items()]
        found.sort(key=lambda finding: (finding.date, finding.lineno))
        reported = {id(finding.entry) for finding in found}
        return found + [finding for finding in self.flagged
                        if id(finding.entry) not in reported]
