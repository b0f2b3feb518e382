"""Per-fund figures: recomputed independently with beanquery, and the plan's budget semantics."""

import datetime
from decimal import Decimal

from beancount import loader
from beanquery import query

from ledger.check import DEMO_BOOKS
from ledger.model.books import read_books
from ledger.model.summary import FundSummary, summarize_funds
from tests.helpers import HEADER

YEAR_END = datetime.date(2012, 12, 31)


def _sums(entries: object, options: object, where: str,
          group: str = "root(account, 2)") -> dict[str, Decimal]:
    _, rows = query.run_query(entries, options,
                              f"SELECT {group} AS fund, sum(number) AS total "
                              f"WHERE {where} GROUP BY fund")
    return dict(rows)


def test_demo_figures_match_an_independent_query() -> None:
    entries, errors, options = loader.load_file(str(DEMO_BOOKS))
    assert errors == []
    summaries = {s.fund: s for s in summarize_funds(read_books(entries, options), 2012,
                                                    YEAR_END)}
    # Expenses:5101-业务活动成本:建设经费:装修工程: the fund's name is the third component,
    # whatever the code (5101 业务活动成本, 5201 管理费用, 5301 筹资费用).
    spent = _sums(entries, options, "account ~ '^Expenses:' AND year = 2012",
                  "leaf(root(account, 3))")
    assets = _sums(entries, options, "account ~ '^Assets:(1001|1002)-'")
    by_fund = {"construction": "建设经费", "salary": "社工薪酬", "operating": "运营经费"}
    for code, name in by_fund.items():
        assert summaries[code].spent == spent[name]
    # Every bank and cash account of the demo belongs to a fund.
    total_balance = sum(s.balance for s in summaries.values())
    assert total_balance == assets["Assets:1002-银行存款"] + assets["Assets:1001-现金"]
    # unspent money returned in November; what is left is the retention (质保金) still held
    construction = summaries["construction"]
    held = sum((contract.retention_due for contract in construction.contracts), Decimal(0))
    assert construction.balance == held == construction.owed
    publicity = next(line for line in summaries["operating"].lines
                     if line.account == "Expenses:5101-业务活动成本:运营经费:宣传费")
    assert publicity.budget == Decimal("23000.00")  # the November revision replaces 15000


def _summary(body: str, as_of: datetime.date = YEAR_END) -> FundSummary:
    bare = "\n".join(line for line in HEADER.splitlines() if '"budget"' not in line) + "\n"
    entries, errors, options = loader.load_string(bare + body)
    assert errors == []
    summaries = summarize_funds(read_books(entries, options), 2012, as_of)
    return next(s for s in summaries if s.fund == "construction")


def test_monthly_line_budget_is_the_sum_of_each_months_cap() -> None:
    summary = _summary(
        '2012-01-01 custom "budget" Expenses:Construction:Expert "monthly" 100.00 CNY\n'
        '2012-07-01 custom "budget" Expenses:Construction:Expert "monthly" 200.00 CNY\n')
    assert summary.budget == Decimal("1800.00")


def test_nested_lines_are_not_counted_twice() -> None:
    summary = _summary(
        '2012-01-01 custom "budget" Expenses:Construction "yearly" 1000.00 CNY\n'
        '2012-01-01 custom "budget" Expenses:Construction:Expert "yearly" 400.00 CNY\n'
        '2012-03-01 * "专家" "辅导费"\n'
        '  Assets:Bank:Construction  -300.00 CNY\n'
        '  Expenses:Construction:Expert  300.00 CNY\n')
    assert (summary.budget, summary.spent, summary.remaining) == (
        Decimal("1000.00"), Decimal("300.00"), Decimal("700.00"))
    assert [(line.account, line.spent) for line in summary.lines] == [
        ("Expenses:Construction", Decimal("300.00")),
        ("Expenses:Construction:Expert", Decimal("300.00"))]
    assert summary.balance == Decimal("499700.00")


def test_figures_stop_at_the_summary_date() -> None:
    summary = _summary(
        '2012-01-01 custom "budget" Expenses:Construction:Expert "yearly" 1000.00 CNY\n'
        '2012-09-01 custom "budget" Expenses:Construction:Expert "yearly" 3000.00 CNY\n'
        '2012-10-01 * "专家" "辅导费"\n'
        '  Assets:Bank:Construction  -300.00 CNY\n'
        '  Expenses:Construction:Expert  300.00 CNY\n', as_of=datetime.date(2012, 6, 30))
    assert (summary.budget, summary.spent) == (Decimal("1000.00"), Decimal("0.00"))


