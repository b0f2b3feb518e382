"""Per-fund figures for a year: budget, spent, remaining, committed, available, and the balance
of the fund's assets.

One computation, shared by ``check-funds`` and every later report. For a budget line, the year's
budget is the sum over the year's calendar periods of the cap in effect at each period's end (or
at the summary date, if earlier): a mid-year revision of a yearly line replaces its amount; a
line that changed its period in the year counts the periods of its latest kind since the
change (a yearly line turned monthly in July counts July to December). A fund's budget adds
its top lines only (a line under another budgeted line is part of it).
Spent is the net of debits and refunds on the fund's Expenses accounts within the year; balance
is what the fund's Assets hold at the summary date, and owed what its Liabilities still owe.

已承诺 (committed) is what the fund's open contracts still commit on the summary date (their sum
in force less what has been charged under them, see :mod:`ledger.model.contracts`), whatever the
year they were signed in; a line's is that of the contracts whose ``account:`` it covers (a line
over another budgeted line counts the contracts of both, as it counts their spending). 可用余额
(available) is budget − spent − committed. Each contract's figures on the date are kept with its
fund (:class:`ContractSummary`), and :func:`fund_figures` adds each fund's months for its chart:
at each month's end, the year's spending so far, what is committed then, and the budget.
"""

from __future__ import annotations

import calendar
import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, localcontext
from typing import Any

from beancount.core import data

from ledger.model.books import Books
from ledger.model.budget import Budgets
from ledger.model.contracts import (
    ContractMove,
    ContractPosition,
    committed_by_line,
    contract_line,
    contract_moves,
    contract_positions,
    quotes_contract,
)
from ledger.model.postings import amount_in, read_legs, weight

ZERO = Decimal("0.00")
FEN = Decimal("0.01")
HUNDRED = Decimal(100)


def to_fen(amount: Decimal) -> Decimal:
    """An amount shown to the fen at least: 0 is 0.00, a retention of 16000.0000 is 16000.00;
    an amount the books give with more decimals keeps them."""
    exponent = amount.as_tuple().exponent
    return amount.quantize(FEN) if isinstance(exponent, int) and exponent >= -2 else amount


def execution_rate(spent: Decimal, budget: Decimal) -> Decimal | None:
    """执行率: spent as a percentage of the budget, to two decimals; None without a budget."""
    if budget == 0:
        return None
    rate = spent / budget * HUNDRED
    with localcontext() as context:  # room for every digit of a rate of absurd books
        context.prec = max(context.prec, rate.adjusted() + 3)
        return rate.quantize(Decimal("0.01"))


@dataclass(frozen=True)
class LineSummary:
    """One budget line's year."""

    account: str
    period: str
    currency: str
    budget: Decimal
    spent: Decimal
    committed: Decimal = ZERO  # what open contracts on the line still commit

    @property
    def remaining(self) -> Decimal:
        return self.budget - self.spent

    @property
    def available(self) -> Decimal:
        """可用余额: the budget less what is spent and what open contracts still commit."""
        return self.budget - self.spent - self.committed

    @property
    def over(self) -> bool:
        return self.spent > self.budget

    @property
    def rate(self) -> Decimal | None:
        return execution_rate(self.spent, self.budget)


CONTRACT_STATUS_LABELS = {"open": "执行中", "paid": "已结清", "overrun": "超合同"}


