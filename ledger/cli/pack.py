"""``funds audit-pack YEAR`` writes the year-end audit pack; ``funds verify-pack PACK`` checks one.

Exit codes of ``audit-pack``: 0 written (its findings are inside it, whatever they are; a
``document`` whose file is missing is listed as missing); 2 nothing written: a malformed year, a
year outside the books, books that do not load, or a pack that cannot be written.

Exit codes of ``verify-pack``: 0 every file matches the manifest (and the manifest the digest
given with ``--digest``); 1 a file is missing, altered or not listed; 2 not a readable zip.
"""

from __future__ import annotations

import datetime
import re
import sys
import zipfile
from pathlib import Path
from typing import NoReturn

import click
from beancount.ops.documents import DocumentError

from importers.errors import InputError
from ledger.cli.books import ExistingFile, ledger_option
from ledger.cli.check import EXIT_FINDINGS, EXIT_LOAD_ERROR, read_books, use_utf8_stdout
from ledger.cli.export import DEFAULT_OUT
from ledger.cli.render import count_line
from reports.audit_pack import AlteredExportError, same_digest, verify_pack, write_pack
from reports.monthly import books_period, statements_by_month

_YEAR = re.compile(r"\d{4}")


@click.command("audit-pack")
@click.argument("year")
@ledger_option(writes=False)
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=DEFAULT_OUT,
              show_default=True, help="输出目录 / output folder.")
@click.option("--statement", "statements", multiple=True,
              type=ExistingFile(),
              help="银行对账单（可重复），用于尚无导出月报的月份 / a bank statement (repeatable), "
                   "for the months not exported yet.")
@click.option("--preparer", default="", help="编制人 / the preparer's name.")
def audit_pack(year: str, books: Path | None, out: Path, statements: tuple[Path, ...],
               preparer: str) -> None:
    """写出 YEAR 年度考核评估资料包（zip） / write the year's audit pack (a zip)."""
    use_utf8_stdout()
    if not _YEAR.fullmatch(year.strip()):
        _refuse(f'年度应为四位数字，如 2012，实为 "{year}" / a year is four digits, e.g. 2012')
    number = int(year)
    # a missing document file does not stop the pack, which lists it as missing
    checked = read_books(books, tolerated=(DocumentError,))
    period = books_period(checked.books)
    first, last = period if period is not None else (None, None)
    if first is None or last is None or not first.year <= number <= last.year:
        covered = f"{first:%Y} 至 {last:%Y}" if first and last else "无交易 / no transaction"
        _refuse(f"{number} 年不在账簿期间（{covered}）内 / {number} is outside the books")
    try:
        by_month = statements_by_month(checked, list(statements))
    except InputError as error:
        _refuse(str(error))
    created = _first_missing(out)
    try:
        pack = write_pack(checked, number, out, preparer, datetime.date.today(), by_month)
    except AlteredExportError as error:
        _remove_empty(out, created)
        _refuse_altered(error)
        return
    except (OSError, ValueError, InputError) as error:
        _remove_empty(out, created)
        _refuse(str(error))
        return
    click.echo(f"已写入 / written: {pack.path}（{pack.files} 个文件 / files）")
    click.echo(f"清单摘要 / manifest digest: {pack.manifest_digest}")
    click.echo("  请将清单摘要另行告知评估机构，以便其核对 / send the digest separately, so the "
               "agency can verify the pack")
    click.echo(f"  检查结果 / findings: {count_line(pack.findings)}")
    click.echo(f"  月报 / monthly exports: {len(pack.months)} 份")
    for month, why in pack.skipped_months.items():
        click.echo(f"  未出 {month} 月报 / no export for {month}: {why}")
    if pack.reused_months:
        click.echo(f"  原样采用已导出的月报 / taken as exported: {', '.join(pack.reused_months)}")
    for month, why in pack.rebuilt_months.items():
        click.echo(f"  重新生成 {month} 月报 / {month} built again: {why}")
    click.echo(f"  银行对账单 / bank statements: {len(pack.statements)} 份")
    for name in pack.statements:
        click.echo(f"    {name}")
    click.echo(f"  单据 / documents: {len(pack.references)} 条，{pack.missing_documents} 条未找到"
               "文件 / without a file")
    if pack.annual_skipped:
        click.echo(f"警告：资料包未含年度会计报表 / warning: the pack has no annual statements: "
                   f"{pack.annual_skipped}")
    else:
        click.echo("  年度会计报表 / annual statements: annual/")


def _first_missing(folder: Path) -> Path | None:
    """The outermost folder of ``folder``'s path that does not exist yet, if any."""
    missing = None
    for candidate in (folder, *folder.parents):
        if candidate.exists():
            break
        missing = candidate
    return missing


def _remove_empty(folder: Path, created: Path | None) -> None:
    """Remove the empty folders this command made, from ``folder`` up to ``created``."""
    if created is None:
        return
    for candidate in (folder, *folder.parents):
        try:
            candidate.rmdir()
        except OSError:
            return
        if candidate == created:
            return


def _refuse_altered(error: AlteredExportError) -> None:
    click.echo(f"无法生成资料包 / cannot write the pack: {error.month} 月报在写出后被改动，与其清单"
               f"不符 / the {error.month} export was altered after it was written: "
               f"{error.folder}", err=True)
    for problem in error.problems:
        click.echo(f"  {problem}", err=True)
    click.echo(f"  报送财政局的月报不应再改。请重新导出该月（funds export monthly {error.month} "
               "--statement 对账单…），或把改动过的文件夹移出输出目录 / re-export the month, or "
               "move the altered folder out of the output folder", err=True)
    click.echo("未写入任何文件 / nothing was written", err=True)
    sys.exit(EXIT_LOAD_ERROR)


def _refuse(message: str) -> NoReturn:
    click.echo(f"无法生成资料包 / cannot write the pack: {message}", err=True)
    click.echo("未写入任何文件 / nothing was written", err=True)
    sys.exit(EXIT_LOAD_ERROR)


@click.command("verify-pack")
@click.argument("pack", type=ExistingFile())
@click.option("--digest", default="",
              help="另行收到的清单摘要 sha256:… / the manifest digest received separately.")
def verify_pack_command(pack: Path, digest: str) -> None:
    """按清单核对资料包 PACK 的每个文件 / check every file of PACK against its manifest."""
    use_utf8_stdout()
    try:
        result = verify_pack(pack)
    except (zipfile.BadZipFile, OSError) as error:
        click.echo(f"无法读取资料包 / cannot read the pack: {pack}: {error}", err=True)
        sys.exit(EXIT_LOAD_ERROR)
    problems = list(result.problems)
    if digest and (result.manifest_digest is None
                   or not same_digest(digest, result.manifest_digest)):
        problems.append(f"清单摘要不符 / the manifest's digest is {result.manifest_digest}, "
                        f"not {digest.strip()}")
    for problem in problems:
        click.echo(f"  {problem}")
    if problems or result.manifest_digest is None:
        click.echo(f"核对未通过 / the pack does not verify: {pack}")
        sys.exit(EXIT_FINDINGS)
    click.echo(f"核对通过 / verified: {result.checked} 个文件与清单相符 / files match the "
               f"manifest {result.manifest_digest}")
    if not digest:
        click.echo("注意：未给出 --digest，只核对了资料包与其自带的清单 / note: without --digest "
                   "the pack was checked against its own manifest only")
