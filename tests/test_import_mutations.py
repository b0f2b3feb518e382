"""``funds import`` on statements and payroll sheets mutated as a sloppy or hostile user would:
every input ends in an import or a refusal naming the file (exit 0, 1 or 2), never in a
traceback, and the books are left byte for byte as they were."""

from __future__ import annotations

import datetime
import hashlib
import itertools
import shutil
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from importers.tables import column_letter
from ledger.check import DEMO_BOOKS
from ledger.cli.main import funds
from tests.samples import (
    LAYOUTS,
    SALARY_BANK,
    SALARY_NUMBER,
    demo_lines,
    following,
    payroll_rows,
    preamble,
)

Grid = list[list[str]]

DECEMBER = demo_lines(SALARY_BANK, datetime.date(2012, 12, 1), datetime.date(2012, 12, 31))
JANUARY = following(DECEMBER,
                    ("2013-01-05", "社工薪酬拨款", "东山区管委会", "60000.00"),
                    ("2013-01-15", "缴纳12月社会保险费", "揭阳市社会保险基金管理局", "-7304.00"),
                    ("2013-01-15", "银行手续费", "揭阳农商银行东山支行", "-5.00"))
SETTINGS = settings(max_examples=40, deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow])


def statement_grid() -> Grid:
    """January's statement of the salary account, 收支两栏, as rows of text cells."""
    rows = [list(row) for row in preamble(SALARY_NUMBER)] + [list(LAYOUTS["收支两栏"])]
    for line in JANUARY:
        received = f"{line.amount:.2f}" if line.amount > 0 else ""
        paid = f"{-line.amount:.2f}" if line.amount < 0 else ""
        rows.append([f"{line.date:%Y-%m-%d}", "09:30:00", line.narration, line.payee,
                     line.counterparty_account, received, paid, f"{line.balance:.2f}", line.ref])
    return rows


def payroll_grid() -> Grid:
    return [["2013年1月工资表"], *payroll_rows()]


# What a user puts in a cell: text, numbers of every size, dates that are and are not.
ODD_CELLS = st.one_of(
    st.text(max_size=12),
    st.sampled_from(["", "-", "合计", "审核：陈主任", "日期：", "1" * 27, "9" * 16 + ".99",
                     "1E+400000000", "NaN", "0000-01-01", "9999-12-31", "99999999", "2013-02-30",
                     "2031-01-05", "41275", "(1,234.50)", "¥1,234.5", "1234,50", "12.345",
                     "0.00", "-0.00", "2013年13月1日", "abc"]),
    st.decimals(allow_nan=False, allow_infinity=False, places=2).map(str),
    st.integers(min_value=-10**30, max_value=10**30).map(str),
)


@dataclass(frozen=True)
class Edit:
    """One edit of a grid: what to do, at which row and column (taken modulo the grid's size),
    with which text."""

    kind: str
    row: int
    column: int
    other: int
    text: str

    def apply(self, grid: Grid) -> None:
        if not grid:
            return
        row = self.row % len(grid)
        cells = grid[row]
        column = self.column % len(cells) if cells else 0
        other = self.other % len(grid)
        if self.kind == "replace-cell" and cells:
            cells[column] = self.text
        elif self.kind == "delete-cell" and cells:
            del cells[column]
        elif self.kind == "insert-cell":
            cells.insert(column, self.text)
        elif self.kind == "swap-cells" and cells:
            far = self.other % len(cells)
            cells[column], cells[far] = cells[far], cells[column]
        elif self.kind == "delete-row":
            del grid[row]
        elif self.kind == "duplicate-row":
            grid.insert(other, list(cells))
        elif self.kind == "swap-rows":
            grid[row], grid[other] = grid[other], grid[row]
        elif self.kind == "add-row":
            grid.insert(other, [self.text] * (1 + self.column % 9))


EDITS = st.lists(st.builds(
    Edit, kind=st.sampled_from(["replace-cell", "replace-cell", "replace-cell", "delete-cell",
                                "insert-cell", "swap-cells", "delete-row", "duplicate-row",
                                "swap-rows", "add-row"]),
    row=st.integers(0, 60), column=st.integers(0, 12), other=st.integers(0, 60),
    text=ODD_CELLS), min_size=1, max_size=4)


def csv_bytes(grid: Grid, encoding: str) -> bytes:
    lines = (",".join('"' + cell.replace('"', '""') + '"' if set(cell) & set(',"\n\r')
                      else cell for cell in row) for row in grid)
    return "\r\n".join(lines).encode(encoding, errors="replace")


# --- xlsx, written part by part so that hostile edits can reach its XML ----------------------

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_EPOCH = datetime.date(1899, 12, 30)


@dataclass
class XlsxCell:
    reference: str
    kind: str  # "n" or "s"
    value: str


