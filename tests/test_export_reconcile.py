"""The bank reconciliation across months: carried items, matching, and accounts not yet open."""

import datetime
import re
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from beancount import loader
from click.testing import CliRunner, Result

from ledger.cli.main import funds
from reports.month import Month
from reports.reconcile import (
    BOOK_PAID,
    Movement,
    Outstanding,
    Reconciliation,
    reconcile_with_figure,
    recorded_figures,
)
from tests.samples import Line, statement_csv

NUMBER = "6222 0000 1111"
BOOKS = """\
option "title" "调节测试"
2012-01-01 custom "fund" "operating" "日常运营经费"
2012-01-01 open Assets:Bank:Operating CNY
  fund: "operating"
  bank-account: "6222 0000 1111"
2012-01-01 open Income:Operating:District CNY
  fund: "operating"
2012-01-01 open Expenses:Operating:Office CNY
  fund: "operating"
2012-01-01 custom "budget" Expenses:Operating "yearly" 100000.00 CNY
2012-10-01 * "东山区管委会" "拨款"
  Assets:Bank:Operating            10000.00 CNY
  Income:Operating:District
"""


def pay(date: str, amount: str, payee: str = "文具店", ref: str = "") -> str:
    meta = f'\n  bank-ref: "{ref}"' if ref else ""
    return (f'{date} * "{payee}" "办公用品"\n  invoice: "{date}-{amount}"{meta}\n'
            f"  Expenses:Operating:Office   {amount} CNY\n  Assets:Bank:Operating  -{amount} CNY\n")


def lines(*moves: tuple[str, str, str], start: str = "0.00") -> list[Line]:
    """Statement lines (date, amount, ref) with running balances from ``start``."""
    balance, made = Decimal(start), []
    for date, amount, ref in moves:
        balance += Decimal(amount)
        made.append(Line(datetime.date.fromisoformat(date), "摘要", "对方", Decimal(amount),
                         balance, ref))
    return made


def run(tmp_path: Path, month: str, books: str, statement: list[Line]) -> Result:
    ledger = tmp_path / "books.beancount"
    ledger.write_text(books, "utf-8")
    path = statement_csv(tmp_path / f"{month}.csv", statement, account_number=NUMBER)
    return CliRunner().invoke(funds, ["export", "monthly", month, "--ledger", str(ledger),
                                            "--statement", str(path), "--out",
                                            str(tmp_path / "out")])


def items(tmp_path: Path, month: str) -> list[tuple[str, str, str]]:
    text = (tmp_path / "out" / month / "3-银行存款余额调节表.csv").read_text("utf-8-sig")
    return [(row[1].strip("　"), row[2], row[4]) for row in
            (line.split(",") for line in text.splitlines()) if len(row) > 4
            and row[1].startswith("　")]


def test_outstanding_items_carry_into_the_next_month(tmp_path: Path) -> None:
    books = BOOKS + pay("2012-10-31", "800.00")
    october = lines(("2012-10-01", "10000.00", "A1"), ("2012-10-31", "-15.00", "FEE"))
    assert run(tmp_path, "2012-10", books, october).exit_code == 0
    assert items(tmp_path, "2012-10") == [("银行已付企业未付", "2012-10-31", "15.00"),
                                          ("企业已付银行未付", "2012-10-31", "800.00")]
    books += pay("2012-11-10", "100.00")
    november = lines(("2012-11-10", "-100.00", "B1"), start="9985.00")
    result = run(tmp_path, "2012-11", books, november)
    assert result.exit_code == 0, result.output
    assert items(tmp_path, "2012-11") == [("银行已付企业未付", "2012-10-31", "15.00"),
                                          ("企业已付银行未付", "2012-10-31", "800.00")]
    books += pay("2012-12-02", "15.00", payee="银行")
    december = lines(("2012-12-05", "-800.00", "C1"), start="9885.00")
    assert run(tmp_path, "2012-12", books, december).exit_code == 0
    assert items(tmp_path, "2012-12") == []


def test_a_movement_cleared_last_month_is_not_matched_again(tmp_path: Path) -> None:
    books = BOOKS + pay("2012-10-30", "500.00") + pay("2012-11-04", "500.00")
    november = lines(("2012-11-01", "-500.00", "X9"), start="9500.00")
    for carried in (False, True):
        if carried:
            october = lines(("2012-10-01", "10000.00", "A"), ("2012-10-30", "-500.00", "B"))
            assert run(tmp_path, "2012-10", books, october).exit_code == 0
        result = run(tmp_path, "2012-11", books, november)
        assert result.exit_code == 0, result.output
        assert items(tmp_path, "2012-11") == []


