"""Every workbook prints as the bureau prints it: each kind (the demo books' October 2012
monthly export, the demo 2012 annual statements, a city workbook of a few centres) converted to
PDF by LibreOffice headless, as an office would print it, and read back with ``pdftotext``.

Checked against the workbook itself (read with openpyxl): no sheet is wider than a page (every
page of a sheet holds its whole header row, first column to last, so no page carries only some
columns), the header repeats on every page of a long sheet with the cover above it, the
account names appear whole, each sheet takes no more pages than its rows need, pages are A4 and
numbered 第 N 页 共 M 页, and the sign-off line 单位负责人 / 财务负责人 / 制表人 is printed with
the preparer. LibreOffice is slow to start: each workbook is converted once for the module.
"""

from __future__ import annotations

import datetime
import html
import itertools
import math
import re
import shutil
import subprocess
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from click.testing import CliRunner
from openpyxl.cell.cell import Cell
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from ledger.cli.main import funds
from reports.print_layout import PROSE_WIDTH, printed, wrapped
from reports.sheets import Sheet
from reports.workbook import write_sheet_csv, write_workbook
from tests import test_city_consolidation as city
from tests.pdf_tools import pdf_pages, render_png
from tests.workbook_tables import table_end, without_sign_off

PREPARER = "王会计"
ACCOUNT = re.compile(r"(?:Assets|Liabilities|Equity|Income|Expenses):[^\s、；，。：（）()]+")
PAGE_NUMBER = re.compile(r"第\s*(\d+)\s*页\s*共\s*(\d+)\s*页")
ROWS_A_PAGE_AT_LEAST = 20  # rows of a table a printed A4 page holds, either way round
CHARTS = "图表"


@dataclass(frozen=True)
class Printed:
    """A workbook and the PDF LibreOffice printed of it, its pages by sheet title."""

    workbook: Path
    pdf: Path
    pages: list[str]
    sizes: list[tuple[float, float]]

    def sheet_pages(self, title: str) -> list[str]:
        """The pages that print sheet ``title`` (the title heads each of its pages)."""
        return [page for page in self.pages if _first_line(page) == title]


def _first_line(page: str) -> str:
    return next((line.strip() for line in page.splitlines() if line.strip()), "")


