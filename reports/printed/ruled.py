"""A ruled table over pages, as printed account books are: every page starts with the book's
title block and the column headings, every cell has its border, a long text wraps inside its
cell (never cut) and the row grows to hold it, and each page's foot says 第 N 页 共 M 页
(:meth:`RuledPages.finish`, once the document is complete).

A text is broken into lines (fpdf2's line breaking with the printed books' 避头 and 避尾, as
:meth:`reports.printed.layout.BoxedTable.lines` breaks it) only when it is wider than its cell,
so a book of tens of thousands of rows draws in linear time. A ``fit`` column (月, 日, amounts)
never wraps: a text too wide for it prints whole on one line, in a smaller type.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from fpdf import FPDF

from reports.printed.layout import Alignment, BoxedTable, Column, fitted_cell

__all__ = ["Band", "Column", "RuledPages", "title_block"]
MARGIN = 8.0  # mm, every side
FOOT = 10.0  # mm kept at the bottom for 第 N 页 共 M 页
RED = (200, 0, 0)
RED_WIDTH = 0.4  # mm
BORDER_WIDTH = 0.2  # mm, fpdf2's default


@dataclass(frozen=True)
class Band:
    """A heading spanning ``span`` columns above their own headings (期初余额 over 借方, 贷方);
    an empty band leaves its columns' headings to fill both heading rows."""

    heading: str
    span: int