@dataclass(frozen=True)
class ContractSummary:
    """One contract on the figures' date: its terms in force, what has been charged and paid
    under it, what it still commits, and the 质保金 still held."""

    number: str
    fund: str
    payee: str | None
    account: str | None
    line: str | None  # the budget line it commits (that of ``account:``, or the nearest above)
    currency: str
    signed: datetime.date
    amount: Decimal  # the sum in force
    charged: Decimal
    paid: Decimal
    committed: Decimal
    retention: Decimal  # the 质保金 share, 0 for none
    retention_until: datetime.date | None
    retention_due: Decimal  # the retention still held
    status: str  # open, paid or overrun

    @property
    def status_label(self) -> str:
        """执行中 (执行中（尚留质保金） once all is charged but the retention is held), 已结清
        or 超合同."""
        if self.status == "open" and not self.committed and self.retention_due:
            return "执行中（尚留质保金）"
        return CONTRACT_STATUS_LABELS.get(self.status, self.status)

    def to_json(self) -> dict[str, Any]:
        return {
            "number": self.number, "fund": self.fund, "payee": self.payee,
            "account": self.account, "line": self.line, "currency": self.currency,
            "signed": self.signed.isoformat(), "amount": str(self.amount),
            "charged": str(self.charged), "paid": str(self.paid),
            "committed": str(self.committed), "retention": str(self.retention),
            "retention_until": (None if self.retention_until is None
                                else self.retention_until.isoformat()),
            "retention_due": str(self.retention_due), "status": self.status,
        }


@dataclass(frozen=True)
class MonthFigures:
    """A fund at a month's end (or the figures' date, in its last month): the year's spending
    so far, what open contracts commit then, and the year's budget as known then."""

    month: str  # YYYY-MM
    spent: Decimal
    committed: Decimal
    budget: Decimal

    @property
    def spent_and_committed(self) -> Decimal:
        return self.spent + self.committed

    def to_json(self) -> dict[str, str]:
        return {"month": self.month, "spent": str(self.spent),
                "committed": str(self.committed),
                "spent_and_committed": str(self.spent_and_committed),
                "budget": str(self.budget)}


@dataclass
class FundSummary:
    """One fund's year, in one currency."""

    fund: str
    name: str
    currency: str
    budget: Decimal = ZERO
    spent: Decimal = ZERO
    balance: Decimal = ZERO
    owed: Decimal = ZERO  # the fund's Liabilities: withholdings and bills not yet paid
    lines: list[LineSummary] = field(default_factory=list)
    committed: Decimal = ZERO  # what the fund's open contracts still commit
    contracts: list[ContractSummary] = field(default_factory=list)
    months: list[MonthFigures] = field(default_factory=list)  # for the chart; fund_figures

    @property
    def remaining(self) -> Decimal:
        return self.budget - self.spent

    @property
    def available(self) -> Decimal:
        """可用余额: the budget less what is spent and what open contracts still commit."""
        return self.budget - self.spent - self.committed

    @property
    def rate(self) -> Decimal | None:
        return execution_rate(self.spent, self.budget)

    def to_json(self) -> dict[str, Any]:
        return {
            "fund": self.fund, "name": self.name, "currency": self.currency,
            "budget": str(self.budget), "spent": str(self.spent),
            "remaining": str(self.remaining), "balance": str(self.balance),
            "owed": str(self.owed), "committed": str(self.committed),
            "available": str(self.available),
            "lines": [{"account": line.account, "period": line.period,
                       "budget": str(line.budget), "spent": str(line.spent),
                       "remaining": str(line.remaining), "over": line.over,
                       "committed": str(line.committed), "available": str(line.available)}
                      for line in self.lines],
            "months": [month.to_json() for month in self.months],
        }


def _period_ends(period: str, year: int) -> list[datetime.date]:
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    if period == "yearly":
        return [last]
    if period in ("quarterly", "monthly"):
        step = 3 if period == "quarterly" else 1
        return [datetime.date(year, month + step - 1,
                              calendar.monthrange(year, month + step - 1)[1])
                for month in range(1, 13, step)]
    if period == "daily":
        return [first + datetime.timedelta(days=offset)
                for offset in range((last - first).days + 1)]
    return _iso_week_ends(year)


def _iso_week_ends(year: int) -> list[datetime.date]:
    """The Sundays that end the ISO weeks of ``year`` (52 or 53 of them; the last week of
    9999 ends on the calendar's last day, a Friday)."""
    weeks = datetime.date(year, 12, 28).isocalendar().week  # the 28th is in the year's last
    return [min(_sunday_of(year, week), datetime.date.max) for week in range(1, weeks + 1)]


