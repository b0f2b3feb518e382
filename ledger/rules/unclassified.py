"""未分类款项 (unclassified) and 未复核 (unreviewed): a fund's money left in suspense, and
transactions of a fund still flagged ``!``.

``funds import`` books a statement line no import rule classifies against a suspense account
(``Equity:Suspense:Unclassified``), flagged ``!``. Until it is classified the fund's bank shows
the money but no Income, Expenses or Liabilities account of the fund does.

``unclassified`` (error): at the end of the books a suspense account (an Equity account whose
second name component is ``Suspense``) still holds money that came out of or into a fund's
accounts in a transaction whose other leg was that suspense account. Per suspense account and
currency the amounts put in suspense are open items; money later taken out of it the other way
(a reclassification, the payroll's net leg settling a pay line) settles first an open item of
exactly that amount, then the oldest ones. One finding per fund transaction still (partly) in
suspense, dated on that transaction and naming it, with the amount still held: ``--since`` and
``--until`` and the month's 异常事项 sheet show the lines of their own dates that are still
unclassified when the check runs.

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
    """Money a transaction put into a suspense account, and the fund it came from or went to."""

    transaction: data.Transaction
    fund: str | None
    account: str | None  # the fund's account in the transaction
    held: Decimal  # what is still in suspense, signed as the suspense posting


class _Suspense:
    """The open items of one suspense account in one currency, all of one sign."""

    def __init__(self) -> None:
        self.items: dict[int, _Item] = {}
        self.order: deque[int] = deque()  # oldest first; settled ones are skipped
        self.by_amount: dict[Decimal, dict[int, None]] = {}  # each amount's items, oldest first
        self.next_id = 0

    def sign(self) -> int:
        self._drop_settled()
        return 0 if not self.order else (1 if self.items[self.order[0]].held > 0 else -1)

    def put(self, item: _Item) -> None:
        self.items[self.next_id] = item
        self.order.append(self.next_id)
        self.by_amount.setdefault(item.held, {})[self.next_id] = None
        self.next_id += 1

    def take(self, amount: Decimal, item: _Item) -> None:
        """Money moved the other way: settles an open item of exactly that amount, else the
        oldest ones; what is left over starts an item of the other sign."""
        exact = self.by_amount.get(-amount)
        if exact:
            self._forget(next(iter(exact)))
            return
        while amount and self.sign() not in (0, 1 if amount > 0 else -1):
            key = self.order[0]
            oldest = self.items[key]
            settled = min(abs(oldest.held), abs(amount))
            sign = 1 if oldest.held > 0 else -1
            self._forget(key)
            if settled < abs(oldest.held):  # partly settled: it stays the oldest
                oldest.held -= sign * settled
                self.items[key] = oldest
                self.by_amount.setdefault(oldest.held, {})[key] = None
            amount += sign * settled
        if amount:
            item.held = amount
            self.put(item)

    def open_items(self) -> list[_Item]:
        return [self.items[key] for key in self.order if key in self.items]

    def _forget(self, key: int) -> None:
        item = self.items.pop(key)
        keys = self.by_amount[item.held]
        del keys[key]
        if not keys:
            del self.by_amount[item.held]

    def _drop_settled(self) -> None:
        order = self.order
        while order and order[0] not in self.items:
            order.popleft()


def _unclassified(item: _Item, suspense: str, currency: str) -> Finding:
    transaction, held = item.transaction, abs(item.held)
    voucher = transaction.meta.get("voucher") or transaction.meta.get("bank-ref") or "-"
    where = f"{transaction.date} {voucher} {source_of(transaction)}"
    return finding_at(
        "unclassified", transaction,
        f"专项 {item.fund} 的 {held} {currency} 仍挂在 {suspense}（{where}），请改记到正确科目 / "
        f"{held} {currency} of fund {item.fund} is still in {suspense} ({where}): book it to "
        "its account",
        fund=item.fund, account=item.account, amount=held, currency=currency)


def _unreviewed(transaction: data.Transaction, fund: str, account: str, amount: Decimal,
                currency: str) -> Finding:
    return finding_at(
        "unreviewed", transaction,
        f"涉及专项 {fund}（{account}）的交易仍带 ! 标记，复核后改为 * / a transaction of fund "
        f"{fund} ({account}) is still flagged !: review it, then flag it *",
        fund=fund, account=account, amount=amount, currency=currency)


class Unclassified(RuleCheck):
    """Suspense accounts' open items, per account and currency, and ``!`` transactions."""

    def __init__(self, books: Books) -> None:
        super().__init__(books)
        self.prefix = f"{books.account_types.equity}:{SUSPENSE}"
        self.suspense: dict[tuple[str, str], _Suspense] = {}
        self.flagged: list[Finding] = []

    def _is_suspense(self, account: str) -> bool:
        prefix = self.prefix
        return account.startswith(prefix) and (
            len(account) == len(prefix) or account[len(prefix)] == ":")

    def visit(self, voucher: Voucher) -> None:
        legs = voucher.legs
        fund_leg = next((leg for leg in legs if leg[2] is not None), None)
        transaction = voucher.transaction
        if transaction.flag == flags.FLAG_WARNING and fund_leg is not None:
            _, account, fund, _, number, currency = fund_leg
            self.flagged.append(_unreviewed(transaction, str(fund), account, abs(number),
                                            currency))
        nets: dict[tuple[str, str], Decimal] = {}
        for _, account, _, _, number, currency in legs:
            if self._is_suspense(account):
                key = (account, currency)
                nets[key] = nets.get(key, ZERO) + number
        for (account, currency), net in nets.items():
            if net:
                self._move(voucher, account, currency, net)

    def _move(self, voucher: Voucher, account: str, currency: str, net: Decimal) -> None:
        fund_leg = next((leg for leg in voucher.legs if leg[2] is not None
                         and leg[5] == currency and (leg[4] > 0) != (net > 0)), None)
        item = _Item(voucher.transaction, None if fund_leg is None else fund_leg[2],
                     None if fund_leg is None else fund_leg[1], net)
        suspense = self.suspense.setdefault((account, currency), _Suspense())
        if suspense.sign() in (0, 1 if net > 0 else -1):
            suspense.put(item)
        else:
            suspense.take(net, item)

    def findings(self) -> list[Finding]:
        found = [_unclassified(item, account, currency)
                 for (account, currency), suspense in self.suspense.items()
                 for item in suspense.open_items() if item.fund is not None]
        reported = {id(finding.entry) for finding in found}
        return found + [finding for finding in self.flagged
                        if id(finding.entry) not in reported]