def to_pdf(workbook: Path, folder: Path) -> Printed:
    """``workbook`` printed to PDF by LibreOffice headless, with a profile of its own."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.fail("LibreOffice is missing: install Debian's libreoffice-calc-nogui "
                    "(bash .ci/run does)")
    folder.mkdir(parents=True, exist_ok=True)
    profile = (folder / "profile").as_uri()
    subprocess.run([soffice, f"-env:UserInstallation={profile}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(folder), str(workbook)],
                   check=True, capture_output=True, timeout=300)
    pdf = folder / workbook.with_suffix(".pdf").name
    assert pdf.is_file(), f"LibreOffice printed nothing for {workbook.name}"
    return Printed(workbook, pdf, pdf_pages(pdf), page_sizes(pdf))


def page_sizes(pdf: Path) -> list[tuple[float, float]]:
    """Each page's width and height in points, by ``pdfinfo``."""
    tool = shutil.which("pdfinfo")
    if tool is None:
        pytest.fail("pdfinfo is missing: install Debian's poppler-utils (bash .ci/run does)")
    text = subprocess.run([tool, "-f", "1", "-l", "9999", str(pdf)], capture_output=True,
                          check=True).stdout.decode()
    return [(float(width), float(height)) for width, height in
            re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts", text)]


@pytest.fixture(scope="module")
def monthly(tmp_path_factory: pytest.TempPathFactory) -> Printed:
    out = tmp_path_factory.mktemp("monthly")
    result = CliRunner().invoke(funds, ["export", "monthly", "2012-10", "--out",
                                        str(out / "out"), "--preparer", PREPARER])
    assert result.exit_code == 0, result.output
    return to_pdf(out / "out" / "2012-10" / "专项资金月报-2012-10.xlsx", out / "pdf")


@pytest.fixture(scope="module")
def annual(tmp_path_factory: pytest.TempPathFactory) -> Printed:
    out = tmp_path_factory.mktemp("annual")
    result = CliRunner().invoke(funds, ["export", "annual", "2012", "--out", str(out / "out"),
                                        "--preparer", PREPARER])
    assert result.exit_code == 0, result.output
    return to_pdf(out / "out" / "2012" / "年度会计报表-2012.xlsx", out / "pdf")


# an account name wider than a column used to be let (60): the old workbook cut it short
LONG_ACCOUNT = ("Expenses:5101-业务活动成本:建设经费:装修工程:二期:"
                "东山区社区服务中心综合楼室内装修及消防改造")
CENTRES: dict[str, dict[str, Any]] = {
    "榕城区社工服务中心": {
        "funds": [city.fund("construction", "示范点建设经费", "100000.10", "20000.05",
                            "15000.33", "60000.00")],
        "budget": [city.budget("construction", "120000.00", "60000.00")],
        "reconciliations": [], "findings": [
            city.finding("over-budget", "超预算", "construction", LONG_ACCOUNT, "200.00",
                         "warning"),
            city.finding("allocation-late", "拨款未到位", "construction",
                         "Income:4401-政府补助收入:限定性收入:区财政:建设经费", "30000.00")]},
    "普宁市社工服务中心": {
        "funds": [city.fund("operating", "日常运营经费", "5000.00", "0.00", "1200.50",
                            "9000.00")],
        "budget": [], "reconciliations": [], "findings": []},
}


@pytest.fixture(scope="module")
def city_month(tmp_path_factory: pytest.TempPathFactory) -> Printed:
    """The city workbook of two centres, one with a finding on a very long account name."""
    out = tmp_path_factory.mktemp("city")
    for index, (unit, figures) in enumerate(CENTRES.items()):
        city.write_month(out / "received" / f"centre-{index}" / city.MONTH, unit, figures)
    registry = out / "centres.csv"
    registry.write_text("单位名称,区,2012-10\n榕城区社工服务中心,榕城区,\n普宁市社工服务中心,普宁市,\n",
                        encoding="utf-8")
    city.run(out / "received", "--registry", registry, "--out", out / "out")
    return to_pdf(out / "out" / city.WORKBOOK, out / "pdf")


KINDS = ["monthly", "annual", "city_month"]


def tables(printed: Printed) -> Iterator[tuple[Worksheet, list[str], int]]:
    """Each table sheet of the workbook (not the charts), its header and its header's row:
    the first row that fills every column."""
    book = openpyxl.load_workbook(printed.workbook)
    for sheet in book.worksheets:
        if sheet.title == CHARTS:
            continue
        for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
            if all(value is not None for value in row):
                yield sheet, [str(value) for value in row], number
                break
        else:
            pytest.fail(f"{sheet.title}: no header row")


def width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def names_shown(sheet: Worksheet, header_row: int) -> list[str]:
    """The account names of the sheet's cells that name one account each, the widest first;
    or, on a sheet without accounts (the statements), its 项目 labels, the widest first."""
    texts = [str(value) for row in sheet.iter_rows(min_row=header_row + 1, values_only=True)
             for value in row if isinstance(value, str)]
    names = [found[0] for text in texts if len(found := ACCOUNT.findall(text)) == 1]
    header = [cell.value for cell in sheet[header_row]]
    if not names and "项目" in header:
        column = header.index("项目")
        names = [str(row[column]) for row in sheet.iter_rows(min_row=header_row + 1,
                                                               values_only=True)
                 if row[column]]
    return sorted(set(names), key=lambda name: (-width(name), name))


@pytest.mark.parametrize("kind", KINDS)
def test_no_sheet_is_wider_than_a_page(kind: str, request: pytest.FixtureRequest) -> None:
    """Wherever a sheet's header row starts (its first headers, as many as tell it from the
    other sheets'), the whole header is on that line: no page carries only some columns."""
    printed: Printed = request.getfixturevalue(kind)
    lines = [line for page in printed.pages for line in page.splitlines()]
    headers = [header for _, header, _ in tables(printed)]
    for sheet, header, _ in tables(printed):
        starts = [line for line in lines if in_order(header[:distinct(header, headers)], line)]
        assert starts, (sheet.title, header)
        assert all(in_order(header, line) for line in starts), (sheet.title, header, starts)


def in_order(cells: list[str], line: str) -> bool:
    """The cells, one after another, in the printed line (spaces between)."""
    pattern = r"\s+".join(re.escape(cell) for cell in cells)
    return re.search(rf"^\s*{pattern}(\s|$)", line) is not None


def distinct(header: list[str], headers: list[list[str]]) -> int:
    """How many of ``header``'s first cells tell it from every other header (at least 2)."""
    others = [other for other in headers if other != header]
    return next((count for count in range(2, len(header) + 1)
                 if all(other[:count] != header[:count] for other in others)), len(header))


@pytest.mark.parametrize("kind", KINDS)
def test_each_sheets_pages_are_headed_by_its_title_and_header(
        kind: str, request: pytest.FixtureRequest) -> None:
    printed: Printed = request.getfixturevalue(kind)
    for sheet, header, _ in tables(printed):
        pages = printed.sheet_pages(sheet.title)
        assert pages, f"{sheet.title}: no page headed by its title"
        for page in pages:  # the header repeated on each page
            assert any(header[0] in line and line.rstrip().endswith(header[-1])
                       for line in page.splitlines()), (sheet.title, header, page)
    titles = {_first_line(page) for page in printed.pages}
    assert titles <= {sheet.title for sheet in openpyxl.load_workbook(
        printed.workbook).worksheets}, titles  # every page is some sheet's


@dataclass(frozen=True)
class Word:
    """A word as ``pdftotext -bbox`` places it on its page, in points."""

    text: str
    left: float
    top: float
    right: float
    bottom: float

    def beside(self, other: Word) -> bool:
        """On the same printed line as ``other`` (their heights mostly overlap)."""
        shared = min(self.bottom, other.bottom) - max(self.top, other.top)
        return shared > 0.5 * min(self.bottom - self.top, other.bottom - other.top)

    def overlaps(self, other: Word) -> bool:
        return min(self.right, other.right) - max(self.left, other.left) > TOUCHING


TOUCHING = 0.5  # points: words of neighbouring cells may touch, not overlap
WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">'
                  r"(.*?)</word>")


