"""``funds import``: bank statements and payroll sheets into new entries for the books.

The books are loaded once; their import configuration says which ledger account each statement
belongs to and how its lines are classified. Entries the books (or earlier imports waiting in the
books' ``inbox/``) already hold are skipped. The new entries go to a new file, by default
``inbox/YYYY-MM-DD-import.beancount`` beside the books, for the accountant to review and include;
no existing file is ever written. Any input that cannot be read stops the import: the error
names the file, row and column, the exit code is 1, and nothing is written.
"""

from __future__ import annotations

import datetime
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import beangulp
import click
from beancount.core import data
from beancount.parser import parser, printer

from importers import build_importers
from importers.config import SUSPENSE, ImportConfig, read_import_config
from importers.dedupe import DUPLICATE
from importers.errors import InputError
from ledger.check import DEMO_BOOKS
from ledger.cli.check import EXIT_LOAD_ERROR, load_or_exit, use_utf8_stdout
from ledger.files import unused_path, write_new_file

EXIT_INPUT_ERROR = 1


@dataclass
class Imported:
    """What one file gave: the new entries, and the ones the books already hold."""

    path: Path
    importer: str
    account: str
    new: data.Entries = field(default_factory=list)
    skipped: list[tuple[data.Directive, data.Directive]] = field(default_factory=list)


def _inbox_entries(inbox: Path) -> data.Entries:
    """Entries of earlier imports still waiting in the inbox, so they are not imported twice."""
    entries: data.Entries = []
    for path in sorted(inbox.glob("*.beancount")) if inbox.is_dir() else ():
        entries.extend(parser.parse_file(str(path))[0])
    return entries


def _import_file(path: Path, importers: list[beangulp.Importer],
                 existing: data.Entries) -> Imported:
    name = str(path)
    importer = next((importer for importer in importers if importer.identify(name)), None)
    if importer is None:
        raise InputError(path, "无法识别的文件：既不是银行流水也不是工资表 / no importer "
                               "recognises this file (neither a bank statement nor a payroll "
                               "sheet)")
    entries = importer.extract(name, existing)
    importer.deduplicate(entries, existing)
    imported = Imported(path, importer.name, importer.account(name))
    for entry in entries:
        booked = entry.meta.pop(DUPLICATE, None)
        if booked is None:
            imported.new.append(entry)
        else:
            imported.skipped.append((entry, booked))
    existing.extend(imported.new)
    return imported


def _output_text(results: list[Imported], books: Path, open_accounts: set[str]) -> str:
    today = datetime.date.today().isoformat()
    parts = [f"; {today} 由 funds import 生成，请核对后 include 进账簿 / written by funds import "
             f"on {today}: review, then include in {books.name}", ""]
    new = [entry for result in results for entry in result.new]
    if SUSPENSE not in open_accounts and any(
            isinstance(entry, data.Transaction) and entry.postings[-1].account == SUSPENSE
            for entry in new):
        first = min(entry.date for entry in new)
        opening = data.Open(data.new_metadata("<import>", 0), first, SUSPENSE, [], None)
        parts += [printer.format_entry(opening).rstrip(), ""]
    for result in results:
        if result.new:
            parts += [f"; 来自 / from {result.path.name}（{result.account}）", ""]
            parts += [printer.format_entry(entry).rstrip() + "\n" for entry in result.new]
    return "\n".join(parts).rstrip() + "\n"


def _report(result: Imported) -> None:
    unclassified = sum(1 for entry in result.new
                       if isinstance(entry, data.Transaction) and entry.flag == "!")
    click.echo(f"{result.path}：{result.account}，新增 {len(result.new)} 条"
               f"（未分类 {unclassified} 条，记入 {SUSPENSE} 并标 !），跳过已有 "
               f"{len(result.skipped)} 条 / {len(result.new)} new ({unclassified} unclassified), "
               f"{len(result.skipped)} already in the books")
    for entry, booked in result.skipped:
        where = f"{booked.meta.get('filename')}:{booked.meta.get('lineno')}"
        click.echo(f"  跳过 / skipped {entry.date} {_described(entry)}（已在 / booked at {where}）")


def _described(entry: data.Directive) -> str:
    if isinstance(entry, data.Transaction):
        amount = entry.postings[0].units
        return f"{entry.payee or ''} {entry.narration} {amount}".strip()
    if isinstance(entry, data.Balance):
        return f"balance {entry.account} {entry.amount}"
    return type(entry).__name__