def test_a_reused_reference_far_away_is_no_match(tmp_path: Path) -> None:
    books = BOOKS + pay("2012-10-30", "500.00", ref="0001")
    october = lines(("2012-10-01", "10000.00", "A"), ("2012-10-30", "-500.00", "0001"))
    assert run(tmp_path, "2012-10", books, october).exit_code == 0
    books += "2012-12-01 balance Assets:Bank:Operating  9500.00 CNY\n"  # the books reach November
    november = lines(("2012-11-20", "-500.00", "0001"), start="9500.00")
    result = run(tmp_path, "2012-11", books, november)
    assert result.exit_code == 0, result.output
    assert items(tmp_path, "2012-11") == [("银行已付企业未付", "2012-11-20", "500.00")]


def test_a_cheque_clearing_weeks_later_and_equal_amounts_pair_in_date_order(
        tmp_path: Path) -> None:
    books = (BOOKS + pay("2012-10-03", "250.00") + pay("2012-10-06", "300.00")
             + pay("2012-10-11", "300.00"))
    october = lines(("2012-10-01", "10000.00", "A"), ("2012-10-10", "-300.00", "B"),
                    ("2012-10-15", "-300.00", "C"), ("2012-10-28", "-250.00", "D"))
    result = run(tmp_path, "2012-10", books, october)
    assert result.exit_code == 0, result.output
    assert items(tmp_path, "2012-10") == []


