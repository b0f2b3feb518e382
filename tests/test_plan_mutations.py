"""``funds plan`` on plan sheets mutated as a sloppy or hostile user would: every input ends in a
plan written or a refusal with a message (exit 0, 1 or 2), never a traceback; a refusal leaves
the books byte for byte as they were, and a plan written loads with the books."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner, Result
from hypothesis import given
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from ledger.check import check_books
from ledger.cli.main import funds
from tests.test_funds_plan import (
    ALLOCATION_HEADER,
    ALLOCATION_ROWS,
    BUDGET_HEADER,
    BUDGET_ROWS,
    TITLE,
    fingerprint,
    include_plan,
    write_books,
)
from tests.test_import_mutations import EDITS, SETTINGS, Edit, Grid, csv_bytes

SHEET_NAMES = st.sampled_from(["预算", "拨款", "2013年预算", "拨款计划", "Sheet1", "预算拨款", ""])


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_books(tmp_path_factory.mktemp("plan-books") / "books")


def budget_grid() -> Grid:
    return [[TITLE], list(BUDGET_HEADER), *(list(row) for row in BUDGET_ROWS),
            ["合计", "", "", "401,600.00", ""], ["制表：张三"]]


def allocation_grid() -> Grid:
    return [[TITLE], list(ALLOCATION_HEADER), *(list(row) for row in ALLOCATION_ROWS)]


def mutated(grid: Grid, edits: list[Edit]) -> Grid:
    for edit in edits:
        edit.apply(grid)
    return grid


def fresh_books(pristine: Path, folder: Path) -> Path:
    if folder.exists():
        shutil.rmtree(folder)
    shutil.copytree(pristine.parent, folder)
    return folder / "main.beancount"


def assert_ends_well(result: Result, books: Path, before: dict[str, str]) -> None:
    """Exit 0, 1 or 2 with a message, never a traceback; refused: nothing written; written:
    the books with the plan load."""
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    assert result.exit_code in (0, 1, 2), result.output
    if result.exit_code:
        assert "未写入任何文件 / nothing was written" in result.output, result.output
        assert fingerprint(books.parent) == before
        return
    written = sorted((books.parent / "plan").glob("*.beancount"))
    if written:
        include_plan(books)
        assert not check_books(books).load_errors, written[0].read_text("utf-8")


@SETTINGS
@given(budget=EDITS, allocations=EDITS,
       encoding=st.sampled_from(["utf-8", "utf-8-sig", "gbk", "utf-16"]))
def test_mutated_csv_plans_never_crash(pristine: Path, tmp_path: Path, budget: list[Edit],
                                       allocations: list[Edit], encoding: str) -> None:
    books = fresh_books(pristine, tmp_path / "books")
    before = fingerprint(books.parent)
    files = []
    for name, grid in (("预算.csv", mutated(budget_grid(), budget)),
                       ("拨款.csv", mutated(allocation_grid(), allocations))):
        path = tmp_path / name
        path.write_bytes(csv_bytes(grid, encoding))
        files.append(str(path))
    result = CliRunner().invoke(funds, ["plan", *files, "--ledger", str(books)])
    assert_ends_well(result, books, before)


def _cell(text: str) -> object:
    """A cell as a spreadsheet would hold it: a number where the text is one (control
    characters, which no sheet can hold, dropped)."""
    text = ILLEGAL_CHARACTERS_RE.sub("", text)
    try:
        number = float(text)
    except ValueError:
        return text
    return number if text.strip() == text and abs(number) < 1e15 else text


@SETTINGS
@given(budget=EDITS, allocations=EDITS, names=st.tuples(SHEET_NAMES, SHEET_NAMES))
def test_mutated_xlsx_plans_never_crash(pristine: Path, tmp_path: Path, budget: list[Edit],
                                        allocations: list[Edit],
                                        names: tuple[str, str]) -> None:
    books = fresh_books(pristine, tmp_path / "books")
    before = fingerprint(books.parent)
    workbook = openpyxl.Workbook()
    first = workbook.active
    assert first is not None
    first.title = names[0] or "Sheet"
    for row in mutated(budget_grid(), budget):
        first.append([_cell(text) for text in row])
    second = workbook.create_sheet(names[1] if names[1] and names[1] != first.title else "其他")
    for row in mutated(allocation_grid(), allocations):
        second.append([_cell(text) for text in row])
    path = tmp_path / "资金使用计划.xlsx"
    workbook.save(path)
    result = CliRunner().invoke(funds, ["plan", str(path), "--ledger", str(books)])
    assert_ends_well(result, books, before)


@SETTINGS
@given(cut=st.integers(0, 10_000), flip=st.integers(0, 10_000))
def test_damaged_xlsx_plans_are_refused(pristine: Path, tmp_path: Path, cut: int,
                                        flip: int) -> None:
    """A byte flipped anywhere ends well; a workbook cut short (its zip directory, at the
    end, gone) no longer opens and is refused."""
    books = fresh_books(pristine, tmp_path / "books")
    before = fingerprint(books.parent)
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "预算"
    for row in budget_grid():
        sheet.append(row)
    path = tmp_path / "plan.xlsx"
    workbook.save(path)
    raw = bytearray(path.read_bytes())
    raw[flip % len(raw)] ^= 0xFF
    path.write_bytes(bytes(raw[: max(1, len(raw) - cut)]))
    result = CliRunner().invoke(funds, ["plan", str(path), "--ledger", str(books)])
    assert_ends_well(result, books, before)
    if cut:
        assert result.exit_code == 1, result.output
        assert "不是完整的 xlsx 文件" in result.output
