"""``funds import``: bank statements and payroll sheets into new entries for the books.

The books are loaded once; their import configuration says which ledger account each statement
belongs to and how its lines are classified. Payroll sheets are imported before statements, so
a pay line meets its month's payroll whatever order the files are given in. Entries the books
(or earlier imports waiting in the books' ``inbox/``, those the books do not include yet)
already hold are skipped. Each statement's closing balance is settled against the books
(:mod:`importers.outstanding`): a ``balance`` where it holds, a ``bank-balance`` record and
the outstanding items (未达账项) where book items the bank has not cleared explain the
difference. New transactions are numbered on
in their month's voucher sequence (:mod:`importers.vouchers`). The new entries go to a new file,
by default ``inbox/YYYY-MM-DD-import.beancount`` beside the books, for the accountant to review
and include; no existing file is ever written. Any input that cannot be read, or a closing
balance nothing explains, stops the import: the error names the file, row and column (or the
lines and book items involved), the exit code is 1, and nothing is written.
"""

from __future__ import annotations

import datetime
import sys
from dataclasses import dataclass, field
from pathlib import Path

import beangulp
import click
from beancount.core import data
from beancount.parser import parser, printer

from importers import build_importers
from importers.config import ImportConfig, read_import_config
from importers.dedupe import DUPLICATE
from importers.errors import InputError
from importers.outstanding import BookMovement, record_account, settle_closing
from importers.vouchers import VoucherBook, number_vouchers
from ledger.cli.books import ExistingFile, books_for, ledger_option, warn_unincluded
from ledger.cli.check import EXIT_LOAD_ERROR, load_or_exit, use_utf8_stdout
from ledger.files import unused_path, write_new_file

EXIT_INPUT_ERROR = 1
PAYROLL = "earmark.payroll"  # the payroll importer's name


@dataclass
class Imported:
    """What one file gave: the new entries, and the ones the books already hold."""

    path: Path
    importer: str
    account: str
    new: data.Entries = field(default_factory=list)
    skipped: list[tuple[data.Directive, data.Directive]] = field(default_factory=list)
    outstanding: list[BookMovement] = field(default_factory=list)
    problem: str | None = None  # a closing balance nothing explains


def _inbox_entries(inbox: Path, included: set[Path]) -> data.Entries:
    """Entries of earlier imports still waiting in the inbox, so they are not imported twice;
    a file the books include is booked, already among their entries."""
    entries: data.Entries = []
    for path in sorted(inbox.glob("*.beancount")) if inbox.is_dir() else ():
        if path.resolve() not in included:
            entries.extend(parser.parse_file(str(path))[0])
    return entries


@dataclass(frozen=True)
class Identified:
    """A file and the importers that recognise it (the first imports it), or why it cannot be
    read."""

    path: Path
    importers: tuple[beangulp.Importer, ...] = ()
    problem: InputError | None = None

    @property
    def is_payroll(self) -> bool:
        return any(importer.name == PAYROLL for importer in self.importers)


def _identify(path: Path, importers: list[beangulp.Importer]) -> Identified:
    """Ask each importer once whether it recognises the file."""
    try:
        return Identified(path, tuple(importer for importer in importers
                                      if importer.identify(str(path))))
    except InputError as problem:
        return Identified(path, problem=problem)  # refused, with its reason, when imported


def _import_file(identified: Identified, existing: data.Entries, suspense: str) -> Imported:
    path, name = identified.path, str(identified.path)
    if identified.problem is not None:
        raise identified.problem
    if not identified.importers:
        raise InputError(path, "无法识别的文件：既不是银行流水也不是工资表 / no importer "
                               "recognises this file (neither a bank statement nor a payroll "
                               "sheet)")
    importer = identified.importers[0]
    entries = importer.extract(name, existing)
    importer.deduplicate(entries, existing)
    imported = Imported(path, importer.name, importer.account(name))
    new: data.Entries = []
    for entry in entries:
        booked = entry.meta.pop(DUPLICATE, None)
        if booked is None:
            new.append(entry)
        else:
            imported.skipped.append((entry, booked))
    settled = settle_closing(path, new, existing, suspense)
    imported.new, imported.outstanding, imported.problem = (
        settled.entries, settled.outstanding, settled.problem)
    existing.extend(imported.new)
    return imported


