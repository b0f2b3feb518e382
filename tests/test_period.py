"""期外列支: spending charged to a fund before its declaration or after its end."""

import datetime
from decimal import Decimal

from tests.helpers import HEADER, findings_of, rules_of

ENDED = HEADER.replace('"construction" "示范点建设经费"\n',
                       '"construction" "示范点建设经费"\n  end: 2012-06-30\n')


def spend(date: str, amount: str = "500.00") -> str:
    return f"""
        {date} * "专家" "辅导费"
          invoice: "P-{date}"
          Assets:Bank:Construction       -{amount} CNY
          Expenses:Construction:Expert    {amount} CNY
    """


def test_spending_after_the_fund_ended_fires() -> None:
    findings = findings_of(spend("2012-07-01"), header=ENDED)
    assert [(f.rule, f.date, f.fund, f.account, f.amount) for f in findings] == [
        ("out-of-period", datetime.date(2012, 7, 1), "construction",
         "Expenses:Construction:Expert", Decimal("500.00"))]
    assert "2012-06-30" in findings[0].message


def test_spending_before_the_fund_was_declared_fires() -> None:
    late = ENDED.replace('2012-01-01 custom "fund" "construction"',
                         '2012-03-01 custom "fund" "construction"')
    findings = findings_of(spend("2012-02-29"), spend("2012-03-01"), header=late)
    assert [(f.rule, str(f.date)) for f in findings] == [("out-of-period", "2012-02-29")]
    assert "2012-03-01" in findings[0].message


def test_decoy_a_payment_the_day_the_fund_ends_is_quiet() -> None:
    assert rules_of(spend("2012-06-30"), header=ENDED) == []


def test_decoy_a_refund_after_the_end_is_quiet() -> None:
    assert rules_of("""
        2012-07-15 * "专家" "退回多付辅导费"
          Assets:Bank:Construction        200.00 CNY
          Expenses:Construction:Expert   -200.00 CNY
    """, header=ENDED) == []


def test_decoy_a_reclassification_between_own_costs_after_the_end_is_quiet() -> None:
    assert rules_of("""
        2012-07-15 * "调整科目" "专家差旅费重分类"
          Expenses:Construction:Expert:Travel   300.00 CNY
          Expenses:Construction:Expert         -300.00 CNY
    """, header=ENDED) == []


def test_decoy_a_fund_without_end_is_never_over() -> None:
    assert rules_of(spend("2012-12-31")) == []