def words(pdf: Path) -> list[list[Word]]:
    """Each page's words with their boxes (``pdftotext -bbox``); a cell's text cut short by
    its neighbour is still all in the PDF, but runs under the neighbour's words."""
    tool = shutil.which("pdftotext")
    if tool is None:
        pytest.fail("pdftotext is missing: install Debian's poppler-utils (bash .ci/run does)")
    text = subprocess.run([tool, "-bbox", str(pdf), "-"], capture_output=True,
                          check=True).stdout.decode()
    return [[Word(html.unescape(found[4]), *map(float, found[:4]))
             for found in WORD.findall(page)] for page in text.split("<page ")[1:]]


@pytest.mark.parametrize("kind", KINDS)
def test_the_account_names_print_whole(kind: str, request: pytest.FixtureRequest) -> None:
    """Each sheet's widest account name (or statement item) is printed whole, on one line,
    in every cell that holds it, and runs under no other cell's text; every other name is
    printed whole somewhere."""
    printed: Printed = request.getfixturevalue(kind)
    text = "\n".join(printed.pages)
    pages = words(printed.pdf)
    cells = [str(value) for sheet, _, header_row in tables(printed)
             for row in sheet.iter_rows(min_row=header_row + 1, values_only=True)
             for value in row if isinstance(value, str)]
    for sheet, _, header_row in tables(printed):
        names = names_shown(sheet, header_row)
        if not names:
            continue
        holding = [(word, page) for page in pages for word in page if names[0] in word.text]
        assert len(holding) >= sum(names[0] in cell for cell in cells), (sheet.title, names[0])
        for word, page in holding:
            assert [other.text for other in page if other is not word
                    and word.beside(other) and word.overlaps(other)] == [], names[0]
        assert [name for name in names if name not in text] == [], sheet.title
        if kind == "city_month" and sheet.title == "异常事项":
            assert names[0] == LONG_ACCOUNT


