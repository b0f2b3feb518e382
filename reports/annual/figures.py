"""The figures every annual statement reads: each account's net per year, whether income is
restricted (限定性), and each fund's restricted money year by year with its release.

Restriction: a fund's income is restricted unless its ``custom "fund"`` says
``restricted: FALSE``; income of no fund is unrestricted; income under an account with a
``限定性收入`` / ``非限定性收入`` component follows that component.

Release (限定性净资产转为非限定性净资产): each year a fund releases what it spends on its purpose
(its Expenses, net of refunds), up to what it holds restricted (last year's restricted balance
plus this year's restricted income, net of money returned to the funder). What is not spent
stays restricted and carries to the next year; money returned reduces it, and is not released.

Restricted money brought forward (期初建账): an entry posted straight to 3102 限定性净资产 (the
opening entry, on the last day of the year before the books' first year) puts what it credits
there into the restricted holding of the funds whose accounts it debits, each its net debit
(what its accounts hold less what they owe). The funds whose income is restricted take it first,
then the funds declared ``restricted: FALSE``; where their nets add up to more than the 3102
credit (a 3101 credit beside them), it is shared among them in proportion, to the cent. What no
fund takes (an entry debiting only the unit's own accounts, or a debit to 3102) is restricted
money of no fund: it stays restricted, and no fund's spending releases it. A 3101 credit stays
unrestricted. The export refuses a year with such entries, so they count in the years after.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from beancount.core import data

from ledger.model.books import Books
from ledger.model.chart import RESTRICTED, UNRESTRICTED
from ledger.model.postings import Owner, weight
from reports.annual.cash_flow import spread
from reports.annual.mapping import account_codes

ZERO = Decimal("0.00")
RESTRICTED_NET_ASSETS = "3102"


@dataclass(frozen=True)
class FundYear:
    """One owner's (a fund's, or None's) restricted money in one year."""

    opening: Decimal  # restricted, at the start of the year
    received: Decimal  # restricted income of the year, net of money returned
    spent: Decimal  # the owner's Expenses in the year
    released: Decimal  # 限定性净资产转为非限定性净资产
    brought: Decimal = ZERO  # put straight into 3102 in the year (the opening entry)

    @property
    def closing(self) -> Decimal:
        return self.opening + self.brought + self.received - self.released


@dataclass(frozen=True)
class AnnualFigures:
    """Each account's net debit per year, for the years up to the statements' year, and per
    owner and year the restricted money entries put straight into 3102 (see the module)."""

    books: Books
    year: int
    nets: dict[str, dict[int, Decimal]] = field(repr=False)
    brought: dict[tuple[Owner, int], Decimal] = field(default_factory=dict, repr=False)

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
    """Each account's net per year, through ``year``, and the restricted money brought into
    3102, in one pass over the transactions."""
    nets: dict[str, dict[int, Decimal]] = defaultdict(dict)
    brought: dict[tuple[Owner, int], Decimal] = defaultdict(lambda: ZERO)
    restricted = {account for account, code in account_codes(books).items()
                  if code == RESTRICTED_NET_ASSETS}
    for entry in books.transactions:
        if entry.date.year > year:
            continue
        for posting in entry.postings:
            weighed = weight(posting)
            if weighed is None:
                continue
            by_year = nets[posting.account]
            by_year[entry.date.year] = by_year.get(entry.date.year, ZERO) + weighed[0]
        if any(posting.account in restricted for posting in entry.postings):
            for owner, amount in restricted_brought(entry, restricted, books).items():
                brought[owner, entry.date.year] += amount
    return AnnualFigures(books, year, dict(nets), dict(brought))


def restricted_brought(entry: data.Transaction, restricted: set[str], books: Books,
                       ) -> dict[Owner, Decimal]:
    """Who owns what ``entry`` credits to 3102 (the accounts in ``restricted``): the funds
    whose accounts it debits, each up to its net debit, restricted funds first, in proportion
    where they hold more than the credit; the rest (None) belongs to no fund."""
    credited = ZERO
    nets: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for posting in entry.postings:
        weighed = weight(posting)
        if weighed is None:
            continue
        owner = books.kinds[posting.account][0]
        if posting.account in restricted:
            credited -= weighed[0]
        elif owner is not None:
            nets[owner] += weighed[0]
    shares: dict[Owner, Decimal] = {}
    left = credited
    for tier in _tiers({fund: net for fund, net in sorted(nets.items()) if net > 0}, books):
        if left <= 0 or not tier:
            continue
        taken = spread(left, list(tier.values())) if sum(tier.values(), ZERO) > left \
            else list(tier.values())
        shares.update(zip(tier, taken, strict=True))
        left -= sum(taken, ZERO)
    if left:
        shares[None] = left
    return shares


def _tiers(debited: dict[str, Decimal], books: Books) -> list[dict[str, Decimal]]:
    """The funds debited, those whose income is restricted first, then the others."""
    first = {fund: net for fund, net in debited.items() if is_restricted_fund(fund, books)}
    return [first, {fund: net for fund, net in debited.items() if fund not in first}]


def is_restricted_fund(fund: str, books: Books) -> bool:
    """Whether the fund's income is restricted: unless its ``custom "fund"`` says
    ``restricted: FALSE``."""
    declared = books.model.funds.get(fund)
    return declared is None or (declared.entry.meta or {}).get("restricted", True) is not False


def is_restricted_income(account: str, books: Books) -> bool:
    """Whether income on ``account`` is restricted (see the module's docstring)."""
    parts = account.split(":")
    if UNRESTRICTED in parts:
        return False
    if RESTRICTED in parts:
        return True
    fund = books.model.fund_of(account)
    return fund is not None and is_restricted_fund(fund, books)


def restricted_years(figures: AnnualFigures) -> dict[int, dict[Owner, FundYear]]:
    """Each owner's restricted money, year by year from the books' first year to the
    statements' year (the release of each year needs the balance the year before)."""
    received: dict[tuple[Owner, int], Decimal] = defaultdict(lambda: ZERO)
    spent: dict[tuple[Owner, int], Decimal] = defaultdict(lambda: ZERO)
    owners: set[Owner] = {owner for owner, _ in figures.brought}
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
            brought = figures.brought.get((owner, year), ZERO)
            held = opening + brought + income
            released = max(ZERO, min(spending, held)) if owner is not None else ZERO
            years[year][owner] = FundYear(opening, income, spending, released, brought)
            holding[owner] = years[year][owner].closing
    return years
