"""拆分支付: small payments to one payee that together reach the threshold."""

import datetime
from decimal import Decimal

from tests.helpers import findings_of, rules_of


def pay(date: str, amount: str, payee: str = "装饰工程部", fund: str = "Construction",
        extra: str = "") -> str:
    account = "Expenses:Construction:Equipment" if fund == "Construction" else \
        "Expenses:Operating:Publicity"
    return f"""
        {date} * "{payee}" "付款"
          invoice: "{payee}-{fund}-{date}-{amount}"
          {extra or 'voucher: "付款凭证"'}
          Assets:Bank:{fund}   -{amount} CNY
          {account}             {amount} CNY
    """


def test_the_payment_that_crosses_the_threshold_is_reported_naming_the_others() -> None:
    findings = findings_of(pay("2012-03-01", "20000.00"), pay("2012-03-10", "20000.00"),
                           pay("2012-03-25", "15000.00"))
    assert [(f.rule, f.date, f.fund, f.amount) for f in findings] == [
        ("split-payment", datetime.date(2012, 3, 25), "construction", Decimal("55000.00"))]
    message = findings[0].message
    assert "2012-03-01 付款凭证" in message and "2012-03-10 付款凭证" in message
    assert "装饰工程部" in message and "50000.00" in message


def test_a_group_is_reported_once_and_the_next_payment_starts_anew() -> None:
    assert rules_of(pay("2012-03-01", "30000.00"), pay("2012-03-02", "30000.00"),
                    pay("2012-03-03", "10000.00"), pay("2012-03-04", "45000.00")) == [
        "split-payment", "split-payment"]


def test_the_window_counts_back_split_window_days_inclusive() -> None:
    assert rules_of(pay("2012-03-01", "30000.00"), pay("2012-03-31", "30000.00")) == [
        "split-payment"]
    assert rules_of(pay("2012-03-01", "30000.00"), pay("2012-04-01", "30000.00")) == []


def test_decoy_installments_under_one_contract_are_quiet() -> None:
    contract = 'contract: "东山采〔2012〕08号"'
    assert rules_of(*(pay(f"2012-03-{day:02d}", "20000.00", extra=contract)
                      for day in (1, 10, 20))) == []


def test_decoy_payments_to_different_payees_or_from_different_funds_are_quiet() -> None:
    assert rules_of(pay("2012-03-01", "30000.00", payee="甲公司"),
                    pay("2012-03-02", "30000.00", payee="乙公司"),
                    pay("2012-03-03", "30000.00", payee="丙公司", fund="Operating"),
                    pay("2012-03-04", "30000.00", payee="甲公司", fund="Operating")) == []


def test_decoy_a_payment_at_or_above_the_threshold_is_no_split() -> None:
    assert rules_of(pay("2012-03-01", "50000.00"), pay("2012-03-02", "10000.00")) == []


def test_decoy_a_refund_from_the_payee_is_no_payment() -> None:
    assert rules_of(pay("2012-03-01", "30000.00"), """
        2012-03-02 * "装饰工程部" "退款"
          Assets:Bank:Construction           30000.00 CNY
          Expenses:Construction:Equipment   -30000.00 CNY
    """, pay("2012-03-03", "10000.00")) == []


def test_the_threshold_and_window_in_effect_apply() -> None:
    policy = """
        2012-01-01 custom "fund-policy" "split-threshold" 30000.00 CNY
        2012-01-01 custom "fund-policy" "split-window-days" 5
    """
    assert rules_of(policy, pay("2012-03-01", "20000.00"), pay("2012-03-06", "20000.00"),
                    pay("2012-04-01", "20000.00"), pay("2012-04-07", "20000.00")) == [
        "split-payment"]


def test_decoy_a_refund_gives_back_to_the_open_group() -> None:
    assert rules_of(pay("2012-03-01", "30000.00"), """
        2012-03-02 * "装饰工程部" "退款"
          Assets:Bank:Construction           30000.00 CNY
          Expenses:Construction:Equipment   -30000.00 CNY
    """, pay("2012-03-03", "25000.00")) == []


def test_decoy_returning_money_to_the_funder_in_pieces_is_no_purchase() -> None:
    assert rules_of(*(f"""
        2012-11-0{day} * "东山区管委会" "上缴结余（{day}）"
          Income:Construction:District   30000.00 CNY
          Assets:Bank:Construction      -30000.00 CNY
    """ for day in (1, 2))) == []


def test_decoy_wages_paid_under_the_payroll_sheet_are_no_split() -> None:
    payroll = 'payroll: "2012-07"'
    assert rules_of(pay("2012-07-31", "27000.00", payee="社工", extra=payroll),
                    pay("2012-08-30", "27000.00", payee="社工",
                        extra=payroll.replace("07", "08"))) == []


def test_a_payable_paid_in_pieces_counts_as_payments() -> None:
    findings = findings_of("""
        2012-03-01 * "印务公司" "宣传品（挂账）"
          invoice: "P1"
          Expenses:Operating:Publicity    60000.00 CNY
          Liabilities:Operating:Payable  -60000.00 CNY
    """, *(f"""
        2012-03-{day} * "印务公司" "支付宣传品款"
          invoice: "P1"
          Liabilities:Operating:Payable   30000.00 CNY
          Assets:Bank:Operating          -30000.00 CNY
    """ for day in (10, 20)))
    assert [(f.rule, str(f.date), f.account) for f in findings] == [
        ("split-payment", "2012-03-20", "Liabilities:Operating:Payable")]


