"""重复报销: an invoice claimed while an earlier claim still holds it."""

import datetime
from decimal import Decimal

from tests.helpers import HEADER, claim, findings_of, rules_of


def reverse(date: str, invoice: str, amount: str = "300.00") -> str:
    return f"""
        {date} * "文具店" "红冲"
          invoice: "{invoice}"
          Assets:Bank:Construction          {amount} CNY
          Expenses:Construction:Equipment  -{amount} CNY
    """


def test_an_invoice_claimed_again_fires_on_the_later_one_naming_the_earlier() -> None:
    findings = findings_of(claim("2012-03-01", "04418031"), claim("2012-04-01", "04418031"))
    assert [(f.rule, f.date, f.fund, f.amount) for f in findings] == [
        ("duplicate-invoice", datetime.date(2012, 4, 1), "construction", Decimal("300.00"))]
    earlier_line = HEADER.count("\n") + 1
    assert "04418031" in findings[0].message and "2012-03-01" in findings[0].message
    assert f":{earlier_line}" in findings[0].message


def test_one_number_of_an_invoice_list_claimed_again_fires() -> None:
    assert rules_of(claim("2012-03-01", "A-1，A-2"), claim("2012-04-01", "A-2")) == [
        "duplicate-invoice"]


def test_an_invoice_on_a_posting_counts() -> None:
    assert rules_of(claim("2012-03-01", "A-1"), """
        2012-04-01 * "文具店" "办公用品"
          Assets:Bank:Operating          -300.00 CNY
          Expenses:Operating:Publicity    300.00 CNY
            invoice: "A-1"
    """) == ["duplicate-invoice"]


def test_decoy_two_invoices_that_differ_are_quiet() -> None:
    assert rules_of(claim("2012-03-01", "04418031"), claim("2012-03-01", "04418032")) == []


def test_decoy_a_payable_booked_then_paid_with_the_same_invoice_is_quiet() -> None:
    assert rules_of("""
        2012-03-01 * "印务公司" "宣传册印刷（挂账）"
          invoice: "04419001"
          Expenses:Operating:Publicity    800.00 CNY
          Liabilities:Operating:Payable  -800.00 CNY
        2012-03-20 * "印务公司" "支付宣传册印刷费"
          invoice: "04419001"
          Liabilities:Operating:Payable   800.00 CNY
          Assets:Bank:Operating          -800.00 CNY
    """) == []


def test_decoy_a_refund_quoting_the_invoice_is_quiet() -> None:
    assert rules_of(claim("2012-03-01", "04418031"), """
        2012-03-05 * "文具店" "退货退款"
          invoice: "04418031"
          Assets:Bank:Construction          100.00 CNY
          Expenses:Construction:Equipment  -100.00 CNY
    """) == []


def test_decoy_a_red_reversal_and_re_entry_is_quiet() -> None:
    assert rules_of(claim("2012-03-01", "04418031"), reverse("2012-03-05", "04418031"),
                    claim("2012-03-05", "04418031")) == []


def test_a_partial_refund_does_not_free_the_invoice() -> None:
    findings = findings_of(claim("2012-03-01", "04418031"),
                           reverse("2012-03-05", "04418031", "100.00"),
                           claim("2012-03-06", "04418031"))
    assert [(f.rule, str(f.date)) for f in findings] == [("duplicate-invoice", "2012-03-06")]


ABROAD = HEADER + '2012-01-01 open Expenses:Construction:Supervision\n  fund: "construction"\n'
HKD = """
    {date} * "香港督导" "督导费"
      invoice: "HK-1"
      Assets:Bank:Construction           {cny} CNY
      Expenses:Construction:Supervision  {hkd} HKD @ {rate} CNY
"""


def test_a_reversal_at_another_rate_still_frees_the_invoice() -> None:
    assert rules_of(HKD.format(date="2012-03-01", cny="-810.00", hkd="1000.00", rate="0.81"),
                    HKD.format(date="2012-03-02", cny="800.00", hkd="-1000.00", rate="0.80"),
                    HKD.format(date="2012-03-03", cny="-800.00", hkd="1000.00",
                               rate="0.80"), header=ABROAD) == []


def test_a_credit_in_another_currency_does_not_free_the_invoice() -> None:
    assert rules_of(HKD.format(date="2012-03-01", cny="-810.00", hkd="1000.00", rate="0.81"),
                    reverse("2012-03-02", "HK-1", "1000.00"),
                    HKD.format(date="2012-03-03", cny="-810.00", hkd="1000.00",
                               rate="0.81"), header=ABROAD) == ["duplicate-invoice"]


def test_decoy_a_reclassification_quoting_the_invoice_is_no_claim() -> None:
    assert rules_of("""
        2012-03-01 * "香港督导" "督导费"
          invoice: "X1"
          Expenses:Construction:Expert        700.00 CNY
          Assets:Bank:Construction           -700.00 CNY
        2012-03-05 * "香港督导" "改列境外督导科目"
          invoice: "X1"
          Expenses:Construction:Supervision   100.00 USD @ 7.00 CNY
          Expenses:Construction:Expert       -700.00 CNY
    """, header=ABROAD) == []
