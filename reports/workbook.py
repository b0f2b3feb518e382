"""Writing the monthly export: one Excel workbook (openpyxl through pandas) and one CSV per sheet.

Amounts go into the cells as ``Decimal`` (the workbook stores their digits, shown with two
decimals) and into the CSV files as exact two-decimal text; CSV files are UTF-8 with a BOM, so
Excel shows the Chinese. The month's folder is replaced only by a complete new one.
"""

from __future__ import annotations

import contextlib
import csv
import shutil
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path

import pandas as pd
from openpyxl.cell import _writer as openpyxl_cell_writer
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from ledger.files import replace_directory
from ledger.model.formats import display_width
from reports.export_check import write_sha256_manifest
from reports.export_json import JSON_NAME, export_json_text
from reports.export_manifest import STATEMENTS, content_digest, write_manifest
from reports.monthly import MonthlyExport
from reports.print_layout import (
    ACCOUNT_NAME,
    PROSE_COLUMNS,
    PROSE_WIDTH,
    add_table_styles,
    frame_table,
    lay_out_sheet,
    preparer_of,
    set_up_pages,
)
from reports.sheets import CLEAN, CellValue, Share, Sheet, all_sheets

RED = Font(color="C00000", bold=True)
AMBER = Font(color="B8860B", bold=True)  # a warning: to look at, not yet an error
BOLD = Font(bold=True)
MONEY_FORMAT = "#,##0.00"


def workbook_name(export: MonthlyExport) -> str:
    return f"专项资金月报-{export.month}.xlsx"


def csv_name(index: int, sheet: Sheet) -> str:
    return f"{index}-{sheet.title}.csv"


def sheet_frame(sheet: Sheet) -> pd.DataFrame:
    width = len(sheet.columns)
    rows = [[*row, *([None] * (width - len(row)))] for row in sheet.rows]
    return pd.DataFrame(rows, columns=sheet.columns, dtype=object)


def style_sheet(worksheet: Worksheet, sheet: Sheet, first_row: int) -> None:
    """Number formats, red problem cells, a bold header and readable widths."""
    for column in range(1, len(sheet.columns) + 1):
        worksheet.cell(first_row, column).font = BOLD
        worksheet.column_dimensions[get_column_letter(column)].width = _width(sheet, column - 1)
    for offset, row in enumerate(sheet.rows, start=first_row + 1):
        for column, value in enumerate(row, start=1):
            if isinstance(value, Share):
                worksheet.cell(offset, column).number_format = value.number_format
            elif isinstance(value, Decimal):
                worksheet.cell(offset, column).number_format = MONEY_FORMAT
    for row_index, column_index in sheet.alerts:
        worksheet.cell(first_row + 1 + row_index, column_index + 1).font = RED
    for row_index, column_index in sheet.cautions:
        worksheet.cell(first_row + 1 + row_index, column_index + 1).font = AMBER
    for row_number, (label, value) in enumerate(sheet.cover, start=1):
        worksheet.cell(row_number, 1, label).font = BOLD
        worksheet.cell(row_number, 2, value).font = _state_font(label, value)


MIN_WIDTH, MAX_WIDTH, MAX_ACCOUNT_WIDTH = 10, 60, 120
NAME_ROOM = 7  # beside an account name on its line: 借：/贷： before it, 、/； after it


def _width(sheet: Sheet, column: int) -> int:
    """A column as wide as its widest cell (a Chinese character counts two), within bounds;
    longer text wraps, but never inside an account name: the column holds the widest whole,
    with a list's separator or a 借：/贷： beside it (see :func:`reports.print_layout.printed`)."""
    texts = [sheet.columns[column], *(shown_text(row[column]) for row in sheet.rows
                                      if column < len(row) and row[column] is not None)]
    widest = max(display_width(text) for text in texts)
    account = max((display_width(name) for text in texts
                   for name in ACCOUNT_NAME.findall(text)), default=0)
    if sheet.columns[column] in PROSE_COLUMNS:  # wrapped by the workbook, names kept whole
        return max(MIN_WIDTH, min(PROSE_WIDTH, widest + 2), min(MAX_ACCOUNT_WIDTH, account + 3))
    return max(MIN_WIDTH, min(MAX_WIDTH, widest + 2), min(MAX_ACCOUNT_WIDTH, account + NAME_ROOM))


def shown_text(value: object) -> str:
    """A cell's text as the workbook shows it: amounts grouped to the fen, a share a percentage."""
    if isinstance(value, Share):
        return value.percentage
    if isinstance(value, Decimal):
        return f"{value:,.2f}"
    return str(value)


def _state_font(label: str, value: str) -> Font:
    """本月情况 in red when the month has 异常, in amber when it is clean but has warnings."""
    if label != "本月情况" or value == CLEAN:
        return Font()
    return AMBER if value.startswith(CLEAN) else RED


