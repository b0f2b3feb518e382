"""资产负债表 (会民非01表): 年初数 and 期末数 of every line of the 2004 form.

Each account adds its balance to the line of its chart code; assets show debit balances
(contra accounts such as 坏账准备 reduce their line; 累计折旧 is shown on line 32 and deducted),
liabilities and net assets credit balances. Income and expenses are not closed in the books, so
net assets are the balances of 3101 / 3102 plus the cumulative result split by restriction:
限定性净资产 is what the funds (and, for money of no fund, the unit) still hold restricted, 3102
included (see :mod:`reports.annual.figures`), and 非限定性净资产 is 3101 plus the unrestricted
income less every expense plus what has been released.
年初数 is the end of the year before (zero for books that start in the year).
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from ledger.model.books import Books
from reports.annual.figures import (
    ZERO,
    AnnualFigures,
    annual_figures,
    is_restricted_income,
    restricted_years,
)
from reports.annual.mapping import account_codes
from reports.annual.rows import Statement, StatementRow

TITLE, CODE, COLUMNS = "资产负债表", "会民非01表", ("年初数", "期末数")

# chart code -> 行次 (codes of net assets are read separately)
LINE_OF_CODE: dict[str, int] = {
    "1001": 1, "1002": 1, "1009": 1, "1101": 2, "1102": 2,
    "1111": 3, "1121": 3, "1122": 3, "1131": 3, "1141": 4, "1201": 8, "1202": 8, "1301": 9,
    "1401": 21, "1421": 21, "1402": 24, "1501": 31, "1502": 32, "1505": 34, "1506": 35,
    "1509": 38, "1601": 41, "1701": 51,
    "2101": 61, "2201": 62, "2202": 62, "2209": 62, "2204": 63, "2206": 65, "2203": 66,
    "2301": 71, "2401": 72, "2501": 81, "2502": 84, "2601": 91,
}
CREDIT_LINES = {32, 61, 62, 63, 65, 66, 71, 72, 81, 84, 91}  # shown as credit balances

# (行次 or None for a heading, label, the 行次 a total adds (负 for a deduction) or None)
LAYOUT: tuple[tuple[int | None, str, tuple[int, ...] | None], ...] = (
    (None, "流动资产：", None), (1, "货币资金", None), (2, "短期投资", None),
    (3, "应收款项", None), (4, "预付账款", None), (8, "存货", None), (9, "待摊费用", None),
    (15, "一年内到期的长期债权投资", None), (18, "其他流动资产", None),
    (20, "流动资产合计", (1, 2, 3, 4, 8, 9, 15, 18)),
    (None, "长期投资：", None), (21, "长期股权投资", None), (24, "长期债权投资", None),
    (30, "长期投资合计", (21, 24)),
    (None, "固定资产：", None), (31, "固定资产原价", None), (32, "减：累计折旧", None),
    (33, "固定资产净值", (31, -32)), (34, "在建工程", None), (35, "文物文化资产", None),
    (38, "固定资产清理", None), (40, "固定资产合计", (33, 34, 35, 38)),
    (None, "无形资产：", None), (41, "无形资产", None),
    (None, "受托代理资产：", None), (51, "受托代理资产", None),
    (60, "资产总计", (20, 30, 40, 41, 51)),
    (None, "流动负债：", None), (61, "短期借款", None), (62, "应付款项", None),
    (63, "应付工资", None), (65, "应交税金", None), (66, "预收账款", None),
    (71, "预提费用", None), (72, "预计负债", None), (74, "一年内到期的长期负债", None),
    (78, "其他流动负债", None), (80, "流动负债合计", (61, 62, 63, 65, 66, 71, 72, 74, 78)),
    (None, "长期负债：", None), (81, "长期借款", None), (84, "长期应付款", None),
    (88, "其他长期负债", None), (90, "长期负债合计", (81, 84, 88)),
    (None, "受托代理负债：", None), (91, "受托代理负债", None),
    (100, "负债合计", (80, 90, 91)),
    (None, "净资产：", None), (101, "非限定性净资产", None), (105, "限定性净资产", None),
    (110, "净资产合计", (101, 105)), (120, "负债和净资产总计", (100, 110)),
)


def balance_sheet(books: Books, year: int) -> Statement:
    """The 资产负债表 at the end of ``year``, with the end of the year before as 年初数."""
    figures = annual_figures(books, year)
    opening, closing = line_amounts(figures, year - 1), line_amounts(figures, year)
    rows = [StatementRow(line, label, (None, None) if line is None
                         else (opening[line], closing[line]))
            for line, label, _ in LAYOUT]
    return Statement(TITLE, CODE, COLUMNS, rows)


def line_amounts(figures: AnnualFigures, through: int) -> dict[int, Decimal]:
    """Every line's amount at the end of year ``through``."""
    amounts: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for account, code in account_codes(figures.books).items():
        line = LINE_OF_CODE.get(code or "")
        if line is not None:
            balance = figures.balance(account, through)
            amounts[line] += -balance if line in CREDIT_LINES else balance
    unrestricted, restricted = net_assets(figures, through)
    amounts[101], amounts[105] = unrestricted, restricted
    for line, _, parts in LAYOUT:
        if line is not None and parts is not None:
            amounts[line] = sum((amounts[abs(part)] * (1 if part > 0 else -1)
                                 for part in parts), ZERO)
    return {line: amounts[line] for line, _, _ in LAYOUT if line is not None}


def net_assets(figures: AnnualFigures, through: int) -> tuple[Decimal, Decimal]:
    """非限定性净资产 and 限定性净资产 at the end of year ``through``."""
    unrestricted = held = ZERO
    books = figures.books
    for account, code in account_codes(books).items():
        balance = figures.balance(account, through)
        if code == "3101" or figures.is_expense(account) or (
                figures.is_income(account) and not is_restricted_income(account, books)):
            unrestricted -= balance
    by_year = restricted_years(figures)
    for year, owners in by_year.items():
        if year <= through:
            unrestricted += sum((each.released for each in owners.values()), ZERO)
    if through in by_year:
        held = sum((each.closing for each in by_year[through].values()), ZERO)
    return unrestricted, held
