"""无预算列支 and 超预算 with the plan's budget semantics."""

import datetime
import itertools
import textwrap
from decimal import Decimal
from pathlib import Path

from tests.helpers import HEADER, check_funds_json, findings_of, rules_of

# A header whose only budget lines are the ones a test declares.
BARE = "\n".join(line for line in HEADER.splitlines() if '"budget"' not in line) + "\n"


INVOICE_NUMBERS = itertools.count(1)


def spend(date: str, amount: str, account: str = "Expenses:Construction:Expert") -> str:
    return f"""
        {date} * "专家" "辅导费"
          invoice: "S-{next(INVOICE_NUMBERS):04d}"
          Assets:Bank:Construction   -{amount} CNY
          {account}   {amount} CNY
    """


def test_spending_without_any_budget_line_is_unbudgeted() -> None:
    findings = findings_of(spend("2012-03-01", "500.00"), header=BARE)
    assert [(f.rule, f.account, f.amount) for f in findings] == [
        ("unbudgeted", "Expenses:Construction:Expert", Decimal("500.00"))]


def test_spending_before_the_line_takes_effect_is_unbudgeted() -> None:
    body = '2012-06-01 custom "budget" Expenses:Construction:Expert "yearly" 9000.00 CNY\n'
    assert rules_of(body, spend("2012-03-01", "500.00"), spend("2012-06-01", "500.00"),
                    header=BARE) == ["unbudgeted"]


def test_decoy_an_ancestor_line_covers_a_sub_account() -> None:
    body = '2012-01-01 custom "budget" Expenses:Construction "yearly" 9000.00 CNY\n'
    assert rules_of(body, spend("2012-03-01", "500.00", "Expenses:Construction:Expert:Travel"),
                    header=BARE) == []


def test_decoy_refund_is_never_flagged() -> None:
    assert rules_of("""
        2012-03-01 * "供应商" "退款"
          invoice: "B-001"
          Assets:Bank:Construction           500.00 CNY
          Expenses:Construction:Equipment   -500.00 CNY
    """, header=BARE) == []


def test_line_in_another_currency_does_not_cover() -> None:
    body = '2012-01-01 custom "budget" Expenses:Construction:Expert "yearly" 9000.00 HKD\n'
    assert rules_of(body, spend("2012-03-01", "500.00"), header=BARE) == ["unbudgeted"]


YEARLY_LINE = '2012-01-01 custom "budget" Expenses:Construction:Expert "yearly" 10000.00 CNY\n'


def test_the_spending_that_crosses_the_cap_is_over_budget_once() -> None:
    findings = findings_of(YEARLY_LINE, spend("2012-03-01", "6000.00")
                           + spend("2012-05-01", "5000.00"), spend("2012-07-01", "1000.00"),
                           header=BARE)
    assert [(f.rule, f.date, f.amount) for f in findings] == [
        ("over-budget", datetime.date(2012, 5, 1), Decimal("1000.00"))]
    message = findings[0].message
    assert "10000.00" in message and "11000.00" in message and "1000.00" in message


def test_decoy_spending_exactly_the_cap_is_quiet() -> None:
    assert rules_of(YEARLY_LINE, spend("2012-03-01", "6000.00"), spend("2012-05-01", "4000.00"),
                    header=BARE) == []


def test_decoy_mid_year_revision_replaces_the_amount() -> None:
    revision = '2012-07-01 custom "budget" Expenses:Construction:Expert "yearly" 15000.00 CNY\n'
    assert rules_of(YEARLY_LINE, revision, spend("2012-03-01", "9000.00")
                    + spend("2012-08-01", "5000.00"), header=BARE) == []


def test_revision_is_not_pro_rata_and_applies_from_its_date_only() -> None:
    revision = '2012-07-01 custom "budget" Expenses:Construction:Expert "yearly" 15000.00 CNY\n'
    findings = findings_of(YEARLY_LINE, revision, spend("2012-03-01", "11000.00"), header=BARE)
    assert [(f.rule, f.amount) for f in findings] == [("over-budget", Decimal("1000.00"))]


