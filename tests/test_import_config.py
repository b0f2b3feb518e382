"""The import configuration takes every account name the books load, Chinese ones included."""

from __future__ import annotations

import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from beancount import loader
from beancount.core import data

from importers.bank import BankStatementImporter
from importers.config import read_import_config
from importers.errors import InputError
from importers.payroll import PayrollImporter
from tests.samples import (
    SALARY_BANK,
    SALARY_NUMBER,
    following,
    payroll_csv,
    payroll_rows,
    statement_csv,
)

BOOKS = f"""\
2012-01-01 open {SALARY_BANK} CNY
  bank-account: "{SALARY_NUMBER}"
2012-01-01 open Income:Salary:区财政拨款 CNY
2012-01-01 open Expenses:Salary:查询费 CNY
2012-01-01 open Expenses:Salary:应发工资 CNY
2012-01-01 open Liabilities:Salary:代扣社保 CNY
2012-01-01 open Liabilities:Salary:代扣公积金 CNY
2012-01-01 open Liabilities:Salary:代扣个税 CNY
2012-01-01 custom "import-rule" {SALARY_BANK} "对方户名" "东山区管委会" Income:Salary:区财政拨款
2012-01-01 custom "import-rule" {SALARY_BANK} "摘要" "查询费" "Expenses:Salary:查询费"
2012-01-01 custom "import-payroll" {SALARY_BANK}
  gross: Expenses:Salary:应发工资
  social-security: Liabilities:Salary:代扣社保
  housing-fund: Liabilities:Salary:代扣公积金
  income-tax: Liabilities:Salary:代扣个税
"""

LINES = following([], ("2013-01-05", "社工薪酬拨款", "东山区管委会", "60000.00"),
                  ("2013-01-16", "查询费", "某某咨询公司", "-50.00"),
                  ("2013-01-17", "退款", "某某咨询公司", "20.00"))


def entries_of(text: str) -> data.Entries:
    entries, errors, _ = loader.load_string(text)
    assert errors == []
    return entries


def test_import_rules_with_chinese_targets_classify_lines(tmp_path: Path) -> None:
    config = read_import_config(entries_of(BOOKS))
    path = statement_csv(tmp_path / "对账单.csv", LINES)
    booked = [entry for entry in BankStatementImporter(config).extract(str(path), [])
              if isinstance(entry, data.Transaction)]
    assert [(entry.date, entry.flag, entry.postings[1].account) for entry in booked] == [
        (datetime.date(2013, 1, 5), "*", "Income:Salary:区财政拨款"),
        (datetime.date(2013, 1, 16), "*", "Expenses:Salary:查询费"),
        (datetime.date(2013, 1, 17), "!", "Equity:Suspense:待查明款项")]  # the chart's: none opened


def test_payroll_accounts_with_chinese_names_take_the_sheet(tmp_path: Path) -> None:
    config = read_import_config(entries_of(BOOKS))
    path = payroll_csv(tmp_path / "工资表.csv", payroll_rows())
    [entry] = PayrollImporter(config).extract(str(path), [])
    assert isinstance(entry, data.Transaction)
    assert [(posting.account, posting.units and posting.units.number)
            for posting in entry.postings] == [
        ("Expenses:Salary:应发工资", Decimal("22000.00")),
        ("Liabilities:Salary:代扣社保", Decimal("-2310.00")),
        ("Liabilities:Salary:代扣公积金", Decimal("-1760.00")),
        ("Liabilities:Salary:代扣个税", Decimal("-5.03")),
        (SALARY_BANK, Decimal("-17924.97"))]


@pytest.mark.parametrize("target", ['"Expenses:Salary:查 询费"', '"查询费"', "42"])
def test_a_target_that_names_no_account_of_the_books_is_refused(target: str) -> None:
    text = BOOKS + f'2012-01-02 custom "import-rule" {SALARY_BANK} "摘要" "x" {target}\n'
    with pytest.raises(InputError) as refused:
        read_import_config(entries_of(text))
    assert refused.value.row == BOOKS.count("\n") + 1


@pytest.mark.parametrize("kind", ["import-rule", "import-payroll", "bank-profile"])
def test_a_directive_of_no_argument_is_refused_naming_its_line(kind: str) -> None:
    entries, _, _ = loader.load_string(BOOKS + f'2012-01-02 custom "{kind}"\n')
    with pytest.raises(InputError, match=r"应为|银行格式应给出") as refused:
        read_import_config(entries)  # as the books come from the loader (beangulp's, too)
    assert refused.value.row == BOOKS.count("\n") + 1


def _unclassified_account(tmp_path: Path, books: str) -> str:
    config = read_import_config(entries_of(books))
    path = statement_csv(tmp_path / "对账单.csv", LINES)
    *_, refund = [entry for entry in BankStatementImporter(config).extract(str(path), [])
                  if isinstance(entry, data.Transaction)]
    assert refund.flag == "!"
    return refund.postings[1].account


@pytest.mark.parametrize("suspense", ["Equity:Suspense:Unclassified", "Equity:Suspense:待查明款项",
                                      "Equity:Suspense:暂收款"])
def test_an_unclassified_line_goes_to_the_books_own_suspense_account(tmp_path: Path,
                                                                     suspense: str) -> None:
    books = BOOKS + f"2012-01-01 open {suspense} CNY\n2012-02-01 open Equity:Suspense:Other\n"
    assert _unclassified_account(tmp_path, books) == suspense


@pytest.mark.parametrize("look_alike", ["Equity:SuspenseAccount", "Assets:Suspense:Clearing",
                                        "Equity:Clearing:Suspense"])
def test_an_account_that_only_looks_like_suspense_is_not_taken(tmp_path: Path,
                                                               look_alike: str) -> None:
    books = BOOKS + f"2012-01-01 open {look_alike} CNY\n"
    assert _unclassified_account(tmp_path, books) == "Equity:Suspense:待查明款项"


def test_books_that_rename_the_equity_root_have_their_suspense_account_found() -> None:
    books = BOOKS + "2012-01-01 open NetAssets:Suspense:Unclassified CNY\n"
    entries, errors, options = loader.load_string('option "name_equity" "NetAssets"\n' + books)
    assert errors == []
    assert read_import_config(entries, options["name_equity"]).suspense == (
        "NetAssets:Suspense:Unclassified")


def test_books_that_rename_the_equity_root_and_open_no_suspense_get_it_under_their_root() -> None:
    entries, errors, options = loader.load_string('option "name_equity" "NetAssets"\n' + BOOKS)
    assert errors == []
    assert read_import_config(entries, options["name_equity"]).suspense == (
        "NetAssets:Suspense:待查明款项")


def test_an_import_rule_may_name_the_key_its_lines_evidence_goes_under() -> None:
    books = BOOKS.replace('"查询费" "Expenses:Salary:查询费"\n',
                          '"查询费" "Expenses:Salary:查询费"\n  evidence: "receipt"\n')
    entries, errors, _ = loader.load_string(books)
    assert errors == []
    assert [rule.evidence for rule in read_import_config(entries).rules] == [None, "receipt"]


@pytest.mark.parametrize("bad", ['"回单"', '"Receipt"', "42"])
def test_an_evidence_key_that_is_no_metadata_key_is_refused_at_its_line(bad: str) -> None:
    books = BOOKS.replace('"查询费" "Expenses:Salary:查询费"\n',
                          f'"查询费" "Expenses:Salary:查询费"\n  evidence: {bad}\n')
    entries, errors, _ = loader.load_string(books)
    assert errors == []
    with pytest.raises(InputError, match="evidence:") as raised:
        read_import_config(entries)
    assert raised.value.row == 10
