"""违规列支 against the fund-use plan, and budget control: 无预算列支 (unbudgeted), 超预算
(over-budget), 超预算签约 (over-commitment) and 预算预警 (budget-alert).

Spending is a debit to an Expenses account of a fund; a credit (a refund) is never spending and
never flagged, and it lowers what its budget lines have spent in the period it is booked in.

- ``unbudgeted``: no line on the account or an ancestor is in effect at the spending date in the
  spending's currency (its units' currency, or the currency it was paid in at a price).
- ``over-budget``: each line in effect accumulates the spending on its account and sub-accounts
  per calendar period (per year for a line with ``accumulate: TRUE``, judged against its cap on
  the year to date: both counted since the line took its period, if it had another earlier in
  the year). A transaction's postings are netted per line first, so a reclassification
  within one line is no spending. The first transaction that leaves a line above its cap (the
  latest directive on or before that date) is reported, with cap, spent and excess; once per line,
  period and cap amount, so a cap revised to a new amount and exceeded again is reported again.
  The line's ``action:`` makes it an error (``stop``, the default), a warning (``warn``) or
  nothing (``ignore``).

The contracts' signings and changes are merged with the transactions in date order (a signing
counts before the transactions of its day). A contract commits its sum in force less what has
been charged under it, never below zero, to the budget lines covering its ``account:`` (its
own and those above it, as they count its spending), in its currency, from its signing until
it is paid, whatever the period.

- ``over-commitment``: a signing, or a change raising the sum, whose commitment exceeds a
  covering line's 可用余额 that day: the cap in force − spent in the period − the other
  contracts' open commitments on the line (for a change, its increase exceeds what the line
  has left beside the contract's earlier commitment); reported once per contract terms, on the
  nearest such line of ``action: "stop"`` (an error), else on the nearest of ``"warn"`` (a
  warning); lines of ``"ignore"`` report none. A contract whose account no line covers in its
  currency that day commits against an available balance of 0.
- ``budget-alert`` (warning): a transaction spending on a line, or a signing or change, that
  brings spending plus open commitments to the line's ``alert:`` share of the cap (or the
  policy's ``budget-alert``); once per line, period and cap, and not on a transaction that
  takes the line over its cap (reported over budget, or not at all on a line of ``ignore``).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from beancount.core import data

from ledger.model.books import Books
from ledger.model.budget import (
    BudgetDirective,
    PeriodKey,
    period_end,
    period_key,
    period_name,
)
from ledger.model.contracts import ContractMove, ContractTerms, TermsInDateOrder, voucher_moves
from ledger.model.findings import Finding, Severity, finding_at
from ledger.model.formats import money, percent
from ledger.model.postings import Leg
from ledger.model.voucher import Voucher
from ledger.rules.rule import RuleCheck

ZERO = Decimal(0)
LineKey = tuple[str, str, PeriodKey]  # a line, its currency, and the period spending counts in
Committing = tuple[str, str]  # a line and the currency of the contracts committing it


@dataclass(frozen=True, slots=True)
class _InForce:
    """A line's directive on a day: where its spending counts, and the cap judged."""

    directive: BudgetDirective
    key: LineKey  # the period of the day, or its year for an accumulated line
    cap: Decimal  # the period's cap, or the year to date's for an accumulated line
    period: PeriodKey  # the calendar period of the day

    @property
    def line(self) -> str:
        return self.key[0]

    @property
    def currency(self) -> str:
        return self.key[1]

    def name(self) -> tuple[str, str]:
        """The period judged, in Chinese and in English."""
        directive = self.directive
        name = period_name(directive.period, self.period)
        if directive.accumulate:
            return f"{name}（本年累计）", f"{directive.period}, year to date"
        return name, directive.period


@dataclass(slots=True)
class _Change:
    """One transaction's net spending on one line in one period."""

    line: _InForce
    fund: str
    amount: Decimal = ZERO
    account: str | None = None  # the first account the transaction spends on under the line


@dataclass(slots=True)
class _Commitment:
    """A contract as budget control follows it: its terms in force, what has been charged
    under it, and what it commits on which line."""

    terms: ContractTerms | None = None
    charged: Decimal = ZERO
    lines: tuple[Committing, ...] = ()  # the lines covering its account, in its currency
    committed: Decimal = ZERO


