"""A month's 记账凭证 printed: the 凭证封面, then one page per voucher (more when it runs long).

The paper is half an A4 sheet, landscape (A5, 210 × 148 mm): the size of the 凭证纸 that voucher
printing uses and that the 凭证封面 and 装订 are made for, so the month's vouchers bind as one
book with the cover on top; an A4 printer prints it on A5 paper, or two to an A4 sheet cut in
half. Each voucher page: the title 记账凭证, 记字第 N 号 (with the number as the books write it),
单位, 日期, 附件 N 张; a boxed table 摘要 | 总账科目 | 明细科目 | 借方金额 | 贷方金额, every cell
wrapped, never cut (an amount too wide for its column in smaller type), a 摘要 written once for
the lines below it that share it, the empty rows struck through (划线注销); the 合计 row in
figures and in 大写; the signature boxes 会计主管, 记账, 审核, 出纳, 制单; in small print where in
the books the voucher's transactions are. A voucher whose
rows do not fit one page goes on over more pages numbered 记字第 N 1/2 号, 记字第 N 2/2 号
(分数编号); the 合计 is on its last page, the pages before it say 续下页. A row taller than a
page (a long 摘要) goes on over the next between its wrapped lines, its amounts on its first
part. A 合计 row per currency with amounts (no 人民币 零元整 on a voucher in dollars only).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from fpdf import FPDF

from importers.vouchers import number_runs
from ledger.model.policy import SIGNER_ROLES
from reports.printed.layout import BoxedTable, Column, fitted_cell
from reports.printed.pdf import FONT_FAMILY, money, new_document
from reports.printed.voucher_book import (
    PrintedVoucher,
    Sequence,
    Totals,
    VoucherLine,
    VoucherMonth,
    capitals,
)

PAGE_FORMAT = (148.0, 210.0)  # A5 (half an A4 sheet), in mm; turned landscape
PAGE_WIDTH, PAGE_HEIGHT = 210.0, 148.0
MARGIN = 10.0
BOTTOM = PAGE_HEIGHT - 7.0
CONTENT = PAGE_WIDTH - 2 * MARGIN
TABLE = BoxedTable((Column("摘要", 52.0), Column("总账科目", 34.0), Column("明细科目", 44.0),
                    Column("借方金额", 30.0, "R", fit=True),
                    Column("贷方金额", 30.0, "R", fit=True)),
                   line_height=4.4, padding=1.3)
TOTAL_ROW = BoxedTable((Column("", 130.0), Column("", 30.0, "R", fit=True),
                        Column("", 30.0, "R", fit=True)),
                       line_height=4.4, padding=1.3)
SIGNATURES = BoxedTable(tuple(Column("", CONTENT / len(SIGNER_ROLES)) for _ in SIGNER_ROLES),
                        line_height=5.0, padding=1.5)
COVER = BoxedTable((Column("", 40.0), Column("", CONTENT - 40.0)), line_height=5.5,
                   padding=2.0)
TABLE_SIZE = 9.0
CONTINUED = "续下页 / continued"
Cells = tuple[str, ...]
# 《会计档案管理办法》（财政部 国家档案局令第79号）附表一：记账凭证保管 30 年
RETENTION = "30 年（《会计档案管理办法》）"


@dataclass(frozen=True)
class VoucherPage:
    """One page of a voucher: its rows, and its place among the voucher's pages."""

    voucher: PrintedVoucher
    rows: tuple[Cells, ...]  # each row's five cells, as drawn
    index: int  # 1-based
    count: int

    @property
    def label(self) -> str:
        """记字第 N 号, or 记字第 N 1/2 号 on a voucher of more pages (分数编号)."""
        label = self.voucher.label
        if self.count == 1:
            return label
        if label.endswith(" 号"):
            return f"{label[:-2]} {self.index}/{self.count} 号"
        return f"{label} {self.index}/{self.count}"


