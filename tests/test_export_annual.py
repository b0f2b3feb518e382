"""``funds export annual``: the four statements read back from the files, and refusals that
write nothing."""

from __future__ import annotations

import csv
import datetime
import io
import shutil
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner, Result

from ledger.check import DEMO_BOOKS
from ledger.cli.main import funds
from tests.test_annual_cash_flow import TWO_YEARS
from tests.workbook_tables import without_sign_off

SHEETS = ["资产负债表", "业务活动表", "现金流量表", "专项资金收支情况表"]
WORKBOOK = "年度会计报表-{}.xlsx"


def export(out: Path, year: str, *args: str) -> Result:
    return CliRunner().invoke(funds, ["export", "annual", year, "--out", str(out),
                                      "--preparer", "王会计", *args])


def read_csv(folder: Path, index: int) -> list[list[str]]:
    raw = (folder / f"{index}-{SHEETS[index - 1]}.csv").read_bytes()
    assert raw.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))


def lines(rows: list[list[str]]) -> dict[int, list[Decimal | None]]:
    """The amounts of each numbered line (None for an empty cell), under the header row that
    starts with 行次."""
    start = next(index for index, row in enumerate(rows) if row and row[0] == "行次")
    return {int(row[0]): [Decimal(cell) if cell else None for cell in row[2:]]
            for row in rows[start + 1:] if row and row[0]}


def two_year_books(folder: Path, extra: str = "") -> Path:
    folder.mkdir()
    path = folder / "main.beancount"
    path.write_text(TWO_YEARS + extra, encoding="utf-8")
    return path


def test_the_demo_year_writes_a_workbook_and_a_csv_per_statement(tmp_path: Path) -> None:
    result = export(tmp_path / "out", "2012")
    assert result.exit_code == 0, result.output
    folder = tmp_path / "out" / "2012"
    assert sorted(path.name for path in folder.iterdir()) == sorted(
        [WORKBOOK.format(2012), *(f"{index}-{name}.csv" for index, name in
                                  enumerate(SHEETS, start=1))])
    rows = read_csv(folder, 3)
    assert rows[:6] == [["报表", "现金流量表（会民非03表）"],
                        ["编制单位", "东山区社区社工综合服务中心示范点 专项资金账簿"],
                        ["会计年度", "2012 年"], ["金额单位", "元"], ["编制人", "王会计"],
                        ["编制日期", datetime.date.today().isoformat()]]
    flows = lines(rows)
    balance = lines(read_csv(folder, 1))
    opening, closing = balance[1]
    assert opening is not None and closing is not None and closing > 0
    assert flows[61] == [closing - opening]
    assert balance[60][1] == balance[120][1]
    changes = []
    for line in (101, 105, 110):
        start, end = balance[line]
        assert start is not None and end is not None
        changes.append(end - start)
    assert lines(read_csv(folder, 2))[45] == changes


def test_the_workbook_holds_the_csv_amounts_exactly(tmp_path: Path) -> None:
    assert export(tmp_path / "out", "2012").exit_code == 0
    folder = tmp_path / "out" / "2012"
    book = openpyxl.load_workbook(folder / WORKBOOK.format(2012))
    assert book.sheetnames == SHEETS
    for index, name in enumerate(SHEETS, start=1):
        from_csv = read_csv(folder, index)
        sheet = [list(row) for row in
                 without_sign_off(list(book[name].iter_rows(values_only=True)))]
        header = next(number for number, row in enumerate(sheet) if row[0] == "行次")
        csv_header = next(number for number, row in enumerate(from_csv) if row and
                          row[0] == "行次")
        for row, csv_row in zip(sheet[header + 1:], from_csv[csv_header + 1:], strict=True):
            shown = ["" if cell is None else str(cell) for cell in row]
            assert [Decimal(cell) if cell and index > 1 else cell
                    for index, cell in enumerate(shown)] == [
                Decimal(cell) if cell and index > 1 else cell
                for index, cell in enumerate(csv_row)], name
    flows = book["现金流量表"]
    money_cells = [row[2] for row in flows.iter_rows() if isinstance(row[2].value, float | int)
                   and row[0].value]
    assert money_cells and all(cell.number_format == "#,##0.00" for cell in money_cells)


def test_two_years_the_second_with_every_kind(tmp_path: Path) -> None:
    books = two_year_books(tmp_path / "books")
    result = export(tmp_path / "out", "2013", "--ledger", str(books))
    assert result.exit_code == 0, result.output
    flows = lines(read_csv(tmp_path / "out" / "2013", 3))
    assert flows[5] == [Decimal("50000.00")] and flows[35] == [Decimal("20000.00")]
    assert flows[19] == [Decimal("1234.56")] and flows[15] == [Decimal("12000.00")]
    balance = lines(read_csv(tmp_path / "out" / "2013", 1))
    assert balance[1] == [Decimal("103000.00"), Decimal("118117.78")]
    assert flows[61] == [Decimal("15117.78")]