class _Spent:
    """Per (line, currency, period): what has been spent, and the cap last reported over or
    alerted on; per (line, currency): what the open contracts commit."""

    def __init__(self) -> None:
        self.spent: dict[LineKey, Decimal] = defaultdict(Decimal)
        self.reported: dict[LineKey, Decimal] = {}
        self.alerted: dict[LineKey, Decimal] = {}
        self.committed: dict[Committing, Decimal] = defaultdict(Decimal)


def _unbudgeted(transaction: data.Transaction, fund: str, account: str, number: Decimal,
                currency: str) -> Finding:
    return finding_at(
        "unbudgeted", transaction,
        f"科目 {account} 无有效预算，列支 {number} {currency} / no budget line in effect for "
        f"{account}, spent {number} {currency}",
        fund=fund, account=account, amount=number, currency=currency)


def _over_budget(transaction: data.Transaction, change: _Change, spent: Decimal) -> Finding:
    line, currency = change.line.line, change.line.currency
    cap = change.line.cap
    excess = spent - cap
    zh, en = change.line.name()
    warn = change.line.directive.action == "warn"
    return finding_at(
        "over-budget", transaction,
        f"预算科目 {line} {zh}预算 {money(cap)} {currency}，已支出 {money(spent)} {currency}，"
        f"超出 {money(excess)} {currency} / budget line {line} ({en}) cap {money(cap)} "
        f"{currency}, spent {money(spent)} {currency}, excess {money(excess)} {currency}",
        fund=change.fund, account=change.account, amount=excess, currency=currency,
        budget_line=line, severity=Severity.WARNING if warn else None)


@dataclass(frozen=True, slots=True)
class _Signing:
    """A signing or change as budget control judges it: what the contract commits after it,
    and before it (0 for a signing)."""

    terms: ContractTerms
    commitment: Decimal
    before: Decimal
    change: bool  # a 补充协议, not the signing

    def says(self) -> tuple[str, str]:
        """What the contract commits, in Chinese and in English: for a change, its increase."""
        terms, currency = self.terms, self.terms.currency
        now = f"{money(self.commitment)} {currency}"
        if not self.change:
            return f"合同 {terms.number} 承诺 {now}", f"contract {terms.number} commits {now}"
        increase = f"{money(self.commitment - self.before)} {currency}"
        return (f"合同 {terms.number} 补充协议增加承诺 {increase}（由 {money(self.before)} 增至 "
                f"{money(self.commitment)}）", f"the change of contract {terms.number} raises its "
                f"commitment by {increase} (from {money(self.before)} to {money(self.commitment)})")


def _over_commitment(signing: _Signing, line: _InForce, spent: Decimal,
                     others: Decimal) -> Finding:
    terms = signing.terms
    available = line.cap - spent - others - signing.before
    excess = signing.commitment - signing.before - available
    currency = line.currency
    zh, en = line.name()
    said_zh, said_en = signing.says()
    held = f"，本合同原承诺 {money(signing.before)}" if signing.before else ""
    held_en = f", this contract's earlier {money(signing.before)}" if signing.before else ""
    warn = line.directive.action == "warn"
    return finding_at(
        "over-commitment", terms.entry,
        f"{said_zh}，超出预算科目 {line.line} 当日可用余额 {money(available)} {currency}"
        f"（{zh}预算 {money(line.cap)}，已支出 {money(spent)}，其他合同已承诺 "
        f"{money(others)}{held}），超出 {money(excess)} {currency} / {said_en}, more than the "
        f"{money(available)} {currency} available on budget line {line.line} that day ({en} "
        f"cap {money(line.cap)}, spent {money(spent)}, committed by other contracts "
        f"{money(others)}{held_en}), excess {money(excess)} {currency}",
        fund=terms.fund, account=terms.account, amount=excess, currency=currency,
        budget_line=line.line, severity=Severity.WARNING if warn else None)


def _unbudgeted_commitment(signing: _Signing) -> Finding:
    terms = signing.terms
    excess = signing.commitment - signing.before
    currency = terms.currency
    said_zh, said_en = signing.says()
    return finding_at(
        "over-commitment", terms.entry,
        f"{said_zh}，科目 {terms.account} 当日无 {currency} 有效预算（可用余额 0.00），超出 "
        f"{money(excess)} {currency} / {said_en}, but no budget line in {currency} covers "
        f"{terms.account} that day (0.00 available), excess {money(excess)} {currency}",
        fund=terms.fund, account=terms.account, amount=excess, currency=currency)


