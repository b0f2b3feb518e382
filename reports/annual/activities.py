"""业务活动表 (会民非02表) for a year (本年累计数), columns 非限定性, 限定性, 合计.

Income sits on the line of its kind (its chart code), under 限定性 when restricted (see
:mod:`reports.annual.figures`); costs sit under 非限定性 only, 业务活动成本 with one 其中 row per
fund (and one for the costs of no fund). Line 40 moves each fund's release from 限定性 to
非限定性; line 45 (净资产变动额) is the balance sheet's change in net assets, per column.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from ledger.model.books import Books
from ledger.model.postings import Owner
from reports.annual.balance_sheet import net_assets
from reports.annual.figures import (
    ZERO,
    AnnualFigures,
    annual_figures,
    is_restricted_income,
    restricted_years,
)
from reports.annual.mapping import account_codes
from reports.annual.rows import Statement, StatementRow

TITLE, CODE, COLUMNS = "业务活动表", "会民非02表", ("非限定性", "限定性", "合计")
COST_OF_ACTIVITIES = "5101"
FIRST_DETAIL, LAST_DETAIL = 13, 16  # the 行次 the form gives the 其中 rows

INCOME_LINES: tuple[tuple[int, str, str], ...] = (
    (1, "捐赠收入", "4101"), (2, "会费收入", "4201"), (3, "提供服务收入", "4301"),
    (4, "商品销售收入", "4501"), (5, "政府补助收入", "4401"), (6, "投资收益", "4601"),
    (9, "其他收入", "4901"),
)
COST_LINES: tuple[tuple[int, str, str], ...] = (
    (21, "管理费用", "5201"), (24, "筹资费用", "5301"), (28, "其他费用", "5401"),
)
Pair = tuple[Decimal, Decimal]  # (非限定性, 限定性)


def activities(books: Books, year: int) -> Statement:
    """The 业务活动表 of ``year``."""
    figures = annual_figures(books, year)
    income, costs, by_fund = _income_and_costs(figures, year)
    released = sum((each.released
                    for each in restricted_years(figures).get(year, {}).values()), ZERO)
    total_income = _add(*(income[code] for _, _, code in INCOME_LINES))
    total_costs = sum(costs.values(), ZERO)
    before, after = net_assets(figures, year - 1), net_assets(figures, year)
    rows = [StatementRow(None, "一、收入", (None, None, None))]
    rows += [_pair_row(line, label, income[code]) for line, label, code in INCOME_LINES]
    rows.append(_pair_row(11, "收入合计", total_income))
    rows.append(StatementRow(None, "二、费用", (None, None, None)))
    rows.append(_cost_row(12, "业务活动成本", costs[COST_OF_ACTIVITIES]))
    rows += _detail_rows(books, by_fund)
    rows += [_cost_row(line, label, costs[code]) for line, label, code in COST_LINES]
    rows.append(_cost_row(35, "费用合计", total_costs))
    rows.append(_pair_row(40, "三、限定性净资产转为非限定性净资产", (released, -released)))
    rows.append(_pair_row(45, "四、净资产变动额（若为净资产减少额，以“-”号填列）",
                          (after[0] - before[0], after[1] - before[1])))
    return Statement(TITLE, CODE, COLUMNS, rows)


def _income_and_costs(figures: AnnualFigures, year: int,
                      ) -> tuple[dict[str, Pair], dict[str, Decimal], dict[Owner, Decimal]]:
    """The year's income per chart code (非限定性, 限定性), costs per chart code, and
    业务活动成本 per fund."""
    income: dict[str, Pair] = defaultdict(lambda: (ZERO, ZERO))
    costs: dict[str, Decimal] = defaultdict(lambda: ZERO)
    by_fund: dict[Owner, Decimal] = defaultdict(lambda: ZERO)
    for account, code in account_codes(figures.books).items():
        movement = figures.movement(account, year)
        if code is None or not movement:
            continue
        if figures.is_income(account):
            restricted = is_restricted_income(account, figures.books)
            amount = (ZERO, -movement) if restricted else (-movement, ZERO)
            income[code] = _add(income[code], amount)
        elif figures.is_expense(account):
            costs[code] += movement
            if code == COST_OF_ACTIVITIES:
                by_fund[figures.owner(account)] += movement
    return income, costs, by_fund


def _detail_rows(books: Books, by_fund: dict[Owner, Decimal]) -> list[StatementRow]:
    """The 其中 rows of 业务活动成本: one per fund that has some, in the order the funds are
    declared, then the costs of no fund; 行次 13 to 16 while the form has them."""
    owners: list[Owner] = [code for code in books.model.funds if by_fund.get(code)]
    owners += sorted(code for code in by_fund if code is not None and code not in owners)
    if by_fund.get(None):
        owners.append(None)
    rows = []
    for index, owner in enumerate(owners):
        line = FIRST_DETAIL + index if FIRST_DETAIL + index <= LAST_DETAIL else None
        rows.append(_cost_row(line, f"其中：{_fund_label(books, owner)}", by_fund[owner]))
    return rows


def _fund_label(books: Books, owner: Owner) -> str:
    if owner is None:
        return "非专项支出"
    fund = books.model.funds.get(owner)
    return fund.name if fund is not None else owner


def _add(*pairs: Pair) -> Pair:
    return (sum((pair[0] for pair in pairs), ZERO), sum((pair[1] for pair in pairs), ZERO))


def _pair_row(line: int | None, label: str, pair: Pair) -> StatementRow:
    return StatementRow(line, label, (pair[0], pair[1], pair[0] + pair[1]))


def _cost_row(line: int | None, label: str, amount: Decimal) -> StatementRow:
    return StatementRow(line, label, (amount, None, amount))
