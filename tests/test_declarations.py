"""未声明专项 and malformed fund, budget, allocation and policy directives."""

from tests.helpers import HEADER, findings_of, rules_of


def test_open_naming_an_undeclared_fund_is_unknown_fund() -> None:
    findings = findings_of("""
        2012-02-01 open Expenses:Mystery CNY
          fund: "ghost"
    """)
    assert [(f.rule, f.fund, f.account, f.lineno) for f in findings] == [
        ("unknown-fund", "ghost", "Expenses:Mystery", HEADER.count("\n") + 1)]


def test_decoy_open_without_fund_metadata_belongs_to_no_fund() -> None:
    assert rules_of("""
        2012-02-01 open Expenses:District:Travel CNY
    """) == []


def test_decoy_fund_declared_after_the_open_still_counts_as_declared() -> None:
    assert rules_of("""
        2012-02-01 open Assets:Bank:Salary CNY
          fund: "salary"
        2012-03-01 custom "fund" "salary" "社工薪酬"
    """) == []


def test_allocation_to_an_undeclared_fund_is_unknown_fund() -> None:
    assert rules_of("""
        2012-02-01 custom "allocation" "ghost" 100.00 CNY
    """) == ["unknown-fund"]


def test_fund_declared_twice_is_a_bad_directive() -> None:
    findings = findings_of("""
        2012-02-01 custom "fund" "construction" "又一个建设经费"
    """)
    assert [f.rule for f in findings] == ["bad-directive"]
    assert "declared twice" in findings[0].message


def test_malformed_directives_are_bad_directives() -> None:
    findings = findings_of("""
        2012-02-01 custom "fund" "no-name"
        2012-02-02 custom "budget" Expenses:Construction "fortnightly" 100.00 CNY
        2012-02-03 custom "budget" Expenses:Construction "yearly" -100.00 CNY
        2012-02-04 custom "allocation" "construction" "lots"
        2012-02-05 custom "allocation" "construction" 100.00 CNY
          due: "soon"
        2012-02-06 open Expenses:Construction:Other CNY
          fund: 42
    """)
    assert [f.rule for f in findings] == ["bad-directive"] * 6
    assert '实为 custom "budget" Expenses:Construction "fortnightly" 100.00 CNY' in (
        findings[1].message)
    assert '实为 custom "allocation" "construction" "lots"' in findings[3].message


def test_bad_policy_key_or_value_names_the_line() -> None:
    findings = findings_of("""
        2012-02-01 custom "fund-policy" "allocation-due-dayz" 30
        2012-02-02 custom "fund-policy" "allocation-due-days" "thirty"
        2012-02-03 custom "fund-policy" "allocation-due-days" 2.5
        2012-02-04 custom "fund-policy" "allocation-due-days" 999999999
        2012-02-05 custom "allocation" "construction" 100.00 CNY
    """)
    assert [f.rule for f in findings] == ["bad-policy"] * 4
    first = HEADER.count("\n") + 1
    assert [f.lineno for f in findings] == [first, first + 1, first + 2, first + 3]
    assert '"allocation-due-dayz"' in findings[0].message
    assert '"thirty" 不是介于 0 与 3660 之间的整数天数' in findings[1].message
    assert "2.5 is not a whole number of days" in findings[2].message
    assert "999999999 is not a whole number of days from 0 to 3660" in findings[3].message


def test_bad_values_of_every_policy_kind_are_bad_policy() -> None:
    findings = findings_of("""
        2012-02-01 custom "fund-policy" "cash-limit" 1000.00
        2012-02-02 custom "fund-policy" "cash-limit" -5.00 CNY
        2012-02-03 custom "fund-policy" "split-threshold" "50000"
        2012-02-04 custom "fund-policy" "split-window-days" -1
        2012-02-05 custom "fund-policy" "evidence-keys" ""
        2012-02-06 custom "fund-policy" "evidence-keys" "Invoice 发票"
        2012-02-07 custom "fund-policy" "evidence-keys" 42
    """)
    assert [f.rule for f in findings] == ["bad-policy"] * 7
    assert "1000.00 is not a non-negative amount with its currency" in findings[0].message
    assert '"Invoice 发票" 不是以空格分隔的元数据键' in findings[5].message


def test_an_open_with_an_unknown_kind_is_a_bad_directive() -> None:
    findings = findings_of("""
        2012-02-01 open Assets:Safe:Operating CNY
          fund: "operating"
          kind: "csah"
    """)
    assert [(f.rule, f.account) for f in findings] == [("bad-directive", "Assets:Safe:Operating")]
    assert 'kind: must be "cash"' in findings[0].message


def test_kind_cash_on_an_account_outside_assets_is_a_bad_directive() -> None:
    findings = findings_of("""
        2012-02-01 open Expenses:Operating:CashHandling CNY
          fund: "operating"
          kind: "cash"
    """)
    assert [f.rule for f in findings] == ["bad-directive"]
    assert "on an Assets account" in findings[0].message


def test_decoy_well_formed_directives_are_quiet() -> None:
    assert rules_of("""
        2012-02-01 custom "fund" "salary" "社工薪酬"
          end: 2012-12-31
        2012-02-02 custom "budget" Expenses:Salary "monthly" 0.00 CNY
        2012-02-03 custom "fund-policy" "allocation-due-days" 0
        2012-02-03 custom "fund-policy" "cash-limit" 0.00 CNY
        2012-02-03 custom "fund-policy" "split-threshold" 20000.00 CNY
        2012-02-03 custom "fund-policy" "split-window-days" 3660
        2012-02-03 custom "fund-policy" "evidence-keys" "invoice receipt_no contract-id"
        2012-02-03 open Assets:Safe:Operating CNY
          kind: "cash"
        2012-02-04 custom "allocation" "salary" 100.00 CNY
          due: 2099-01-01
    """) == []
