"""Amounts, dates and files as Chinese banks write them, read exactly."""

import datetime
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from importers.errors import InputError
from importers.tables import Cell, column_letter, read_table
from importers.values import is_signature, parse_amount, parse_date, parse_text, parse_time


@pytest.mark.parametrize(("text", "amount"), [
    ("1,234.50", "1234.50"), ("¥1,234.50", "1234.50"), ("￥1，234.5", "1234.50"),
    ("-1234.5", "-1234.50"), ("(1,234.50)", "-1234.50"), ("1234", "1234.00"),
    ("1 234.50 元", "1234.50"), ("RMB 12.3", "12.30"), ("+1,234.50", "1234.50"),
    ("1,234,567", "1234567.00"),
])
def test_amounts_in_every_usual_form_are_read_exactly(text: str, amount: str) -> None:
    assert parse_amount(Cell(text)) == Decimal(amount)


@pytest.mark.parametrize("text", ["", "  ", "-", "--"])
def test_a_blank_cell_is_no_amount(text: str) -> None:
    assert parse_amount(Cell(text)) is None


@pytest.mark.parametrize("text", ["壹仟元", "12.345", "1.2.3", "12a", "1234,50", "1 234,50",
                                  "12,34.50", "--5"])
def test_a_text_or_a_fraction_of_a_fen_is_no_amount(text: str) -> None:
    with pytest.raises(ValueError, match="不是金额"):
        parse_amount(Cell(text))


@pytest.mark.parametrize("text", [
    "2012-10-05", "2012/10/05", "20121005", "2012.10.05", "2012年10月5日", "2012-10-05 14:03:22",
])
def test_dates_in_every_usual_form(text: str) -> None:
    assert parse_date(Cell(text)) == datetime.date(2012, 10, 5)


def test_an_excel_date_serial_is_a_date() -> None:
    assert parse_date(Cell("41187", numeric=True)) == datetime.date(2012, 10, 5)


@pytest.mark.parametrize("text", ["2012-13-05", "昨天", "", "41187"])
def test_a_text_that_is_no_date_is_refused(text: str) -> None:
    with pytest.raises(ValueError, match="不是日期"):
        parse_date(Cell(text))


def test_column_letters_follow_the_spreadsheet() -> None:
    assert [column_letter(index) for index in (0, 25, 26, 27, 701, 702)] == [
        "A", "Z", "AA", "AB", "ZZ", "AAA"]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030", "utf-16"])