def _sunday_of(year: int, week: int) -> datetime.date:
    monday = datetime.date.fromisocalendar(year, week, 1)
    return monday + datetime.timedelta(days=min(6, (datetime.date.max - monday).days))


def _line_budget(budgets: Budgets, line: str, year: int,
                 as_of: datetime.date) -> tuple[str, str, Decimal] | None:
    known = min(datetime.date(year, 12, 31), as_of)
    latest = budgets.in_effect(line, known)
    if latest is None:
        return None
    since = budgets.run_start(line, known)  # a line that had another period counts from then
    total = ZERO
    for end in _period_ends(latest.period, year):
        if end < since:
            continue
        directive = budgets.in_effect(line, min(end, as_of))
        if directive is not None and directive.currency == latest.currency:
            total += directive.amount
    return latest.period, latest.currency, total


class _Totals:
    """What one pass over the transactions adds up, per (fund or line, currency), and the
    moves under the contracts the transactions quote."""

    def __init__(self) -> None:
        self.spent: dict[tuple[str, str], Decimal] = defaultdict(lambda: ZERO)
        self.balance: dict[tuple[str, str], Decimal] = defaultdict(lambda: ZERO)
        self.owed: dict[tuple[str, str], Decimal] = defaultdict(lambda: ZERO)
        self.line_spent: dict[tuple[str, str], Decimal] = defaultdict(lambda: ZERO)
        self.month_spent: dict[tuple[str, str, int], Decimal] = defaultdict(lambda: ZERO)
        self.moves: list[ContractMove] = []

    def add(self, books: Books, transaction: data.Transaction, in_year: bool) -> None:
        """Balances in the units held; spending at its weight, and on each budget line in
        effect on the transaction's date in that line's currency, as the budget rules count it."""
        roots, kinds = books.account_types, books.kinds
        for posting in transaction.postings:
            fund, root = kinds[posting.account]
            units = posting.units
            if fund is None or units is None or units.number is None:
                continue
            if root == roots.assets:
                self.balance[fund, units.currency] += units.number
            elif root == roots.liabilities:
                self.owed[fund, units.currency] -= units.number
            elif in_year and root == roots.expenses:
                weighed = weight(posting)
                if weighed is not None:
                    self.spent[fund, weighed[1]] += weighed[0]
                    self.month_spent[fund, weighed[1], transaction.date.month] += weighed[0]
                self._add_to_lines(books, posting, transaction.date)
        contracts = books.model.contracts
        if contracts and quotes_contract(transaction):
            legs, _ = read_legs(transaction, kinds)
            self.moves += contract_moves(transaction, legs, contracts, roots)

    def _add_to_lines(self, books: Books, posting: data.Posting, date: datetime.date) -> None:
        for line in books.model.budgets.covering(posting.account):
            directive = books.model.budgets.in_effect(line, date)
            amount = None if directive is None else amount_in(posting, directive.currency)
            if directive is not None and amount is not None:
                self.line_spent[line, directive.currency] += amount

    def currencies(self, fund: str) -> list[str]:
        found = {currency for table in (self.spent, self.balance, self.owed)
                 for code, currency in table if code == fund}
        return sorted(found) or ["CNY"]


def _totals(books: Books, year: int, as_of: datetime.date) -> _Totals:
    totals = _Totals()
    for transaction in books.transactions:
        if transaction.date > as_of:
            break
        totals.add(books, transaction, transaction.date.year == year)
    return totals


def summarize_funds(books: Books, year: int, as_of: datetime.date, *,
                    months: bool = False) -> list[FundSummary]:
    """The figures of each fund declared by ``as_of``, for ``year`` up to ``as_of``; with
    ``months``, each fund's months for its chart too."""
    totals = _totals(books, year, as_of)
    summaries = {}
    for code, fund in books.model.funds.items():
        if fund.declared > as_of:
            continue
        for currency in totals.currencies(code):
            key = (code, currency)
            summaries[key] = FundSummary(code, fund.name, currency, spent=totals.spent[key],
                                         balance=totals.balance[key], owed=totals.owed[key])
    positions = contract_positions(books.model.contracts, totals.moves, as_of)
    _add_lines(books, summaries, totals.line_spent,
               committed_by_line(positions, books.model.budgets), year, as_of)
    _add_contracts(books, summaries, positions, as_of)
    if months:
        _add_months(books, summaries, totals, year, as_of)
    return [summaries[key] for key in sorted(summaries)]


