"""截留: income landing outside its fund; 拨款未到位: allocations short at their due date, per
funder when they name one."""

import datetime
from decimal import Decimal

from tests.helpers import HEADER, findings_of, rules_of


def test_income_received_into_district_account_is_withheld() -> None:
    findings = findings_of("""
        2012-03-01 * "东山区管委会" "建设经费拨款存入区财政账户"
          Assets:District:General        100000.00 CNY
          Income:Construction:District
    """)
    assert [(f.rule, f.fund, f.account, f.amount) for f in findings] == [
        ("withheld", "construction", "Assets:District:General", Decimal("100000.00"))]


def test_income_received_into_another_funds_account_is_withheld() -> None:
    assert rules_of("""
        2012-03-01 * "东山区管委会" "建设经费拨款存入运营专户"
          Assets:Bank:Operating   100000.00 CNY
          Income:Construction:District
    """) == ["withheld"]


def test_decoy_income_received_into_its_own_account_is_quiet() -> None:
    assert rules_of("""
        2012-03-01 * "东山区管委会" "建设经费拨款"
          Assets:Bank:Construction   100000.00 CNY
          Income:Construction:District
    """) == []


ALLOCATION = """
    2012-03-01 custom "allocation" "construction" 100000.00 CNY
      due: 2012-03-31
"""
LATE_LAST_ENTRY = """
    2012-06-30 * "银行" "结息"
      Assets:Bank:Construction   1.00 CNY
      Income:Construction:District
"""


def test_allocation_short_at_due_date_is_late_with_shortfall() -> None:
    findings = findings_of(ALLOCATION, """
        2012-03-10 * "东山区管委会" "拨款（部分）"
          Assets:Bank:Construction   60000.00 CNY
          Income:Construction:District
    """, LATE_LAST_ENTRY)
    assert [(f.rule, f.date, f.amount) for f in findings] == [
        ("allocation-late", datetime.date(2012, 3, 31), Decimal("40000.00"))]
    assert "40000.00" in findings[0].message and "100000.00" in findings[0].message


def test_decoy_allocation_received_in_instalments_by_due_date_is_quiet() -> None:
    assert rules_of(ALLOCATION, """
        2012-03-10 * "东山区管委会" "拨款（一）"
          Assets:Bank:Construction   60000.00 CNY
          Income:Construction:District
        2012-03-31 * "东山区管委会" "拨款（二）"
          Assets:Bank:Construction   40000.00 CNY
          Income:Construction:District
    """, LATE_LAST_ENTRY) == []


def test_due_date_defaults_to_policy_days_after_the_allocation() -> None:
    body = """
        2012-01-01 custom "fund-policy" "allocation-due-days" 10
        2012-03-01 custom "allocation" "construction" 5000.00 CNY
        2012-03-15 * "东山区管委会" "拨款"
          Assets:Bank:Construction   5000.00 CNY
          Income:Construction:District
    """
    findings = findings_of(body, LATE_LAST_ENTRY)
    assert [(f.rule, f.date) for f in findings] == [("allocation-late", datetime.date(2012, 3, 11))]
    later = body.replace('"allocation-due-days" 10', '"allocation-due-days" 30')
    assert rules_of(later, LATE_LAST_ENTRY) == []


def test_default_policy_is_thirty_days() -> None:
    findings = findings_of("""
        2012-03-01 custom "allocation" "construction" 5000.00 CNY
    """, LATE_LAST_ENTRY)
    assert [f.date for f in findings] == [datetime.date(2012, 3, 31)]


def test_later_policy_applies_to_later_allocations_only() -> None:
    findings = findings_of("""
        2012-01-01 custom "fund-policy" "allocation-due-days" 10
        2012-02-01 custom "allocation" "construction" 5000.00 CNY
        2012-03-01 custom "fund-policy" "allocation-due-days" 60
        2012-03-01 custom "allocation" "construction" 5000.00 CNY
    """, LATE_LAST_ENTRY)
    assert [f.date for f in findings] == [datetime.date(2012, 2, 11), datetime.date(2012, 4, 30)]


def test_due_date_after_the_books_end_is_not_judged_yet() -> None:
    assert rules_of("""
        2012-03-01 custom "allocation" "construction" 5000.00 CNY
          due: 2012-12-31
    """, LATE_LAST_ENTRY) == []


def test_receipts_count_cumulatively_across_allocations() -> None:
    findings = findings_of("""
        2012-02-01 custom "allocation" "construction" 5000.00 CNY
          due: 2012-02-20
        2012-03-01 custom "allocation" "construction" 5000.00 CNY
          due: 2012-03-20
        2012-02-10 * "东山区管委会" "拨款"
          Assets:Bank:Construction   7000.00 CNY
          Income:Construction:District
    """, LATE_LAST_ENTRY)
    assert [(f.date, f.amount) for f in findings] == [
        (datetime.date(2012, 3, 20), Decimal("3000.00"))]


