"""超合同付款, 提前支付质保金 and 合同未登记: payments judged against the contracts they quote.

The contracts' signings and changes (``custom "contract"``, see :mod:`ledger.model.contracts`)
are merged in date order with the transactions; a signing or change is in force from the start
of its day, and a change is judged once its day's transactions are in. Per contract, what is
charged and paid under it accumulates.

- ``contract-overrun``: what is charged under a contract exceeds the sum in force; reported on
  every transaction that charges beyond the sum (the crossing one and each later one), and on a
  change lowering the sum below what is charged, each with what it takes beyond the sum.
- ``retention-paid-early``: before ``retention-until``, what is paid under a contract exceeds
  (1 − retention) × the sum in force; once per contract and that limit. A payment dated on
  ``retention-until`` or later is the retention's due release.
- ``unregistered-contract`` (warning): a transaction on a fund's accounts quotes under
  ``contract:`` a number that no ``custom "contract"`` declares (naming a registered contract
  of the same fund and payee, if there is one), or a contract of another fund than the one it
  spends or pays from; with what it charges (or else pays) under the quote. Judged only in
  books that declare at least one contract (other books use ``contract:`` as plain evidence).

Nothing is judged before a contract's signing: its first terms are what the payments count
against.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from beancount.core import data

from ledger.model.books import Books
from ledger.model.contracts import (
    ContractTerms,
    Quote,
    TermsInDateOrder,
    contract_moves,
    quoted_numbers,
    voucher_quotes,
)
from ledger.model.findings import Finding, finding_at
from ledger.model.formats import money, percent
from ledger.model.voucher import Voucher
from ledger.rules.rule import RuleCheck

ZERO = Decimal(0)


@dataclass
class _Under:
    """One contract as the pass has reached it: the terms in force, what is charged and paid,
    the excess over the sum already accounted for, and the limit last reported over."""

    terms: ContractTerms | None = None
    charged: Decimal = ZERO
    paid: Decimal = ZERO
    excess: Decimal = ZERO  # charged beyond the sum, as reported (or lowered by a raise)
    early_at: Decimal | None = None

    def over(self) -> Decimal:
        """What is charged beyond the sum in force now."""
        amount = self.terms.amount if self.terms is not None else self.charged
        return max(ZERO, self.charged - amount)


class ContractPayments(RuleCheck):
    """Payments beyond a contract's sum, retention paid before it is due, and quotes of
    contracts the books do not declare."""

    def __init__(self, books: Books) -> None:
        super().__init__(books)
        contracts = books.model.contracts
        self.under = {number: _Under() for number in contracts}
        self.terms = TermsInDateOrder(contracts)
        self.judged = bool(contracts)  # books without contracts: nothing to judge
        self.changes: list[ContractTerms] = []  # changes judged once their day's entries are in
        self.by_payee: dict[tuple[str, str], str] = {}  # (fund, payee): a contract's number
        for contract in contracts.values():
            for terms in contract.terms:
                if terms.payee is not None:
                    self.by_payee.setdefault((contract.fund, terms.payee), contract.number)

    def visit(self, voucher: Voucher) -> None:
        if not self.judged:
            return
        transaction = voucher.transaction
        for terms in self.terms.due(transaction.date, before=True):
            self._apply(terms)
        if self.changes and self.changes[0].date < transaction.date:
            self._judge_changes(transaction.date)
        for terms in self.terms.due(transaction.date):
            self._apply(terms)
        if not voucher_quotes(voucher):
            return
        self._unregistered(voucher)
        for move in contract_moves(transaction, voucher.legs, self.books.model.contracts,
                                   self.books.account_types):
            under = self.under[move.number]
            under.charged += move.charged
            under.paid += move.paid
            self._judge(move.number, under, transaction)

    def findings(self) -> list[Finding]:
        for terms in self.terms.rest():
            self._apply(terms)
        self._judge_changes()
        return self.found

    def _apply(self, terms: ContractTerms) -> None:
        """A signing or change comes into force at the start of its day; a change may leave
        what was charged or paid over its new sum, judged once the day's transactions are in
        (a 补充协议 lowering the sum on the day of a refund is no overrun)."""
        under = self.under[terms.number]
        under.terms = terms
        under.excess = min(under.excess, under.over())  # a raise takes the excess in
        if terms is not self.books.model.contracts[terms.number].terms[0]:
            self.changes.append(terms)

    def _judge_changes(self, until: datetime.date | None = None) -> None:
        """The changes of the days before ``until`` (all, without it), each while its terms
        are still in force."""
        past = [terms for terms in self.changes if until is None or terms.date < until]
        for terms in past:
            under = self.under[terms.number]
            if under.terms is terms:
                self._judge(terms.number, under, terms.entry)
        self.changes = [terms for terms in self.changes
                        if until is not None and terms.date >= until]

    def _judge(self, number: str, under: _Under, entry: data.Directive) -> None:
        terms = under.terms
        if terms is None:
            return
        over = under.over()
        if over > under.excess:
            self.found.append(_overrun(number, terms, under, entry, over - under.excess))
        under.excess = over
        limit = terms.payable_before_retention
        if (terms.retention_until is not None and entry.date < terms.retention_until
                and under.paid > limit and under.early_at != limit):
            under.early_at = limit
            self.found.append(_paid_early(number, terms, under, entry, limit))

    def _unregistered(self, voucher: Voucher) -> None:
        """Warn of the quotes no contract of the transaction's fund stands behind."""
        leg = voucher.fund_leg()
        if leg is None:
            return
        transaction = voucher.transaction
        contracts = self.books.model.contracts
        funds = {owner for _, _, owner, _, _, _ in voucher.legs if owner is not None}
        for number in quoted_numbers(transaction):
            contract = contracts.get(number)
            if contract is not None and contract.fund in funds:
                continue
            fund, currency = leg[2], leg[5]
            assert fund is not None
            if contract is not None and len(funds) == 1:
                fund = next(iter(funds))
            charged, paid = Quote.of(number, transaction, voucher.legs).moves(
                voucher.legs, fund, currency, self.books.account_types)
            amount = charged or paid or None
            if contract is None:
                message = self._unknown(number, fund, transaction.payee)
            else:
                message = _other_fund(number, contract.fund, fund)
            self.found.append(finding_at("unregistered-contract", transaction, message,
                                         fund=fund, account=leg[1], amount=amount,
                                         currency=currency if amount is not None else None))

    def _unknown(self, number: str, fund: str, payee: str | None) -> str:
        """The message for a number no contract declares, naming the fund's contract with
        the same payee if there is one."""
        guess = self.by_payee.get((fund, payee)) if payee else None
        zh = f"，是否为 {guess}？" if guess else ""
        en = f"; is it {guess}?" if guess else ""
        return (f'合同号 {number} 未登记（账簿中没有对应的 custom "contract"），'
                f'其付款不计入合同台账{zh} / contract {number} is not registered (no custom '
                f'"contract" declares it): its payments are in no contract\'s figures{en}')