def figures_date(books: Books, until: datetime.date | None) -> datetime.date:
    """The date the figures are as of: ``until`` if given, else the later of the last
    transaction and the latest plan directive not after today (:func:`last_planned`): a
    contract signed, a budget line revised or an allocation announced after the last payment
    is in the figures. Books with neither are as of today."""
    if until is not None:
        return until
    today = datetime.date.today()
    known = [date for date in (books.last_transaction_date, last_planned(books, today))
             if date is not None]
    return max(known, default=today)


def plan_dates(books: Books) -> list[datetime.date]:
    """The dates of the books' plan: each fund's declaration, budget line, allocation, contract
    signing and change. Those after today move the figures (:func:`figures_date`) once their
    day has come."""
    model = books.model
    return [*(fund.declared for fund in model.funds.values()),
            *(allocation.date for allocation in model.allocations),
            *model.budgets.dates(),
            *(terms.date for contract in model.contracts.values() for terms in contract.terms)]


def last_planned(books: Books, today: datetime.date) -> datetime.date | None:
    """The latest of :func:`plan_dates` not after ``today``: later ones are still to come and
    move no figure."""
    return max((date for date in plan_dates(books) if date <= today), default=None)


def fund_figures(books: Books, until: datetime.date | None, funds: tuple[str, ...] = (),
                 *, months: bool = True) -> list[FundSummary]:
    """The figures ``check-funds`` and the Fava page show: each fund's (or only those of
    ``funds``) year to :func:`figures_date`, with its months for the chart (unless not
    ``months``)."""
    as_of = figures_date(books, until)
    return [summary for summary in summarize_funds(books, as_of.year, as_of, months=months)
            if not funds or summary.fund in funds]


def _line_figures(books: Books, line_funds: dict[str, str], year: int,
                  as_of: datetime.date) -> list[tuple[str, str, str, str, Decimal, bool]]:
    """Each budget line's fund, period, currency, year's budget (as known on ``as_of``) and
    whether it counts in its fund's budget (a line under another of the fund's does not)."""
    budgets = books.model.budgets
    found = []
    for line, fund in line_funds.items():
        figures = _line_budget(budgets, line, year, as_of)
        if figures is None:
            continue
        period, currency, budget = figures
        top = not any(line_funds.get(parent) == fund for parent in budgets.covering(line)[1:])
        found.append((line, fund, period, currency, budget, top))
    return found


def _add_lines(books: Books, summaries: dict[tuple[str, str], FundSummary],
               line_spent: dict[tuple[str, str], Decimal],
               line_committed: dict[tuple[str, str], Decimal], year: int,
               as_of: datetime.date) -> None:
    for line, fund, period, currency, budget, top in _line_figures(books, _line_funds(books),
                                                                   year, as_of):
        summary = _summary_of(books, summaries, fund, currency, as_of)
        if summary is None:
            continue
        summary.lines.append(LineSummary(line, period, currency, budget,
                                         line_spent[line, currency],
                                         line_committed.get((line, currency), ZERO)))
        if top:
            summary.budget += budget


def _summary_of(books: Books, summaries: dict[tuple[str, str], FundSummary], fund: str,
                currency: str, as_of: datetime.date) -> FundSummary | None:
    """The fund's summary in ``currency``, made if the fund is declared by ``as_of``."""
    summary = summaries.get((fund, currency))
    if summary is None and fund in books.model.funds:
        declared = books.model.funds[fund]
        if declared.declared <= as_of:
            summary = summaries[fund, currency] = FundSummary(fund, declared.name, currency)
    return summary