def xlsx_cells(grid: Grid) -> tuple[list[tuple[str, list[XlsxCell]]], list[str]]:
    """The grid as Excel would store it: numbers and dates as numbers, text shared."""
    shared: list[str] = []
    rows = []
    for number, cells in enumerate(grid, 1):
        stored = []
        for index, text in enumerate(cells):
            if text == "":
                continue
            reference = f"{column_letter(index)}{number}"
            stored.append(_stored_cell(reference, text, shared))
        rows.append((str(number), stored))
    return rows, shared


def _stored_cell(reference: str, text: str, shared: list[str]) -> XlsxCell:
    try:
        day = datetime.date.fromisoformat(text)
        return XlsxCell(reference, "n", str((day - _EPOCH).days))
    except ValueError:
        pass
    try:
        number = Decimal(text)
        if number.is_finite() and text.strip() == text and "," not in text:
            return XlsxCell(reference, "n", text)
    except InvalidOperation:
        pass
    shared.append(text)
    return XlsxCell(reference, "s", str(len(shared) - 1))


def sheet_xml(rows: list[tuple[str, list[XlsxCell]]]) -> str:
    parts = [f'<worksheet xmlns="{_MAIN}"><sheetData>']
    for number, cells in rows:
        parts.append(f'<row r="{escape(number, {chr(34): "&quot;"})}">')
        for cell in cells:
            kind = ' t="s"' if cell.kind == "s" else ""
            parts.append(f'<c r="{escape(cell.reference, {chr(34): "&quot;"})}"{kind}>'
                         f"<v>{escape(cell.value)}</v></c>")
        parts.append("</row>")
    return "".join(parts) + "</sheetData></worksheet>"


def shared_xml(shared: list[str]) -> str:
    items = "".join(f"<si><t>{escape(text)}</t></si>" for text in shared)
    return f'<sst xmlns="{_MAIN}" count="{len(shared)}">{items}</sst>'


def xlsx_bytes(sheet: bytes, shared: bytes, path: Path) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as book:
        book.writestr("xl/workbook.xml", (
            f'<workbook xmlns="{_MAIN}" xmlns:r="http://schemas.openxmlformats.org/'
            'officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" '
            'r:id="rId1"/></sheets></workbook>'))
        book.writestr("xl/_rels/workbook.xml.rels", (
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
            'relationships"><Relationship Id="rId1" Target="worksheets/sheet1.xml" Type="'
            'http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"/>'
            "</Relationships>"))
        book.writestr("xl/worksheets/sheet1.xml", sheet)
        book.writestr("xl/sharedStrings.xml", shared)
    return path


@dataclass(frozen=True)
class XmlEdit:
    """A hostile edit of the stored sheet: a row's ``r=``, a cell's ``r=``, a shared-string
    index or a stored number."""

    kind: str
    row: int
    cell: int
    text: str

    def apply(self, rows: list[tuple[str, list[XlsxCell]]]) -> None:
        cells = rows[self.row % len(rows)][1]
        if self.kind == "row-number":
            rows[self.row % len(rows)] = (self.text, cells)
        elif cells:
            cell = cells[self.cell % len(cells)]
            if self.kind == "cell-reference":
                cell.reference = self.text
            elif self.kind == "value":
                cell.value = self.text
            elif self.kind == "kind":
                cell.kind = "s" if cell.kind == "n" else "n"


XML_TEXTS = st.one_of(
    st.sampled_from(["", "abc", "0", "-1", "1.5", "99999999", "1048576", "1048577", "A", "A0",
                     "XFD1", "XFE1", "ZZZZ9", "a1", "B99999999", "100000", "100001"]),
    st.integers(min_value=-5, max_value=10**9).map(str),
    st.from_regex(r"[A-Z]{1,4}[0-9]{1,9}", fullmatch=True),
    st.text(alphabet=st.characters(codec="ascii", exclude_categories=["Cc"]), max_size=8))
XML_EDITS = st.lists(st.builds(
    XmlEdit, kind=st.sampled_from(["row-number", "cell-reference", "value", "kind"]),
    row=st.integers(0, 60), cell=st.integers(0, 12), text=XML_TEXTS), min_size=1, max_size=3)


def flip(data: bytes, positions: list[int]) -> bytes:
    changed = bytearray(data)
    for position in positions:
        changed[position % len(changed)] ^= 0xFF
    return bytes(changed)


# --- the run and what it must leave ------------------------------------------------------------

