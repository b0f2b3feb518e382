"""凭证不全: costs paid out of a fund with none of the evidence keys."""

from decimal import Decimal

from tests.helpers import claim, findings_of, rules_of


def test_a_payment_of_costs_without_evidence_fires() -> None:
    findings = findings_of("""
        2012-03-01 * "文具店" "办公用品"
          voucher: "记-201203-001"
          Assets:Bank:Construction         -300.00 CNY
          Expenses:Construction:Equipment   300.00 CNY
    """)
    assert [(f.rule, f.fund, f.account, f.amount) for f in findings] == [
        ("missing-evidence", "construction", "Expenses:Construction:Equipment",
         Decimal("300.00"))]
    assert "invoice" in findings[0].message and "payroll" in findings[0].message


def test_an_empty_evidence_value_is_no_evidence() -> None:
    assert rules_of(claim("2012-03-01", " ")) == ["missing-evidence"]


def test_a_false_or_zero_evidence_value_is_no_evidence() -> None:
    for value in ("FALSE", "0", "0.00"):
        voucher = claim("2012-03-01", "x").replace('invoice: "x"', f"invoice: {value}")
        assert rules_of(voucher) == ["bad-evidence", "missing-evidence"], value


def test_decoy_any_evidence_key_will_do() -> None:
    assert rules_of(*(f"""
        2012-03-0{day} * "供应商" "付款"
          {key}: "{key}-{day}"
          Assets:Bank:Construction         -300.00 CNY
          Expenses:Construction:Equipment   300.00 CNY
    """ for day, key in enumerate(("invoice", "contract", "payroll", "receipt"),
                                    start=1))) == []


def test_decoy_refunds_and_transfers_need_no_evidence() -> None:
    assert rules_of("""
        2012-03-01 * "文具店" "退款"
          Assets:Bank:Construction          100.00 CNY
          Expenses:Construction:Equipment  -100.00 CNY
        2012-03-02 * "银行" "提取备用金"
          Assets:Cash:Operating    500.00 CNY
          Assets:Bank:Operating   -500.00 CNY
    """) == []


def test_the_evidence_keys_in_effect_apply() -> None:
    findings = findings_of(
        '2012-03-01 custom "fund-policy" "evidence-keys" "receipt contract"\n',
        claim("2012-02-29", "A-1"), claim("2012-03-01", "A-2"), """
        2012-03-02 * "文具店" "办公用品"
          receipt: "R-1"
          Assets:Bank:Construction         -300.00 CNY
          Expenses:Construction:Equipment   300.00 CNY
    """)
    assert [(f.rule, str(f.date)) for f in findings] == [("missing-evidence", "2012-03-01")]
    assert "receipt" in findings[0].message


def test_a_cost_booked_to_a_payable_without_evidence_fires_and_its_payment_is_quiet() -> None:
    findings = findings_of("""
        2012-03-01 * "印务公司" "宣传册印刷（挂账）"
          Expenses:Operating:Publicity    800.00 CNY
          Liabilities:Operating:Payable  -800.00 CNY
        2012-03-20 * "印务公司" "支付宣传册印刷费"
          Liabilities:Operating:Payable   800.00 CNY
          Assets:Bank:Operating          -800.00 CNY
    """)
    assert [(f.rule, str(f.date), f.fund, f.amount) for f in findings] == [
        ("missing-evidence", "2012-03-01", "operating", Decimal("800.00"))]


def test_costs_of_another_owner_paid_by_a_fund_need_evidence_too() -> None:
    findings = findings_of("""
        2012-03-01 * "揭阳宾馆" "接待费"
          Assets:Bank:Construction        -600.00 CNY
          Expenses:District:Hospitality    600.00 CNY
    """)
    assert [(f.rule, f.fund, f.account) for f in findings] == [
        ("diverted", "construction", "Expenses:District:Hospitality"),
        ("missing-evidence", "construction", "Expenses:District:Hospitality")]


def test_decoy_the_district_paying_its_own_cost_beside_a_fund_transfer_is_quiet() -> None:
    assert rules_of("""
        2012-03-01 * "经批准调剂并付区接待费"
          approval: "揭社工委〔2012〕9号"
          Assets:Bank:Construction        -500.00 CNY
          Assets:Bank:Operating            500.00 CNY
          Assets:District:General          -10.00 CNY
          Expenses:District:Hospitality     10.00 CNY
    """) == ["approved-transfer"]


def test_evidence_on_one_funds_posting_does_not_cover_another_fund() -> None:
    findings = findings_of("""
        2012-03-01 * "供应商" "两专项合并付款"
          Assets:Bank:Construction         -3000.00 CNY
          Expenses:Construction:Equipment   3000.00 CNY
            invoice: "E-1"
          Assets:Bank:Operating            -2000.00 CNY
          Expenses:Operating:Publicity      2000.00 CNY
    """)
    assert [(f.rule, f.fund, f.amount) for f in findings] == [
        ("missing-evidence", "operating", Decimal("2000.00"))]


def test_costs_paid_straight_out_of_a_receipt_need_evidence() -> None:
    assert rules_of("""
        2012-03-01 * "东山区管委会" "拨款并直接支付设备款"
          Income:Construction:District    -100000.00 CNY
          Assets:Bank:Construction          97000.00 CNY
          Expenses:Construction:Equipment    3000.00 CNY
    """) == ["missing-evidence"]


def test_decoy_costs_moved_between_funds_or_brought_from_equity_charge_nothing_new() -> None:
    # Moving a cost off construction is money due to it landing elsewhere: withheld, not more.
    assert rules_of("""
        2012-03-01 * "调整" "经批准将专家费改列运营宣传费"
          approval: "揭社工委〔2012〕9号"
          Expenses:Construction:Expert    -5000.00 CNY
          Expenses:Operating:Publicity     5000.00 CNY
        2012-03-02 * "期初" "结转以前年度费用"
          Expenses:Operating:Publicity     3000.00 CNY
          Equity:Opening                  -3000.00 CNY
    """) == ["withheld"]
