"""The Beancount plugin: every error-severity finding of the fund rules becomes an error.

Declare it in the books' main file::

    plugin "ledger.plugin"

so that ``bean-check`` and Fava show each finding, its message starting with ``[code]``.
The entries pass through unchanged. Info findings (approved transfers) are not errors;
``check-funds`` and the Fava page report them.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

from beancount.core import data

from ledger.model.books import Books, read_books
from ledger.model.findings import EarmarkError, Finding, Severity, finding_to_error
from ledger.rules import run_checks

__plugins__ = ("check_earmarks",)

PLUGIN_NAME = __name__


@dataclass(frozen=True)
class Checked:
    """The books as the rules read them, and every finding (all severities)."""

    books: Books
    findings: list[Finding]


@dataclass(frozen=True)
class _Run:
    options_map: dict[str, Any]
    checked: Checked


_last_runs = threading.local()


def check_earmarks(entries: data.Directives,
                   options_map: dict[str, Any]) -> tuple[data.Directives, list[EarmarkError]]:
    """Run every fund rule over the entries; return them unchanged, with the errors found."""
    books = read_books(entries, options_map)
    findings = run_checks(books)
    _last_runs.run = _Run(options_map, Checked(books, findings))
    errors = [finding_to_error(finding) for finding in findings
              if finding.severity is Severity.ERROR]
    return entries, errors


def checked_by_plugin(options_map: dict[str, Any]) -> Checked | None:
    """What the plugin found while this thread loaded the books whose options are
    ``options_map``, so a caller gets all findings without running the rules twice; None if
    the plugin did not run for that load (not declared, or a cached load)."""
    run: _Run | None = getattr(_last_runs, "run", None)
    if run is None or run.options_map is not options_map:
        return None
    return run.checked