def test_receipts_of_another_fund_do_not_count() -> None:
    assert rules_of(ALLOCATION, """
        2012-03-10 * "东山区管委会" "运营拨款"
          Assets:Bank:Operating   100000.00 CNY
          Income:Operating:District
    """, LATE_LAST_ENTRY) == ["allocation-late"]


def test_decoy_one_voucher_booking_two_funds_receipts_on_their_own_accounts() -> None:
    assert rules_of("""
        2012-03-21 * "银行" "第一季度结息（各专户合并回单）"
          Assets:Bank:Construction         1.20 CNY
          Assets:Bank:Operating            0.80 CNY
          Income:Construction:District    -1.20 CNY
          Income:Operating:District       -0.80 CNY
    """) == []


def test_decoy_receipt_beside_a_district_internal_transfer_is_quiet() -> None:
    header = HEADER + "2012-01-01 open Assets:District:Cash CNY\n"
    assert rules_of("""
        2012-03-22 * "东山区管委会" "建设经费到账；区财政提现"
          Assets:Bank:Construction   1000.00 CNY
          Income:Construction:District
          Assets:District:General     -50.00 CNY
          Assets:District:Cash         50.00 CNY
    """, header=header) == []


def test_allocations_due_the_same_day_give_one_finding_with_the_total() -> None:
    findings = findings_of("""
        2012-03-01 custom "allocation" "construction" 100.00 CNY
          due: 2012-04-01
        2012-03-02 custom "allocation" "construction" 200.00 CNY
          due: 2012-04-01
    """, LATE_LAST_ENTRY)
    assert [(f.date, f.amount) for f in findings] == [
        (datetime.date(2012, 4, 1), Decimal("300.00"))]


def test_income_spent_straight_on_a_cost_of_no_fund_is_withheld() -> None:
    findings = findings_of("""
        2012-03-01 * "东山区管委会" "建设经费直接支付区接待费"
          invoice: "W-001"
          Income:Construction:District     -500.00 CNY
          Expenses:District:Hospitality     500.00 CNY
    """)
    assert [(f.rule, f.account, f.amount) for f in findings] == [
        ("withheld", "Expenses:District:Hospitality", Decimal("500.00"))]


def test_income_spent_straight_on_another_funds_cost_is_withheld() -> None:
    assert rules_of("""
        2012-03-01 * "东山区管委会" "建设经费直接支付运营宣传费"
          invoice: "W-002"
          Income:Construction:District     -500.00 CNY
          Expenses:Operating:Publicity      500.00 CNY
    """) == ["withheld"]


def test_decoy_funder_paying_the_funds_own_supplier_directly_is_quiet() -> None:
    assert rules_of("""
        2012-03-01 * "东山区管委会" "国库直接支付专家辅导费"
          invoice: "W-003"
          Income:Construction:District     -500.00 CNY
          Expenses:Construction:Expert      500.00 CNY
    """) == []


def test_a_funds_own_receipt_is_matched_first() -> None:
    findings = findings_of("""
        2012-03-01 * "东山区管委会" "建设经费到账，同时划出一部分给运营"
          Assets:Bank:Construction         1000.00 CNY
          Income:Construction:District    -1000.00 CNY
          Assets:Bank:Construction          -50.00 CNY
          Assets:Bank:Operating              50.00 CNY
    """)
    assert [(f.rule, f.amount) for f in findings] == [("cross-fund", Decimal("50.00"))]


def test_a_balance_assertion_after_the_last_transaction_does_not_extend_the_books() -> None:
    assert rules_of("""
        2012-03-01 custom "allocation" "construction" 5000.00 CNY
          due: 2012-07-01
    """, LATE_LAST_ENTRY, """
        2012-07-01 balance Assets:Bank:Construction  500001.00 CNY
    """) == []


def test_a_fund_paying_its_own_cost_does_not_hide_income_landing_elsewhere() -> None:
    findings = findings_of("""
        2012-03-01 * "混合凭证" "拨款存入区财政；专户支付专家费"
          invoice: "W-004"
          Income:Construction:District    -1000.00 CNY
          Assets:District:General          1000.00 CNY
          Assets:Bank:Construction         -200.00 CNY
          Expenses:Construction:Expert      200.00 CNY
    """)
    assert [(f.rule, f.amount) for f in findings] == [("withheld", Decimal("1000.00"))]


def test_a_refund_paid_to_the_district_is_withheld() -> None:
    findings = findings_of("""
        2012-03-01 * "供应商" "退款退到区财政账户"
          invoice: "W-005"
          Expenses:Construction:Equipment  -5000.00 CNY
          Assets:District:General           5000.00 CNY
    """)
    assert [(f.rule, f.account, f.amount) for f in findings] == [
        ("withheld", "Assets:District:General", Decimal("5000.00"))]


