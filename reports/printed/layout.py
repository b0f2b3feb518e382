"""What the printed books share beyond the font: an account's 总账科目 and 明细科目, and a boxed
table drawn row by row, each cell wrapped (never cut) and the row as tall as its tallest cell.

An account on the 民非 chart prints its first level as the 总账科目, code and name
(``Assets:1002-银行存款:建设经费专户`` is ``1002 银行存款``), and the levels below it as the
明细科目, joined by ``—`` as a bookkeeper writes them (``建设经费专户``;
``Income:4401-政府补助收入:限定性收入:区财政:建设经费`` is
``限定性收入—区财政—建设经费``). An account off the chart (English-named books, the suspense
account) prints its first two components as the 总账科目 (``Assets:Bank``) and the rest, joined
by ``:``, as the 明细科目 (``Dedicated:Construction``).

The table helpers take any ``fpdf.FPDF`` with the font set; they measure with fpdf2's own line
breaking (``multi_cell(dry_run=True)``), so what is measured is what is drawn. Callers decide
where a page ends: :meth:`BoxedTable.height` says how tall a row will be before it is drawn.
A wrapped text keeps the rules of Chinese typesetting (:func:`moved_down`): no line starts
with closing punctuation or a per cent sign (避头), none ends with an opening bracket or
quotation mark (避尾), and no number is cut in two; characters go down to the next line for it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from ledger.model.chart import CHART, code_of

if TYPE_CHECKING:
    from fpdf import FPDF

DETAIL_SEPARATOR = "—"
# Chinese typesetting starts no line with closing punctuation or a per cent sign (避头): the
# character before it goes down with it (the whole number before a per cent sign) ...
CLOSING_TEXT = "）》」』】〕，。、；：！？)]},.;:!?%％‰”’"
CLOSING = frozenset(CLOSING_TEXT)
# ... and ends no line with an opening bracket or quotation mark (避尾): it goes down
OPENING_TEXT = "（《「『【〔([{“‘"
OPENING = frozenset(OPENING_TEXT)
# ... and breaks no number (a run of digits, with its decimal point and thousands separators)
DIGITS = frozenset("0123456789")
NUMBER_TEXT = "0123456789.,"
NUMBER = frozenset(NUMBER_TEXT)
Alignment = Literal["L", "C", "R"]


@dataclass(frozen=True)
class AccountNames:
    """An account as a printed book names it: 总账科目 and 明细科目 ("" when none)."""

    general: str
    detail: str


def account_names(account: str) -> AccountNames:
    """The 总账科目 and 明细科目 of an account (see the module's docstring)."""
    parts = account.split(":")
    code = code_of(account)
    if code is None:
        return AccountNames(":".join(parts[:2]), ":".join(parts[2:]))
    name = parts[1][len(code):].lstrip("-") or CHART.get(code, ("", ""))[0]
    general = f"{code} {name}" if name else code
    return AccountNames(general, DETAIL_SEPARATOR.join(parts[2:]))


def fitted_cell(document: FPDF, text: str, width: float, height: float,
                align: Alignment = "L") -> None:
    """``text`` on one line ``width`` wide at the current position, in a smaller type if it
    is too wide (never cut, never over its neighbour)."""
    size = document.font_size_pt
    needed = document.get_string_width(text)
    if needed > width:
        document.set_font_size(max(size * width / needed - 0.05, 1.0))
    document.cell(width, height, text, align=align)
    document.set_font_size(size)


def moved_down(before: str, after: str) -> int:
    """How many characters at the end of the line ``before`` go down to the line ``after``
    it, so that ``after`` starts with no closing punctuation, no number is cut in two and
    ``before`` ends with no opening bracket: the closing punctuation ending ``before`` and
    the character before it (the whole number before a per cent sign), or the start of a
    number the line ends in, then any opening brackets left at its end. 0 when nothing
    moves, or when everything would (a line too narrow to help)."""
    down = 0
    if after[:1] in DIGITS and before[-1:] in NUMBER:
        down = len(before) - len(before.rstrip(NUMBER_TEXT))
        if down >= len(before):
            down = 0
    elif after[:1] in CLOSING:
        down = len(before) - len(before.rstrip(CLOSING_TEXT)) + 1
        number = down
        while (number < len(before) and before[-number] in NUMBER
               and before[-number - 1] in NUMBER):
            number += 1
        if number < len(before):
            down = number
    kept = before[:len(before) - down]
    down += len(kept) - len(kept.rstrip(OPENING_TEXT))
    return down if down < len(before) else 0


@dataclass(frozen=True)
class Column:
    """A table column: its heading, width in mm and how its cells are aligned. A ``fit``
    column (amounts) keeps its text on one line, in a smaller type where it is too wide."""

    heading: str
    width: float
    align: Alignment = "L"
    fit: bool = False


@dataclass(frozen=True)
class BoxedTable:
    """A table with a border round every cell; rows are lists of cell texts, one per column."""

    columns: tuple[Column, ...]
    line_height: float = 5.0
    padding: float = 1.2  # mm inside each cell, every side

    @property
    def width(self) -> float:
        return sum(column.width for column in self.columns)

    def lines(self, document: FPDF, text: str, width: float) -> list[str]:
        """The lines ``text`` wraps to in a cell ``width`` wide (at least one), fpdf2's
        wrapping with the printed books' 避头 and 避尾 (:func:`moved_down`)."""
        inner = max(width - 2 * self.padding, 1.0)
        lines: list[str] = []
        rest = text
        while True:  # each round keeps at least one character: it ends
            wrapped = self._wrapped(document, rest, inner)
            bad = next((index for index in range(1, len(wrapped))
                        if moved_down(wrapped[index - 1], wrapped[index])), None)
            if bad is None:
                return lines + wrapped
            before = wrapped[bad - 1]
            down = moved_down(before, wrapped[bad])
            start = 0
            try:
                for line in wrapped[:bad]:
                    start = rest.index(line, start) + len(line)
            except ValueError:  # a line fpdf2 changed: keep its wrapping
                return lines + wrapped
            lines += [*wrapped[:bad - 1], before[:-down]]
            rest = rest[start - down:]

    def _wrapped(self, document: FPDF, text: str, width: float) -> list[str]:
        found = document.multi_cell(width, self.line_height, text, dry_run=True,
                                    output="LINES")
        return [str(line) for line in found] if isinstance(found, list) and found else [""]

    def height(self, document: FPDF, cells: Sequence[str]) -> float:
        """The height of the row holding ``cells``: its tallest cell's lines, padded."""
        most = max(1 if column.fit else len(self.lines(document, text, column.width))
                   for text, column in zip(cells, self.columns, strict=True))
        return most * self.line_height + 2 * self.padding

    def draw(self, document: FPDF, cells: Sequence[str], *, height: float | None = None,
             aligns: Sequence[Alignment] | None = None) -> float:
        """Draw one row at the current position, top-aligned cells; returns its height and
        moves below it. ``aligns`` overrides the columns' alignment for this row."""
        row_height = self.height(document, cells) if height is None else height
        left, top = document.get_x(), document.get_y()
        x = left
        for index, (text, column) in enumerate(zip(cells, self.columns, strict=True)):
            document.rect(x, top, column.width, row_height)
            align = aligns[index] if aligns is not None else column.align
            document.set_xy(x + self.padding, top + self.padding)
            if column.fit:
                self._fitted(document, text, column.width - 2 * self.padding, align)
            else:
                for line in self.lines(document, text, column.width):
                    document.cell(column.width - 2 * self.padding, self.line_height, line,
                                  align=align)
                    document.set_xy(x + self.padding, document.get_y() + self.line_height)
            x += column.width
        document.set_xy(left, top + row_height)
        return row_height

    def _fitted(self, document: FPDF, text: str, width: float, align: Alignment) -> None:
        fitted_cell(document, text, width, self.line_height, align)

    def headings(self, document: FPDF) -> float:
        """Draw the heading row, centred; returns its height."""
        return self.draw(document, [column.heading for column in self.columns],
                         aligns=["C"] * len(self.columns))