def test_overlapping_statement_files_count_each_line_once(tmp_path: Path) -> None:
    books = BOOKS
    october = lines(("2012-10-01", "10000.00", "A"), ("2012-10-31", "-15.00", "FEE"))
    ledger = tmp_path / "books.beancount"
    ledger.write_text(books, "utf-8")
    first = statement_csv(tmp_path / "a.csv", october, account_number=NUMBER)
    second = statement_csv(tmp_path / "b.csv", october[1:], account_number=NUMBER)
    result = CliRunner().invoke(funds, [
        "export", "monthly", "2012-10", "--ledger", str(ledger), "--statement", str(first),
        "--statement", str(second), "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert items(tmp_path, "2012-10") == [("银行已付企业未付", "2012-10-31", "15.00")]


@pytest.mark.parametrize("month", ["2012-04", "2012-05", "2012-08"])
def test_accounts_not_yet_open_are_not_reconciled(tmp_path: Path, month: str) -> None:
    result = CliRunner().invoke(funds, ["export", "monthly", month, "--out",
                                              str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert "Assets:1002-银行存款:运营经费专户" not in result.output


@pytest.mark.parametrize("month", ["2012-10", "2012-11", "2012-12"])
def test_every_number_in_the_workbook_is_stored_to_the_fen(tmp_path: Path, month: str) -> None:
    assert CliRunner().invoke(funds, ["export", "monthly", month, "--out",
                                            str(tmp_path / "out")]).exit_code == 0
    workbook = tmp_path / "out" / month / f"专项资金月报-{month}.xlsx"
    with zipfile.ZipFile(workbook) as archive:
        stored = [value for name in archive.namelist() if name.startswith("xl/worksheets/")
                  for value in _numbers(archive.read(name).decode())]
    assert stored and all(len(value.partition(".")[2]) <= 2 for value in stored), stored


def _numbers(xml: str) -> list[str]:
    """Every stored value of a sheet (a shared string's is its index, a whole number)."""
    return re.findall(r"<v>([^<]*)</v>", xml)


def test_a_month_without_a_statement_carries_its_items_on(tmp_path: Path) -> None:
    books = BOOKS + pay("2012-10-31", "800.00")
    october = lines(("2012-10-01", "10000.00", "A1"))
    assert run(tmp_path, "2012-10", books, october).exit_code == 0
    books += "2012-11-15 * \"东山区管委会\" \"拨款\"\n  Assets:Bank:Operating  1.00 CNY\n" \
             "  Income:Operating:District\n"
    ledger = tmp_path / "books.beancount"
    ledger.write_text(books, "utf-8")
    november = CliRunner().invoke(funds, ["export", "monthly", "2012-11", "--ledger", str(ledger),
                                          "--out", str(tmp_path / "out")])
    assert november.exit_code == 1  # no statement: the cheque stays outstanding, unverified
    assert items(tmp_path, "2012-11") == [("企业已收银行未收", "2012-11-15", "1.00"),
                                          ("企业已付银行未付", "2012-10-31", "800.00")]
    december = lines(("2012-11-15", "1.00", "B1"), ("2012-12-05", "-800.00", "C1"),
                     start="10000.00")
    books += "2012-12-06 balance Assets:Bank:Operating  9201.00 CNY\n"
    result = run(tmp_path, "2012-12", books, december)
    assert result.exit_code == 0, result.output
    assert items(tmp_path, "2012-12") == []


def test_a_carried_fee_booked_afterwards_into_last_month_clears(tmp_path: Path) -> None:
    october = lines(("2012-10-01", "10000.00", "A1"), ("2012-10-31", "-15.00", "FEE"))
    assert run(tmp_path, "2012-10", BOOKS, october).exit_code == 0
    books = BOOKS + pay("2012-10-31", "15.00", payee="银行")  # booked after October's export
    books += "2012-12-01 balance Assets:Bank:Operating  9985.00 CNY\n"
    november = lines(("2012-11-05", "1.00", "I1"), start="9985.00")
    books += ('2012-11-05 * "银行" "结息"\n  Assets:Bank:Operating  1.00 CNY\n'
              "  Income:Operating:District\n")
    result = run(tmp_path, "2012-11", books.replace("9985.00 CNY", "9986.00 CNY"), november)
    assert result.exit_code == 0, result.output
    assert items(tmp_path, "2012-11") == []


def test_carried_items_are_credited_before_newer_ones_of_the_same_amount(tmp_path: Path) -> None:
    books = BOOKS + pay("2012-10-31", "800.00")
    october = lines(("2012-10-01", "10000.00", "A1"), ("2012-10-31", "-15.00", "FEE1"))
    assert run(tmp_path, "2012-10", books, october).exit_code == 0
    books += pay("2012-11-02", "15.00", payee="银行") + pay("2012-11-20", "800.00")
    november = lines(("2012-11-03", "-800.00", "C1"), ("2012-11-30", "-15.00", "FEE2"),
                     start="9985.00")
    result = run(tmp_path, "2012-11", books, november)
    assert result.exit_code == 0, result.output
    assert items(tmp_path, "2012-11") == [("银行已付企业未付", "2012-11-30", "15.00"),
                                          ("企业已付银行未付", "2012-11-20", "800.00")]


def test_equal_lines_within_one_file_are_both_kept(tmp_path: Path) -> None:
    books = BOOKS + pay("2012-10-20", "300.00") + pay("2012-10-20", "300.00")
    october = lines(("2012-10-01", "10000.00", "A1"), ("2012-10-20", "-300.00", "R"),
                    ("2012-10-20", "-300.00", "R"))
    result = run(tmp_path, "2012-10", books, october)
    assert result.exit_code == 0, result.output
    assert items(tmp_path, "2012-10") == []


def test_last_months_export_saved_again_by_a_spreadsheet_is_read(tmp_path: Path) -> None:
    books = BOOKS + pay("2012-10-31", "1800.00")
    october = lines(("2012-10-01", "10000.00", "A1"))
    assert run(tmp_path, "2012-10", books, october).exit_code == 0
    saved = tmp_path / "out" / "2012-10" / "3-银行存款余额调节表.csv"
    text = saved.read_text("utf-8-sig").replace("2012-10-31", "2012/10/31")
    saved.write_bytes(text.replace(",1800.00", ',"1,800.00"').encode("gbk"))
    books += "2012-12-01 balance Assets:Bank:Operating  8200.00 CNY\n"
    november = lines(("2012-11-02", "-1800.00", "C1"), start="10000.00")
    result = run(tmp_path, "2012-11", books, november)
    assert result.exit_code == 0, result.output
    assert items(tmp_path, "2012-11") == []


RECORD = ('2012-11-01 custom "bank-balance" Assets:Bank:Operating 10000.00 CNY\n'
          '  statement: "10月.csv"\n  outstanding: "2012-10-31 -800.00 记-201210-009"\n')


def test_without_a_statement_the_bank_figure_an_import_recorded_is_the_bank_side(
        tmp_path: Path) -> None:
    ledger = tmp_path / "books.beancount"
    ledger.write_text(BOOKS + pay("2012-10-31", "800.00") + RECORD, "utf-8")
    result = CliRunner().invoke(funds, ["export", "monthly", "2012-10", "--ledger", str(ledger),
                                        "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output  # reconciled by the recorded item
    text = (tmp_path / "out" / "2012-10" / "3-银行存款余额调节表.csv").read_text("utf-8-sig")
    [bank] = [row for row in text.splitlines() if ",银行对账单余额" in row]
    assert bank.endswith(",10000.00")
    assert items(tmp_path, "2012-10") == [(BOOK_PAID, "2012-10-31", "800.00")]
    assert "导入记录的银行余额（10月.csv）" in text


def test_the_recorded_outstanding_items_reconcile_the_month(tmp_path: Path) -> None:
    entries, errors, _ = loader.load_string(BOOKS + pay("2012-10-31", "800.00") + RECORD)
    assert errors == []
    october = Month.parse("2012-10")
    [figure] = recorded_figures(entries, october)
    reconciliation = Reconciliation("Assets:Bank:Operating", "operating", Decimal("9200.00"),
                                    None, "无")
    cheque = Movement(datetime.date(2012, 10, 31), Decimal("-800.00"), "文具店 办公用品", "", "")
    reconcile_with_figure(reconciliation, Outstanding([cheque]), figure)
    assert reconciliation.reconciled and reconciliation.bank_balance == Decimal("10000.00")
    assert [(item.kind, item.date, item.narration, item.amount)
            for item in reconciliation.items] == [
        (BOOK_PAID, datetime.date(2012, 10, 31), "文具店 办公用品", Decimal("800.00"))]
    assert recorded_figures(entries, Month.parse("2012-11")) == []  # dated after October only


def test_overlapping_statements_in_two_layouts_count_each_line_once(tmp_path: Path) -> None:
    october = lines(("2012-10-01", "10000.00", "A"), ("2012-10-31", "-15.00", "FEE"))
    ledger = tmp_path / "books.beancount"
    ledger.write_text(BOOKS, "utf-8")
    timed = statement_csv(tmp_path / "a.csv", october, account_number=NUMBER)  # 交易时间
    untimed = statement_csv(tmp_path / "b.csv", october[1:], layout="借贷两栏",
                            account_number=NUMBER)
    result = CliRunner().invoke(funds, [
        "export", "monthly", "2012-10", "--ledger", str(ledger), "--statement", str(timed),
        "--statement", str(untimed), "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert items(tmp_path, "2012-10") == [("银行已付企业未付", "2012-10-31", "15.00")]


RESTING = """
2012-01-01 open Assets:Bank:Construction CNY
  fund: "operating"
  bank-account: "6222 0000 9999"
"""


@pytest.mark.parametrize(("moved", "reconciled"), [(False, True), (True, False)])
def test_an_account_at_rest_needs_no_statement(tmp_path: Path, moved: bool,
                                              reconciled: bool) -> None:
    in_and_out = ('2012-10-09 * "区财政局" "拨入"\n  Assets:Bank:Construction  500.00 CNY\n'
                  '  Income:Operating:District\n'
                  '2012-10-19 * "施工队" "工程款"\n  Assets:Bank:Construction  -500.00 CNY\n'
                  '  Expenses:Operating:Office\n')
    result = run(tmp_path, "2012-10", BOOKS + RESTING + (in_and_out if moved else ""),
                 lines(("2012-10-01", "10000.00", "A")))
    assert result.exit_code == (0 if reconciled else 1), result.output
    assert ("Assets:Bank:Construction：相符" in result.output) is reconciled
    text = (tmp_path / "out" / "2012-10" / "3-银行存款余额调节表.csv").read_text("utf-8-sig")
    assert ("无发生额，余额为零" in text) is reconciled


def test_two_statements_after_one_option_are_refused_saying_how(tmp_path: Path) -> None:
    result = run(tmp_path, "2012-10", BOOKS, lines(("2012-10-01", "10000.00", "A")))
    path = tmp_path / "2012-10.csv"
    again = CliRunner().invoke(funds, ["export", "monthly", "2012-10", "--ledger",
                                       str(tmp_path / "books.beancount"), "--statement",
                                       str(path), str(path), "--out", str(tmp_path / "o2")])
    assert result.exit_code == 0 and again.exit_code == 2
    assert "多余的参数" in again.output and "每个文件写一个 --statement" in again.output
    missing = CliRunner().invoke(funds, ["export", "monthly", "2012-10", "--statement",
                                         str(tmp_path / "无.csv")])
    assert missing.exit_code == 2 and "文件不存在" in missing.output
