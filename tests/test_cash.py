"""超限提现: cash drawn out of a fund above the cash limit."""

from decimal import Decimal

from tests.helpers import HEADER, findings_of, rules_of


def withdraw(date: str, amount: str, cash: str = "Assets:Cash:Operating") -> str:
    return f"""
        {date} * "银行" "提取备用金"
          {cash}                   {amount} CNY
          Assets:Bank:Operating   -{amount} CNY
    """


def test_withdrawal_above_the_limit_fires_with_the_amount_drawn() -> None:
    findings = findings_of(withdraw("2012-03-01", "1500.00"))
    assert [(f.rule, f.fund, f.account, f.amount) for f in findings] == [
        ("cash-withdrawal", "operating", "Assets:Cash:Operating", Decimal("1500.00"))]
    assert "1000.00" in findings[0].message


def test_an_account_opened_with_kind_cash_is_a_cash_account() -> None:
    header = HEADER + '2012-01-01 open Assets:Petty:Operating CNY\n  fund: "operating"\n' \
                      '  kind: "cash"\n'
    assert rules_of(withdraw("2012-03-01", "1500.00", "Assets:Petty:Operating"),
                    header=header) == ["cash-withdrawal"]


def test_only_the_part_that_went_into_cash_counts() -> None:
    findings = findings_of("""
        2012-03-01 * "银行" "提取备用金并付宣传费"
          invoice: "C-001"
          Assets:Bank:Operating     -5000.00 CNY
          Assets:Cash:Operating       900.00 CNY
          Expenses:Operating:Publicity  4100.00 CNY
    """)
    assert findings == []


def test_decoy_withdrawals_at_or_under_the_limit_are_quiet() -> None:
    assert rules_of(withdraw("2012-03-01", "1000.00"), withdraw("2012-03-02", "800.00")) == []


def test_decoy_cash_paid_back_into_the_bank_is_quiet() -> None:
    assert rules_of(withdraw("2012-03-01", "900.00"), """
        2012-03-05 * "银行" "备用金存回"
          Assets:Bank:Operating    5000.00 CNY
          Assets:Cash:Operating   -5000.00 CNY
    """) == []


def test_decoy_an_account_merely_named_like_cash_outside_assets_is_not_cash() -> None:
    header = HEADER + '2012-01-01 open Expenses:Operating:Cash CNY\n  fund: "operating"\n'
    assert rules_of("""
        2012-03-01 * "银行" "现金管理服务费"
          invoice: "C-002"
          Assets:Bank:Operating      -1500.00 CNY
          Expenses:Operating:Cash      1500.00 CNY
    """, header=header) == []


def test_the_cash_limit_in_effect_on_the_date_applies() -> None:
    findings = findings_of(
        '2012-05-01 custom "fund-policy" "cash-limit" 2000.00 CNY\n',
        withdraw("2012-04-30", "1500.00"), withdraw("2012-05-01", "1500.00"))
    assert [(f.rule, str(f.date)) for f in findings] == [("cash-withdrawal", "2012-04-30")]


def test_decoy_income_received_in_cash_while_the_bank_pays_a_bill_is_no_withdrawal() -> None:
    assert rules_of("""
        2012-03-01 * "综合" "收现金捐助，银行付宣传费"
          invoice: "C-003"
          Assets:Bank:Operating         -3000.00 CNY
          Expenses:Operating:Publicity   3000.00 CNY
          Assets:Cash:Operating          2000.00 CNY
          Income:Operating:District     -2000.00 CNY
    """) == []


TWO_CASH = HEADER + '2012-01-01 open Assets:Cash:Construction CNY\n  fund: "construction"\n'


def test_each_fund_is_judged_on_what_it_drew_into_its_own_cash() -> None:
    findings = findings_of("""
        2012-03-01 * "银行" "两专项各提备用金"
          Assets:Bank:Construction   -2000.00 CNY
          Assets:Cash:Construction    2000.00 CNY
          Assets:Bank:Operating      -1500.00 CNY
          Assets:Cash:Operating       1500.00 CNY
    """, header=TWO_CASH)
    assert [(f.fund, f.account, f.amount) for f in findings] == [
        ("construction", "Assets:Cash:Construction", Decimal("2000.00")),
        ("operating", "Assets:Cash:Operating", Decimal("1500.00"))]


