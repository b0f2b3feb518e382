"""How a workbook's sheets print, as the bureau prints, signs and stamps them.

Every sheet :func:`reports.workbook.write_workbook` writes prints on A4, landscape when its
columns are wider than a portrait page holds (unless a portrait page shrinks it but little and
saves pages), scaled to one page wide (as many pages high as it needs), its cover and header
rows repeated on every page and its title above them; the table has thin borders, amounts
right-aligned, longer text wrapped within its column (an account name never broken: its column
holds it whole). Right under each sheet's table, after one blank row, the sign-off:
单位负责人 / 财务负责人 / 制表人 (the preparer's name where the workbook knows it) spread across
the table's width, and a tall row of room for the signatures and the unit's seal (单位（盖章）),
printed once, on the sheet's last page, kept with the table's last rows (a page break before
them only where they would not fit under it). At the foot of every page: 第 N 页 共 M 页.

The sign-off rows are the workbook's only: the CSV files, ``export.json`` and the sealed content
digest hold the tables alone. A reader of the workbook finds the table's end at the blank row
above the first cell that starts with :data:`SIGN_OFF_MARK`. Prose columns (摘要, 说明) are
narrow (:data:`PROSE_WIDTH`, or as wide as an account name in them) and wrap, so that a sheet
of long findings prints at a readable size. No cell's value changes but, in the workbook only,
a list of account names too wide for its column (a line break after each name) and prose that
names an account (broken into lines where the column ends, so that no name is cut).
"""

from __future__ import annotations

import datetime
import itertools
import math
import re
from decimal import Decimal

from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.header_footer import HeaderFooterItem
from openpyxl.worksheet.header_footer import _HeaderFooterPart as _Part
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from ledger.model.formats import display_width
from reports.sheets import CellValue, Sheet

# A4 within the margins below, in Excel's character widths across and points down
PORTRAIT_WIDTH, LANDSCAPE_WIDTH = 100, 148
PORTRAIT_HEIGHT, LANDSCAPE_HEIGHT = 734, 487  # A4 less the top and bottom margins (0.75 in)
# how LibreOffice prints a sheet, measured on the October 2012 export: a column one unit wide
# takes 7.1 points (its default font's character, with padding), so a sheet prints at (A4 less
# the side margins) / (its width x 7.1); the page's height, less the header's and footer's
# margins, holds the rows and, shrunk as much, the title and the page number (66 points)
PRINTED_POINTS_PER_WIDTH = 7.1
A4_SHORT, A4_LONG, SIDE_MARGIN, HEADER_MARGIN = 595.3, 841.9, 36.0, 21.6  # points
HEADER_AND_FOOTER = 66.0
DEFAULT_WIDTH = 8.43  # Excel's column width where none is set
LINE_HEIGHT = 15.0  # points: one line of 11-point text, Excel's default row
READABLE = 0.75  # the least a portrait page may shrink a sheet to save a page


THIN = Side(style="thin", color="000000")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
# the table's cell styles, named as Excel shows them in its style list; given to a cell by
# name, which is quick (a style object is looked up by its hash every time it is given, and a
# 明细账 of 100,000 cells took several times as long)
HEADER_STYLE, TEXT_STYLE, NUMBER_STYLE, DATE_STYLE = "账表表头", "账表文字", "账表数字", "账表日期"
DATE_FORMAT = "yyyy-mm-dd"  # a named style sets the number format too: a date keeps its own


def add_table_styles(book: Workbook) -> None:
    """The table's named styles, once for the workbook (a named style belongs to one)."""
    for style in (
            NamedStyle(HEADER_STYLE, font=Font(bold=True), border=BORDER,
                       fill=PatternFill("solid", fgColor="D9D9D9"),
                       alignment=Alignment(horizontal="center", vertical="center",
                                           wrap_text=True)),
            NamedStyle(TEXT_STYLE, border=BORDER,
                       alignment=Alignment(horizontal="left", vertical="top", wrap_text=True)),
            NamedStyle(NUMBER_STYLE, border=BORDER,
                       alignment=Alignment(horizontal="right", vertical="top")),
            NamedStyle(DATE_STYLE, border=BORDER, number_format=DATE_FORMAT,
                       alignment=Alignment(horizontal="center", vertical="top"))):
        if style.name not in book.named_styles:
            book.add_named_style(style)


