"""The xlsx reader on damaged and hostile files: a located ``InputError``, in bounded memory."""

from __future__ import annotations

import tracemalloc
import zipfile
from pathlib import Path

import pytest

from importers.errors import InputError
from importers.tables import Cell, read_table
from importers.values import parse_amount, parse_date

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_WORKBOOK = f"""<?xml version="1.0" encoding="UTF-8"?>
<workbook xmlns="{_MAIN}"
  xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">
<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>"""
_RELS = """<?xml version="1.0" encoding="UTF-8"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Target="worksheets/sheet1.xml"
  Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"/>
</Relationships>"""


def xlsx(path: Path, rows: str, shared: list[str] | None = None, *,
         sheet: bytes | None = None, shared_items: str | None = None) -> Path:
    """A minimal workbook whose first sheet's ``sheetData`` is ``rows``."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as book:
        book.writestr("xl/workbook.xml", _WORKBOOK)
        book.writestr("xl/_rels/workbook.xml.rels", _RELS)
        book.writestr("xl/worksheets/sheet1.xml", sheet if sheet is not None else
                      f'<worksheet xmlns="{_MAIN}"><sheetData>{rows}</sheetData></worksheet>')
        if shared is not None or shared_items is not None:
            items = shared_items or "".join(f"<si><t>{text}</t></si>" for text in shared or [])
            book.writestr("xl/sharedStrings.xml", f'<sst xmlns="{_MAIN}">{items}</sst>')
    return path


def refusal(path: Path) -> InputError:
    with pytest.raises(InputError) as raised:
        read_table(path)
    assert str(path) in str(raised.value)
    return raised.value


def test_a_minimal_workbook_is_read(tmp_path: Path) -> None:
    path = xlsx(tmp_path / "s.xlsx", '<row r="1"><c r="A1" t="s"><v>0</v></c>'
                                     '<c r="C1"><v>12.5</v></c></row>'
                                     '<row r="3"><c t="inlineStr"><is><t> 结息 </t></is></c></row>',
                ["交易日期"])
    assert read_table(path).rows == [
        [Cell("交易日期"), Cell(""), Cell("12.5", numeric=True)], [], [Cell("结息")]]


@pytest.mark.parametrize("index", ["", "x", "1.0", "-1", "2", "99999999999999999999"])
def test_a_bad_shared_string_index_names_its_cell(tmp_path: Path, index: str) -> None:
    path = xlsx(tmp_path / "s.xlsx", f'<row r="4"><c r="B4" t="s"><v>{index}</v></c></row>',
                ["甲", "乙"])
    error = refusal(path)
    assert (error.row, error.column) == (4, "B")
    assert "共享字符串" in error.message


@pytest.mark.parametrize("number", ["abc", "0", "-3", "1.5", "1048577", "99999999"])
def test_a_row_number_that_is_no_row_is_refused(tmp_path: Path, number: str) -> None:
    path = xlsx(tmp_path / "s.xlsx", f'<row r="{number}"><c><v>1</v></c></row>')
    assert "行号" in refusal(path).message


@pytest.mark.parametrize("reference", ["A", "1", "a1", "AAAA1", "XFE1", "Ａ1", "A0"])
def test_a_cell_reference_that_is_no_cell_is_refused(tmp_path: Path, reference: str) -> None:
    path = xlsx(tmp_path / "s.xlsx", f'<row r="1"><c r="{reference}"><v>1</v></c></row>')
    error = refusal(path)
    assert error.row == 1 and "单元格位置" in error.message


@pytest.mark.parametrize("text", ["abc", "12a", "1,234.50", "0x10", "NaN", "Infinity", "1e"])
def test_a_number_cell_holding_text_names_its_cell(tmp_path: Path, text: str) -> None:
    path = xlsx(tmp_path / "s.xlsx", f'<row r="2"><c r="I2"><v>{text}</v></c></row>')
    error = refusal(path)
    assert (error.row, error.column) == (2, "I")
    assert "不是数字" in error.message


def test_a_sheet_beyond_the_rows_a_statement_can_have_is_refused_in_little_memory(
        tmp_path: Path) -> None:
    path = xlsx(tmp_path / "s.xlsx", '<row r="1"><c r="A1"><v>1</v></c></row>'
                                     '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>')
    tracemalloc.start()
    try:
        error = refusal(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert "过大" in error.message
    assert peak < 20 * 2**20


def test_many_wide_rows_are_refused_before_they_fill_memory(tmp_path: Path) -> None:
    rows = "".join(f'<row r="{row}"><c r="XFD{row}"><v>1</v></c></row>' for row in range(1, 200))
    path = xlsx(tmp_path / "s.xlsx", rows)
    tracemalloc.start()
    try:
        error = refusal(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert "过大" in error.message
    assert peak < 40 * 2**20


def test_a_zip_bomb_is_refused_without_inflating_it(tmp_path: Path) -> None:
    filler = b" " * (64 * 2**20)
    sheet = (f'<worksheet xmlns="{_MAIN}"><sheetData>'.encode() + filler +
             b"</sheetData></worksheet>")
    path = xlsx(tmp_path / "s.xlsx", "", sheet=sheet)
    del sheet, filler
    assert path.stat().st_size < 2**20
    tracemalloc.start()
    try:
        error = refusal(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert "过大" in error.message
    assert peak < 20 * 2**20


@pytest.mark.parametrize(("parts", "message"), [
    ({"xl/workbook.xml": "<workbook/>"}, "没有工作表"),
    ({"xl/workbook.xml": "<workbook"}, "不是完整的 xlsx 文件"),
    ({"xl/_rels/workbook.xml.rels": "<Relationships/>"}, "不是完整的 xlsx 文件"),
    ({"xl/worksheets/sheet1.xml": f'<worksheet xmlns="{_MAIN}"><sheetData><row>'},
     "不是完整的 xlsx 文件"),
])
def test_a_workbook_with_a_missing_or_broken_part_is_refused(
        tmp_path: Path, parts: dict[str, str], message: str) -> None:
    good = xlsx(tmp_path / "good.xlsx", '<row r="1"><c><v>1</v></c></row>')
    path = tmp_path / "s.xlsx"
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(path, "w") as target:
        for name in source.namelist():
            target.writestr(name, parts.get(name, source.read(name)))
    assert message in refusal(path).message


def test_phonetic_runs_are_not_part_of_a_shared_string(tmp_path: Path) -> None:
    path = xlsx(tmp_path / "s.xlsx", '<row r="1"><c r="A1" t="s"><v>0</v></c></row>',
                shared_items="<si><r><t>东山</t></r><r><t>区</t></r><rPh><t>ドンシャン</t></rPh></si>")
    assert read_table(path).rows == [[Cell("东山区")]]


def test_an_iso_date_cell_is_read_as_a_date(tmp_path: Path) -> None:
    path = xlsx(tmp_path / "s.xlsx", '<row r="1"><c r="A1" t="d"><v>2013-01-05T00:00:00</v></c>'
                                     "</row>")
    [[cell]] = read_table(path).rows
    assert str(parse_date(cell)) == "2013-01-05"


def test_a_file_that_cannot_be_opened_is_named(tmp_path: Path) -> None:
    path = tmp_path / "gone.xlsx"
    error = refusal(path)
    assert "无法读取" in error.message


def test_a_workbook_part_of_countless_elements_is_read_in_little_memory(tmp_path: Path) -> None:
    path = xlsx(tmp_path / "s.xlsx", '<row r="1"><c><v>1</v></c></row>')
    with zipfile.ZipFile(path) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    parts["xl/workbook.xml"] = parts["xl/workbook.xml"].replace(
        b"<sheets>", b"<x>" + b"<a/>" * 2**19 + b"</x><sheets>")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in parts.items():
            target.writestr(name, data)
    tracemalloc.start()
    try:
        rows = read_table(path).rows
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert rows == [[Cell("1", numeric=True)]]
    assert peak < 20 * 2**20


def test_a_cell_outside_any_row_is_no_part_of_the_last_row(tmp_path: Path) -> None:
    path = xlsx(tmp_path / "s.xlsx", '<row r="1"><c><v>1</v></c></row><c><v>2</v></c>')
    assert read_table(path).rows == [[Cell("1", numeric=True)]]


@pytest.mark.parametrize(("stored", "shown"), [("1", "TRUE"), ("0", "FALSE")])
def test_a_boolean_cell_is_no_amount(tmp_path: Path, stored: str, shown: str) -> None:
    path = xlsx(tmp_path / "s.xlsx", f'<row r="1"><c r="A1" t="b"><v>{stored}</v></c></row>')
    [[cell]] = read_table(path).rows
    assert cell == Cell(shown)
    with pytest.raises(ValueError, match="不是金额"):
        parse_amount(cell)
