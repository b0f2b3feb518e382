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
