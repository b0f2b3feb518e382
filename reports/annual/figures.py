"""The figures every annual statement reads: each account's net per year, whether income is
restricted (限定性), and each fund's restricted money year by year with its release.

Restriction: a fund's income is restricted unless its ``custom "fund"`` says
``restricted: FALSE``; income of no fund is unrestricted; income under an account with a
``限定性收入`` / ``非限定性收入`` component follows that component.

Release (限定性净资产转为非限定性净资产): each year a fund releases what it spends on its purpose
(its Expenses, net of refunds), up to what it holds restricted (last year's restricted balance
plus this year's restricted income, net of money returned to the funder). What is not spent
stays restricted and carries to the next year; money returned reduces it, and is not released.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from ledger.model.books import Books
from ledger.model.chart import RESTRICTED, UNRESTRICTED
from ledger.model.postings import Owner, weight

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class FundYear:
    """One owner's (a fund's, or None's) restricted money in one year."""

    opening: Decimal  # restricted, at the start of the year
    received: Decimal  # restricted income of the year, net of money returned
    spent: Decimal  # the owner's Expenses in the year
    released: Decimal  # 限定性净资产转为非限定性净资产

    @property
    def closing(self) -> Decimal:
        return self.opening + self.received - self.released


@dataclass(frozen=True)
class AnnualFigures:
    """Each account's net debit per year, for the years up to the statements' year."""

    books: Books
    year: int
    nets: dict[str, dict[int, Decimal]] = field(repr=False)

    def balance(self, account: str, through: int) -> Decimal:
        """The account's balance (debit positive) at the end of year ``through``."""
        by_year = self.nets.get(account, {})
        return sum((net for year, net in by_year.items() if year <= through), ZERO)

    def movement(self, account: str, year: int) -> Decimal:
        """The account's net debit within ``year``."""
        return self.nets.get(account, {}).get(year, ZERO)

    def root(self, account: str) -> str:
        return self.books.kinds[account][1]

    def owner(self, account: str) -> Owner:
        return self.books.kinds[account][0]

    def is_income(self, account: str) -> bool:
        return self.root(account) == self.books.account_types.income

    def is_expense(self, account: str) -> bool:
        return self.root(account) == self.books.account_types.expenses

    @property
    def first_year(self) -> int:
        years = [year for by_year in self.nets.values() for year in by_year]
        return min(years, default=self.year)


def annual_figures(books: Books, year: int) -> AnnualFigures:
    """Each account's net per year, through ``year``, in one pass over the transactions."""
    nets: dict[str, dict[int, Decimal]] = defaultdict(dict)
    for entry in books.transactions:
        if entry.date.year > year:
            continue
        for posting in entry.postings:
            weighed = weight(posting)
            if weighed is None:
                continue
            by_year = nets[posting.account]
            by_year[entry.date.year] = by_year.get(entry.date.year, ZERO) + weighed[0]
    return AnnualFigures(books, year, dict(nets))


def is_restricted_income(account: str, books: Books) -> bool:
    """Whether income on ``account`` is restricted (see the module's docstring)."""
    parts = account.split(":")
    if UNRESTRICTED in parts:
        return False
    if RESTRICTED in parts:
        return True
    fund = books.model.fund_of(account)
    if fund is None:
        return False
    declared = books.model.funds.get(fund)
    return declared is None or (declared.entry.meta or {}).get("restricted", True) is not False


def restricted_years(figures: AnnualFigures) -> dict[int, dict[Owner, FundYear]]:
    """Each owner's restricted money, year by year from the books' first year to the
    statements' year (the release of each year needs the balance the year before)."""
    received: dict[tuple[Owner, int], Decimal] = defaultdict(lambda: ZERO)
    spent: dict[tuple[Owner, int], Decimal] = defaultdict(lambda: ZERO)
    owners: set[Owner] = set()
    for account, by_year in figures.nets.items():
        owner = figures.owner(account)
        if figures.is_income(account) and is_restricted_income(account, figures.books):
            owners.add(owner)
            for year, net in by_year.items():
                received[owner, year] -= net
        elif figures.is_expense(account) and owner is not None:
            owners.add(owner)
            for year, net in by_year.items():
                spent[owner, year] += net
    years: dict[int, dict[Owner, FundYear]] = {}
    holding: dict[Owner, Decimal] = dict.fromkeys(owners, ZERO)
    for year in range(figures.first_year, figures.year + 1):
        years[year] = {}
        for owner in owners:
            opening, income, spending = holding[owner], received[owner, year], spent[owner, year]
            released = max(ZERO, min(spending, opening + income)) if owner is not None else ZERO
            years[year][owner] = FundYear(opening, income, spending, released)
            holding[owner] = years[year][owner].closing
    return years
