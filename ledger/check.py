"""Load the books once and check them: the one entry point for every command and report."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from beancount import loader
from beancount.core import data

from ledger.model.books import Books, read_books
from ledger.model.findings import EarmarkError, Finding
from ledger.plugin import PLUGIN_NAME, Checked, checked_by_plugin
from ledger.rules import run_checks

DEMO_BOOKS = Path(__file__).parent / "books" / "main.beancount"


@dataclass(frozen=True)
class CheckedBooks:
    """The loaded books, the errors that stopped them loading cleanly, and the findings."""

    path: Path
    entries: data.Directives
    options_map: dict[str, Any]
    load_errors: list[data.BeancountError]
    books: Books
    findings: list[Finding]


def declares_plugin(options_map: dict[str, Any]) -> bool:
    return any(name == PLUGIN_NAME for name, _ in options_map.get("plugin", []))


def check_books(path: Path) -> CheckedBooks:
    """Load ``path`` and apply the fund rules once, whether or not the books declare the plugin."""
    entries, errors, options_map = loader.load_file(str(path))
    load_errors = [error for error in errors if not isinstance(error, EarmarkError)]
    checked = check_loaded(entries, options_map)
    return CheckedBooks(path, entries, options_map, load_errors, checked.books, checked.findings)


def check_loaded(entries: data.Directives, options_map: dict[str, Any]) -> Checked:
    """The fund rules' reading of books already loaded: the plugin's, if it ran during the
    load, else the rules run now."""
    checked = checked_by_plugin(options_map) if declares_plugin(options_map) else None
    if checked is None:
        books = read_books(entries, options_map)
        checked = Checked(books, run_checks(books))
    return checked
