"""挪用 / 挤占 / 经批准调剂: fires on money leaving a fund, quiet on the look-alikes."""

from decimal import Decimal

import pytest

from ledger.model.findings import Severity
from tests.helpers import HEADER, findings_of, rules_of


def test_cross_fund_fires_when_construction_pays_operating_cost() -> None:
    findings = findings_of("""
        2012-03-01 * "揭阳日报社" "宣传费"
          invoice: "M-001"
          Assets:Bank:Construction      -800.00 CNY
          Expenses:Operating:Publicity   800.00 CNY
    """)
    assert [(f.rule, f.fund, f.account, f.amount) for f in findings] == [
        ("cross-fund", "construction", "Expenses:Operating:Publicity", Decimal("800.00"))]
    assert findings[0].severity is Severity.ERROR
    assert "800.00 CNY" in findings[0].message


def test_cross_fund_fires_on_transfer_between_fund_bank_accounts() -> None:
    assert rules_of("""
        2012-03-01 * "调拨"
          Assets:Bank:Construction  -5000.00 CNY
          Assets:Bank:Operating      5000.00 CNY
    """) == ["cross-fund"]


def test_diverted_fires_when_fund_money_reaches_no_fund_account() -> None:
    findings = findings_of("""
        2012-03-01 * "揭阳宾馆" "接待费"
          invoice: "M-002"
          Assets:Bank:Construction        -600.00 CNY
          Expenses:District:Hospitality    600.00 CNY
    """)
    assert [(f.rule, f.fund, f.account, f.amount) for f in findings] == [
        ("diverted", "construction", "Expenses:District:Hospitality", Decimal("600.00"))]


def test_diverted_amount_is_only_what_left_the_fund() -> None:
    findings = findings_of("""
        2012-03-01 * "混合支付"
          invoice: "M-003"
          Assets:Bank:Construction        -600.00 CNY
          Assets:District:General         -400.00 CNY
          Expenses:District:Hospitality   1000.00 CNY
    """)
    assert [(f.rule, f.amount) for f in findings] == [("diverted", Decimal("600.00"))]


def test_approval_turns_movement_into_info() -> None:
    findings = findings_of("""
        2012-03-01 * "经批准调剂"
          approval: "揭社工委〔2012〕18号"
          Assets:Bank:Construction  -5000.00 CNY
          Assets:Bank:Operating      5000.00 CNY
    """)
    assert [(f.rule, f.severity) for f in findings] == [("approved-transfer", Severity.INFO)]
    assert "揭社工委〔2012〕18号" in findings[0].message


def test_approved_diversion_is_info_too() -> None:
    assert rules_of("""
        2012-03-01 * "经批准上缴区财政"
          approval: "东管财〔2012〕70号"
          Assets:Bank:Construction  -5000.00 CNY
          Assets:District:General    5000.00 CNY
    """) == ["approved-transfer"]


@pytest.mark.parametrize("empty", ['""', '"  "', "FALSE"])
def test_an_empty_approval_is_no_approval(empty: str) -> None:
    assert "cross-fund" in rules_of(f"""
        2012-03-01 * "调剂"
          approval: {empty}
          Assets:Bank:Construction  -5000.00 CNY
          Assets:Bank:Operating      5000.00 CNY
    """)


def test_decoy_own_spending_and_refund_are_quiet() -> None:
    assert rules_of("""
        2012-03-01 * "专家" "辅导费"
          invoice: "M-004"
          Assets:Bank:Construction         -3000.00 CNY
          Expenses:Construction:Expert      3000.00 CNY
        2012-03-05 * "供应商" "退货退款"
          invoice: "M-005"
          Assets:Bank:Construction           500.00 CNY
          Expenses:Construction:Equipment   -500.00 CNY
    """) == []