def voucher_pages(document: FPDF, voucher: PrintedVoucher) -> list[VoucherPage]:
    """The voucher's rows split over as many pages as they need (at least one); a row taller
    than a page goes on over the next (its amounts on its first part)."""
    document.set_font(FONT_FAMILY, size=TABLE_SIZE)
    room = _rows_room(document, voucher)
    pages: list[list[Cells]] = [[]]
    used = 0.0
    above: VoucherLine | None = None
    for line in voucher.lines:
        cells = _cells(line, voucher, above)
        if pages[-1] and used + TABLE.height(document, cells) > room:
            pages.append([])
            used = 0.0
            cells = _cells(line, voucher, None)
        for part, piece in enumerate(_pieces(document, cells, room)):
            if part:
                pages.append([])
                used = 0.0
            pages[-1].append(piece)
            used += TABLE.height(document, piece)
        above = line
    return [VoucherPage(voucher, tuple(rows), index, len(pages))
            for index, rows in enumerate(pages, start=1)]


def _pieces(document: FPDF, cells: Cells, room: float) -> list[Cells]:
    """A row as it fits a page ``room`` high: whole, or cut between its wrapped lines into
    parts of at most a page each (every column's lines kept, one under the other)."""
    if TABLE.height(document, cells) <= room:
        return [cells]
    most = max(int((room - 2 * TABLE.padding) // TABLE.line_height), 1)
    lines = [[text] if column.fit else TABLE.lines(document, text, column.width)
             for text, column in zip(cells, TABLE.columns, strict=True)]
    parts = max(len(column) for column in lines)
    return [tuple("\n".join(column[start:start + most]) for column in lines)
            for start in range(0, parts, most)]


def _rows_room(document: FPDF, voucher: PrintedVoucher) -> float:
    """The height left for rows between the table's heading and its 合计 rows."""
    top = ROWS_TOP + TABLE.height(document, [column.heading for column in TABLE.columns])
    totals = sum(TOTAL_ROW.height(document, cells) for cells in _total_cells(voucher))
    signatures = SIGNATURES.height(document, _signature_cells(voucher))
    return BOTTOM - FOOTER - signatures - 2.0 - totals - top


ROWS_TOP = 30.0
FOOTER = 4.0


def _amount(amount: object, currency: str, operating: str) -> str:
    if not isinstance(amount, Decimal) or not amount:
        return ""
    return money(amount) if currency == operating else f"{money(amount)} {currency}"


def _cells(line: VoucherLine, voucher: PrintedVoucher, above: VoucherLine | None) -> Cells:
    """A line's cells; its 摘要 is left blank under the same 摘要 on the page (written once)."""
    operating = voucher.totals[0].currency
    summary = "" if above is not None and above.summary == line.summary else line.summary
    return (summary, line.general, line.detail, _amount(line.debit, line.currency, operating),
            _amount(line.credit, line.currency, operating))


def _total_cells(voucher: PrintedVoucher) -> list[list[str]]:
    """The 合计 rows: the operating currency's with its 大写, then one per other currency; a
    currency without amounts has none (the operating currency's stays on a voucher without
    any amount)."""
    operating = voucher.totals[0].currency
    rows = [_total_row(total, total.currency == operating) for total in voucher.totals
            if total.debit or total.credit]
    return rows or [_total_row(voucher.totals[0], True)]


def _total_row(total: Totals, operating: bool) -> list[str]:
    if operating:
        words = (f"合计 人民币（大写）：{capitals(total.debit)}" if total.debit == total.credit
                 else f"合计（大写）借方 {capitals(total.debit)}，贷方 {capitals(total.credit)}")
        return [words, money(total.debit), money(total.credit)]
    return [f"合计 {total.currency}", f"{money(total.debit)} {total.currency}",
            f"{money(total.credit)} {total.currency}"]


def _signature_cells(voucher: PrintedVoucher) -> list[str]:
    return [f"{title}：{voucher.signers.get(role, '')}" for role, title in SIGNER_ROLES]


def draw_voucher_page(document: FPDF, unit: str, page: VoucherPage) -> None:
    """One page of a voucher, on a new A5 landscape page."""
    voucher = page.voucher
    document.add_page(orientation="landscape", format=PAGE_FORMAT)
    document.set_font(FONT_FAMILY, size=18)
    document.set_xy(MARGIN, 8.0)
    document.cell(CONTENT, 9.0, "记 账 凭 证", align="C")
    middle = PAGE_WIDTH / 2
    document.set_line_width(0.3)
    document.line(middle - 24, 17.2, middle + 24, 17.2)
    document.line(middle - 24, 18.0, middle + 24, 18.0)
    document.set_line_width(0.2)
    document.set_font(FONT_FAMILY, size=10)
    document.set_xy(PAGE_WIDTH - MARGIN - 55, 9.0)
    document.cell(55, 5.0, page.label, align="R")
    if voucher.voucher is not None and voucher.number is not None:
        document.set_font(FONT_FAMILY, size=7)
        document.set_xy(PAGE_WIDTH - MARGIN - 55, 14.0)
        document.cell(55, 4.0, f"凭证号 {voucher.voucher}", align="R")
    document.set_font(FONT_FAMILY, size=9)
    document.set_xy(MARGIN, 22.0)
    fitted_cell(document, f"单位：{unit}", CONTENT * 0.45 - 2.0, 5.0)
    document.set_x(MARGIN + CONTENT * 0.45)
    day = voucher.date
    document.cell(CONTENT * 0.3, 5.0, f"{day.year} 年 {day.month:02d} 月 {day.day:02d} 日",
                  align="C")
    document.cell(CONTENT * 0.25, 5.0, f"附件 {voucher.attachments} 张", align="R")
    document.set_font(FONT_FAMILY, size=TABLE_SIZE)
    document.set_xy(MARGIN, ROWS_TOP)
    TABLE.headings(document)
    for row in page.rows:
        TABLE.draw(document, row)
    last = page.index == page.count
    totals = _total_cells(voucher) if last else [[CONTINUED, "", ""]]
    height = sum(TOTAL_ROW.height(document, cells) for cells in totals)
    signatures = SIGNATURES.height(document, _signature_cells(voucher))
    _struck_blank_rows(document, BOTTOM - FOOTER - signatures - 2.0 - height)
    for cells in totals:
        TOTAL_ROW.draw(document, cells, aligns=None if last else ["C", "R", "R"])
    _signatures_and_source(document, voucher)


def _struck_blank_rows(document: FPDF, bottom: float) -> None:
    """Ruled empty rows from the last line down to ``bottom``, struck through across the amount
    columns (《会计基础工作规范》第五十一条: the empty lines between the last amount and the
    合计 are cancelled with a line)."""
    top = document.get_y()
    usual = TABLE.height(document, [""] * len(TABLE.columns))
    count = int((bottom - top) // usual)
    if count < 1:  # less room than a row: the 合计 follows the last line
        return
    for _ in range(count):
        TABLE.draw(document, [""] * len(TABLE.columns), height=(bottom - top) / count)
    amounts = MARGIN + sum(column.width for column in TABLE.columns[:3])
    document.line(amounts, bottom, MARGIN + TABLE.width, top)
    document.set_xy(MARGIN, bottom)


def _signatures_and_source(document: FPDF, voucher: PrintedVoucher) -> None:
    cells = _signature_cells(voucher)
    height = SIGNATURES.height(document, cells)
    document.set_xy(MARGIN, BOTTOM - FOOTER - height)
    SIGNATURES.draw(document, cells)
    document.set_font(FONT_FAMILY, size=6)
    document.set_text_color(90)
    document.set_xy(MARGIN, BOTTOM - FOOTER + 0.5)
    fitted_cell(document, f"账簿位置 / in the books: {_places(voucher.sources)}", CONTENT, 3.5)
    document.set_text_color(0)


def _places(sources: tuple[str, ...]) -> str:
    """``/path/to/2012.beancount:343`` and ``…:349`` as ``2012.beancount:343、349``: each
    file's name once, then its lines."""
    lines: dict[str, list[str]] = {}
    for source in sources:
        path, _, line = source.rpartition(":")
        lines.setdefault(Path(path).name if path else "", []).append(line)
    return "；".join(f"{name}:{'、'.join(numbers)}" if name else "、".join(numbers)
                    for name, numbers in lines.items())


def draw_cover(document: FPDF, month: VoucherMonth, pages: int) -> None:
    """The 凭证封面, on the current page: what the bound month holds and its totals."""
    document.set_font(FONT_FAMILY, size=20)
    document.set_xy(MARGIN, 10.0)
    document.cell(CONTENT, 10.0, "记 账 凭 证 封 面", align="C")
    document.set_font(FONT_FAMILY, size=10)
    document.set_xy(MARGIN, 24.0)
    for label, value in _cover_rows(month, pages):
        COVER.draw(document, [label, value])
    document.set_xy(MARGIN, BOTTOM - 12.0)
    document.cell(CONTENT / 3, 6.0, "会计主管：")
    document.cell(CONTENT / 3, 6.0, "装订人：")
    document.cell(CONTENT / 3, 6.0, "装订日期：    年   月   日")
    document.set_xy(MARGIN, BOTTOM - 6.0)
    document.cell(CONTENT, 6.0, "本月共    册，本册为第    册")


def _cover_rows(month: VoucherMonth, pages: int) -> list[tuple[str, str]]:
    count = f"共 {len(month.vouchers)} 张（凭证页 {pages} 页）"
    if month.unnumbered:
        count += f"，其中无凭证号 {month.unnumbered} 张"
    rows = [("单位", month.unit), ("年月", f"{month.month.year} 年 {month.month.month:02d} 月"),
            ("凭证起讫号", _span(month)), ("凭证张数", count),
            ("附件总数", f"{month.attachments} 张"), ("保管期限", RETENTION)]
    for index, total in enumerate(month.totals):
        if index == 0:
            rows.append(("借方合计", f"{money(total.debit)} 元　（大写）{capitals(total.debit)}"))
            rows.append(("贷方合计", f"{money(total.credit)} 元　（大写）{capitals(total.credit)}"))
        elif total.debit or total.credit:
            rows.append((f"借贷合计 {total.currency}",
                         f"借方 {money(total.debit)} {total.currency}，"
                         f"贷方 {money(total.credit)} {total.currency}"))
    return rows


def _span(month: VoucherMonth) -> str:
    """凭证起讫号: a line per form of number, then the numbers without digits."""
    lines = [_sequence_text(sequence) for sequence in month.sequences]
    if month.without_digits:
        lines.append(f"另 {'、'.join(month.without_digits)}")
    return "\n".join(lines) or "—（本月凭证均无凭证号）"


def _sequence_text(sequence: Sequence) -> str:
    first, last = sequence.first, sequence.last
    if first is last:
        return f"{first.label}（{first.voucher}）"
    span = f"自 {first.label} 至 {last.label}（{first.voucher} 至 {last.voucher}）"
    return f"{span}；缺号 {_ranges(sequence.missing)}" if sequence.missing else span


def _ranges(numbers: tuple[int, ...]) -> str:
    """Numbers in order, runs collapsed: ``3～5、7``."""
    return "、".join(f"{first}～{last}" if first != last else str(first)
                    for first, last in number_runs(numbers))


def missing_characters(document: FPDF) -> str:
    """The characters the document uses that its Chinese font has no glyph for (a rare
    character in a name, an emoji): they print blank."""
    font = document.fonts.get(FONT_FAMILY)
    missing = getattr(font, "missing_glyphs", None) or []
    return "".join(sorted({chr(code) for code in missing if chr(code).isprintable()}))


def voucher_document(month: VoucherMonth) -> FPDF:
    """The month's cover and vouchers as one PDF document (not yet written)."""
    document = new_document(landscape=True, title=f"记账凭证 {month.month}")
    document.set_auto_page_break(False)
    document.set_author(month.unit)
    document.add_page(orientation="landscape", format=PAGE_FORMAT)  # fpdf2 measures on a page
    pages = [page for voucher in month.vouchers
             for page in voucher_pages(document, voucher)]
    draw_cover(document, month, len(pages))
    for page in pages:
        draw_voucher_page(document, month.unit, page)
    return document