@contextlib.contextmanager
def exact_decimals() -> Iterator[None]:
    """openpyxl writes every number through a float (``"%.16g"``), which turns 759497.56 into
    759497.5600000001. While the workbook is written, a ``Decimal`` goes in as its own digits."""
    original = openpyxl_cell_writer.safe_string  # type: ignore[attr-defined]

    def exact(value: object) -> str:
        if isinstance(value, Decimal) and value.is_finite():
            return format(value, "f")
        text: str = original(value)
        return text

    openpyxl_cell_writer.safe_string = exact  # type: ignore[attr-defined]
    try:
        yield
    finally:
        openpyxl_cell_writer.safe_string = original  # type: ignore[attr-defined]


def write_workbook(path: Path, sheets: list[Sheet],
                   finish: Callable[[Workbook], None] | None = None, *,
                   preparer: str | None = None) -> None:
    """The sheets as one workbook, exact decimals, styled and laid out for print (see
    :mod:`reports.print_layout`; the sign-off names ``preparer``, or the 编制人 a cover names);
    ``finish`` adds to the workbook (charts) before it is saved, and a sheet it adds prints
    landscape, on one page."""
    signer = preparer if preparer is not None else preparer_of(sheets)
    with exact_decimals(), pd.ExcelWriter(path, engine="openpyxl") as writer:
        add_table_styles(writer.book)
        for sheet in sheets:
            first_row = len(sheet.cover) + 1 if sheet.cover else 0
            sheet_frame(sheet).to_excel(writer, sheet_name=sheet.title, index=False,
                                        startrow=first_row)
            worksheet = writer.sheets[sheet.title]
            frame_table(worksheet, sheet, first_row + 1)
            style_sheet(worksheet, sheet, first_row + 1)
            lay_out_sheet(worksheet, sheet, first_row + 1, signer)
        if finish is not None:
            finish(writer.book)
            for worksheet in writer.book.worksheets:
                if worksheet.title not in {sheet.title for sheet in sheets}:
                    set_up_pages(worksheet, title=worksheet.title, title_rows=0, landscape=True,
                                 pages_high=1)


def write_sheet_csv(path: Path, sheet: Sheet) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as file:
        writer = csv.writer(file)
        if sheet.cover:
            writer.writerows([*sheet.cover, []])
        writer.writerow(sheet.columns)
        writer.writerows([[_csv_text(value) for value in row]
                          if any(value is not None for value in row) else []
                          for row in sheet.rows])


def _csv_text(value: CellValue) -> str:
    """A CSV cell as the workbook shows it: a share as its percentage, nothing for None."""
    if value is None:
        return ""
    return value.percentage if isinstance(value, Share) else str(value)


def write_export(export: MonthlyExport, out: Path, statements: list[Path] | None = None,
                 sealed: bool = False) -> Path:
    """Write the month's folder under ``out``, replacing an older export of that month whole:
    the workbook, one CSV per sheet, ``export.json`` (the figures for machines), the bank
    ``statements`` it used (copied into ``statements/``) and the manifest of them all; and,
    ``sealed``, ``MANIFEST.sha256`` over every other file (see :mod:`reports.export_check`)."""
    sheets = all_sheets(export)
    final = out / str(export.month)
    kept = statement_names(statements or [])

    def build(folder: Path) -> None:
        write_workbook(folder / workbook_name(export), sheets)
        for index, sheet in enumerate(sheets, start=1):
            write_sheet_csv(folder / csv_name(index, sheet), sheet)
        (folder / JSON_NAME).write_text(export_json_text(export), encoding="utf-8")
        for name, source in kept.items():
            (folder / name).parent.mkdir(exist_ok=True)
            shutil.copyfile(source, folder / name)
        write_manifest(folder, str(export.month), content_digest(sheets), list(kept))
        if sealed:
            write_sha256_manifest(folder)

    replace_directory(final, build)
    return final


def write_sheets(final: Path, workbook: str, sheets: list[Sheet]) -> None:
    """Write the folder ``final`` whole, replacing any old one: the workbook ``workbook`` with
    the sheets, and one CSV per sheet (``N-TITLE.csv``)."""
    def build(folder: Path) -> None:
        write_workbook(folder / workbook, sheets)
        for index, sheet in enumerate(sheets, start=1):
            write_sheet_csv(folder / csv_name(index, sheet), sheet)

    replace_directory(final, build)


def statement_names(statements: list[Path]) -> dict[str, Path]:
    """Each statement's path in the export, ``statements/NAME``, where :func:`write_export`
    copies it (two files of one name are told apart by a number); a file given twice is kept
    once."""
    kept: dict[str, Path] = {}
    seen: set[Path] = set()
    for source in statements:
        if source.resolve() in seen:
            continue
        seen.add(source.resolve())
        name = f"{STATEMENTS}/{source.name}"
        if name in kept:
            name = f"{STATEMENTS}/{len(kept) + 1}-{source.name}"
        kept[name] = source
    return kept