def test_a_new_export_replaces_the_years_folder_whole(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert export(out, "2012").exit_code == 0
    (out / "2012" / "old-note.txt").write_text("旧文件", encoding="utf-8")
    assert export(out, "2012").exit_code == 0
    assert not (out / "2012" / "old-note.txt").exists()
    assert (out / "2012" / WORKBOOK.format(2012)).exists()


@pytest.mark.parametrize(("year", "message"), [
    ("12", "格式不对"), ("2012-10", "格式不对"), ("二〇一二", "格式不对"),
    ("2011", "不在账簿期间"), ("2013", "不在账簿期间")])
def test_a_bad_or_outside_year_writes_nothing(tmp_path: Path, year: str, message: str) -> None:
    out = tmp_path / "out"
    result = export(out, year)
    assert result.exit_code == 2
    assert message in result.stderr and "未写入任何文件" in result.stderr
    assert "Traceback" not in result.output
    assert not out.exists()


def test_unloadable_books_write_nothing(tmp_path: Path) -> None:
    books = tmp_path / "books"
    books.mkdir()
    (books / "main.beancount").write_text('2012-01-01 open Assets:1002-银行存款 CNY\n'
                                          '2012-01-02 * "x"\n  Assets:1002-银行存款  1 CNY\n'
                                          '  Income:4401-政府补助收入  -2 CNY\n',
                                          encoding="utf-8")
    out = tmp_path / "out"
    result = export(out, "2012", "--ledger", str(books / "main.beancount"))
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert not out.exists()


def test_unmapped_accounts_are_each_named_and_nothing_is_written(tmp_path: Path) -> None:
    books = two_year_books(tmp_path / "books", """
2013-01-01 open Assets:Bank:Petty CNY
2013-01-01 open Expenses:Misc CNY
2013-01-01 open Expenses:9999-杂项 CNY
2013-02-01 * "x" "y"
  Assets:Bank:Petty        10.00 CNY
  Expenses:Misc           -4.00 CNY
  Expenses:9999-杂项       -6.00 CNY
""")
    out = tmp_path / "out"
    (out / "2013").mkdir(parents=True)
    (out / "2013" / "kept.txt").write_text("上次导出", encoding="utf-8")
    result = export(out, "2013", "--ledger", str(books))
    assert result.exit_code == 2, result.output
    assert "3 个科目无法归入会计报表" in result.stderr
    for account in ("Assets:Bank:Petty", "Expenses:Misc", "Expenses:9999-杂项"):
        assert account in result.stderr
    assert "科目代码 9999 不在会计科目表中" in result.stderr
    assert [path.name for path in (out / "2013").iterdir()] == ["kept.txt"]


def test_statement_line_places_an_account_the_name_does_not(tmp_path: Path) -> None:
    books = two_year_books(tmp_path / "books", """
2013-01-01 open Assets:Bank:Petty CNY
  statement-line: "1002"
2013-02-01 * "区财政" "拨款"
  Assets:Bank:Petty                 10.00 CNY
  Income:4401-政府补助收入:限定性收入:区财政:建设经费  -10.00 CNY
""")
    result = export(tmp_path / "out", "2013", "--ledger", str(books))
    assert result.exit_code == 0, result.output
    flows = lines(read_csv(tmp_path / "out" / "2013", 3))
    assert flows[5] == [Decimal("50010.00")]


def test_the_demo_books_are_untouched(tmp_path: Path) -> None:
    books = tmp_path / "books"
    shutil.copytree(DEMO_BOOKS.parent, books)
    before = {path.name: path.read_bytes() for path in books.glob("*.beancount")}
    assert export(tmp_path / "out", "2012", "--ledger", str(books / "main.beancount")
                  ).exit_code == 0
    assert {path.name: path.read_bytes() for path in books.glob("*.beancount")} == before


def test_a_year_with_entries_straight_to_net_assets_is_refused_naming_them(
        tmp_path: Path) -> None:
    books = two_year_books(tmp_path / "books")
    result = export(tmp_path / "out", "2012", "--ledger", str(books))
    assert result.exit_code == 2
    assert "直接记入净资产" in result.output and "main.beancount:" in result.output
    assert "期初资金" in result.output and "上年最后一天" in result.output
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_an_opening_entry_on_the_last_day_of_the_year_before_is_the_years_start(
        tmp_path: Path) -> None:
    text = TWO_YEARS.replace('2012-01-01 * "开户" "期初资金"', '2011-12-31 * "开户" "期初资金"')
    books = tmp_path / "books"
    books.mkdir()
    (books / "main.beancount").write_text(text.replace("2012-01-01 open", "2011-12-01 open"),
                                          encoding="utf-8")
    result = export(tmp_path / "out", "2012", "--ledger", str(books / "main.beancount"))
    assert result.exit_code == 0, result.output
    activity = lines(read_csv(tmp_path / "out" / "2012", 2))
    balance = lines(read_csv(tmp_path / "out" / "2012", 1))
    for column in range(3):  # 非限定性, 限定性, 合计: 45 = 11 − 35 + 40
        result_of_year = ((activity[11][column] or 0) - (activity[35][column] or 0)
                          + (activity[40][column] or 0))
        assert activity[45][column] == result_of_year
    start, end = balance[110]  # 净资产合计, 年初数 and 期末数
    assert start is not None and end is not None
    assert end - start == activity[45][2]  # the change in net assets


def test_the_workbooks_columns_are_as_wide_as_their_labels(tmp_path: Path) -> None:
    assert export(tmp_path / "out", "2012").exit_code == 0
    workbook = openpyxl.load_workbook(tmp_path / "out" / "2012" / WORKBOOK.format(2012))
    activity = workbook["业务活动表"]
    label = '四、净资产变动额（若为净资产减少额，以"-"号填列）'
    width = activity.column_dimensions["B"].width
    assert width is not None and width >= min(60, 2 * len(label) - 6)