@pytest.mark.parametrize("kind", KINDS)
def test_the_workbook_takes_no_more_pages_than_its_rows_need(
        kind: str, request: pytest.FixtureRequest) -> None:
    printed: Printed = request.getfixturevalue(kind)
    needed = {sheet.title: max(1, math.ceil((sheet.max_row - header_row) / ROWS_A_PAGE_AT_LEAST))
              for sheet, _, header_row in tables(printed)}
    charts = CHARTS in openpyxl.load_workbook(printed.workbook).sheetnames
    assert len(printed.pages) <= sum(needed.values()) + charts, (len(printed.pages), needed)
    for title, pages in needed.items():
        assert len(printed.sheet_pages(title)) <= pages, title
    assert all(sorted(size) == pytest.approx([595.3, 841.9], abs=1)
               for size in printed.sizes), printed.sizes  # A4, either way round
    assert len(printed.sizes) == len(printed.pages)


@pytest.mark.parametrize("kind", KINDS)
def test_every_page_is_numbered(kind: str, request: pytest.FixtureRequest) -> None:
    printed: Printed = request.getfixturevalue(kind)
    total = len(printed.pages)
    for number, page in enumerate(printed.pages, start=1):
        assert [(int(a), int(b)) for a, b in PAGE_NUMBER.findall(page)] == [(number, total)]


SIGN_OFF_GAP = 40.0  # points, at most, between the table's last printed line and the sign-off


def last_row_text(sheet: Worksheet) -> str:
    """The first cell of the table's last row (above the sign-off), as its first line prints."""
    rows = list(sheet.iter_rows(values_only=True))
    filled = [[value for value in row if value not in (None, "")]
              for row in rows[:table_end(rows)]]
    last = next(row for row in reversed(filled) if row)  # a table may end in a blank row
    value = next((value for value in last if isinstance(value, str)), last[0])
    shown = f"{value:,.2f}" if isinstance(value, Decimal | float) else str(value)
    return shown.split("\n")[0][:6]


@pytest.mark.parametrize("kind", KINDS)
def test_each_sheet_is_signed_off_once_right_under_its_table(
        kind: str, request: pytest.FixtureRequest) -> None:
    """The sign-off line (单位负责人 / 财务负责人 / 制表人 with the preparer) and the seal's row
    print once a sheet: on its last page, right under the table's last row, and on none of a
    long sheet's other pages (nor on the charts)."""
    printed: Printed = request.getfixturevalue(kind)
    pages = words(printed.pdf)
    signed = [index for index, page in enumerate(pages)
              if any(word.text.startswith("单位负责人：") for word in page)]
    sheets = list(tables(printed))
    assert len(signed) == len(sheets)
    for sheet, _, _ in sheets:
        own = [index for index, page in enumerate(printed.pages)
               if _first_line(page) == sheet.title]
        assert [index for index in own if index in signed] == [own[-1]], sheet.title
        page = pages[own[-1]]
        chief = next(word for word in page if word.text.startswith("单位负责人："))
        line = [word.text for word in sorted(page, key=lambda word: word.left)
                if word.beside(chief)]
        preparer = "" if kind == "city_month" else PREPARER  # the city's names nobody
        assert [text for text in line if text.endswith("：") or "制表人" in text] == [
            "单位负责人：", "财务负责人：", f"制表人：{preparer}"], (sheet.title, line)
        last = last_row_text(sheet)
        above = [word for word in page if word.bottom <= chief.top]
        assert any(last in word.text for word in above), (sheet.title, last)
        assert chief.top - max(word.bottom for word in above) < SIGN_OFF_GAP, sheet.title
        seal = [word for word in page if word.text.startswith("单位（盖章）")]
        assert len(seal) == 1 and seal[0].top > chief.bottom, sheet.title
        below = [word.text for word in page if word.top > seal[0].bottom]
        assert PAGE_NUMBER.fullmatch(" ".join(below)), below  # nothing else under it
    assert kind != "annual" or any(len(printed.sheet_pages(sheet.title)) > 1
                                   for sheet, _, _ in sheets)  # a long sheet: signed once