class RuledPages:
    """Draws rows under a title block (``head``, drawn at the top of every page of the current
    part) and the column headings; a row that does not fit begins a new page."""

    def __init__(self, document: FPDF, columns: Sequence[Column], *,
                 bands: Sequence[Band] = (), line_height: float = 5.0,
                 padding: float = 1.0) -> None:
        self.document = document
        self.columns = tuple(columns)
        self.bands = tuple(bands)
        self.line_height = line_height
        self.padding = padding
        self.wrapping = BoxedTable(self.columns, line_height, padding)
        self.head: Callable[[FPDF], None] = lambda _: None
        self.carry: Callable[[str], Sequence[str]] | None = None
        self.rows_on_page = 0
        document.set_auto_page_break(False)
        document.set_margins(MARGIN, MARGIN, MARGIN)

    @property
    def width(self) -> float:
        return sum(column.width for column in self.columns)

    @property
    def bottom(self) -> float:
        return self.document.h - MARGIN - FOOT

    def start(self, title: str, lines: Sequence[str],
              carry: Callable[[str], Sequence[str]] | None = None) -> None:
        """Begin a part (an account, a currency; or a page saying there is nothing to print)
        on a new page, each of its pages under the book's ``title`` and ``lines``. With
        ``carry``, a page the part runs on from ends with the row ``carry("过次页")`` and the
        next begins with ``carry("承前页")`` (《会计基础工作规范》第六十一条); room for it is
        kept."""
        self.head = lambda document: title_block(document, title, lines, self.width)
        self.carry = carry
        self.new_page()
        self.rows_on_page = 0

    def new_page(self) -> None:
        document = self.document
        document.add_page()
        document.set_xy(MARGIN, MARGIN)
        self.head(document)
        document.set_x(MARGIN)
        self._headings()

    def height(self, cells: Sequence[str]) -> float:
        """How tall the row holding ``cells`` is drawn."""
        return self._height(self._cell_lines(cells))

    def row(self, cells: Sequence[str], *, red_lines: int = 0, keep: float = 0.0,
            last: bool = False) -> None:
        """Draw one row, on a new page (under the title and headings) if it does not fit
        with ``keep`` mm more below it (the height of a row that must not stand alone on the
        next page, as a 合计) and, unless it is the part's ``last``, its 过次页; ``red_lines``
        (1 or 2) red rules across the table under it, as a period is closed in the books
        (月结, 年结)."""
        lines = self._cell_lines(cells)
        height = self._height(lines)
        carried = self.carry is not None and not last
        kept = keep + self.line_height + 2 * self.padding if carried else keep
        if self.document.get_y() + height + kept > self.bottom and self.rows_on_page:
            self._carried("过次页")
            self.new_page()
            self._carried("承前页")
        self._draw(lines, height, [column.align for column in self.columns])
        self.rows_on_page += 1
        if red_lines:
            self._red_lines(red_lines)

    def _cell_lines(self, cells: Sequence[str]) -> list[list[str]]:
        return [self._lines(text, column) for text, column in zip(cells, self.columns,
                                                                   strict=True)]

    def _height(self, lines: Sequence[Sequence[str]]) -> float:
        return max(len(each) for each in lines) * self.line_height + 2 * self.padding

    def _carried(self, label: str) -> None:
        if self.carry is not None:
            cells = self.carry(label)
            self._draw([[text] for text in cells], self.line_height + 2 * self.padding,
                       [column.align for column in self.columns])

    def _red_lines(self, count: int) -> None:
        document = self.document
        y = document.get_y()
        document.set_draw_color(*RED)
        document.set_line_width(RED_WIDTH)
        for index in range(count):  # each rule in its own strip, clear of the rows' borders
            offset = y + RED_WIDTH / 2 + index * 2 * RED_WIDTH
            document.line(MARGIN, offset, MARGIN + self.width, offset)
        document.set_draw_color(0, 0, 0)
        document.set_line_width(BORDER_WIDTH)
        document.set_xy(MARGIN, y + (2 * count - 1) * RED_WIDTH)

    def _lines(self, text: str, column: Column) -> list[str]:
        inner = column.width - 2 * self.padding
        if column.fit or self.document.get_string_width(text) <= inner:
            return [text]
        return self.wrapping.lines(self.document, text, column.width)

    def _draw(self, lines: Sequence[Sequence[str]], height: float,
              aligns: Sequence[Alignment], widths: Sequence[float] | None = None) -> None:
        document = self.document
        left, top = document.get_x(), document.get_y()
        x = left
        for cell_lines, width, align in zip(lines, widths or [c.width for c in self.columns],
                                            aligns, strict=True):
            document.rect(x, top, width, height)
            y = top + self.padding
            for line in cell_lines:
                if line:  # an empty line has nothing to draw
                    document.set_xy(x + self.padding, y)
                    fitted_cell(document, line, width - 2 * self.padding, self.line_height,
                                align)
                y += self.line_height
            x += width
        document.set_xy(left, top + height)

    def _headings(self) -> None:
        one = self.line_height + 2 * self.padding
        if not self.bands:
            self._draw([[column.heading] for column in self.columns], one,
                       ["C"] * len(self.columns))
            return
        document = self.document
        top = document.get_y()
        x = MARGIN
        index = 0
        for band in self.bands:
            spanned = self.columns[index:index + band.span]
            if band.heading:
                width = sum(column.width for column in spanned)
                document.set_xy(x, top)
                self._draw([[band.heading]], one, ["C"], [width])
                cell_x = x
                for column in spanned:
                    document.set_xy(cell_x, top + one)
                    self._draw([[column.heading]], one, ["C"], [column.width])
                    cell_x += column.width
                x += width
            else:
                for column in spanned:
                    document.set_xy(x, top)
                    self._draw([[column.heading]], 2 * one, ["C"], [column.width])
                    x += column.width
            index += band.span
        document.set_xy(MARGIN, top + 2 * one)

    def finish(self) -> None:
        """Number the pages at their foot, 第 N 页 共 M 页, once the total is known (drawn
        into each page afterwards, so any total fits and is centred)."""
        document = self.document
        last, total = document.page, document.pages_count
        size = document.font_size_pt
        for number in range(1, total + 1):
            document.page = number
            document.current_font_is_set_on_page = False  # this page's own font setting
            document.set_font_size(9)
            document.set_xy(MARGIN, document.h - MARGIN - FOOT / 2)
            document.cell(document.w - 2 * MARGIN, 5, f"第 {number} 页 共 {total} 页",
                          align="C")
            document.set_font_size(size)
        document.page = last


def title_block(document: FPDF, title: str, lines: Sequence[str], width: float) -> None:
    """A book's title, centred and large, then its lines (科目, 单位, 年度…), each wrapped."""
    size = document.font_size_pt
    document.set_font_size(16)
    document.cell(width, 9, title, align="C", new_x="LMARGIN", new_y="NEXT")
    document.set_font_size(10)
    for line in lines:
        document.multi_cell(width, 5.5, line, align="L", new_x="LMARGIN", new_y="NEXT")
    document.ln(1.5)
    document.set_font_size(size)