def _output_text(results: list[Imported], books: Path, open_accounts: set[str],
                 suspense: str) -> str:
    today = datetime.date.today().isoformat()
    parts = [f"; {today} 由 funds import 生成，请核对后 include 进账簿 / written by funds import "
             f"on {today}: review, then include in {books.name}", ""]
    new = [entry for result in results for entry in result.new]
    if suspense not in open_accounts and any(
            isinstance(entry, data.Transaction) and entry.postings[-1].account == suspense
            for entry in new):
        first = min(entry.date for entry in new)
        opening = data.Open(data.new_metadata("<import>", 0), first, suspense, [], None)
        parts += [printer.format_entry(opening).rstrip(), ""]
    for result in results:
        if result.new:
            parts += [f"; 来自 / from {result.path.name}（{result.account}）", ""]
            parts += [_comment(entry) + printer.format_entry(entry).rstrip() + "\n"
                      for entry in result.new]
    return "\n".join(parts).rstrip() + "\n"


def _comment(entry: data.Directive) -> str:
    """What a ``bank-balance`` record is, for the bookkeeper reviewing the file."""
    if record_account(entry) is None:
        return ""
    return ("; 对账单期末余额；与账面之差为 outstanding 所列未达账项（企业已记、银行未记），"
            "不写 balance 断言 / the statement's closing balance; the books differ by the "
            "outstanding items listed, so no balance assertion\n")


def _report(result: Imported, this_run: set[int], suspense: str) -> None:
    """What a file gave: its new transactions (a closing balance is no entry of the
    statement's), the unclassified ones if any, what was already booked (by the books, or by
    another file of this import: ``this_run`` holds the ids of its new entries), and the
    outstanding items."""
    added = [entry for entry in result.new if isinstance(entry, data.Transaction)]
    unclassified = sum(1 for entry in added if entry.flag == "!")
    held = ("" if not unclassified else
            f"（未分类 {unclassified} 条，记入 {suspense} 并标 !）")
    held_en = "" if not unclassified else f" ({unclassified} unclassified)"
    lines = [entry for entry, _ in result.skipped if isinstance(entry, data.Transaction)]
    closed = len(result.skipped) > len(lines)
    closing = "，另期末余额已在账簿" if closed else ""
    closing_en = " (and the closing balance)" if closed else ""
    click.echo(f"{result.path}：{result.account}，新增 {len(added)} 条{held}，跳过已有 "
               f"{len(lines)} 条{closing} / {len(added)} new{held_en}, {len(lines)} already in "
               f"the books{closing_en}")
    for entry, booked in result.skipped:
        click.echo(f"  跳过 / skipped {entry.date} {_described(entry, booked)}（"
                   f"{_where_booked(booked, this_run)}{_booked_on(entry, booked)}）")
    if result.outstanding and result.problem is None:
        click.echo("  未达账项（账簿已记、对账单未见，不写余额断言，记下银行余额） / outstanding "
                   "book items, not yet at the bank (no balance assertion; the bank's figure is "
                   "kept as bank-balance):")
        for item in result.outstanding:
            click.echo(f"  未达账项: {item.describe()}（{item.kind}，{item.where}）")


def _where_booked(booked: data.Directive, this_run: set[int]) -> str:
    """Where the entry a line repeats is: a file and line of the books, or a file of this
    import (a payroll sheet, whose month has no line of its own)."""
    name = str(booked.meta.get("filename"))
    if id(booked) not in this_run:
        return f"已在 / booked at {name}:{booked.meta.get('lineno')}"
    if booked.meta.get("payroll"):
        return f"即本次导入的工资表 {Path(name).name} / the payroll sheet of this import"
    return f"即本次导入的 {Path(name).name} / a file of this import"


def _booked_on(entry: data.Directive, booked: data.Directive) -> str:
    """Where a line cleared a book item of another day: say which day."""
    if (isinstance(booked, data.Transaction) and booked.date != entry.date
            and not booked.meta.get("payroll")):
        return f"，{booked.date} 的未达账项 / the item of {booked.date}"
    return ""


def _described(entry: data.Directive, booked: data.Directive) -> str:
    if isinstance(entry, data.Transaction):
        amount = entry.postings[0].units
        return f"{entry.payee or ''} {entry.narration} {amount}".strip()
    if isinstance(entry, data.Balance):
        kept = ("银行余额记录 / bank-balance record" if record_account(booked) is not None
                else "余额断言 / balance assertion")
        return f"期末余额 / closing balance {entry.account} {entry.amount}，已有{kept}"
    return type(entry).__name__


