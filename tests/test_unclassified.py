"""未分类款项 (unclassified): a fund's money left in suspense; 未复核 (unreviewed): a fund's
transaction still flagged ``!``."""

from __future__ import annotations

import datetime
from decimal import Decimal

from tests.helpers import HEADER, findings_of, rules_of

SUSPENSE = HEADER + "2012-01-01 open Equity:Suspense:Unclassified CNY\n"
LINE = """
    2012-03-05 ! "未知单位" "转账"
      voucher: "记-201203-007"
      Assets:Bank:Operating            -1500.00 CNY
      Equity:Suspense:Unclassified      1500.00 CNY
"""
RECLASSIFIED = """
    2012-03-20 * "调账" "未分类款项改记宣传费"
      invoice: "F-0305"
      Equity:Suspense:Unclassified     -1500.00 CNY
      Expenses:Operating:Publicity      1500.00 CNY
"""


def test_a_funds_money_left_in_suspense_is_unclassified_naming_the_line() -> None:
    findings = findings_of(LINE, header=SUSPENSE)
    assert [(f.rule, f.label, f.severity.value, f.date, f.fund, f.account, f.amount)
            for f in findings] == [
        ("unclassified", "未分类款项", "error", datetime.date(2012, 3, 5), "operating",
         "Assets:Bank:Operating", Decimal("1500.00"))]
    finding = findings[0]
    assert finding.voucher == "记-201203-007"
    assert finding.lineno == SUSPENSE.count("\n") + 1
    assert "Equity:Suspense:Unclassified" in finding.message
    assert f"2012-03-05 记-201203-007 <string>:{finding.lineno}" in finding.message


def test_a_reviewed_line_still_in_suspense_is_unclassified() -> None:
    assert rules_of(LINE.replace("! ", "* "), header=SUSPENSE) == ["unclassified"]


def test_decoy_a_line_moved_out_of_suspense_is_quiet() -> None:
    assert rules_of(LINE.replace("! ", "* "), RECLASSIFIED, header=SUSPENSE) == []


def test_money_received_into_suspense_is_unclassified_too() -> None:
    received = LINE.replace("-1500.00", "X").replace(" 1500.00", "-1500.00").replace(
        "X", " 1500.00")
    findings = findings_of(received.replace("! ", "* "), header=SUSPENSE)
    assert [(f.rule, f.amount) for f in findings] == [("unclassified", Decimal("1500.00"))]


def test_a_partial_reclassification_leaves_the_rest_named() -> None:
    part = RECLASSIFIED.replace("1500.00", "1000.00")
    findings = findings_of(LINE.replace("! ", "* "), part, header=SUSPENSE)
    assert [(f.rule, f.date, f.amount) for f in findings] == [
        ("unclassified", datetime.date(2012, 3, 5), Decimal("500.00"))]


def test_settling_takes_the_line_of_that_amount_first_then_the_oldest() -> None:
    lines = "".join(LINE.replace("! ", "* ").replace("03-05", f"03-0{day}").replace(
        "1500.00", amount).replace("记-201203-007", f"记-201203-00{day}")
        for day, amount in ((5, "100.00"), (6, "200.00"), (7, "300.00")))
    findings = findings_of(lines, RECLASSIFIED.replace("1500.00", "200.00"), header=SUSPENSE)
    assert [(f.date.day, f.amount) for f in findings] == [
        (5, Decimal("100.00")), (7, Decimal("300.00"))]
    findings = findings_of(lines, RECLASSIFIED.replace("1500.00", "150.00"), header=SUSPENSE)
    assert [(f.date.day, f.amount) for f in findings] == [
        (6, Decimal("150.00")), (7, Decimal("300.00"))]


def test_decoy_suspense_money_of_no_fund_is_quiet() -> None:
    district = LINE.replace("! ", "* ").replace("Assets:Bank:Operating", "Assets:District:General")
    assert rules_of(district, header=SUSPENSE) == []


def test_decoy_a_pay_line_settled_by_the_payrolls_net_leg_is_quiet() -> None:
    pay = """
        2012-03-25 * "工资" "发放3月工资"
          payroll: "2012-03"
          Expenses:Operating:Publicity        1500.00 CNY
          Equity:Suspense:Unclassified       -1500.00 CNY
    """
    assert rules_of(LINE.replace("! ", "* "), pay, header=SUSPENSE) == []


