"""``funds export monthly YYYY-MM``: the month's reconciliation for the city finance bureau;
``funds export annual YYYY``: the year's statements under 《民间非营利组织会计制度》;
``funds verify-export DIR``: check a month's export folder against its ``MANIFEST.sha256``.

Exit codes of ``monthly``: 0 written and every bank account reconciled; 1 written, but an
account does not reconcile (the workbook says so in red); 2 nothing written: a malformed month,
a month outside the books, an unreadable statement, or books that do not load.

Exit codes of ``verify-export``: 0 every file of the month's folder matches its
``MANIFEST.sha256`` (and the manifest the digest given with ``--digest``); 1 a file is missing,
altered or not listed, or the digest differs; 2 a folder without a manifest.

Exit codes of ``annual``: 0 written; 2 nothing written: a malformed year, a year outside the
books, books that do not load, or accounts the chart does not place (each one named).
"""

from __future__ import annotations

import datetime
import sys
from pathlib import Path

import click

from importers.errors import InputError
from ledger.cli.books import ExistingFile, ledger_option
from ledger.cli.check import EXIT_FINDINGS, EXIT_LOAD_ERROR, read_books, use_utf8_stdout
from reports.annual.export import build_annual_export, parse_year, write_annual
from reports.carry import carried_items
from reports.export_check import digest_matches, manifest_digest, verify_export
from reports.month import Month
from reports.monthly import build_monthly_export

DEFAULT_OUT = Path("reports") / "out"
EXIT_UNRECONCILED = 1
# MANIFEST.sha256 in every month's folder: on once ``funds verify-pack`` takes a pack whose
# monthly folders hold their own MANIFEST.sha256 (reports/audit_pack.py:verify_pack)
SEAL_EXPORTS = True


@click.group("export")
def export() -> None:
    """导出报表 / export reports."""


def _refuse(message: str) -> None:
    click.echo(f"无法导出 / cannot export: {message}", err=True)
    click.echo("未写入任何文件 / nothing was written", err=True)
    sys.exit(EXIT_LOAD_ERROR)


@export.command("monthly", context_settings={"allow_extra_args": True})
@click.argument("month")
@ledger_option(writes=False)
@click.option("--statement", "statements", multiple=True, metavar="FILE", type=ExistingFile(),
              help="本月银行对账单；每个文件一个 --statement（--statement A.csv --statement "
                   "B.xlsx） / the month's bank statement; one --statement per file.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=DEFAULT_OUT,
              show_default=True, help="输出目录 / output folder.")
@click.option("--preparer", default="", help="编制人 / the preparer's name.")
@click.pass_context
def monthly(ctx: click.Context, month: str, books: Path | None, statements: tuple[Path, ...],
            out: Path, preparer: str) -> None:
    """导出 MONTH（YYYY-MM）的专项资金月报 / export the month's fund reconciliation."""
    use_utf8_stdout()
    if ctx.args:
        extra = " ".join(ctx.args)
        raise click.UsageError(f"多余的参数 {extra}：多个对账单请每个文件写一个 --statement（"
                               "--statement A.csv --statement B.csv） / unexpected "
                               f"{extra}: give each statement its own --statement", ctx)
    try:
        period = Month.parse(month)
    except ValueError as error:
        _refuse(str(error))
        return
    checked = read_books(books)
    try:
        report = build_monthly_export(checked, period, list(statements), preparer,
                                      datetime.date.today(), carried_items(out, period))
    except (ValueError, InputError) as error:
        _refuse(str(error))
        return
    from reports.workbook import write_export  # pandas loads only when an export is written

    folder = write_export(report, out, list(statements), sealed=SEAL_EXPORTS)
    click.echo(f"已写入 / written: {folder}")
    if SEAL_EXPORTS:
        click.echo(f"清单摘要 / manifest digest: {manifest_digest(folder)}")
        click.echo("  请将清单摘要另行告知市财政局，以便其核对（funds verify-export） / send the "
                   "digest separately, so the bureau can verify the export")
    for item in report.reconciliations:
        state = "相符 / reconciled" if item.reconciled else "不符 / does not reconcile"
        click.echo(f"  {item.account}：{state}")
    if not report.reconciled:
        sys.exit(EXIT_UNRECONCILED)


@export.command("annual")
@click.argument("year")
@ledger_option(writes=False)
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=DEFAULT_OUT,
              show_default=True, help="输出目录 / output folder.")
@click.option("--preparer", default="", help="编制人 / the preparer's name.")
def annual(year: str, books: Path | None, out: Path, preparer: str) -> None:
    """导出 YEAR 年度会计报表（资产负债表、业务活动表、现金流量表、专项资金收支情况表） / export
    the year's statements under 《民间非营利组织会计制度》."""
    use_utf8_stdout()
    try:
        period = parse_year(year)
    except ValueError as error:
        _refuse(str(error))
        return
    checked = read_books(books)
    try:
        report = build_annual_export(checked, period, preparer, datetime.date.today())
    except ValueError as error:
        _refuse(str(error))
        return
    folder = write_annual(report, out)
    click.echo(f"已写入 / written: {folder}")
    for statement in report.statements:
        click.echo(f"  {statement.title}（{statement.code}）")


@click.command("verify-export")
@click.argument("folder", type=click.Path(path_type=Path))
@click.option("--digest", default="",
              help="另行收到的清单摘要 sha256:… / the manifest digest received separately.")
def verify_export_command(folder: Path, digest: str) -> None:
    """按 MANIFEST.sha256 核对月报文件夹 FOLDER 的每个文件 / check every file of a month's
    export folder against its MANIFEST.sha256."""
    use_utf8_stdout()
    result = verify_export(folder)
    if not result.found:
        for problem in result.problems:
            click.echo(f"无法核对月报 / cannot verify the export: {problem}", err=True)
        sys.exit(EXIT_LOAD_ERROR)
    problems = list(result.problems)
    if digest and not digest_matches(digest, result.digest):
        problems.append(f"清单摘要不符 / the manifest's digest is {result.digest}, "
                        f"not {digest.strip()}")
    for problem in problems:
        click.echo(f"  {problem}")
    if problems:
        click.echo(f"核对未通过 / the export does not verify: {folder}")
        sys.exit(EXIT_FINDINGS)
    click.echo(f"核对通过 / verified: {len(result.files)} 个文件与清单相符 / files match the "
               f"manifest {result.digest}")
    if not digest:
        click.echo("注意：未给出 --digest，只核对了月报与其自带的清单 / note: without --digest "
                   "the export was checked against its own manifest only")