def _load(books: Path) -> tuple[data.Entries, set[Path], ImportConfig]:
    """The books' entries, the files they include, and their import configuration; exit 2 if
    either cannot be read."""
    checked = load_or_exit(books)
    warn_unincluded(books, checked.options_map)
    included = {Path(name).resolve() for name in checked.options_map.get("include", [])}
    try:
        return checked.entries, included, read_import_config(
            checked.entries, checked.options_map["name_equity"])
    except InputError as problem:
        click.echo(f"导入配置有误 / the import configuration is wrong: {problem}", err=True)
        sys.exit(EXIT_LOAD_ERROR)


def _payroll_first(files: tuple[Path, ...],
                   importers: list[beangulp.Importer]) -> list[Identified]:
    """Each file identified once, the payroll sheets first, then the other files, each in the
    order given: a statement's pay line then meets the month's payroll, in this import as in an
    earlier one, instead of waiting in suspense for it."""
    identified = [_identify(path, importers) for path in files]
    return sorted(identified, key=lambda file: not file.is_payroll)


def _import_all(files: list[Identified], existing: data.Entries,
                suspense: str) -> list[Imported]:
    """Every file's entries; exit 1 naming each file that cannot be read, with none written."""
    results: list[Imported] = []
    problems: list[InputError] = []
    for identified in files:
        try:
            results.append(_import_file(identified, existing, suspense))
        except InputError as problem:
            problems.append(problem)
    for unreadable in problems:
        click.echo(f"无法导入 / cannot import: {unreadable}", err=True)
    if problems:
        click.echo("未写入任何文件 / nothing was written", err=True)
        sys.exit(EXIT_INPUT_ERROR)
    return results


def _write(target: Path, text: str) -> None:
    try:
        write_new_file(target, text)
    except FileExistsError:
        click.echo(f"{target} 已存在，不会覆盖；未写入 / {target} exists: nothing written",
                   err=True)
        sys.exit(EXIT_INPUT_ERROR)
    click.echo(f"已写入 / written: {target}")


@click.command("import")
@click.argument("files", nargs=-1, required=True, type=ExistingFile())
@ledger_option(writes=True)
@click.option("--account", metavar="ACCOUNT",
              help="文件未注明账号时所属的银行科目 / the bank account of files that name none.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="新条目写入的新文件（默认：账簿旁 inbox/日期-import.beancount） / the new "
                   "file for the entries (default: inbox/DATE-import.beancount by the books).")
def import_files(files: tuple[Path, ...], books: Path | None, account: str | None,
                 output: Path | None) -> None:
    """导入银行流水与工资表 FILES（可多个，工资表先导入） / import bank statements and payroll
    sheets (several at once; payroll sheets first)."""
    use_utf8_stdout()
    books = books_for(books, writes=True, how="--ledger 账簿.beancount")
    inbox = books.parent / "inbox"
    target = output or unused_path(inbox, f"{datetime.date.today():%Y-%m-%d}-import",
                                   ".beancount")
    if target.exists():
        raise click.BadParameter(f"{target} 已存在，不会覆盖 / {target} exists and is never "
                                 "overwritten", param_hint="-o")
    entries, included, config = _load(books)
    if account is not None and account not in config.open_accounts:
        raise click.BadParameter(f"账簿中没有科目 {account} / no account {account} in the books",
                                 param_hint="--account")
    waiting = _inbox_entries(inbox, included)
    existing = list(entries) + waiting
    importers = build_importers(config, account)
    results = _import_all(_payroll_first(files, importers), existing, config.suspense)
    this_run = {id(entry) for result in results for entry in result.new}
    for result in results:
        _report(result, this_run, config.suspense)
    problems = [result.problem for result in results if result.problem is not None]
    for problem in problems:
        click.echo(f"余额不符 / balance mismatch: {problem}", err=True)
    if problems:
        click.echo("未写入任何文件 / nothing was written", err=True)
        sys.exit(EXIT_INPUT_ERROR)
    vouchers = VoucherBook(existing)
    for result in results:
        number_vouchers(result.new, vouchers)
    if not any(result.new for result in results):
        click.echo("没有新条目，未写文件 / nothing new, no file written")
        return
    opened = config.open_accounts | {entry.account for entry in waiting
                                     if isinstance(entry, data.Open)}
    _write(target, _output_text(results, books, opened, config.suspense))