def test_another_funds_bill_in_the_voucher_neither_hides_nor_causes_a_withdrawal() -> None:
    findings = findings_of("""
        2012-03-01 * "综合" "建设专项提现，运营专项付宣传费"
          invoice: "C-004"
          Assets:Bank:Construction        -2000.00 CNY
          Assets:Cash:Construction         2000.00 CNY
          Assets:Bank:Operating           -1500.00 CNY
          Expenses:Operating:Publicity     1500.00 CNY
    """, """
        2012-03-02 * "综合" "运营专项提现，区付自身接待费"
          invoice: "C-005"
          Assets:Bank:Operating           -3000.00 CNY
          Assets:Cash:Operating            3000.00 CNY
          Assets:District:General         -2000.00 CNY
          Expenses:District:Hospitality    2000.00 CNY
    """, header=TWO_CASH)
    assert [(str(f.date), f.fund, f.amount) for f in findings] == [
        ("2012-03-01", "construction", Decimal("2000.00")),
        ("2012-03-02", "operating", Decimal("3000.00"))]


def test_decoy_cash_drawn_and_spent_in_one_voucher_is_a_payment() -> None:
    assert rules_of("""
        2012-03-01 * "文具店" "提现并付款"
          invoice: "C-006"
          Assets:Bank:Operating         -5000.00 CNY
          Assets:Cash:Operating          5000.00 CNY
          Assets:Cash:Operating         -5000.00 CNY
          Expenses:Operating:Publicity   5000.00 CNY
    """) == []


def test_decoy_cash_drawn_and_spent_on_a_cost_of_no_fund_is_no_withdrawal() -> None:
    assert rules_of("""
        2012-03-01 * "饭店" "提现并付接待费（经批准）"
          invoice: "C-007"
          approval: "揭社工委〔2012〕9号"
          Assets:Bank:Operating           -5000.00 CNY
          Assets:Cash:Operating            5000.00 CNY
          Assets:Cash:Operating           -5000.00 CNY
          Expenses:District:Hospitality    5000.00 CNY
    """) == ["approved-transfer"]


def test_the_fund_whose_cash_received_the_money_is_reported_whatever_the_posting_order() -> None:
    lines = ["Assets:Bank:Construction   -5000.00 CNY", "Assets:Bank:Operating      -5000.00 CNY"]
    for first, second in (lines, lines[::-1]):
        findings = findings_of(f"""
            2012-03-01 * "综合" "两专项付款，运营专项提现"
              invoice: "C-008"
              approval: "揭社工委〔2012〕9号"
              {first}
              {second}
              Assets:Cash:Operating              5000.00 CNY
              Expenses:District:Hospitality      5000.00 CNY
        """)
        assert [(f.fund, f.account) for f in findings if f.rule == "cash-withdrawal"] == [
            ("operating", "Assets:Cash:Operating")]


CHART_CASH = HEADER.replace("Assets:Cash:Operating", "Assets:1001-现金:运营经费备用金")


def test_an_account_under_code_1001_is_a_cash_account() -> None:
    drawn = """
        2012-03-01 * "提取备用金"
          Assets:1001-现金:运营经费备用金          5000.00 CNY
          Assets:Bank:Operating                  -5000.00 CNY
        """
    assert rules_of(drawn, header=CHART_CASH) == ["cash-withdrawal"]


def test_a_bank_account_of_the_chart_is_no_cash_account() -> None:
    header = CHART_CASH + ('2012-01-01 open Assets:1002-银行存款:运营经费基本户 CNY\n'
                           '  fund: "operating"\n')
    moved = """
        2012-03-01 * "转入基本户"
          Assets:1002-银行存款:运营经费基本户      5000.00 CNY
          Assets:Bank:Operating                  -5000.00 CNY
        """
    assert rules_of(moved, header=header) == []