@pytest.fixture
def books(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A copy of the demo books, shared by a test's examples."""
    folder = tmp_path_factory.mktemp("books")
    for source in DEMO_BOOKS.parent.glob("*.beancount"):
        shutil.copyfile(source, folder / source.name)
    yield folder / "main.beancount"


def fingerprint(folder: Path) -> dict[Path, str]:
    return {path: hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(folder.rglob("*")) if path.is_file()}


def import_leaves_books_intact(books: Path, path: Path) -> None:
    """``funds import PATH``: exit 0, 1 or 2, no traceback, a refusal naming the file, the
    books' files unchanged and, only on success, one new file in ``inbox/``."""
    before = fingerprint(books.parent)
    result = CliRunner().invoke(funds, ["import", str(path), "--ledger", str(books)])
    after = fingerprint(books.parent)
    try:
        assert result.exit_code in (0, 1, 2), result.output
        assert result.exception is None or isinstance(result.exception, SystemExit), (
            repr(result.exception), result.output)
        assert "Traceback" not in result.output
        if result.exit_code != 0:
            assert str(path) in result.output, result.output
        assert {file: digest for file, digest in after.items() if file in before} == before
        written = set(after) - set(before)
        assert len(written) <= (1 if result.exit_code == 0 else 0), written
        assert all(file.parent == books.parent / "inbox" for file in written), written
    finally:
        for file in set(after) - set(before):
            file.unlink()


_SERIAL = itertools.count()


def fresh(folder: Path, name: str) -> Path:
    """A path of its own for each example (the table cache keys on path, time and size)."""
    return folder / f"{next(_SERIAL)}-{name}"


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


ENCODINGS = st.sampled_from(["gb18030", "gb18030", "utf-8", "utf-8-sig", "utf-16", "utf-16-le",
                             "big5", "latin-1"])


@SETTINGS
@given(edits=EDITS, encoding=ENCODINGS, cut=st.none() | st.integers(0, 4000))
def test_a_mutated_csv_statement(books: Path, tmp_path: Path, edits: list[Edit], encoding: str,
                                 cut: int | None) -> None:
    grid = statement_grid()
    for edit in edits:
        edit.apply(grid)
    data = csv_bytes(grid, encoding)
    path = _write(fresh(tmp_path, "对账单.csv"), data if cut is None else data[:cut])
    import_leaves_books_intact(books, path)


@SETTINGS
@given(edits=EDITS, encoding=ENCODINGS, cut=st.none() | st.integers(0, 1500))
def test_a_mutated_csv_payroll_sheet(books: Path, tmp_path: Path, edits: list[Edit],
                                     encoding: str, cut: int | None) -> None:
    grid = payroll_grid()
    for edit in edits:
        edit.apply(grid)
    data = csv_bytes(grid, encoding)
    path = _write(fresh(tmp_path, "工资表.csv"), data if cut is None else data[:cut])
    import_leaves_books_intact(books, path)


def _xlsx_of(grid: Grid, xml_edits: list[XmlEdit], flips: list[int], part: str,
             path: Path) -> Path:
    rows, shared = xlsx_cells(grid)
    for edit in xml_edits:
        edit.apply(rows)
    sheet, strings = sheet_xml(rows).encode(), shared_xml(shared).encode()
    if flips and part == "sheet":
        sheet = flip(sheet, flips)
    elif flips:
        strings = flip(strings, flips)
    return xlsx_bytes(sheet, strings, path)


GRIDS: dict[str, Callable[[], Grid]] = {"对账单": statement_grid, "工资表": payroll_grid}


@SETTINGS
@given(which=st.sampled_from(sorted(GRIDS)), edits=st.lists(st.builds(
    Edit, kind=st.sampled_from(["replace-cell", "delete-row", "swap-rows", "duplicate-row"]),
    row=st.integers(0, 60), column=st.integers(0, 12), other=st.integers(0, 60),
    text=ODD_CELLS), max_size=2), xml_edits=XML_EDITS)
def test_a_mutated_xlsx(books: Path, tmp_path: Path, which: str, edits: list[Edit],
                        xml_edits: list[XmlEdit]) -> None:
    grid = GRIDS[which]()
    for edit in edits:
        edit.apply(grid)
    path = _xlsx_of(grid, xml_edits, [], "sheet", fresh(tmp_path, f"{which}.xlsx"))
    import_leaves_books_intact(books, path)


@SETTINGS
@given(which=st.sampled_from(sorted(GRIDS)), part=st.sampled_from(["sheet", "strings"]),
       flips=st.lists(st.integers(0, 10**6), min_size=1, max_size=3),
       cut=st.none() | st.integers(0, 5000))
def test_a_damaged_xlsx(books: Path, tmp_path: Path, which: str, part: str, flips: list[int],
                        cut: int | None) -> None:
    path = _xlsx_of(GRIDS[which](), [], flips, part, fresh(tmp_path, f"{which}.xlsx"))
    if cut is not None:
        path.write_bytes(path.read_bytes()[:cut])
    import_leaves_books_intact(books, path)


@pytest.mark.parametrize("which", sorted(GRIDS))
@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_the_unmutated_inputs_import(books: Path, tmp_path: Path, which: str, kind: str) -> None:
    """The base of every mutation imports cleanly: the mutations start from valid input."""
    grid = GRIDS[which]()
    path = (_write(tmp_path / f"{which}.csv", csv_bytes(grid, "gb18030")) if kind == "csv"
            else _xlsx_of(grid, [], [], "sheet", fresh(tmp_path, f"{which}.xlsx")))
    result = CliRunner().invoke(funds, ["import", str(path), "--ledger", str(books),
                                        "-o", str(tmp_path / "new.beancount")])
    assert result.exit_code == 0, result.output
    assert "新增" in result.output and (tmp_path / "new.beancount").exists()
