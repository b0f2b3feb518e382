"""The Beancount plugin: every error-severity finding of the fund rules becomes an error.

Declare it in the books' main file::

    plugin "ledger.plugin"

so that ``bean-check`` and Fava show each finding, its message starting with ``[code]``.
The entries pass through unchanged. Info findings (approved transfers) are not errors;
``check-funds`` reports them.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from beancount.core import data

from ledger.model.books import Books, read_books
from ledger.model.findings import EarmarkError, Finding, Severity, finding_to_error
from ledger.rules import run_checks

__plugins__ = ("check_earmarks",)

PLUGIN_NAME = __name__


@dataclass
class Collected:
    """What the plugin found during a load, if it ran (a cached load does not run it)."""

    books: Books | None = None
    findings: list[Finding] = field(default_factory=list)


_collectors: list[Collected] = []


@contextlib.contextmanager
def collecting_findings() -> Iterator[Collected]:
    """Within this block, a run of the plugin also hands its findings (all severities) to the
    yielded object, so a caller that loads the books gets them without running the rules twice."""
    collected = Collected()
    _collectors.append(collected)
    try:
        yield collected
    finally:
        _collectors.remove(collected)


def check_earmarks(entries: data.Directives,
                   options_map: dict[str, Any]) -> tuple[data.Directives, list[EarmarkError]]:
    """Run every fund rule over the entries; return them unchanged, with the errors found."""
    books = read_books(entries, options_map)
    findings = run_checks(books)
    if _collectors:
        _collectors[-1].books = books
        _collectors[-1].findings = findings
    errors = [finding_to_error(finding) for finding in findings
              if finding.severity is Severity.ERROR]
    return entries, errors
