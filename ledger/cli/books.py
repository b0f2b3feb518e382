"""Which books a command reads: one rule for every command, and the line that names them.

The books are, in this order: the path given on the command line; else the file named by
``$BEANCOUNT_FILE`` (the variable Fava and the bean-* tools read); else ``main.beancount`` in
the current folder; else, for a command that only reads, the demo books, said to be so on the
first line. A command that writes into the books (``funds seal``, ``funds import``) never
falls back to the demo books: it stops with exit 2 and says how to name the books.
"""

from __future__ import annotations

import enum
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn, TypeVar

import click

from ledger.cache import included_files
from ledger.check import DEMO_BOOKS
from ledger.files import INBOX, unincluded_files, waiting_imports

ENVIRONMENT = "BEANCOUNT_FILE"
FOLDER_BOOKS = "main.beancount"
EXIT_REFUSED = 1  # the input is refused (a bad row, a file that exists): nothing written
EXIT_USAGE = 2  # bad usage, or books that cannot be used: nothing written
NOTHING_WRITTEN = "未写入任何文件 / nothing was written"
LISTED_UNINCLUDED = 10  # the forgotten files named one by one; the rest are counted


class ExistingFile(click.Path):
    """A file that must exist, refused in Chinese and English (click's own words are English
    only); exit 2, a usage error. For the books (``books=True``: ``--ledger`` and
    ``check-funds LEDGER``) a folder holding ``main.beancount`` is taken as that file, as
    running in that folder would be; a folder without one is refused naming it. Any other
    file (a plan, a statement, a pack) must not be a folder."""

    def __init__(self, *, books: bool = False) -> None:
        super().__init__(dir_okay=False, path_type=Path)
        self.books = books

    def convert(self, value: str | os.PathLike[str], param: click.Parameter | None,
                ctx: click.Context | None) -> str | bytes | os.PathLike[str]:
        path = Path(value)
        if not path.exists():
            self.fail(f"文件不存在：{path} / no such file: {path}", param, ctx)
        if path.is_dir() and self.books:
            if not (path / FOLDER_BOOKS).is_file():
                self.fail(f"文件夹 {path} 中没有 {FOLDER_BOOKS}，请给出账簿主文件 / the folder "
                          f"{path} holds no {FOLDER_BOOKS}: name the books' main file",
                          param, ctx)
            return super().convert(path / FOLDER_BOOKS, param, ctx)
        if path.is_dir():
            self.fail(f"{path} 是文件夹，不是文件 / {path} is a folder, not a file", param, ctx)
        return super().convert(value, param, ctx)


_Command = TypeVar("_Command", bound=Callable[..., Any])


def ledger_option(*, writes: bool) -> Callable[[_Command], _Command]:
    """The ``--ledger BOOKS`` option every command takes: the books' main file or their
    folder; a command that writes never falls back to the demo books, and says so."""
    fallback = ("当前文件夹的 main.beancount；从不写入示范账簿） / the books' main file or its "
                "folder (default: $BEANCOUNT_FILE, or main.beancount here; never the demo books)."
                if writes else
                "当前文件夹的 main.beancount、示范账簿） / the books' main file or its folder "
                "(default: $BEANCOUNT_FILE, ./main.beancount, the demo books).")
    return click.option("--ledger", "books", type=ExistingFile(books=True),
                        help=f"账簿主文件或其文件夹（默认：$BEANCOUNT_FILE、{fallback}")


class Source(enum.Enum):
    """Where the books' path came from."""

    GIVEN = "given"
    ENVIRONMENT = "environment"
    FOLDER = "folder"
    DEMO = "demo"


@dataclass(frozen=True)
class ChosenBooks:
    """The books' main file, and why it is the one read."""

    path: Path
    source: Source

    @property
    def is_demo(self) -> bool:
        return self.source is Source.DEMO

    def lines(self, how: str) -> list[str]:
        """The first line(s) a command shows: the books it read; for the demo books, that
        they are not the user's, and how to name theirs (``how``: this command's way)."""
        if self.source is Source.DEMO:
            return [f"账簿 / books: 示范账簿，不是您的账簿 / the demo books, not yours: "
                    f"{self.path}",
                    f"  指定您的账簿 / name yours: {how}；或设置环境变量 {ENVIRONMENT}；"
                    f"或在账簿文件夹中（有 {FOLDER_BOOKS}）运行 / or set ${ENVIRONMENT}, or run "
                    f"in the books' folder (holding {FOLDER_BOOKS})"]
        why = {Source.GIVEN: "",
               Source.ENVIRONMENT: f"（来自环境变量 {ENVIRONMENT} / from ${ENVIRONMENT}）",
               Source.FOLDER: f"（当前文件夹的 {FOLDER_BOOKS} / {FOLDER_BOOKS} of the current "
                              "folder）"}[self.source]
        return [f"账簿 / books: {self.path}{why}"]


