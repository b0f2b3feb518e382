"""``funds print ledger YEAR``: the year's 三栏式明细账; ``funds print trial-balance
YEAR|YYYY-MM``: the 科目余额表 of a year or a month. Each writes a PDF (Chinese font embedded)
and an Excel workbook under ``--out`` (``YEAR/明细账-YEAR.pdf``, ``PERIOD/科目余额表-PERIOD.pdf``),
replacing only those two files.

Exit codes: 0 written; 2 nothing written: a malformed year or month, a period outside the books,
an ``--account`` pattern that is malformed or matches no account, books that do not load, no
Chinese font to embed, or an output folder that cannot be written.
"""

from __future__ import annotations

import datetime
import logging
import re
from collections.abc import Callable
from pathlib import Path
from typing import NoReturn

import click

from ledger.cli.books import EXIT_USAGE, ledger_option, refuse
from ledger.cli.check import read_books, use_utf8_stdout
from ledger.rules import dates
from reports.annual.export import check_year_in_books, parse_year
from reports.month import Month
from reports.monthly import check_month_in_books
from reports.printed.account_ledger import account_ledgers, matcher, previous_earnings
from reports.printed.pdf import PRINT_OUT, FontMissing
from reports.printed.printed_files import Written, write_balance, write_ledger
from reports.printed.trial_balance import printed_name, trial_balance

_OUT = click.option("--out", type=click.Path(file_okay=False, path_type=Path),
                    default=PRINT_OUT, show_default=True, help="输出目录 / output folder.")


def _stop(message: str) -> NoReturn:
    refuse([f"无法打印 / cannot print: {message}"], EXIT_USAGE)


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def _written(write: Callable[[], Written], folder: Path) -> Written:
    """The files ``write`` writes into ``folder``; a folder that cannot be written stops."""
    logging.getLogger("fpdf.output").setLevel(logging.ERROR)  # said in _report, in Chinese too
    try:
        return write()
    except FontMissing as error:
        _stop(str(error))
    except OSError as error:
        where, reason = error.filename or folder, error.strerror or error
        _stop(f"无法写入 {where}（{reason}） / cannot write {where}: {reason}")


def _closing(year: int, closed_into: str) -> str:
    """What the print says of the year-end 结转 of a year it prints whole."""
    if not closed_into:
        return (f"{year} 年尚未结束：未做年末结转，收入、费用科目按账簿余额列示 / {year} is not "
                f"over: not closed, income and expense show their balances")
    name = printed_name(closed_into)
    return (f"{year} 年已结束：收入、费用科目于 12 月 31 日结转至 {name}（结转行为打印时生成，"
            f"账簿中无此分录） / {year} is over: income and expense are closed into {name} on "
            f"12-31 in the print only; the books hold no such entry")


def _report(written: Written, book: str, accounts: int, closing: str = "") -> None:
    if closing:
        click.echo(closing)
    if written.missing:
        click.echo(f"注意：字体中没有这些字符，PDF 中显示为空白，请核对：{written.missing} / note: "
                   f"the font has no glyph for {written.missing}: they print blank", err=True)
    click.echo(f"已写入 / written: {written.pdf}")
    click.echo(f"已写入 / written: {written.workbook}")
    click.echo(f"{book}：{accounts} 个科目，共 {written.pages} 页 / "
               f"{_plural(accounts, 'account')}, {_plural(written.pages, 'page')}")


@click.command("ledger")
@click.argument("year")
@ledger_option(writes=False)
@click.option("--account", "patterns", multiple=True, metavar="PATTERN",
              help="只打印全名（如 Assets:1002-银行存款:建设经费专户）含此正则表达式的科目，"
                   "不区分大小写，可重复；普通文字即按包含匹配（--account 银行存款 --account "
                   "1001） / only accounts whose full name a regular expression finds, any "
                   "case; repeatable; plain text matches as a substring.")
@_OUT
def ledger_command(year: str, books: Path | None, patterns: tuple[str, ...], out: Path) -> None:
    """打印 YEAR 年的三栏式明细账：写入 OUT/YEAR/明细账-YEAR.pdf 与 .xlsx / print the year's
    three-column ledgers, PDF and Excel."""
    use_utf8_stdout()
    try:
        period = parse_year(year)
    except ValueError as error:
        _stop(str(error))
        return
    try:
        matcher(patterns)
    except re.error as error:
        _stop(f"--account {error.pattern!s} 不是有效的正则表达式（{error}） / --account "
              f"{error.pattern!s} is not a valid regular expression ({error})")
        return
    checked = read_books(books)
    try:
        check_year_in_books(checked.books, period)
        ledgers = account_ledgers(checked.entries, checked.options_map, period, patterns,
                                  today=dates.today())
        if not ledgers.accounts:
            chosen = " ".join(f"--account {pattern}" for pattern in patterns)
            raise ValueError(f"{period} 年没有既符合 {chosen}、又有余额或发生额的科目 / no "
                             f"account matching {chosen} has a balance or a posting in "
                             f"{period}")
    except (ValueError, FontMissing) as error:
        _stop(str(error))
        return
    written = _written(lambda: write_ledger(ledgers, out), out)
    closed_into = previous_earnings(checked.options_map) if ledgers.closed else ""
    _report(written, "明细账", len(ledgers.accounts), _closing(period, closed_into))


def parse_period(text: str) -> tuple[str, str, datetime.date, datetime.date, Month | None]:
    """YEAR or YYYY-MM: its name, its label (2012年, 2012年10月), first and last day, and the
    month (None for a year); ``ValueError`` (bilingual) for anything else."""
    if "-" in text:
        month = Month.parse(text)
        return str(month), month.label, month.first, month.last, month
    try:
        year = parse_year(text)
    except ValueError:
        raise ValueError(f"期间应为年度 YYYY 或月份 YYYY-MM，如 2012 或 2012-10，实为“{text}” / "
                         f"a period is YYYY or YYYY-MM, e.g. 2012 or 2012-10, not {text!r}"
                         ) from None
    return (str(year), f"{year}年", datetime.date(year, 1, 1), datetime.date(year, 12, 31),
            None)


@click.command("trial-balance")
@click.argument("period")
@ledger_option(writes=False)
@_OUT
def trial_balance_command(period: str, books: Path | None, out: Path) -> None:
    """打印 PERIOD（年度 YYYY 或月份 YYYY-MM）的科目余额表：写入
    OUT/PERIOD/科目余额表-PERIOD.pdf 与 .xlsx / print the trial balance of a year or a month,
    PDF and Excel."""
    use_utf8_stdout()
    try:
        name, label, first, last, month = parse_period(period)
    except ValueError as error:
        _stop(str(error))
        return
    checked = read_books(books)
    try:
        if month is None:
            check_year_in_books(checked.books, first.year)
        else:
            check_month_in_books(checked, month)
        balance = trial_balance(checked.entries, checked.options_map, first, last, name,
                                label, today=dates.today())
    except (ValueError, FontMissing) as error:  # Unbalanced is a ValueError
        _stop(str(error))
        return
    written = _written(lambda: write_balance(balance, out), out)
    _report(written, "科目余额表", balance.accounts,
            "" if month else _closing(first.year, balance.closed_into))