def test_downward_revision_flags_the_next_spending() -> None:
    revision = '2012-07-01 custom "budget" Expenses:Construction:Expert "yearly" 5000.00 CNY\n'
    findings = findings_of(YEARLY_LINE, revision, spend("2012-03-01", "6000.00")
                           + spend("2012-08-01", "100.00"), header=BARE)
    assert [(f.rule, f.date, f.amount) for f in findings] == [
        ("over-budget", datetime.date(2012, 8, 1), Decimal("1100.00"))]


def test_monthly_line_resets_each_calendar_month() -> None:
    line = '2012-01-01 custom "budget" Expenses:Construction:Expert "monthly" 1000.00 CNY\n'
    quiet = spend("2012-03-31", "1000.00") + spend("2012-04-01", "1000.00")
    assert rules_of(line, quiet, header=BARE) == []
    findings = findings_of(line, quiet, spend("2012-04-30", "0.01"), header=BARE)
    assert [(f.rule, f.date) for f in findings] == [("over-budget", datetime.date(2012, 4, 30))]


def test_quarterly_and_weekly_periods_follow_the_calendar() -> None:
    quarterly = '2012-01-01 custom "budget" Expenses:Construction:Expert "quarterly" 1000.00 CNY\n'
    assert rules_of(quarterly, spend("2012-03-31", "1000.00"), spend("2012-04-01", "1000.00"),
                    header=BARE) == []
    assert rules_of(quarterly, spend("2012-04-01", "600.00"), spend("2012-06-30", "600.00"),
                    header=BARE) == ["over-budget"]
    weekly = '2012-01-01 custom "budget" Expenses:Construction:Expert "weekly" 100.00 CNY\n'
    # 2012-03-04 is a Sunday, 2012-03-05 the next Monday.
    assert rules_of(weekly, spend("2012-03-04", "100.00"), spend("2012-03-05", "100.00"),
                    header=BARE) == []
    assert rules_of(weekly, spend("2012-03-05", "60.00"), spend("2012-03-11", "60.00"),
                    header=BARE) == ["over-budget"]


def test_parent_line_caps_the_sum_of_its_sub_accounts() -> None:
    line = '2012-01-01 custom "budget" Expenses:Construction "yearly" 1000.00 CNY\n'
    findings = findings_of(line, spend("2012-03-01", "700.00")
                           + spend("2012-03-02", "700.00", "Expenses:Construction:Equipment"),
                           header=BARE)
    assert [(f.rule, f.account) for f in findings] == [
        ("over-budget", "Expenses:Construction:Equipment")]


def test_refund_lowers_what_the_line_has_spent() -> None:
    refund = """
        2012-04-01 * "专家" "退回多付辅导费"
          invoice: "B-002"
          Assets:Bank:Construction          2000.00 CNY
          Expenses:Construction:Expert     -2000.00 CNY
    """
    assert rules_of(YEARLY_LINE, spend("2012-03-01", "9000.00") , refund,
                    spend("2012-05-01", "3000.00"), header=BARE) == []


def test_decoy_reclassification_within_a_line_is_no_spending_in_either_order() -> None:
    nearly_full = spend("2012-03-01", "9900.00")
    travel = "Expenses:Construction:Expert:Travel   300.00 CNY"
    expert = "Expenses:Construction:Expert        -300.00 CNY"
    for first, second in ((travel, expert), (expert, travel)):
        reclassification = f"""
            2012-04-01 * "调账" "专家费重分类为差旅"
              {first}
              {second}
        """
        assert rules_of(YEARLY_LINE, nearly_full, reclassification, header=BARE) == []


def test_the_same_cap_issued_again_does_not_report_the_same_excess_twice() -> None:
    again = '2012-07-01 custom "budget" Expenses:Construction:Expert "yearly" 10000.00 CNY\n'
    findings = findings_of(YEARLY_LINE, again, spend("2012-03-01", "11000.00"),
                           spend("2012-08-01", "100.00"), header=BARE)
    assert [f.date for f in findings] == [datetime.date(2012, 3, 1)]


def test_over_budget_names_the_account_spent_on() -> None:
    line = '2012-01-01 custom "budget" Expenses:Construction "yearly" 1000.00 CNY\n'
    findings = findings_of(line, spend("2012-03-01", "900.00"), """
        2012-04-01 * "供应商" "退款并购置设备"
          invoice: "B-003"
          Expenses:Construction:Expert      -100.00 CNY
          Expenses:Construction:Equipment    500.00 CNY
          Assets:Bank:Construction          -400.00 CNY
    """, header=BARE)
    assert [(f.rule, f.account, f.amount) for f in findings] == [
        ("over-budget", "Expenses:Construction:Equipment", Decimal("300.00"))]