def choose_books(given: Path | None, *, writes: bool, how: str) -> ChosenBooks:
    """The books a command reads (see the module's docstring). Exit 2 with a message when
    ``$BEANCOUNT_FILE`` names no file, or when a command that ``writes`` finds no books."""
    if given is not None:
        return ChosenBooks(given, Source.GIVEN)
    named = os.environ.get(ENVIRONMENT, "").strip()
    if named:
        return ChosenBooks(_environment_books(named), Source.ENVIRONMENT)
    here = Path.cwd() / FOLDER_BOOKS
    if here.is_file():
        return ChosenBooks(here, Source.FOLDER)
    if writes:
        _stop(["未指定账簿：此命令会写入账簿，不会写入示范账簿 / no books named: this command "
               "writes into the books, and never into the demo books",
               f"  请用 {how}，或设置环境变量 {ENVIRONMENT}，或在账簿文件夹中（有 "
               f"{FOLDER_BOOKS}）运行 / name them with {how}, set ${ENVIRONMENT}, or run in the "
               f"books' folder (holding {FOLDER_BOOKS})",
               "未写入任何文件 / nothing was written"])
    return ChosenBooks(DEMO_BOOKS, Source.DEMO)


def _environment_books(named: str) -> Path:
    """The file ``$BEANCOUNT_FILE`` names; Fava lets it list several, a command reads one."""
    path = Path(named).expanduser()
    if path.is_file():
        return path
    parts = [part for part in named.split(os.pathsep) if part.strip()]
    if len(parts) > 1:
        _stop([f"环境变量 {ENVIRONMENT} 列出了多个文件，无法确定读哪一个：{named} / "
               f"${ENVIRONMENT} lists several files; name the books on the command line"])
    return _stop([f"环境变量 {ENVIRONMENT} 指向的账簿文件不存在：{named} / ${ENVIRONMENT} names no "
           f"file: {named}"])


def _stop(lines: list[str]) -> NoReturn:
    for line in lines:
        click.echo(line, err=True)
    sys.exit(EXIT_USAGE)


def refuse(lines: list[str], code: int = EXIT_REFUSED) -> NoReturn:
    """Stop a command that writes: ``lines`` on stderr, then that nothing was written; exit
    ``code`` (:data:`EXIT_REFUSED` or :data:`EXIT_USAGE`)."""
    for line in lines:
        click.echo(line, err=True)
    click.echo(NOTHING_WRITTEN, err=True)
    sys.exit(code)


def books_for(given: Path | None, *, writes: bool, how: str, err: bool = False) -> Path:
    """Choose the books, show the line(s) naming them (on stderr with ``err``, for output
    that must stay machine-readable) and return their main file's path."""
    chosen = choose_books(given, writes=writes, how=how)
    for line in chosen.lines(how):
        click.echo(line, err=err)
    return chosen.path


def unincluded_lines(main: Path, included: list[str]) -> list[str]:
    """A warning naming the ``.beancount`` files of the books' folder tree that the books do
    not include (a forgotten ``include``), and a note counting the imports waiting in
    ``inbox/``; no line when there is neither."""
    found = unincluded_files(main, included)
    lines = []
    if found.paths:
        lines.append(f"警告：账簿文件夹中有 {len(found.paths)} 个 .beancount 文件未被账簿 include，"
                     "其中的分录未经检查 / warning: .beancount files in the books' folder that "
                     "the books do not include; their entries were not checked:")
        lines += [f"  {path}" for path in found.paths[:LISTED_UNINCLUDED]]
        more = len(found.paths) - LISTED_UNINCLUDED
        if more > 0:
            lines.append(f"  ……另有 {more} 个 / and {more} more")
    if not found.complete:
        lines.append("注意：账簿文件夹过大或过深，只查看了其中一部分 / note: the books' folder is "
                     "too large or deep; only part of it was looked at for such files")
    waiting = waiting_imports(main, included)
    if waiting:
        lines.append(f"提示：{INBOX}/ 中有 {len(waiting)} 个导入文件尚未 include（待审核），"
                     f"其中的收付尚未计入账簿：{'、'.join(waiting[:LISTED_UNINCLUDED])} / "
                     f"note: imports waiting for review in {INBOX}/, not yet in the books")
    return lines


def warn_unincluded(main: Path, options_map: dict[str, Any], *, err: bool = False) -> None:
    """Show the warning of :func:`unincluded_lines` for books just loaded."""
    for line in unincluded_lines(main, included_files(options_map)):
        click.echo(line, err=err)