def test_a_long_statement_repeats_its_cover_and_header_on_its_second_page(
        annual: Printed) -> None:
    long = [(sheet, header) for sheet, header, _ in tables(annual)
            if len(annual.sheet_pages(sheet.title)) > 1]
    assert long, "no statement runs past a page: the repeat is untested"
    for sheet, header in long:
        second = annual.sheet_pages(sheet.title)[1]
        assert "编制单位" in second and "东山区社区社工综合服务中心示范点" in second
        assert re.search(rf"{header[0]}\s+{header[1]}", second), second


def test_a_wide_sheet_prints_landscape_a_narrow_one_portrait(monthly: Printed,
                                                             tmp_path: Path) -> None:
    detail = [index for index, page in enumerate(monthly.pages)
              if _first_line(page) == "收支明细"]
    reconciliation = [index for index, page in enumerate(monthly.pages)
                      if _first_line(page) == "银行存款余额调节表"]
    assert detail and reconciliation
    assert all(monthly.sizes[index][0] > monthly.sizes[index][1] for index in detail)
    # a bit wider than portrait, but one portrait page, not two landscape ones
    assert all(monthly.sizes[index][0] < monthly.sizes[index][1] for index in reconciliation)
    png = render_png(monthly.pdf, detail[0] + 1, tmp_path / "收支明细.png")
    assert png.stat().st_size > 10_000  # for a person to look at


# The layout itself, read back from the workbook (quick: no LibreOffice)

NARROW = Sheet("窄表", ["科目", "金额"],
               cover=[["单位", "示范点"], ["编制人", "李会计"]])
NARROW.add("Expenses:5101-业务活动成本:运营经费:宣传费", Decimal("1234.50"))
WIDE = Sheet("宽表", [f"第{number}列很长的表头" for number in range(1, 13)])
WIDE.add(*["文字" * 5] * 12)


def written(tmp_path: Path, *sheets: Sheet, preparer: str | None = None) -> Workbook:
    path = tmp_path / "book.xlsx"
    write_workbook(path, list(sheets), preparer=preparer)
    return openpyxl.load_workbook(path)


def test_the_tables_cells_are_bordered_amounts_right_text_wrapped(tmp_path: Path) -> None:
    sheet = written(tmp_path, NARROW)["窄表"]
    header = 4  # two cover rows, a blank row, the header
    assert [cell.value for cell in sheet[header]] == ["科目", "金额"]
    for row in sheet.iter_rows(min_row=header, max_row=header + 1):
        assert all(cell.border.left.style == cell.border.bottom.style == "thin" for cell in row)
    assert sheet.cell(header, 1).font.bold and sheet.cell(header, 1).fill.fgColor.rgb.endswith(
        "D9D9D9")
    assert sheet.cell(header + 1, 2).alignment.horizontal == "right"
    assert sheet.cell(header + 1, 2).number_format == "#,##0.00"  # kept under the frame
    assert sheet.cell(header + 1, 1).alignment.wrap_text
    assert sheet.cell(1, 1).border.left.style is None  # decoy: the cover is not framed
    assert sheet.cell(1, 1).font.bold


def test_pages_are_a4_one_wide_with_the_cover_and_header_on_each(tmp_path: Path) -> None:
    book = written(tmp_path, NARROW, WIDE)
    narrow, wide = book["窄表"], book["宽表"]
    for sheet in (narrow, wide):
        assert str(sheet.page_setup.paperSize) == sheet.PAPERSIZE_A4
        assert (sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight) == (1, 0)
        fit = sheet.sheet_properties.pageSetUpPr
        assert fit is not None and fit.fitToPage
    assert narrow.print_title_rows == "$1:$4" and wide.print_title_rows == "$1:$1"
    assert wide.page_setup.orientation == "landscape"
    assert narrow.page_setup.orientation == "portrait"  # decoy: two columns fit upright
    assert narrow.oddHeader is not None and narrow.oddHeader.center.text == "窄表"