SIGN_OFF_LABELS = ("单位负责人", "财务负责人", "制表人")
SIGN_OFF_MARK = f"{SIGN_OFF_LABELS[0]}："  # the sign-off row's first cell starts so
SEAL_TEXT = "单位（盖章）："
SIGN_OFF_ROOM = 24  # the least width of a third of the sign-off: a label and a signature
SEAL_HEIGHT = 42.0  # points: the row where the signatures and the seal go
PREPARER_LABELS = ("编制人", "制表人")
PAGE_FOOTER = "第 &P 页 共 &N 页"


# an account name (Expenses:5101-业务活动成本:建设经费:装修工程), never to be broken over lines
ACCOUNT_NAME = re.compile(r"(?:Assets|Liabilities|Equity|Income|Expenses|[A-Z][A-Za-z]*)"
                          r"(?::[^\s:，、；。（）()]+)+")
AFTER_SEPARATOR = re.compile(r"(?<=[、；])")


def printed(text: str, width: float) -> str:
    """A cell's text as printed in a column ``width`` wide: a list of account names (joined by
    、 or ；, as 收支明细 lists a voucher's accounts) too wide for one line has one name to a
    line, so that no name is broken where the line happens to end; other text as it is."""
    parts = AFTER_SEPARATOR.split(text)
    if (len(parts) < 2 or display_width(text) <= width - 1
            or not all(ACCOUNT_NAME.search(part) for part in parts)):
        return text
    return "\n".join(parts)


PROSE_COLUMNS = frozenset({"摘要", "说明"})  # prose only: wrapped narrow, by the workbook
PROSE_WIDTH = 24  # a prose column's width, unless an account name in it needs more
# a prose line's pieces: an account name, a word of letters and digits, spaces, any other one
PROSE_TOKEN = re.compile(rf"{ACCOUNT_NAME.pattern}|[A-Za-z0-9_.'\-/%〔〕]+|\s+|.")
NO_LINE_START = frozenset("，。、；：！？）」』》〕,.;:!?)%")  # 避头: goes with what is before


def wrapped(text: str, width: float) -> str:
    """Prose in a column ``width`` wide, broken into lines where the column ends: between
    Chinese characters, at spaces, never inside an account name or a word (a word wider than
    the column has a line of its own), and a closing mark never begins a line."""
    room = max(width - 3, 1)
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for token in PROSE_TOKEN.findall(paragraph):
            fits = display_width(line + token.rstrip()) <= room
            if fits or not line.strip() or token[0] in NO_LINE_START:
                line += token
                continue
            lines.append(line.rstrip())
            line = token.lstrip()
        lines.append(line.rstrip())
    return "\n".join(lines)


def shown_in(value: str, width: float, column: str) -> str:
    """A cell's text as the workbook prints it in ``column``, ``width`` wide: prose naming an
    account broken into lines by :func:`wrapped` (other prose as it is: the spreadsheet wraps
    it), a list of account names one to a line (:func:`printed`)."""
    if column not in PROSE_COLUMNS:
        return printed(value, width)
    return wrapped(value, width) if ACCOUNT_NAME.search(value) else value


def sign_off_parts(preparer: str | None) -> list[str]:
    """单位负责人：, 财务负责人：, 制表人：NAME (blank where nobody is known)."""
    chief, finance, maker = SIGN_OFF_LABELS
    name = preparer.strip() if preparer and preparer.strip() else ""
    return [f"{chief}：", f"{finance}：", f"{maker}：{name}"]


def sign_off_line(preparer: str | None) -> str:
    """The sign-off as one line, room left after each label for a signature."""
    return ("\u3000" * 6).join(sign_off_parts(preparer))


def preparer_of(sheets: list[Sheet]) -> str | None:
    """The preparer a sheet's cover names (编制人 / 制表人), if any does."""
    for sheet in sheets:
        for label, value in sheet.cover:
            if label in PREPARER_LABELS and value.strip():
                return value.strip()
    return None


def lay_out_sheet(worksheet: Worksheet, sheet: Sheet, header_row: int,
                  preparer: str | None) -> None:
    """After the columns' widths are set: lists of accounts one to a line, rows as high as
    their wrapped text, the sign-off under the table, and the page setup."""
    widths = column_widths(worksheet, len(sheet.columns))
    for offset, row in enumerate(sheet.rows, start=header_row + 1):
        for column, value in enumerate(row, start=1):
            if isinstance(value, str) and column <= len(widths):
                shown = shown_in(value, widths[column - 1], sheet.columns[column - 1])
                if shown != value:
                    worksheet.cell(offset, column).value = shown
    fit_row_heights(worksheet, sheet, header_row)
    last_row = header_row + len(sheet.rows)
    add_sign_off(worksheet, last_row, widths, preparer)
    landscape = prints_landscape(worksheet)
    set_up_pages(worksheet, title=sheet.title, title_rows=header_row, landscape=landscape)
    keep_sign_off_with_table(worksheet, last_row, header_row, landscape)