def test_moving_income_between_a_funds_own_income_accounts_is_no_receipt() -> None:
    header = HEADER + '2012-01-01 open Income:Construction:City CNY\n  fund: "construction"\n'
    findings = findings_of("""
        2012-03-01 custom "allocation" "construction" 100.00 CNY
          due: 2012-03-31
        2012-03-10 * "调账" "收入科目重分类"
          Income:Construction:District      80.00 CNY
          Income:Construction:City         -80.00 CNY
    """, LATE_LAST_ENTRY, header=header)
    assert [(f.rule, f.amount) for f in findings] == [("allocation-late", Decimal("100.00"))]


def test_a_balance_assertion_covers_the_days_before_it() -> None:
    body = """
        2012-03-01 custom "allocation" "construction" 5000.00 CNY
          due: 2012-06-30
    """
    assert rules_of(body, LATE_LAST_ENTRY.replace("2012-06-30", "2012-06-01")) == []
    covered = """
        2012-07-01 balance Assets:Bank:Construction  500001.00 CNY
    """
    assert rules_of(body, LATE_LAST_ENTRY.replace("2012-06-30", "2012-06-01"),
                    covered) == ["allocation-late"]


CITY = HEADER + '2012-01-01 open Income:Construction:City CNY\n  fund: "construction"\n'
FROM_CITY = """
    2012-03-01 custom "allocation" "construction" 100.00 CNY
      due: 2012-03-31
      source: Income:Construction:City
"""


def receipt(date: str, source: str, amount: str = "100.00") -> str:
    return f"""
        {date} * "拨款" "拨款到账"
          Assets:Bank:Construction   {amount} CNY
          {source}
    """


def test_a_late_allocation_is_its_own_code_naming_funder_and_shortfall() -> None:
    findings = findings_of(FROM_CITY, receipt("2012-03-10", "Income:Construction:City", "40.00"),
                           LATE_LAST_ENTRY, header=CITY)
    assert [(f.rule, f.label, f.account, f.amount) for f in findings] == [
        ("allocation-late", "拨款未到位", "Income:Construction:City", Decimal("60.00"))]
    assert "来源 Income:Construction:City 应到位" in findings[0].message
    assert "短缺 60.00 CNY" in findings[0].message


def test_an_allocation_with_a_source_is_not_met_by_another_funders_money() -> None:
    findings = findings_of(FROM_CITY, receipt("2012-03-10", "Income:Construction:District"),
                           LATE_LAST_ENTRY, header=CITY)
    assert [(f.rule, f.amount) for f in findings] == [("allocation-late", Decimal("100.00"))]


def test_decoy_an_allocation_met_by_its_own_source_is_quiet() -> None:
    assert rules_of(FROM_CITY, receipt("2012-03-10", "Income:Construction:City"),
                    LATE_LAST_ENTRY, header=CITY) == []


def test_a_source_may_be_a_parent_of_the_funds_income_accounts() -> None:
    parent = FROM_CITY.replace("Income:Construction:City", "Income:Construction")
    assert rules_of(parent, receipt("2012-03-10", "Income:Construction:District"),
                    LATE_LAST_ENTRY, header=CITY) == []


def test_allocations_without_a_source_pool_what_no_source_takes() -> None:
    pooled = FROM_CITY + """
    2012-03-01 custom "allocation" "construction" 100.00 CNY
      due: 2012-03-31
"""
    both_paid = (receipt("2012-03-10", "Income:Construction:City"),
                 receipt("2012-03-11", "Income:Construction:District"))
    assert rules_of(pooled, *both_paid, LATE_LAST_ENTRY, header=CITY) == []
    district_twice = receipt("2012-03-10", "Income:Construction:District", "200.00")
    findings = findings_of(pooled, district_twice, LATE_LAST_ENTRY, header=CITY)
    assert [(f.rule, f.account, f.amount) for f in findings] == [
        ("allocation-late", "Income:Construction:City", Decimal("100.00"))]


def test_a_source_that_is_no_income_of_the_fund_is_a_bad_directive() -> None:
    for source in ("Assets:Bank:Construction", "Income:Operating:District",
                   "Income:Construction:Nowhere", '"市财政"', "42"):
        findings = findings_of(FROM_CITY.replace("Income:Construction:City", source),
                               LATE_LAST_ENTRY, header=CITY)
        assert [(f.rule, f.lineno) for f in findings] == [
            ("bad-directive", CITY.count("\n") + 1)], source
        assert "source:" in findings[0].message


def test_decoy_a_quoted_source_is_read_as_the_account() -> None:
    quoted = FROM_CITY.replace("Income:Construction:City", '"Income:Construction:City"')
    assert rules_of(quoted, receipt("2012-03-10", "Income:Construction:City"),
                    LATE_LAST_ENTRY, header=CITY) == []