def test_a_flagged_transaction_of_a_fund_is_unreviewed_until_flagged_star() -> None:
    flagged = """
        2012-03-05 ! "揭阳市彩虹印务" "宣传册"
          invoice: "F-1"
          Assets:Bank:Operating          -300.00 CNY
          Expenses:Operating:Publicity    300.00 CNY
    """
    findings = findings_of(flagged)
    assert [(f.rule, f.label, f.severity.value, f.fund, f.account, f.amount)
            for f in findings] == [
        ("unreviewed", "未复核", "warning", "operating", "Assets:Bank:Operating",
         Decimal("300.00"))]
    assert rules_of(flagged.replace("! ", "* ")) == []


def test_decoy_a_flagged_transaction_of_no_fund_is_quiet() -> None:
    assert rules_of("""
        2012-03-05 ! "酒店" "宴请"
          Assets:District:General          -300.00 CNY
          Expenses:District:Hospitality     300.00 CNY
    """) == []


def test_a_flagged_line_in_suspense_is_reported_once_as_unclassified() -> None:
    assert rules_of(LINE, header=SUSPENSE) == ["unclassified"]
    assert rules_of(LINE, RECLASSIFIED, header=SUSPENSE) == ["unreviewed"]


RECEIVED = """
    2012-03-04 * "未知单位" "来款"
      voucher: "记-201203-006"
      Assets:Bank:Operating             300.00 CNY
      Equity:Suspense:Unclassified     -300.00 CNY
"""


def test_a_receipt_and_a_payment_in_suspense_do_not_settle_each_other() -> None:
    payment = LINE.replace("1500.00", "200.00").replace("! ", "* ")
    reclassified = RECLASSIFIED.replace("1500.00", "200.00")
    findings = findings_of(RECEIVED, payment, reclassified, header=SUSPENSE)
    assert [(f.rule, f.date, f.amount) for f in findings] == [
        ("unclassified", datetime.date(2012, 3, 4), Decimal("300.00"))]


def test_two_funds_lines_of_equal_amounts_are_two_items() -> None:
    received = RECEIVED.replace("300.00", "1500.00")
    paid = LINE.replace("Assets:Bank:Operating", "Assets:Bank:Construction").replace("! ", "* ")
    findings = findings_of(received, paid, header=SUSPENSE)
    assert [(f.rule, f.fund, f.amount) for f in findings] == [
        ("unclassified", "operating", Decimal("1500.00")),
        ("unclassified", "construction", Decimal("1500.00"))]


def test_money_moved_out_of_suspense_to_another_funds_account_is_still_unclassified() -> None:
    to_other_fund = """
    2012-03-10 * "调账" "未分类来款改记建设经费拨款"
      Equity:Suspense:Unclassified      300.00 CNY
      Income:Construction:District     -300.00 CNY
"""
    findings = findings_of(RECEIVED, to_other_fund, header=SUSPENSE)
    assert [(f.rule, f.fund, f.amount) for f in findings if f.rule == "unclassified"] == [
        ("unclassified", "operating", Decimal("300.00"))]


def test_decoy_a_receipt_reclassified_to_the_funds_income_is_quiet() -> None:
    to_own_income = """
    2012-03-10 * "调账" "未分类来款改记运营经费拨款"
      Equity:Suspense:Unclassified      300.00 CNY
      Income:Operating:District        -300.00 CNY
"""
    assert rules_of(RECEIVED, to_own_income, header=SUSPENSE) == []


def test_a_reclassification_booked_before_its_line_settles_it() -> None:
    # a payroll dated the pay day, its net leg to suspense, sorted before the pay line
    payroll_first = """
    2012-03-05 * "工资" "发放3月工资"
      payroll: "2012-03"
      Expenses:Operating:Publicity      1500.00 CNY
      Equity:Suspense:Unclassified     -1500.00 CNY
"""
    assert rules_of(payroll_first, LINE.replace("! ", "* "), header=SUSPENSE) == []