def test_the_sign_off_is_under_the_table_across_its_width(tmp_path: Path) -> None:
    narrow_book = written(tmp_path, NARROW)
    narrow = narrow_book["窄表"]
    rows = [[cell.value for cell in row] for row in narrow.iter_rows()]
    assert rows[5:] == [[None, None],  # the table (header row 4, one row) ends at a blank row
                        ["单位负责人：" + "\u3000" * 6 + "财务负责人：" + "\u3000" * 6
                         + "制表人：李会计", None],  # the cover's 编制人, across both columns
                        ["单位（盖章）：", None]]
    assert {str(merged) for merged in narrow.merged_cells.ranges} == {"A7:B7", "A8:B8"}
    assert (narrow.row_dimensions[8].height or 0) >= 36  # room for the seal
    wide = written(tmp_path, WIDE, preparer="Wang & Li")["宽表"]
    sign_off = [cell.value for cell in wide[4]]
    assert [value for value in sign_off if value] == ["单位负责人：", "财务负责人：",
                                                      "制表人：Wang & Li"]
    assert sign_off[0] == "单位负责人：" and sign_off[-1] is None  # a third of the width each
    spans = sorted((merged.min_col, merged.max_col) for merged in wide.merged_cells.ranges
                   if merged.min_row == 4)
    assert spans[0][0] == 1 and spans[-1][1] == 12 and all(
        left[1] + 1 == right[0] for left, right in itertools.pairwise(spans))
    assert [cell.value for cell in wide[3]] == [None] * 12  # one blank row above it
    for sheet in (narrow, wide):
        item = sheet.oddFooter
        assert item is not None and item.center.text == "第 &P 页 共 &N 页"  # only the number
    write_sheet_csv(tmp_path / "1.csv", NARROW)
    assert "负责人" not in (tmp_path / "1.csv").read_text("utf-8-sig")  # the workbook's only


def test_a_sign_off_without_room_for_signatures_in_thirds_is_one_line(tmp_path: Path) -> None:
    """A statement's 行次 column is too narrow for 单位负责人 and a signature: the three labels go
    on one line across the table, room left after each (the wide sheet above is the decoy)."""
    statement = Sheet("资产负债表", ["行次", "项目", "年初数", "期末数"])
    statement.add(1, "货币资金", Decimal("1.00"), Decimal("2.00"))
    sheet = written(tmp_path, statement, preparer=PREPARER)["资产负债表"]
    assert [cell.value for cell in sheet[4]] == [
        "单位负责人：" + "\u3000" * 6 + "财务负责人：" + "\u3000" * 6 + f"制表人：{PREPARER}",
        None, None, None]
    assert "A4:D4" in {str(merged) for merged in sheet.merged_cells.ranges}


def test_a_table_with_blank_rows_of_its_own_is_read_to_its_end(tmp_path: Path) -> None:
    gapped = Sheet("有空行", ["科目", "金额"])
    gapped.add("合计", Decimal("3.00"))
    gapped.add(None, None)  # the monthly report's blank row before 其中 (a decoy end)
    gapped.add("其中：现金", Decimal("3.00"))
    rows = list(written(tmp_path, gapped)["有空行"].iter_rows(values_only=True))
    assert without_sign_off(rows) == [("科目", "金额"), ("合计", Decimal("3.00")),
                                      (None, None), ("其中：现金", Decimal("3.00"))]


def tall(rows: int, title: str = "长表") -> Sheet:
    sheet = Sheet(title, ["科目", "金额"])
    for number in range(rows):
        sheet.add(f"第{number + 1}行", Decimal(number))
    return sheet