def _load(books: Path) -> tuple[data.Entries, ImportConfig]:
    """The books' entries and import configuration; exit 2 if either cannot be read."""
    checked = load_or_exit(books)
    try:
        return checked.entries, read_import_config(checked.entries)
    except InputError as problem:
        click.echo(f"导入配置有误 / the import configuration is wrong: {problem}", err=True)
        sys.exit(EXIT_LOAD_ERROR)


def _import_all(files: tuple[Path, ...], importers: list[beangulp.Importer],
                existing: data.Entries) -> list[Imported]:
    """Every file's entries; exit 1 naming each file that cannot be read, with none written."""
    results: list[Imported] = []
    problems: list[InputError] = []
    for path in files:
        try:
            results.append(_import_file(path, importers, existing))
        except InputError as problem:
            problems.append(problem)
    for unreadable in problems:
        click.echo(f"无法导入 / cannot import: {unreadable}", err=True)
    if problems:
        click.echo("未写入任何文件 / nothing was written", err=True)
        sys.exit(EXIT_INPUT_ERROR)
    return results


def _closing_problems(results: list[Imported], existing: data.Entries) -> list[str]:
    """Each new closing ``balance`` the books would fail once the new entries are included:
    a line imported twice or missed, or a book entry the bank has not cleared yet."""
    closings = [(result.path, entry) for result in results for entry in result.new
                if isinstance(entry, data.Balance)]
    moves: dict[tuple[str, str], list[tuple[datetime.date, Decimal]]] = defaultdict(list)
    wanted = {(entry.account, entry.amount.currency) for _, entry in closings}
    for entry in existing:
        for posting in entry.postings if isinstance(entry, data.Transaction) else ():
            units = posting.units
            if units is not None and (posting.account, units.currency) in wanted:
                moves[posting.account, units.currency].append(
                    (entry.date, units.number or Decimal(0)))
    problems = []
    for path, closing in closings:
        stated, currency = closing.amount.number or Decimal(0), closing.amount.currency
        booked = sum((number for date, number in moves[closing.account, currency]
                      if date < closing.date), Decimal(0))
        if booked != stated:
            problems.append(
                f"{path}：导入后 {closing.account} 于 {closing.date} 的账面余额 {booked}，对账单为 "
                f"{stated}，相差 {booked - stated} {currency}（流水重复或遗漏，或账簿中有银行未入账"
                f"的款项） / after the import the books hold {booked} on {closing.account} at "
                f"{closing.date}, the statement says {stated}")
    return problems


def _write(target: Path, text: str) -> None:
    try:
        write_new_file(target, text)
    except FileExistsError:
        click.echo(f"{target} 已存在，不会覆盖；未写入 / {target} exists: nothing written",
                   err=True)
        sys.exit(EXIT_INPUT_ERROR)
    click.echo(f"已写入 / written: {target}")


@click.command("import")
@click.argument("files", nargs=-1, required=True,
                type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--ledger", "books", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="账簿主文件（默认：示范账簿） / the books' main file (default: the demo books).")
@click.option("--account", metavar="ACCOUNT",
              help="文件未注明账号时所属的银行科目 / the bank account of files that name none.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="新条目写入的新文件（默认：账簿旁 inbox/日期-import.beancount） / the new "
                   "file for the entries (default: inbox/DATE-import.beancount by the books).")
def import_files(files: tuple[Path, ...], books: Path | None, account: str | None,
                 output: Path | None) -> None:
    """导入银行流水与工资表 FILE... / import bank statements and payroll sheets."""
    use_utf8_stdout()
    books = books or DEMO_BOOKS
    inbox = books.parent / "inbox"
    target = output or unused_path(inbox, f"{datetime.date.today():%Y-%m-%d}-import",
                                   ".beancount")
    if target.exists():
        raise click.BadParameter(f"{target} 已存在，不会覆盖 / {target} exists and is never "
                                 "overwritten", param_hint="-o")
    entries, config = _load(books)
    if account is not None and account not in config.open_accounts:
        raise click.BadParameter(f"账簿中没有科目 {account} / no account {account} in the books",
                                 param_hint="--account")
    waiting = _inbox_entries(inbox)
    existing = list(entries) + waiting
    results = _import_all(files, build_importers(config, account), existing)
    for result in results:
        _report(result)
    problems = _closing_problems(results, existing)
    for problem in problems:
        click.echo(f"余额不符 / balance mismatch: {problem}", err=True)
    if problems:
        click.echo("未写入任何文件 / nothing was written", err=True)
        sys.exit(EXIT_INPUT_ERROR)
    if not any(result.new for result in results):
        click.echo("没有新条目，未写文件 / nothing new, no file written")
        return
    opened = config.open_accounts | {entry.account for entry in waiting
                                     if isinstance(entry, data.Open)}
    _write(target, _output_text(results, books, opened))