def test_csv_encodings_are_detected(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "s.csv"
    path.write_bytes("交易日期,摘要\n2012-10-05,专户结息\n".encode(encoding))
    assert [[cell.text for cell in row] for row in read_table(path).rows] == [
        ["交易日期", "摘要"], ["2012-10-05", "专户结息"]]


def test_xlsx_numbers_are_read_as_the_digits_stored(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["金额", "日期", "文字"])
    sheet.append([Decimal("0.10"), datetime.date(2012, 10, 5), "结息"])
    sheet["E5"] = Decimal("1234567.89")
    book.save(tmp_path / "s.xlsx")
    rows = read_table(tmp_path / "s.xlsx").rows
    assert rows[1][0] == Cell("0.1", numeric=True)
    assert parse_date(rows[1][1]) == datetime.date(2012, 10, 5)
    assert rows[1][2] == Cell("结息")
    assert parse_amount(rows[4][4]) == Decimal("1234567.89")


@pytest.mark.parametrize(("name", "content", "message"), [
    ("empty.csv", b"", "文件为空"),
    ("blank.csv", b"\n \n", "文件为空"),
    ("utf16-no-bom.csv", "交易日期,摘要\n2012-10-05".encode("utf-16-le"), "无法识别的文本编码"),
    ("truncated.xlsx", b"PK\x03\x04\x14\x00", "不是完整的 xlsx 文件"),
    ("old.xls", b"\xd0\xcf\x11\xe0", "不支持旧版 .xls"),
])
def test_unreadable_files_say_why(tmp_path: Path, name: str, content: bytes,
                                  message: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(InputError, match=message) as raised:
        read_table(path)
    assert str(path) in str(raised.value)


@pytest.mark.parametrize(("text", "amount"), [
    ("1234.5", "1234.50"), ("123.45000000000002", "123.45"), ("1.2345E+4", "12345.00"),
    ("-0.1", "-0.10"),
])
def test_numbers_stored_by_a_spreadsheet_are_read_to_the_fen(text: str, amount: str) -> None:
    assert parse_amount(Cell(text, numeric=True)) == Decimal(amount)


@pytest.mark.parametrize("text", ["123.456", "1E+400000000", "NaN"])
def test_a_stored_number_that_is_no_amount_in_fen_is_refused(text: str) -> None:
    with pytest.raises(ValueError, match="不是"):
        parse_amount(Cell(text, numeric=True))


@pytest.mark.parametrize("text", ["1" * 27, "1" * 40 + ".00", "-" + "9" * 30, "1" * 16,
                                  "1,000,000,000,000,000.00"])
def test_an_amount_of_too_many_digits_is_refused(text: str) -> None:
    with pytest.raises(ValueError, match="位数过多"):
        parse_amount(Cell(text))


@pytest.mark.parametrize("text", ["1E+20", "1" * 27, "-1" + "0" * 16])
def test_a_stored_number_of_too_many_digits_is_refused(text: str) -> None:
    with pytest.raises(ValueError, match="位数过多"):
        parse_amount(Cell(text, numeric=True))


def test_the_largest_amount_is_read() -> None:
    assert parse_amount(Cell("999,999,999,999,999.99")) == Decimal("999999999999999.99")
    assert parse_amount(Cell("999999999999999.99", numeric=True)) == Decimal("999999999999999.99")


@pytest.mark.parametrize("text", ["abc", "NaN", "1E+400000000", "1E+15", "-5", "1" * 16])
def test_a_stored_number_that_cannot_be_digits_is_refused(text: str) -> None:
    with pytest.raises(ValueError, match="以数字存储"):
        parse_text(Cell(text, numeric=True), digits=True)


def test_a_stored_number_of_fifteen_digits_is_its_digits() -> None:
    assert parse_text(Cell("1.23456789012345E+14", numeric=True), digits=True) == (
        "123456789012345")


@pytest.mark.parametrize("text", ["abc", "NaN", "1E+400000000", "-Infinity"])
def test_a_stored_time_that_is_no_number_is_refused(text: str) -> None:
    with pytest.raises(ValueError, match="不是时间"):
        parse_time(Cell(text, numeric=True))


@pytest.mark.parametrize("text", ["99999999", "00000101", "0000-01-01", "10000-01-01",
                                  "9999-12-32", "2013-02-29"])
def test_a_date_that_cannot_be_is_refused(text: str) -> None:
    for numeric in (False, True):
        with pytest.raises(ValueError, match="不是日期"):
            parse_date(Cell(text, numeric=numeric))


_NUMBERISH = st.from_regex(r"[+-]?[0-9]{0,40}(\.[0-9]{0,40})?([eE][+-]?[0-9]{1,12})?",
                           fullmatch=True)


@settings(max_examples=300, deadline=None, derandomize=True)
@given(text=st.one_of(st.text(max_size=60), _NUMBERISH), numeric=st.booleans())
@example(text="1" * 27, numeric=False)
@example(text="abc", numeric=True)
@example(text="1E+400000000", numeric=True)
def test_every_reader_of_a_cell_returns_or_says_why(text: str, numeric: bool) -> None:
    cell = Cell(text, numeric=numeric)
    readers: list[Callable[[Cell], object]] = [
        parse_amount, parse_date, parse_time, parse_text,
        lambda cell: parse_text(cell, digits=True)]
    for read in readers:
        try:
            read(cell)
        except ValueError as error:
            assert str(error)


@pytest.mark.parametrize("text", ["审核：陈主任", "制表人:林晓燕", " 日期：2013年1月31日", "复核：",
                                  "单位负责人：郑主任", "经办人", "盖章", "领导签字"])
def test_signature_labels(text: str) -> None:
    assert is_signature(text)


@pytest.mark.parametrize("text", ["审核费", "出纳员林晓燕", "会计服务费", "林晓燕", "合计", ""])
def test_texts_that_are_no_signature(text: str) -> None:
    assert not is_signature(text)
    assert not is_signature(text, bare=False)


@pytest.mark.parametrize("text", ["出纳", "会计", "经办人", "日期"])
def test_a_bare_role_where_a_post_may_stand_is_no_signature(text: str) -> None:
    assert is_signature(text)
    assert not is_signature(text, bare=False)
