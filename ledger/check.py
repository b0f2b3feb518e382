"""Load the books once and check them: the one entry point for every command and report."""

from __future__ import annotations

import gc
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from beancount import loader
from beancount.core import data

from ledger.model.books import Books, read_books
from ledger.model.findings import EarmarkError, Finding
from ledger.plugin import PLUGIN_NAME, PluginRun, take_plugin_run, with_custom_values
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
    try:
        checked = check_loaded(entries, options_map, None if run is None else run.findings)
    except Exception as error:  # odd books must give a message, never a traceback
        if not any(_failed_plugin(each) == PLUGIN_NAME for each in load_errors):
            load_errors.append(_rules_failed(error))
        checked = Checked(read_books([], options_map), [])
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
        entries, errors, options_map = loader._load([(str(path.absolute()), True)], None, None,
                                                    None)
    finally:
        gc.freeze()
        if enabled:
            gc.enable()
    return with_custom_values(entries), _without_tracebacks(entries, errors), options_map


# Beancount's loader reports a plugin that raised with the whole Python traceback in the message.
_PLUGIN_FAILED = re.compile(r'Error (?:applying plugin|importing) "([^"]*)": Traceback')


def _failed_plugin(error: data.BeancountError) -> str | None:
    """The name of the plugin whose failure ``error`` reports with a traceback, if it does."""
    found = _PLUGIN_FAILED.match(str(error.message))
    return found.group(1) if found else None


def _without_tracebacks(entries: data.Directives,
                        errors: list[data.BeancountError]) -> list[data.BeancountError]:
    """The load errors, each Python traceback of a failed plugin replaced by a message a
    bookkeeper can act on: the ``custom`` directives written without any argument (on which
    Beancount's ``pad`` plugin fails when ``ledger.plugin`` did not run before it), named by
    file and line, else what the plugin raised."""
    bare = [entry for entry in _customs(entries) if entry.values is None]
    plain: list[data.BeancountError] = []
    for error in errors:
        plugin = _failed_plugin(error)
        if plugin is None:
            plain.append(error)
        elif bare:
            plain.extend(_bare_custom(entry, plugin) for entry in bare)
            bare = []  # named once, whichever plugins failed on them
        else:
            plain.append(loader.LoadError(
                error.source, f"Beancount 插件 {plugin} 运行出错：{_raised(error.message)}；"
                f"账本未能完整加载 / Beancount plugin {plugin} failed: "
                f"{_raised(error.message)}; the books did not load completely", None))
    return plain


def _customs(entries: data.Directives) -> list[data.Custom]:
    return [entry for entry in entries if isinstance(entry, data.Custom)]


class BooksError(NamedTuple):
    """A load error of ours that shows the entry it is about (Beancount's ``LoadError`` shows
    none)."""

    source: data.Meta
    message: str
    entry: data.Directive | None


def _bare_custom(entry: data.Custom, plugin: str) -> data.BeancountError:
    return BooksError(
        entry.meta, f'custom "{entry.type}" 指令没有任何参数，Beancount 插件 {plugin} 因此无法'
        f'运行，账本未能完整加载；请补全参数或删去该行 / custom "{entry.type}" has no '
        f"argument at all, so Beancount plugin {plugin} failed on it and the books did not "
        "load completely; complete the directive or remove it", entry._replace(values=[]))


def _raised(message: str) -> str:
    """The last line of a traceback: the exception raised, without the code it passed."""
    lines = [line.strip() for line in message.splitlines() if line.strip()]
    return lines[-1] if lines else "?"


def _rules_failed(error: Exception) -> data.BeancountError:
    return loader.LoadError(
        data.new_metadata("<check>", 0),
        f"专项资金规则无法检查这些账簿（{type(error).__name__}: {error}），请把账簿和此信息报告给"
        f"维护者 / the fund rules failed on these books ({type(error).__name__}: {error}); "
        "please report the books and this message", None)


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
