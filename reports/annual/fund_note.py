"""专项资金收支情况表: a note to the statements, one row per fund and a 合计 row.

上年结余 is what the fund held at the start of the year (its income less its expenses since the
books began, plus the restricted money an opening entry (期初建账) brought it in 3102, see
:mod:`reports.annual.figures`), 本年拨入 its income of the year (net of money returned to the
funder), 本年支出 its Expenses of the year, and 本年结余 = 上年结余 + 本年拨入 − 本年支出.
限定性转出 is the restriction released in the year (业务活动表 line 40 for that fund): what it
spent on its purpose, up to what it held restricted.
"""

from __future__ import annotations

from decimal import Decimal

from ledger.model.books import Books
from reports.annual.figures import ZERO, AnnualFigures, annual_figures, restricted_years
from reports.annual.rows import Statement, StatementRow

TITLE, CODE = "专项资金收支情况表", "附注"
COLUMNS = ("上年结余", "本年拨入", "本年支出", "本年结余", "限定性转出")


def fund_note(books: Books, year: int) -> Statement:
    """The 专项资金收支情况表 of ``year``: the funds in the order they are declared."""
    figures = annual_figures(books, year)
    released = restricted_years(figures).get(year, {})
    income, spent = _fund_flows(figures, year)
    rows: list[StatementRow] = []
    for code, fund in books.model.funds.items():
        before, received, used = (income[code][0] - spent[code][0], income[code][1],
                                  spent[code][1])
        release = released[code].released if code in released else ZERO
        rows.append(StatementRow(None, fund.name,
                                 (before, received, used, before + received - used, release)))
    totals = tuple(sum((row.values[column] or ZERO for row in rows), ZERO)
                   for column in range(len(COLUMNS)))
    rows.append(StatementRow(None, "合计", totals))
    return Statement(TITLE, CODE, COLUMNS, rows)


def _fund_flows(figures: AnnualFigures, year: int,
                ) -> tuple[dict[str, tuple[Decimal, Decimal]], dict[str, tuple[Decimal, Decimal]]]:
    """Per fund, (before the year, in the year) of its income (credit positive, with the
    restricted money entries put straight into 3102 for it) and of its expenses."""
    income = dict.fromkeys(figures.books.model.funds, (ZERO, ZERO))
    spent = dict(income)
    for (owner, each), amount in figures.brought.items():
        if owner in income:
            earlier, later = income[owner]
            income[owner] = ((earlier + amount, later) if each < year
                             else (earlier, later + amount))
    for account, by_year in figures.nets.items():
        owner = figures.owner(account)
        if owner not in income:
            continue
        before = sum((net for each, net in by_year.items() if each < year), ZERO)
        during = by_year.get(year, ZERO)
        if figures.is_income(account):
            income[owner] = (income[owner][0] - before, income[owner][1] - during)
        elif figures.is_expense(account):
            spent[owner] = (spent[owner][0] + before, spent[owner][1] + during)
    return income, spent
