"""Load the books once and check them: the one entry point for every command and report."""

from __future__ import annotations

import gc
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from beancount import loader
from beancount.core import data

from ledger.model.books import Books, read_books
from ledger.model.findings import EarmarkError, Finding
from ledger.plugin import PLUGIN_NAME, PluginRun, take_plugin_run
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
    judged: data.Directives  # the entries the rules judged: the plugin's, else ``entries``


def declares_plugin(options_map: dict[str, Any]) -> bool:
    return any(name == PLUGIN_NAME for name, _ in options_map.get("plugin", []))


@dataclass(frozen=True)
class Checked:
    """The books as the rules read them, and every finding (all severities)."""

    books: Books
    findings: list[Finding]


def check_books(path: Path) -> CheckedBooks:
    """Load ``path`` and apply the fund rules once, whether or not the books declare the plugin."""
    entries, errors, options_map = load_books(path)
    load_errors = [error for error in errors if not isinstance(error, EarmarkError)]
    run = plugin_run(options_map)
    checked = check_loaded(entries, options_map, None if run is None else run.findings)
    return CheckedBooks(path, entries, options_map, load_errors, checked.books, checked.findings,
                        entries if run is None else run.entries)


def load_books(path: Path) -> tuple[data.Directives, list[data.BeancountError], dict[str, Any]]:
    """Beancount's load of ``path``, always afresh (Beancount's own pickle cache would skip the
    plugin; ``check-funds`` keeps its own cache, see :mod:`ledger.cache`), with the cyclic
    garbage collector paused: the loader makes no cycles worth collecting, and collecting
    while millions of objects are made rescans them again and again. The loaded books are
    then frozen out of the collector's sight (``gc.freeze``): they live until the command
    ends, and rescanning them after the load would cost half a second per 100,000
    transactions."""
    enabled = gc.isenabled()
    gc.collect()  # what is garbage now is freed, not frozen with the books
    gc.disable()
    try:
        return loader._load([(str(path.absolute()), True)], None, None, None)
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


def plugin_run(options_map: dict[str, Any]) -> PluginRun | None:
    """The plugin's run during the load that gave ``options_map``, if any."""
    return take_plugin_run(options_map) if declares_plugin(options_map) else None


def plugin_findings(options_map: dict[str, Any]) -> list[Finding] | None:
    """The findings of the plugin's run during the load that gave ``options_map``, if any."""
    run = plugin_run(options_map)
    return None if run is None else run.findings


def check_loaded(entries: data.Directives, options_map: dict[str, Any],
                 findings: list[Finding] | None) -> Checked:
    """Books already loaded, read for the figures from the final entries (with what Beancount
    adds after the plugins, such as ``pad``'s transactions), and their findings: ``findings``
    (the plugin's, which ``bean-check`` shows) if given, else the rules run now."""
    books = read_books(entries, options_map)
    return Checked(books, run_checks(books) if findings is None else findings)