def test_decoy_split_payment_each_fund_paying_its_own_share_is_quiet() -> None:
    assert rules_of("""
        2012-03-01 * "揭阳日报社" "建设与运营分别负担的宣传费"
          invoice: "M-006"
          Assets:Bank:Construction         -600.00 CNY
          Assets:Bank:Operating            -400.00 CNY
          Expenses:Construction:Expert      600.00 CNY
          Expenses:Operating:Publicity      400.00 CNY
    """) == []


def test_decoy_return_of_unspent_money_to_funder_is_quiet() -> None:
    assert rules_of("""
        2012-03-01 * "东山区管委会" "拨款"
          Assets:Bank:Construction          10000.00 CNY
          Income:Construction:District
        2012-11-08 * "东山区管委会" "上缴建设经费结余"
          Assets:Bank:Construction         -2000.00 CNY
          Income:Construction:District      2000.00 CNY
    """) == []


def test_decoy_petty_cash_within_the_fund_and_paying_its_payable_are_quiet() -> None:
    assert rules_of("""
        2012-03-01 * "提取备用金"
          Assets:Bank:Operating   -800.00 CNY
          Assets:Cash:Operating    800.00 CNY
        2012-03-02 * "印刷厂" "赊购宣传册"
          invoice: "M-007"
          Expenses:Operating:Publicity   1200.00 CNY
          Liabilities:Operating:Payable
        2012-03-20 * "印刷厂" "支付宣传册款"
          Liabilities:Operating:Payable  1200.00 CNY
          Assets:Bank:Operating
    """) == []


def test_decoy_money_arriving_from_district_is_not_movement_out_of_a_fund() -> None:
    assert rules_of("""
        2012-03-01 * "区财政垫付"
          Assets:District:General   -3000.00 CNY
          Assets:Bank:Operating      3000.00 CNY
    """) == []


def test_each_yuan_that_left_is_reported_once() -> None:
    findings = findings_of("""
        2012-03-01 * "两专项共同支付" "运营的宣传费和区里的招待费"
          invoice: "M-008"
          Assets:Bank:Construction         -100.00 CNY
          Assets:Bank:Operating            -100.00 CNY
          Liabilities:Operating:Payable     100.00 CNY
          Expenses:District:Hospitality     100.00 CNY
    """)
    assert [(f.rule, f.fund, f.amount) for f in findings] == [
        ("diverted", "construction", Decimal("100.00"))]


def test_district_moving_its_own_money_in_the_same_voucher_is_not_counted() -> None:
    findings = findings_of("""
        2012-03-01 * "混合凭证"
          invoice: "M-009"
          Assets:Bank:Construction        -100.00 CNY
          Expenses:Operating:Publicity     100.00 CNY
          Assets:District:General          -50.00 CNY
          Expenses:District:Hospitality     50.00 CNY
    """)
    assert [(f.rule, f.amount) for f in findings] == [("cross-fund", Decimal("100.00"))]


def test_charging_another_funds_cost_to_a_funds_payable_is_cross_fund() -> None:
    findings = findings_of("""
        2012-03-01 * "印刷厂" "建设经费挂账支付运营宣传费"
          invoice: "M-010"
          Expenses:Operating:Publicity      300.00 CNY
          Liabilities:Construction:Payable -300.00 CNY
    """, header=HEADER + """\
2012-01-01 open Liabilities:Construction:Payable CNY
  fund: "construction"
""")
    assert [(f.rule, f.fund, f.amount) for f in findings] == [
        ("cross-fund", "construction", Decimal("300.00"))]


def test_decoy_opening_balances_and_pads_against_equity_move_nothing() -> None:
    assert rules_of("""
        2012-01-03 * "期初余额" "上年代扣个税未缴"
          Liabilities:Operating:Payable   -1200.00 CNY
          Equity:Opening                   1200.00 CNY
        2012-01-04 * "余额调整"
          Assets:Bank:Construction          -10.00 CNY
          Equity:Opening                     10.00 CNY
    """) == []