def test_a_sign_off_that_would_not_fit_takes_the_last_row_to_the_next_page(
        tmp_path: Path) -> None:
    """A portrait page holds the header and 48 rows: under 46 rows the sign-off's three rows
    do not fit, and the table's last row goes over with them; under 40 they fit."""
    crowded = written(tmp_path, tall(46))["长表"]
    assert [brk.id for brk in crowded.row_breaks.brk] == [46]  # after row 46: row 47 goes on
    roomy = written(tmp_path, tall(40))["长表"]
    assert roomy.row_breaks.brk == []  # decoy: it fits under the table


def test_a_column_holds_its_widest_account_name_whole_but_wraps_prose(tmp_path: Path) -> None:
    long = Sheet("长科目", ["科目", "金额"])
    long.add(f"其中：{LONG_ACCOUNT}", Decimal("1.00"))
    prose = Sheet("说明", ["说明"])
    prose.add("这是一段很长的说明文字，" * 10)
    book = written(tmp_path, long, prose)
    assert book["长科目"].column_dimensions["A"].width >= width(LONG_ACCOUNT) > 60
    assert book["说明"].column_dimensions["A"].width <= 62  # decoy: prose wraps instead
    assert book["说明"].row_dimensions[2].height >= 3 * 15  # as high as its lines


def test_a_list_of_accounts_too_wide_for_its_column_prints_one_to_a_line() -> None:
    accounts = ("Expenses:5101-业务活动成本:社工薪酬:应发工资、"
                "Expenses:5101-业务活动成本:社工薪酬:单位社会保险费")
    assert printed(accounts, 50) == accounts.replace("、", "、\n")
    transfer = "借：Assets:1001-现金:运营经费备用金；贷：Assets:1002-银行存款:运营经费专户"
    assert printed(transfer, 40).split("\n") == ["借：Assets:1001-现金:运营经费备用金；",
                                                 "贷：Assets:1002-银行存款:运营经费专户"]
    assert printed(accounts, 120) == accounts  # decoy: it fits on one line
    sentence = "经市社工委批准、区财政同意，建设经费结余调剂至日常运营经费" * 3
    assert printed(sentence, 20) == sentence  # decoy: not a list of accounts


def test_the_csv_keeps_the_list_on_one_line(tmp_path: Path) -> None:
    sheet = Sheet("收支明细", ["科目", "金额"])
    joined = "、".join([LONG_ACCOUNT, "Expenses:5101-业务活动成本:运营经费:宣传费"])
    sheet.add(joined, Decimal("1.00"))
    cell = written(tmp_path, sheet)["收支明细"].cell(2, 1).value
    assert cell == joined.replace("、", "、\n")  # the workbook prints it one to a line
    write_sheet_csv(tmp_path / "1.csv", sheet)
    assert (tmp_path / "1.csv").read_text("utf-8-sig").splitlines()[1].startswith(joined)


def test_a_date_prints_as_a_date_under_the_frame(tmp_path: Path) -> None:
    sheet = Sheet("收支明细", ["日期", "金额"])
    sheet.add(datetime.date(2012, 10, 5), Decimal("1.00"))
    cell = written(tmp_path, sheet)["收支明细"].cell(2, 1)
    assert isinstance(cell, Cell) and cell.is_date and cell.value == datetime.datetime(2012, 10, 5)
    assert cell.number_format.lower() == "yyyy-mm-dd"
    assert cell.alignment.horizontal == "center" and cell.border.left.style == "thin"


def test_the_monthly_details_print_their_dates(monthly: Printed) -> None:
    detail = "\n".join(monthly.sheet_pages("收支明细"))
    assert re.search(r"^\s*2012-10-05\s+记-201210-001", detail, re.MULTILINE), detail[:400]
    assert not re.search(r"^\s*4\d{4}\s+记-", detail, re.MULTILINE)  # no date serial numbers


