"""``funds print vouchers YYYY-MM``: the month's 记账凭证 under their 凭证封面, as one PDF.

Writes ``OUT/YYYY-MM/记账凭证-YYYY-MM.pdf`` (default ``OUT``: ``printed``, the printed books'
:data:`PRINT_OUT`) atomically, leaving the folder's other files alone, and says how many
vouchers and attachments it holds. Notes (stderr, still written): a voucher number on several
transactions, printed as one voucher (a repeated number?); characters the font lacks.

Exit codes: 0 written; 2 nothing written: a malformed month, a month without a transaction in
the books, books that do not load, metadata a voucher cannot be printed with (a bad
``attachments:``), no Chinese font to embed, or an output folder that cannot be written.
"""

from __future__ import annotations

import logging
from pathlib import Path

import click

from ledger.cli.books import EXIT_USAGE, ledger_option, refuse
from ledger.cli.check import read_books, use_utf8_stdout
from reports.month import Month
from reports.printed.pdf import PRINT_OUT, FontMissing, write_pdf
from reports.printed.voucher_book import PrintedVoucher, VoucherError, voucher_month
from reports.printed.voucher_pdf import missing_characters, voucher_document

CANNOT = "无法打印记账凭证 / cannot print the vouchers"


def voucher_file(out: Path, month: Month) -> Path:
    """Where a month's vouchers are written: ``OUT/YYYY-MM/记账凭证-YYYY-MM.pdf``."""
    return out / str(month) / f"记账凭证-{month}.pdf"


def merged_note(voucher: PrintedVoucher) -> str:
    """The note on a voucher printed from several transactions (a repeated number?)."""
    count, number = len(voucher.sources), voucher.voucher
    return (f"注意：凭证号 {number} 用于 {count} 笔交易（{'、'.join(voucher.sources)}），"
            "合并打印为一张凭证；若是重号，请改正凭证号 / note: voucher "
            f"{number} is on {count} transactions ({', '.join(voucher.sources)}), printed as "
            "one voucher; if the number was repeated by mistake, correct it")


@click.command("vouchers")
@click.argument("month")
@ledger_option(writes=False)
@click.option("--out", type=click.Path(path_type=Path), default=PRINT_OUT, show_default=True,
              help="输出目录 / output folder.")  # one that is a file: refused on writing, bilingual
def vouchers_command(month: str, books: Path | None, out: Path) -> None:
    """打印 MONTH（YYYY-MM）的记账凭证及凭证封面（PDF） / print the month's vouchers and their
    cover (PDF).

    \b
    写入 OUT/YYYY-MM/记账凭证-YYYY-MM.pdf：封面在前，每张凭证一页（A5 横向）。
    签名栏：交易的 preparer:、reviewer:，或政策键 signer-supervisor、
    signer-bookkeeper、signer-reviewer、signer-cashier、signer-preparer。
    Writes OUT/YYYY-MM/记账凭证-YYYY-MM.pdf: the cover, then a page per voucher
    (A5 landscape); signers from preparer:/reviewer: or the signer-* policy keys."""
    use_utf8_stdout()
    try:
        period = Month.parse(month)
    except ValueError as error:
        refuse([f"{CANNOT}: {error}"], EXIT_USAGE)
    checked = read_books(books)
    try:
        vouchers = voucher_month(checked.books, checked.options_map, period)
        if not vouchers.vouchers:
            refuse([f"{CANNOT}: 账簿中 {period} 没有任何交易 / the books hold no transaction "
                    f"in {period}"], EXIT_USAGE)
        document = voucher_document(vouchers)
    except (VoucherError, FontMissing) as error:
        refuse([f"{CANNOT}: {error}"], EXIT_USAGE)
    for voucher in vouchers.merged:
        click.echo(merged_note(voucher), err=True)
    missing = missing_characters(document)
    if missing:
        click.echo(f"注意：字体中没有这些字符，PDF 中显示为空白，请核对纸质凭证：{missing} / note: "
                   f"the font has no glyph for {missing}: they print blank", err=True)
    logging.getLogger("fpdf.output").setLevel(logging.ERROR)  # said above, in Chinese too
    try:
        written = write_pdf(document, voucher_file(out, period))
    except OSError as error:
        refuse([f"{CANNOT}: 无法写入 {voucher_file(out, period)}（{error.strerror or error}） / "
                f"cannot write {voucher_file(out, period)}: {error}"], EXIT_USAGE)
    click.echo(f"已写入 / written: {written}")
    click.echo(f"{len(vouchers.vouchers)} 张凭证，附件 {vouchers.attachments} 张 / "
               f"{len(vouchers.vouchers)} vouchers, {vouchers.attachments} attachments")