SIGN_OFF_ALIGNMENT = Alignment(horizontal="left", vertical="center", wrap_text=True)
SEAL_ALIGNMENT = Alignment(horizontal="left", vertical="top", wrap_text=True)


def add_sign_off(worksheet: Worksheet, last_row: int, widths: list[float],
                 preparer: str | None) -> None:
    """Under the table's ``last_row``: a blank row, the sign-off (its three labels each at the
    start of a third of the table's width, or one line over a table whose columns cannot be
    so shared) and a tall row for the signatures and the seal, 单位（盖章）."""
    row = last_row + 2
    spans = _thirds(widths) or [(1, max(1, len(widths)))]
    texts = sign_off_parts(preparer) if len(spans) == 3 else [sign_off_line(preparer)]
    lines = 1
    for (first, last), text in zip(spans, texts, strict=True):
        _merged(worksheet, row, first, last, text, SIGN_OFF_ALIGNMENT)
        lines = max(lines, _lines(text, sum(widths[first - 1:last])))
    worksheet.row_dimensions[row].height = max(lines * LINE_HEIGHT, 20.0)
    _merged(worksheet, row + 1, 1, max(1, len(widths)), SEAL_TEXT, SEAL_ALIGNMENT)
    worksheet.row_dimensions[row + 1].height = SEAL_HEIGHT


def _merged(worksheet: Worksheet, row: int, first: int, last: int, text: str,
            alignment: Alignment) -> None:
    cell = worksheet.cell(row, first, text)
    cell.alignment = alignment
    if last > first:
        worksheet.merge_cells(start_row=row, start_column=first, end_row=row, end_column=last)


def _thirds(widths: list[float]) -> list[tuple[int, int]] | None:
    """Three runs of columns (first, last; from 1), each about a third of the total width and
    each with room for its label and a signature; None where the columns cannot be so shared."""
    ends = [0.0, *itertools.accumulate(widths)]
    shares = [(first_end, second_end) for first_end in range(1, len(widths) - 1)
              for second_end in range(first_end + 1, len(widths))
              if min(ends[first_end], ends[second_end] - ends[first_end],
                     ends[-1] - ends[second_end]) >= SIGN_OFF_ROOM]
    if not shares:
        return None
    first_end, second_end = min(shares, key=lambda share: abs(ends[share[0]] - ends[-1] / 3)
                                + abs(ends[share[1]] - 2 * ends[-1] / 3))
    return [(1, first_end), (first_end + 1, second_end), (second_end + 1, len(widths))]


def keep_sign_off_with_table(worksheet: Worksheet, last_row: int, title_rows: int,
                             landscape: bool) -> None:
    """Where the sign-off would not fit under the table on its last page, a page break before
    the table's last row, so that the sign-off never prints alone on a page (as LibreOffice
    lays the rows out, estimated from their heights and the sheet's scale)."""
    if last_row <= title_rows + 1:
        return
    across = (A4_LONG if landscape else A4_SHORT) - 2 * SIDE_MARGIN
    scale = min(1.0, across / (total_width(worksheet) * PRINTED_POINTS_PER_WIDTH))
    down = (A4_SHORT if landscape else A4_LONG) - 2 * HEADER_MARGIN
    room = down / scale - HEADER_AND_FOOTER  # the title and page number shrink with the rows
    heights = [_height(worksheet, row) for row in range(1, worksheet.max_row + 1)]
    repeated = sum(heights[:title_rows])
    used, page, page_of = 0.0, 1, []
    for height in heights:
        if used + height > room and used > repeated:
            used, page = repeated, page + 1
        used += height
        page_of.append(page)
    if page_of[-1] != page_of[last_row - 1]:  # the sign-off would start a page of its own
        worksheet.row_breaks.append(Break(id=last_row - 1))


def _height(worksheet: Worksheet, row: int) -> float:
    rows = worksheet.row_dimensions
    return (rows[row].height if row in rows else None) or LINE_HEIGHT