def test_libreoffice_prints_the_sign_off_with_the_tables_last_row(tmp_path: Path) -> None:
    """As LibreOffice prints them: the 46th row goes over with the sign-off rather than leave it
    alone on a page; under 40 rows all is on one page (the decoy)."""
    path = tmp_path / "tall.xlsx"
    write_workbook(path, [tall(46), tall(40, "短表")], preparer=PREPARER)
    pages = to_pdf(path, tmp_path / "pdf").pages
    assert [_first_line(page) for page in pages] == ["长表", "长表", "短表"]
    assert "单位负责人" not in pages[0] and "第45行" in pages[0]
    assert re.search(r"第46行[^\n]*\n(\s*\n)*\s*单位负责人", pages[1]), pages[1]
    assert "第40行" in pages[2] and "单位负责人" in pages[2]


# Prose columns (摘要, 说明) are narrow and wrap, so that a sheet of findings prints readably

FINDING = ("专项 construction 的资金 12000.00 CNY 转入专项 operating 的科目 "
           "Assets:1002-银行存款:运营经费专户 / 12000.00 CNY of fund construction went to fund "
           "operating's Assets:1002-银行存款:运营经费专户（批准文件 揭社工委〔2012〕18号）")


def test_prose_wraps_between_words_never_inside_an_account_name() -> None:
    lines = wrapped(FINDING, 36).split("\n")
    assert "".join(lines).replace(" ", "") == FINDING.replace(" ", "")  # nothing lost
    assert all(width(line) <= 33 for line in lines), lines
    named = [line for line in lines if "Assets:" in line]
    assert len(named) == 2 and all("Assets:1002-银行存款:运营经费专户" in line for line in named)
    assert not any(line[0] in "，。、；：）" for line in lines if line)  # 避头
    assert wrapped("经费结余调剂", 36) == "经费结余调剂"  # decoy: it fits, unchanged


def test_a_prose_column_is_narrow_and_an_account_column_whole(tmp_path: Path) -> None:
    sheet = Sheet("异常事项", ["科目", "摘要", "说明"])
    narration = "经市社工委批准，建设经费结余调剂至日常运营经费" * 2
    sheet.add(LONG_ACCOUNT, narration, FINDING)
    book = written(tmp_path, sheet)["异常事项"]
    columns = book.column_dimensions
    assert (columns["A"].width or 0) >= width(LONG_ACCOUNT)  # decoy: the account's column
    assert columns["B"].width == PROSE_WIDTH
    assert width("Assets:1002-银行存款:运营经费专户") < (columns["C"].width or 0) < 40
    assert book["B2"].value == narration  # no account in it: the spreadsheet wraps it as it is
    assert book["C2"].value == wrapped(FINDING, columns["C"].width or 0)  # names kept whole
    assert (book.row_dimensions[2].height or 0) >= 7 * 15  # as high as its lines
    write_sheet_csv(tmp_path / "1.csv", sheet)
    assert FINDING in (tmp_path / "1.csv").read_text("utf-8-sig")  # the CSV: one line


FULL_SIZE = Sheet("原大", ["日期"])  # a header printed at 100%: how high its text is


def text_height(pdf: Path, page: int, text: str) -> float:
    return next(word.bottom - word.top for word in words(pdf)[page] if word.text == text)


def test_the_findings_sheet_prints_at_a_readable_scale(monthly: Printed, tmp_path: Path) -> None:
    """The October findings (说明 ~150 characters, 摘要 a long narration) printed at 0.37 of
    their size when their columns held them on one line; narrowed and wrapped, larger."""
    path = tmp_path / "full.xlsx"
    write_workbook(path, [FULL_SIZE])
    full = text_height(to_pdf(path, tmp_path / "pdf").pdf, 0, "日期")
    findings = next(index for index, page in enumerate(monthly.pages)
                    if _first_line(page) == "异常事项")
    scale = text_height(monthly.pdf, findings, "日期") / full
    assert scale >= 0.42, scale  # 0.37 when they held it on one line


def test_a_wide_sheet_whose_sign_off_fits_under_it_is_not_broken(monthly: Printed) -> None:
    """The October details (landscape, shrunk to about half) hold their rows and the sign-off on
    one page: no page break before the last row (合计) that would leave it alone on a page."""
    pages = monthly.sheet_pages("收支明细")
    assert len(pages) == 1 and "合计" in pages[0] and "单位负责人" in pages[0]