def _budget_alert(entry: data.Directive, line: _InForce, share: Decimal, spent: Decimal,
                  committed: Decimal, fund: str | None, account: str | None) -> Finding:
    total = spent + committed
    currency, cap = line.currency, line.cap
    shown = percent(share)
    zh, en = line.name()
    return finding_at(
        "budget-alert", entry,
        f"预算科目 {line.line} {zh}预算 {money(cap)} {currency}，已支出 {money(spent)}，"
        f"已承诺 {money(committed)}，合计 {money(total)} {currency}，达到预警比例 {shown}，"
        f"可用余额 {money(cap - total)} {currency} / budget line {line.line} ({en}) cap "
        f"{money(cap)} {currency}: spent {money(spent)} and committed {money(committed)}, "
        f"{money(total)} {currency} together, reach the {shown} alert; available "
        f"{money(cap - total)} {currency}",
        fund=fund, account=account, amount=total, currency=currency, budget_line=line.line)


class Budget(RuleCheck):
    """Unbudgeted and over-budget spending, contracts signed beyond what a line has left, and
    lines nearing their cap."""

    def __init__(self, books: Books) -> None:
        super().__init__(books)
        self.state = _Spent()
        self.in_force: dict[str, tuple[list[_InForce], datetime.date]] = {}
        contracts = books.model.contracts
        self.contracts = {number: _Commitment() for number in contracts}
        self.terms = TermsInDateOrder(contracts)
        self.alert_policy = books.model.policy.is_set("budget-alert")

    def visit(self, voucher: Voucher) -> None:
        transaction = voucher.transaction
        if self.contracts:
            for terms in self.terms.due(transaction.date):
                self._sign(terms)
            for move in voucher_moves(voucher, self.books.model.contracts,
                                      self.books.account_types):
                self._charge_contract(move)
        expenses = self.books.account_types.expenses
        changes: dict[LineKey, _Change] = {}
        for leg in voucher.legs:
            if leg[2] is not None and leg[3] == expenses:  # a fund's costs
                self._charge(changes, transaction, leg)
        state = self.state
        for key, change in changes.items():
            spent = state.spent[key] = state.spent[key] + change.amount
            if change.amount <= 0:
                continue
            cap = change.line.cap
            if spent > cap and state.reported.get(key) != cap:
                state.reported[key] = cap
                state.alerted[key] = cap  # past the alert: over-budget says more, or nothing
                if change.line.directive.action != "ignore":
                    self.found.append(_over_budget(transaction, change, spent))
            self._alert(change.line, transaction, change.fund, change.account)

    def findings(self) -> list[Finding]:
        for terms in self.terms.rest():  # signed after the last transaction
            self._sign(terms)
        return self.found

    def _charge(self, changes: dict[LineKey, _Change], transaction: data.Transaction,
                leg: Leg) -> None:
        """Add a leg on a fund's costs to the net spending per line; report it as unbudgeted
        when no line in force covers it."""
        posting, account, fund, _, number, currency = leg
        units = posting.units
        if units is None or fund is None:
            return
        covered = False
        for line in self._lines_in_force(account, transaction.date):
            in_currency = line.currency  # the units if they are in it, else the weight
            amount = (units.number if units.currency == in_currency
                      else number if currency == in_currency else None)
            if amount is None:
                continue
            covered = True
            change = changes.get(line.key)
            if change is None:
                change = changes[line.key] = _Change(line, fund)
            change.amount += amount
            if amount > 0 and change.account is None:
                change.account = account
        if not covered and units.number is not None and units.number > 0:
            self.found.append(_unbudgeted(transaction, fund, account, units.number,
                                          units.currency))

    def _sign(self, terms: ContractTerms) -> None:
        """A contract's signing or change: it commits its new sum less what is charged, on the
        lines covering its account; judged against their 可用余额 when it raises what the
        contract commits."""
        contract = self.contracts[terms.number]
        earlier = contract.terms
        before = contract.committed
        contract.terms = terms
        budgets = self.books.model.budgets
        names = () if terms.account is None else budgets.covering(terms.account)
        self._commit(contract, tuple((name, terms.currency) for name in names))
        lines = [line for line in (self._line_in_force(name, terms.date) for name in names)
                 if line is not None and line.currency == terms.currency]
        raises = contract.committed > before and (earlier is None
                                                  or terms.amount > earlier.amount)
        if raises:
            self._judge_commitment(_Signing(terms, contract.committed, before,
                                            earlier is not None), lines)
        for line in lines:
            self._alert(line, terms.entry, terms.fund, terms.account)

    def _judge_commitment(self, signing: _Signing, lines: list[_InForce]) -> None:
        """Report the commitment on the nearest line of ``stop`` it takes beyond the line's
        可用余额 that day, else on the nearest of ``warn``; against 0 without a line."""
        if not lines:
            self.found.append(_unbudgeted_commitment(signing))
            return
        state = self.state
        over: dict[str, tuple[_InForce, Decimal, Decimal]] = {}
        for line in lines:
            action = line.directive.action
            if action == "ignore" or action in over:
                continue
            spent = state.spent.get(line.key, ZERO)
            others = state.committed[line.line, line.currency] - signing.commitment
            if signing.commitment > line.cap - spent - others:
                over[action] = (line, spent, others)
        judged = over.get("stop") or over.get("warn")
        if judged is not None:
            line, spent, others = judged
            self.found.append(_over_commitment(signing, line, spent, others))
            state.alerted[line.key] = line.cap  # the over-commitment finding says more

    def _charge_contract(self, move: ContractMove) -> None:
        contract = self.contracts[move.number]
        contract.charged += move.charged
        self._commit(contract, contract.lines)

    def _commit(self, contract: _Commitment, lines: tuple[Committing, ...]) -> None:
        """Move what the contract commits to ``lines``, at its sum in force less what is
        charged (nothing before its signing)."""
        committed = self.state.committed
        for line in contract.lines:
            committed[line] -= contract.committed
        terms = contract.terms
        contract.lines = lines
        contract.committed = ZERO if terms is None else max(ZERO, terms.amount - contract.charged)
        for line in lines:
            committed[line] += contract.committed

    def _alert(self, line: _InForce, entry: data.Directive, fund: str | None,
               account: str | None) -> None:
        """Warn once per line, period and cap when spending plus commitments reach the
        line's alert share."""
        state = self.state
        if state.alerted.get(line.key) == line.cap:
            return
        share = line.directive.alert
        if share is None and self.alert_policy:
            share = self.books.model.policy.share("budget-alert", entry.date)
        if share is None:
            return
        spent = state.spent.get(line.key, ZERO)
        committed = state.committed.get((line.line, line.currency), ZERO)
        if spent + committed > 0 and spent + committed >= share * line.cap:
            state.alerted[line.key] = line.cap
            self.found.append(_budget_alert(entry, line, share, spent, committed, fund,
                                            account))

    def _line_in_force(self, name: str, date: datetime.date) -> _InForce | None:
        """The line ``name`` itself on ``date``, if in force."""
        return next((line for line in self._lines_in_force(name, date) if line.line == name),
                    None)

    def _lines_in_force(self, account: str, date: datetime.date) -> list[_InForce]:
        """The lines covering the account that are in force on ``date``, with the period they
        count in. Worked out again only when a period ends or a line's directive changes (the
        transactions come in date order)."""
        known = self.in_force.get(account)
        if known is None or date >= known[1]:
            known = self.in_force[account] = self._work_out(account, date)
        return known[0]

    def _work_out(self, account: str, date: datetime.date,
                  ) -> tuple[list[_InForce], datetime.date]:
        """The lines in force, and the first day they may not be."""
        budgets = self.books.model.budgets
        lines: list[_InForce] = []
        until = datetime.date.max
        for line in budgets.covering(account):
            directive = budgets.in_effect(line, date)
            if directive is not None:
                period = period_key(directive.period, date)
                key: LineKey
                if directive.accumulate:  # the year since the line took its period
                    since = max(budgets.run_start(line, date), datetime.date(date.year, 1, 1))
                    key = (line, directive.currency, (date.year, since.toordinal()))
                    cap = budgets.year_to_date_cap(line, date)
                else:
                    key, cap = (line, directive.currency, period), directive.amount
                lines.append(_InForce(directive, key, cap, period))
                until = min(until, period_end(directive.period, date))
            until = min(until, budgets.next_change(line, date) or until)
        return lines, until