def _add_contracts(books: Books, summaries: dict[tuple[str, str], FundSummary],
                   positions: dict[str, ContractPosition], as_of: datetime.date) -> None:
    """Each contract signed by ``as_of`` with its fund, in signing order; its commitment
    added to the fund's."""
    budgets = books.model.budgets
    ordered = sorted(positions.values(),
                     key=lambda position: (position.contract.signed, position.contract.number))
    for position in ordered:
        contract = position.contract
        terms = contract.in_force(as_of) or contract.latest
        summary = _summary_of(books, summaries, contract.fund, terms.currency, as_of)
        if summary is None:
            continue
        summary.committed += position.committed
        summary.contracts.append(ContractSummary(
            contract.number, contract.fund, terms.payee, terms.account,
            contract_line(terms, budgets), terms.currency, contract.signed,
            to_fen(position.amount), to_fen(position.charged), to_fen(position.paid),
            to_fen(position.committed), terms.retention, terms.retention_until,
            position.retention_held.quantize(FEN), position.status))


def _month_ends(year: int, as_of: datetime.date) -> list[datetime.date]:
    """The last day of each month of ``year`` up to ``as_of`` (``as_of`` itself in its
    month)."""
    last_month = 12 if as_of.year > year else as_of.month if as_of.year == year else 0
    return [min(as_of, datetime.date(year, month, calendar.monthrange(year, month)[1]))
            for month in range(1, last_month + 1)]


def _add_months(books: Books, summaries: dict[tuple[str, str], FundSummary],
                totals: _Totals, year: int, as_of: datetime.date) -> None:
    """Each fund's months: the year's spending to each month's end, what the open contracts
    commit then, and the year's budget as known then."""
    line_funds = _line_funds(books)
    spent: dict[tuple[str, str], Decimal] = defaultdict(lambda: ZERO)
    commitments = _Commitments(books, totals.moves)
    for end in _month_ends(year, as_of):
        budget: dict[tuple[str, str], Decimal] = defaultdict(lambda: ZERO)
        for _, fund, _, currency, amount, top in _line_figures(books, line_funds, year, end):
            if top:
                budget[fund, currency] += amount
        committed = commitments(end)
        for key, summary in summaries.items():
            spent[key] += totals.month_spent[(*key, end.month)]
            summary.months.append(MonthFigures(f"{end:%Y-%m}", spent[key], committed[key],
                                               budget[key]))


class _Commitments:
    """What the open contracts commit per fund and currency at dates taken in order: the moves
    (in date order) are added up once, as the dates pass."""

    def __init__(self, books: Books, moves: list[ContractMove]) -> None:
        self._contracts = books.model.contracts
        self._moves = moves
        self._next = 0
        self._charged: dict[str, Decimal] = defaultdict(lambda: ZERO)

    def __call__(self, date: datetime.date) -> dict[tuple[str, str], Decimal]:
        moves = self._moves
        while self._next < len(moves) and moves[self._next].transaction.date <= date:
            move = moves[self._next]
            self._charged[move.number] += move.charged
            self._next += 1
        committed: dict[tuple[str, str], Decimal] = defaultdict(lambda: ZERO)
        for number, contract in self._contracts.items():
            terms = contract.in_force(date)
            if terms is not None and terms.amount > self._charged[number]:
                committed[contract.fund, terms.currency] += terms.amount - self._charged[number]
        return committed


def _line_funds(books: Books) -> dict[str, str]:
    """The fund of each budget line: its own account's, else the one fund of the accounts
    below it. A line over accounts of several funds belongs to none of them."""
    model = books.model
    below: dict[str, set[str]] = defaultdict(set)
    for account, fund in model.account_fund.items():
        if fund in model.funds:
            for line in model.budgets.covering(account):
                below[line].add(fund)
    line_funds: dict[str, str] = {}
    for line in model.budgets.accounts():
        own = model.fund_of(line)
        if own in model.funds:
            line_funds[line] = own
        elif len(below[line]) == 1:
            line_funds[line] = next(iter(below[line]))
    return line_funds
