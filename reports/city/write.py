"""Writing the city's month: the workbook (five sheets and a 图表 sheet of native Excel bar
charts) and one CSV per sheet, into the output folder.

Every file is written in a scratch folder inside the output folder first and then renamed into
place, so a reader finds the old file or the complete new one; files of other names are left
alone.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from openpyxl.chart import BarChart, Reference
from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from ledger.files import umask
from ledger.model.formats import display_width
from reports.city.consolidate import ChartData
from reports.sheets import Sheet
from reports.workbook import MONEY_FORMAT, shown_text, write_sheet_csv, write_workbook

CHARTS = "图表"


def workbook_name(month: str) -> str:
    return f"全市专项资金月报-{month}.xlsx"


def csv_name(month: str, index: int, sheet: Sheet) -> str:
    return f"全市专项资金月报-{month}-{index}-{sheet.title}.csv"


def add_charts(book: Workbook, data: ChartData) -> None:
    """A 图表 sheet: 执行率 by centre, and 本月支出 by fund and district, as bar charts over
    the small tables they read, written on the same sheet."""
    sheet = book.create_sheet(CHARTS)
    sheet.append(["单位", "执行率(%)"])
    for name, rate in data.rates:
        sheet.append([name, rate])
    rates = BarChart()
    rates.title, rates.y_axis.title = "各单位执行率 / execution rate by centre", "执行率(%)"
    last = len(data.rates) + 1
    rates.add_data(Reference(sheet, min_col=2, min_row=1, max_row=last), titles_from_data=True)
    rates.set_categories(Reference(sheet, min_col=1, min_row=2, max_row=last))
    beside = get_column_letter(len(data.districts) + 3)  # right of both tables, never over them
    sheet.add_chart(rates, f"{beside}2")
    top = last + 3
    sheet.cell(top, 1, "专项")
    for column, district in enumerate(data.districts, start=2):
        sheet.cell(top, column, district)
    for row, (fund, amounts) in enumerate(data.spending, start=top + 1):
        sheet.cell(row, 1, fund)
        for column, amount in enumerate(amounts, start=2):
            sheet.cell(row, column, amount).number_format = MONEY_FORMAT
    spending = BarChart()
    spending.title = "本月支出（按专项、区） / this month's spending by fund and district"
    bottom = top + len(data.spending)
    spending.add_data(Reference(sheet, min_col=2, max_col=len(data.districts) + 1, min_row=top,
                                max_row=bottom), titles_from_data=True)
    spending.set_categories(Reference(sheet, min_col=1, min_row=top + 1, max_row=bottom))
    sheet.add_chart(spending, f"{beside}{max(top, 18)}")
    _fit_columns(sheet)


def _fit_columns(sheet: Worksheet) -> None:
    """The small tables' columns as wide as their text, so that names print whole."""
    for number, column in enumerate(sheet.iter_cols(), start=1):
        texts = [shown_text(cell.value) for cell in column if cell.value is not None]
        if texts:
            widest = max(map(display_width, texts))
            sheet.column_dimensions[get_column_letter(number)].width = widest + 2


def write_city(out: Path, month: str, sheets: list[Sheet], data: ChartData) -> list[Path]:
    """Write the workbook and the CSV files into ``out``; the paths written."""
    out.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(dir=out, prefix=".city-"))
    try:
        names = [workbook_name(month)]
        write_workbook(scratch / names[0], sheets, lambda book: add_charts(book, data))
        for index, sheet in enumerate(sheets, start=1):
            names.append(csv_name(month, index, sheet))
            write_sheet_csv(scratch / names[-1], sheet)
        for name in names:
            (scratch / name).chmod(0o666 & ~umask())
            (scratch / name).replace(out / name)
        return [out / name for name in names]
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
