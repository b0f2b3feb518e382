"""凭证号格式错误 (bad-evidence): an evidence key whose value Beancount did not read as text."""

from __future__ import annotations

from tests.helpers import claim, findings_of, rules_of


def test_an_unquoted_invoice_number_is_bad_evidence_naming_key_and_value() -> None:
    findings = findings_of(claim("2012-03-01", "x").replace('invoice: "x"', "invoice: 05120210"))
    assert [(f.rule, f.label, f.fund) for f in findings] == [
        ("bad-evidence", "凭证号格式错误", "construction")]
    message = findings[0].message
    assert "invoice:" in message and "5120210" in message and "引号" in message
    assert "quote it" in message


def test_the_duplicate_of_a_quoted_number_is_made_visible() -> None:
    """The unquoted claim cannot be matched to the quoted one (its zero is lost), but it is an
    error, and once quoted the duplicate is found."""
    first = claim("2012-03-01", "05120210")
    again = claim("2012-04-01", "x").replace('invoice: "x"', "invoice: 05120210")
    assert rules_of(first, again) == ["bad-evidence"]
    assert rules_of(first, claim("2012-04-01", "05120210")) == ["duplicate-invoice"]


def test_every_evidence_key_is_judged_on_the_transaction_and_its_postings() -> None:
    for key, value in (("voucher", "2012003"), ("approval", "TRUE"), ("bank-ref", "880012"),
                       ("contract", "2012-03-01"), ("payroll", "201203")):
        on_posting = f"""
            2012-03-01 * "供应商" "付款"
              invoice: "F-1"
              Assets:Bank:Construction         -300.00 CNY
                {key}: {value}
              Expenses:Construction:Equipment   300.00 CNY
        """
        findings = findings_of(on_posting)
        assert [(f.rule, f.account) for f in findings] == [
            ("bad-evidence", "Assets:Bank:Construction")], key
        assert f"{key}:" in findings[0].message
        leading_zeros = "开头的 0" in findings[0].message
        assert leading_zeros is value.isdigit(), key  # the hint only where a number was read


def test_keys_of_the_policy_are_judged() -> None:
    policy = """
        2012-01-01 custom "fund-policy" "evidence-keys" "invoice receipt"
    """
    paid = claim("2012-03-01", "x").replace('invoice: "x"', "receipt: 4411")
    assert rules_of(policy, paid) == ["bad-evidence"]


def test_decoy_quoted_numbers_strings_and_other_keys_are_quiet() -> None:
    assert rules_of(claim("2012-03-01", "05120210"), """
        2012-03-02 * "供应商" "付款"
          voucher: "记-201203-002"
          bank-ref: "880012"
          approval: "揭社工委〔2012〕9号"
          invoice: "F-2"
          quantity: 12
          Assets:Bank:Construction         -300.00 CNY
          Expenses:Construction:Equipment   300.00 CNY
    """) == []