def test_owed_withholdings_are_shown_apart_from_the_balance() -> None:
    header = HEADER + '2012-01-01 open Liabilities:Construction:Tax CNY\n  fund: "construction"\n'
    entries, errors, options = loader.load_string(header + """
2012-03-01 * "专家" "辅导费，代扣个税"
  Expenses:Construction:Expert      1000.00 CNY
  Liabilities:Construction:Tax      -160.00 CNY
  Assets:Bank:Construction          -840.00 CNY
""")
    assert errors == []
    summary = next(s for s in summarize_funds(read_books(entries, options), 2012, YEAR_END)
                   if s.fund == "construction")
    assert (summary.balance, summary.owed) == (Decimal("499160.00"), Decimal("160.00"))


def test_funds_declared_after_the_summary_date_are_left_out() -> None:
    entries, errors, options = loader.load_string(HEADER + """
2012-09-01 custom "fund" "salary" "社工薪酬"
""")
    assert errors == []
    books = read_books(entries, options)
    june = datetime.date(2012, 6, 30)
    assert "salary" not in {s.fund for s in summarize_funds(books, 2012, june)}
    assert "salary" in {s.fund for s in summarize_funds(books, 2012, YEAR_END)}


def test_balances_are_the_units_held() -> None:
    header = HEADER + ('2012-01-01 open Assets:Bank:Construction:HKD HKD\n  fund: "construction"\n'
                       '2012-01-01 open Expenses:Construction:Abroad\n  fund: "construction"\n')
    entries, errors, options = loader.load_string(header + """
2012-03-01 * "银行" "购汇"
  Assets:Bank:Construction          -810.00 CNY
  Assets:Bank:Construction:HKD      1000.00 HKD @ 0.81 CNY
2012-03-05 * "香港专家" "辅导费（港币）"
  Assets:Bank:Construction:HKD     -1000.00 HKD
  Expenses:Construction:Abroad      1000.00 HKD
""")
    assert errors == []
    figures = {(s.fund, s.currency): s for s in summarize_funds(read_books(entries, options),
                                                                2012, YEAR_END)}
    assert figures["construction", "CNY"].balance == Decimal("499190.00")
    assert figures["construction", "HKD"].balance == Decimal("0.00")
    assert figures["construction", "HKD"].spent == Decimal("1000.00")


def test_a_lines_spent_counts_only_while_the_line_is_in_effect() -> None:
    summary = _summary(
        '2012-07-01 custom "budget" Expenses:Construction:Expert "yearly" 5000.00 CNY\n'
        '2012-03-01 * "专家" "无预算时的支出"\n'
        '  Assets:Bank:Construction  -8000.00 CNY\n'
        '  Expenses:Construction:Expert  8000.00 CNY\n'
        '2012-08-01 * "专家" "辅导费"\n'
        '  Assets:Bank:Construction  -1000.00 CNY\n'
        '  Expenses:Construction:Expert  1000.00 CNY\n')
    assert [(line.spent, line.over) for line in summary.lines] == [(Decimal("1000.00"), False)]
    assert summary.spent == Decimal("9000.00")


def test_a_line_over_several_funds_belongs_to_none_and_hides_no_funds_own_lines() -> None:
    entries, errors, options = loader.load_string(HEADER + """
2012-01-01 open Expenses:Staff:Construction CNY
  fund: "construction"
2012-01-01 open Expenses:Staff:Operating CNY
  fund: "operating"
2012-01-01 custom "budget" Expenses:Staff "yearly" 50000.00 CNY
2012-01-01 custom "budget" Expenses:Staff:Construction "yearly" 30000.00 CNY
2012-01-01 custom "budget" Expenses:Staff:Operating "yearly" 5000.00 CNY
""")
    assert errors == []
    summaries = {s.fund: s for s in summarize_funds(read_books(entries, options), 2012,
                                                    YEAR_END)}
    lines = {s.fund: {line.account: line.budget for line in s.lines}
             for s in summaries.values()}
    assert lines["operating"] == {"Expenses:Operating": Decimal("1000000.00"),
                                  "Expenses:Staff:Operating": Decimal("5000.00")}
    assert summaries["operating"].budget == Decimal("1005000.00")
    assert summaries["construction"].budget == Decimal("1030000.00")


def test_a_weekly_line_budgets_the_iso_weeks_of_the_year() -> None:
    summary = _summary(
        '2012-01-01 custom "budget" Expenses:Construction:Expert "weekly" 100.00 CNY\n')
    assert summary.budget == Decimal("5200.00")  # 2012 has 52 ISO weeks
