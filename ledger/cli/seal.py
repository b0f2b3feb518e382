"""``funds seal YYYY-MM``: seal a month once its reconciliation has gone to the finance bureau.

Appends to the books' main file (never rewriting it) one directive, dated the month's last day::

    2012-10-31 custom "fund-seal" "2012-10" "sha256:<hex>"
      entries: 57
      sealed-on: 2012-11-05

and keeps the month's canonical text in ``seals/2012-10.jsonl`` beside the main file (see
:mod:`ledger.model.seal`). From then on the rule ``sealed-period-changed`` reports any change to
the month's fund entries.

Exit codes: 0 sealed, or already sealed (nothing written); 1 refused: the month has error
findings (``--force --reason TEXT`` seals it anyway, the reason kept in the directive); 2 nothing
written: a malformed month, a month not yet over, bad usage, books that do not load, or a file
that cannot be written.
"""

from __future__ import annotations

import datetime
import sys
from pathlib import Path

import click

from ledger.check import CheckedBooks
from ledger.cli.books import books_for, ledger_option, warn_unincluded
from ledger.cli.check import EXIT_FINDINGS, EXIT_LOAD_ERROR, load_or_exit, use_utf8_stdout
from ledger.files import append_to_books, path_from_books, replace_file
from ledger.model.findings import RULES, Finding, Severity
from ledger.model.seal import (
    SEAL_TYPE,
    MonthReader,
    canonical_text,
    digest_of,
    seal_text_path,
)
from reports.month import Month


@click.command("seal")
@click.argument("month")
@ledger_option(writes=True)
@click.option("--force", is_flag=True,
              help="有错误也封账（须同时给出 --reason） / seal despite error findings (needs "
                   "--reason).")
@click.option("--reason", default="", help="强制封账的理由 / why the month is sealed anyway.")
def seal(month: str, books: Path | None, force: bool, reason: str) -> None:
    """封账：MONTH（YYYY-MM）的专项分录自此不得再改 / seal the month's fund entries."""
    use_utf8_stdout()
    if force != bool(reason.strip()):
        raise click.UsageError("--force 与 --reason 须同时给出 / --force and --reason go together")
    try:
        period = Month.parse(month)
    except ValueError as error:
        _refuse(str(error))
        return
    if period.last >= datetime.date.today():
        _refuse(f"{period} 尚未结束，月末之后才能封账 / {period} is not over yet")
    path = books_for(books, writes=True, how="--ledger 账簿.beancount").absolute()
    checked = load_or_exit(path)
    warn_unincluded(path, checked.options_map)
    if _already_sealed(checked, str(period)):
        return
    errors = [finding for finding in checked.findings if finding.severity is Severity.ERROR
              and period.first <= finding.date <= period.last]
    if errors and not force:
        _refuse_errors(period, errors)
    _write_seal(checked, path, period, reason.strip(), len(errors))
    warnings = [finding for finding in checked.findings if finding.severity is Severity.WARNING
                and period.first <= finding.date <= period.last]
    if warnings:
        click.echo(f"注意：{period} 有 {len(warnings)} 条警告，不妨碍封账，请核实 / note: "
                   f"{period} has {len(warnings)} warning(s); they do not stop a seal:")
        for finding in warnings:
            click.echo(f"  {finding.date} {finding.label}（{finding.rule}） "
                       f"{path_from_books(finding.filename, path.parent)}:{finding.lineno} "
                       f"{finding.message}")


def _refuse(message: str) -> None:
    click.echo(f"无法封账 / cannot seal: {message}", err=True)
    click.echo("未写入任何文件 / nothing was written", err=True)
    sys.exit(EXIT_LOAD_ERROR)


def _already_sealed(checked: CheckedBooks, month: str) -> bool:
    """Sealing twice changes nothing; says where the seal is, and whether it still holds."""
    for existing in checked.books.model.seals:
        if existing.month == month:
            where = f"{existing.entry.meta['filename']}:{existing.entry.meta['lineno']}"
            click.echo(f"{month} 已封账（{where}），未作改动 / {month} is already sealed "
                       f"({where}); nothing was written")
            broken = [finding for finding in checked.findings if finding.entry is existing.entry
                      and finding.rule == "sealed-period-changed"]
            if broken:
                click.echo(f"注意：封账后本月分录已被改动 / note: the month changed since: "
                           f"{broken[0].message}")
            return True
    return False


def _refuse_errors(period: Month, errors: list[Finding]) -> None:
    click.echo(f"拒绝封账：{period} 有 {len(errors)} 个错误 / refused: {period} has "
               f"{len(errors)} error finding(s)", err=True)
    for finding in errors:
        click.echo(f"  {finding.date} {RULES[finding.rule].label}（{finding.rule}） "
                   f"{finding.filename}:{finding.lineno} {finding.message}", err=True)
    click.echo("更正后再封账，或用 --force --reason 说明理由后封账 / correct them first, or "
               "seal with --force --reason TEXT", err=True)
    click.echo("未写入任何文件 / nothing was written", err=True)
    sys.exit(EXIT_FINDINGS)


def _write_seal(checked: CheckedBooks, path: Path, period: Month, reason: str,
                errors: int) -> None:
    """Keep the month's text, then append the directive (in this order: a directive never
    points at a text that is not there)."""
    month = str(period)
    reader = MonthReader(checked.books.model.account_fund, path.parent)
    lines = [line for line, _ in reader.lines(checked.judged, {month})[month]]
    digest = digest_of(lines)
    text_path = seal_text_path(path, month)
    directive = (f'\n{period.last} custom "{SEAL_TYPE}" "{month}" "{digest}"\n'
                 f"  entries: {len(lines)}\n  sealed-on: {datetime.date.today()}\n")
    if reason:
        directive += f"  reason: {_quoted(reason)}\n  errors: {errors}\n"
    try:
        replace_file(text_path, canonical_text(lines).encode("utf-8"))
    except OSError as error:
        _refuse(f"{error}")
    try:
        append_to_books(path, directive)
    except OSError as error:
        text_path.unlink(missing_ok=True)  # no directive points at it: take it back
        _refuse(f"{error}")
    if not lines:
        click.echo(f"注意：{month} 没有专项分录，封存的是空月份 / note: {month} has no fund "
                   "entry; an empty month was sealed")
    click.echo(f"已封账 / sealed: {month}，{len(lines)} 条专项分录 / fund entries, {digest}")
    click.echo(f"封账指令已追加到 / directive appended to: {path}")
    click.echo(f"封账文本 / sealed text: {text_path}")
    if reason:
        click.echo(f"强制封账，{errors} 个错误，理由：{reason} / sealed despite {errors} "
                   "error finding(s)")


def _quoted(text: str) -> str:
    """A Beancount string holding ``text`` on one line."""
    flat = " ".join(text.split())
    return '"' + flat.replace("\\", "\\\\").replace('"', '\\"') + '"'