def test_each_payment_is_judged_by_the_threshold_of_its_day() -> None:
    findings = findings_of(
        '2012-03-10 custom "fund-policy" "split-threshold" 30000.00 CNY\n',
        pay("2012-03-01", "40000.00"), pay("2012-03-15", "5000.00"))
    assert [(f.rule, f.amount) for f in findings] == [("split-payment", Decimal("45000.00"))]
    assert "每笔均低于当日拆分限额" in findings[0].message


def refund(date: str, amount: str) -> str:
    return f"""
        {date} * "装饰工程部" "退款"
          Assets:Bank:Construction            {amount} CNY
          Expenses:Construction:Equipment    -{amount} CNY
    """


def test_a_refund_takes_back_only_what_the_window_still_holds() -> None:
    for refunded in ("2012-03-20", "2012-04-20"):
        findings = findings_of(pay("2012-03-01", "40000.00"), refund(refunded, "40000.00"),
                               pay("2012-05-01", "30000.00"), pay("2012-05-10", "25000.00"))
        assert [(f.rule, str(f.date), f.amount) for f in findings] == [
            ("split-payment", "2012-05-10", Decimal("55000.00"))], refunded


def test_decoy_payables_booked_under_payroll_or_contract_are_paid_exempt() -> None:
    assert rules_of("""
        2012-06-01 * "社工" "计提6月工资"
          payroll: "2012-06"
          Expenses:Operating:Publicity    54000.00 CNY
          Liabilities:Operating:Payable  -54000.00 CNY
    """, *(f"""
        2012-06-{day} * "社工" "发放工资"
          voucher: "记-06-{number}"
          Liabilities:Operating:Payable   27000.00 CNY
          Assets:Bank:Operating          -27000.00 CNY
    """ for number, day in enumerate((5, 25), start=1))) == []


def test_what_an_exempt_booking_left_owed_does_not_cover_later_payables() -> None:
    assert rules_of("""
        2012-06-01 * "印务公司" "合同印刷（挂账）"
          contract: "C-9"
          Expenses:Operating:Publicity    60000.00 CNY
          Liabilities:Operating:Payable  -60000.00 CNY
        2012-06-02 * "印务公司" "合同款一次付清"
          contract: "C-9"
          Liabilities:Operating:Payable   60000.00 CNY
          Assets:Bank:Operating          -60000.00 CNY
    """, *(f"""
        2012-06-1{day} * "印务公司" "零星印刷"
          invoice: "X-{day}"
          Expenses:Operating:Publicity    30000.00 CNY
          Assets:Bank:Operating          -30000.00 CNY
    """ for day in (1, 2))) == ["split-payment"]


def test_a_payment_booked_beside_a_receipt_still_counts() -> None:
    assert rules_of(pay("2012-03-01", "30000.00"), """
        2012-03-02 * "装饰工程部" "收拨款并付装修款"
          invoice: "R-2"
          Assets:Bank:Construction          100000.00 CNY
          Income:Construction:District     -100000.00 CNY
          Assets:Bank:Construction          -30000.00 CNY
          Expenses:Construction:Equipment    30000.00 CNY
    """) == ["split-payment"]


def test_spaces_inside_the_payee_do_not_split_the_group() -> None:
    assert rules_of(pay("2012-03-01", "30000.00", payee="揭阳市彩虹印务"),
                    pay("2012-03-02", "30000.00", payee="揭阳市 彩虹印务")) == ["split-payment"]


WAGES_AND_ADS = """
    2012-03-01 * "职工" "计提工资"
      payroll: "2012-03"
      Expenses:Operating:Publicity    60000.00 CNY
      Liabilities:Operating:Payable  -60000.00 CNY
    2012-03-01 * "广告公司" "广告费（挂账）"
      invoice: "AD-1"
      Expenses:Operating:Publicity    60000.00 CNY
      Liabilities:Operating:Payable  -60000.00 CNY
"""


def pay_payable(date: str, payee: str, amount: str) -> str:
    return f"""
        {date} * "{payee}" "付款"
          Liabilities:Operating:Payable   {amount} CNY
          Assets:Bank:Operating          -{amount} CNY
    """


def test_an_exempt_booking_exempts_only_payments_to_its_own_payee() -> None:
    findings = findings_of(WAGES_AND_ADS, *(pay_payable(f"2012-03-0{day}", "广告公司", "20000.00")
                                            for day in (3, 4, 5)),
                           pay_payable("2012-03-10", "职工", "30000.00"),
                           pay_payable("2012-03-11", "职工", "30000.00"))
    assert [(f.rule, str(f.date), f.payee) for f in findings] == [
        ("split-payment", "2012-03-05", "广告公司")]


def test_decoy_a_deposit_received_onto_a_payable_is_no_refund() -> None:
    assert rules_of(pay("2012-03-01", "30000.00"), pay("2012-03-02", "15000.00"), """
        2012-03-03 * "装饰工程部" "收取质保押金"
          Assets:Bank:Construction         20000.00 CNY
          Liabilities:Operating:Payable   -20000.00 CNY
    """, pay("2012-03-04", "10000.00")) == ["cross-fund", "split-payment"]