def test_a_revised_cap_crossed_again_is_reported_again() -> None:
    revision = '2012-07-01 custom "budget" Expenses:Construction:Expert "yearly" 15000.00 CNY\n'
    findings = findings_of(YEARLY_LINE, revision, spend("2012-03-01", "12000.00"),
                           spend("2012-09-01", "5000.00"), header=BARE)
    assert [(f.date, f.amount) for f in findings] == [
        (datetime.date(2012, 3, 1), Decimal("2000.00")),
        (datetime.date(2012, 9, 1), Decimal("2000.00"))]


def test_a_line_in_the_units_currency_covers_spending_paid_at_a_price() -> None:
    header = BARE + '2012-01-01 open Expenses:Construction:Abroad\n  fund: "construction"\n'
    line = '2012-01-01 custom "budget" Expenses:Construction:Abroad "yearly" 100.00 HKD\n'
    abroad = """
        2012-03-01 * "香港专家" "辅导费（港币）"
          invoice: "B-004"
          Expenses:Construction:Abroad     120.00 HKD @ 0.81 CNY
          Assets:Bank:Construction        -97.20 CNY
    """
    findings = findings_of(line, abroad, header=header)
    assert [(f.rule, f.amount, f.currency) for f in findings] == [
        ("over-budget", Decimal("20.00"), "HKD")]


CHINESE = """
    2012-01-01 open Expenses:Operating:社区活动 CNY
      fund: "operating"
    2012-01-01 open Expenses:Operating:社区活动:2013-Fees CNY
      fund: "operating"
    2012-01-01 custom "budget" Expenses:Operating:社区活动 "yearly" 40000.00 CNY
"""


def activity(date: str, amount: str, account: str = "Expenses:Operating:社区活动") -> str:
    return f"""
        {date} * "东山区惠民超市" "社区活动物资"
          invoice: "H-{next(INVOICE_NUMBERS):04d}"
          Assets:Bank:Operating   -{amount} CNY
          {account}   {amount} CNY
    """


def test_a_budget_line_on_a_chinese_account_caps_its_spending() -> None:
    findings = findings_of(CHINESE, activity("2012-03-01", "30000.00"),
                           activity("2012-05-01", "15000.00",
                                    "Expenses:Operating:社区活动:2013-Fees"), header=BARE)
    assert [(f.rule, f.account, f.amount, f.budget_line) for f in findings] == [
        ("over-budget", "Expenses:Operating:社区活动:2013-Fees", Decimal("5000.00"),
         "Expenses:Operating:社区活动")]
    assert "预算科目 Expenses:Operating:社区活动 2012年预算 40000.00 CNY" in findings[0].message


def test_decoy_spending_within_a_chinese_line_is_quiet() -> None:
    assert rules_of(CHINESE, activity("2012-03-01", "30000.00"), header=BARE) == []


def test_a_budget_line_on_a_name_the_books_refuse_is_a_bad_directive() -> None:
    for name in ('"Expenses:社区活动"', '"Other:Food"', '"Expenses:Fo od"', "5"):
        body = f'2012-01-01 custom "budget" {name} "yearly" 40000.00 CNY\n'
        assert rules_of(body, header=BARE) == ["bad-directive"], name


def test_check_funds_reports_the_chinese_line_over_budget(tmp_path: Path) -> None:
    main = tmp_path / "main.beancount"
    main.write_text('plugin "ledger.plugin"\n' + BARE + "".join(
        textwrap.dedent(part) for part in (CHINESE, activity("2012-03-01", "45000.00"))),
        encoding="utf-8")
    report = check_funds_json(str(main), "--no-cache")
    assert [(f["rule"], f["account"], f["amount"]) for f in report["findings"]] == [
        ("over-budget", "Expenses:Operating:社区活动", "5000.00")]
    [line] = [line for fund in report["funds"] for line in fund["lines"]]
    assert (line["account"], line["budget"], line["spent"]) == (
        "Expenses:Operating:社区活动", "40000.00", "45000.00")