def _other_fund(number: str, owner: str, fund: str) -> str:
    return (f"合同 {number} 属于专项 {owner}，本笔收付属于专项 {fund}，不计入该合同 / contract "
            f"{number} belongs to fund {owner}; this transaction is fund {fund}'s and does not "
            "count under it")


def _overrun(number: str, terms: ContractTerms, under: _Under, entry: data.Directive,
             beyond: Decimal) -> Finding:
    """``beyond``: what this entry takes beyond the sum (the amount of the finding)."""
    over = under.charged - terms.amount
    currency = terms.currency
    if over == beyond:
        zh, en = "", ""
    else:
        zh = f"，本笔超出 {money(beyond)} {currency}"
        en = f", {money(beyond)} {currency} of it by this entry"
    return finding_at(
        "contract-overrun", entry,
        f"合同 {number} 金额 {money(terms.amount)} {currency}，已列支 {money(under.charged)} "
        f"{currency}，累计超出 {money(over)} {currency}{zh} / contract {number}: sum "
        f"{money(terms.amount)} {currency}, charged {money(under.charged)} {currency}, excess "
        f"{money(over)} {currency}{en}",
        fund=terms.fund, account=terms.account, amount=beyond, currency=currency)


def _paid_early(number: str, terms: ContractTerms, under: _Under, entry: data.Directive,
                limit: Decimal) -> Finding:
    early = under.paid - limit
    currency = terms.currency
    share = percent(terms.retention)
    return finding_at(
        "retention-paid-early", entry,
        f"合同 {number} 质保金 {share} 至 {terms.retention_until} 到期，到期前最多可付 "
        f"{money(limit)} {currency}，已付 {money(under.paid)} {currency}，提前支付质保金 "
        f"{money(early)} {currency} / contract {number}: the {share} retention is due on "
        f"{terms.retention_until}; before then at most {money(limit)} {currency} may be paid, "
        f"paid {money(under.paid)} {currency}, {money(early)} {currency} of retention early",
        fund=terms.fund, account=terms.account, amount=early, currency=currency)