def frame_table(worksheet: Worksheet, sheet: Sheet, header_row: int) -> None:
    """Before any other style, and after :func:`add_table_styles`: thin borders round every
    cell of the header and the rows; the header shaded and centred; amounts right-aligned,
    text wrapped within its column."""
    width = len(sheet.columns)
    for column in range(1, width + 1):
        worksheet.cell(header_row, column).style = HEADER_STYLE
    for offset, row in enumerate(sheet.rows, start=header_row + 1):
        for column in range(1, width + 1):
            value = row[column - 1] if column <= len(row) else None
            worksheet.cell(offset, column).style = _style_of(value)


def _style_of(value: object) -> str:
    if isinstance(value, Decimal | int) and not isinstance(value, bool):
        return NUMBER_STYLE
    if isinstance(value, datetime.date):
        return DATE_STYLE
    return TEXT_STYLE


def fit_row_heights(worksheet: Worksheet, sheet: Sheet, header_row: int) -> None:
    """A row whose text wraps in its column is as many lines high as the longest cell needs
    (spreadsheets do not all measure wrapped rows on opening, LibreOffice does not)."""
    widths = column_widths(worksheet, len(sheet.columns))
    table: list[list[CellValue]] = [list(sheet.columns), *sheet.rows]
    for offset, row in enumerate(table, start=header_row):
        lines = max((_lines(shown_in(value, width, name) if offset > header_row else value,
                            width)
                     for value, width, name in zip(row, widths, sheet.columns, strict=False)
                     if isinstance(value, str)), default=1)
        if lines > 1:
            worksheet.row_dimensions[offset].height = lines * LINE_HEIGHT


def column_widths(worksheet: Worksheet, columns: int) -> list[float]:
    """The widths of the first ``columns`` columns (Excel's default where none is set)."""
    dimensions = worksheet.column_dimensions
    letters = [get_column_letter(column) for column in range(1, columns + 1)]
    return [(dimensions[letter].width if letter in dimensions else None) or DEFAULT_WIDTH
            for letter in letters]


def _lines(text: str, width: float) -> int:
    """How many lines ``text`` wraps to in a column ``width`` wide (a little to spare)."""
    room = max(width - 1, 1)
    if 2 * len(text) <= room:  # fits however wide its characters: no need to measure
        return 1
    return sum(max(1, math.ceil(display_width(part) / room)) for part in text.split("\n"))


def prints_landscape(worksheet: Worksheet) -> bool:
    """Landscape when the columns are wider than a portrait page, unless a portrait page
    shrinks them but little (to ``READABLE`` or more) and takes fewer pages than landscape
    (a long table, not much too wide)."""
    width = total_width(worksheet)
    if width <= PORTRAIT_WIDTH:
        return False
    shrunk = PORTRAIT_WIDTH / width
    if shrunk < READABLE:
        return True
    height = sum(_height(worksheet, row) for row in range(1, worksheet.max_row + 1))
    portrait = _pages(height * shrunk, PORTRAIT_HEIGHT)
    landscape = _pages(height * min(1.0, LANDSCAPE_WIDTH / width), LANDSCAPE_HEIGHT)
    return landscape <= portrait


def _pages(height: float, page: float) -> int:
    return max(1, math.ceil(height / page))


def set_up_pages(worksheet: Worksheet, *, title: str, title_rows: int, landscape: bool,
                 pages_high: int = 0) -> None:
    """A4, landscape or not, fit to one page wide and ``pages_high`` high (0: as many as it
    takes), rows 1 to ``title_rows`` on every page, the title above each page and the page
    number below."""
    setup = worksheet.page_setup
    setup.paperSize = worksheet.PAPERSIZE_A4
    setup.orientation = "landscape" if landscape else "portrait"
    setup.fitToWidth, setup.fitToHeight = 1, pages_high
    worksheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    worksheet.page_margins = PageMargins(left=SIDE_MARGIN / 72, right=SIDE_MARGIN / 72,
                                         top=0.75, bottom=0.75,
                                         header=HEADER_MARGIN / 72, footer=HEADER_MARGIN / 72)
    worksheet.print_options.horizontalCentered = True
    if title_rows > 0:
        worksheet.print_title_rows = f"1:{title_rows}"
    worksheet.oddHeader = HeaderFooterItem(
        center=_Part(text=title.replace("&", "&&"), size=14, font="-,Bold"))
    worksheet.oddFooter = HeaderFooterItem(center=_Part(text=PAGE_FOOTER, size=10))


def total_width(worksheet: Worksheet) -> float:
    """The sum of the used columns' widths (Excel's default 8.43 where none is set)."""
    return sum(column_widths(worksheet, worksheet.max_column))
