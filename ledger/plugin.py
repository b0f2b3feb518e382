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

from ledger.model.books import read_books
from ledger.model.findings import EarmarkError, Finding, Severity, finding_to_error
from ledger.rules import run_checks

__plugins__ = ("check_earmarks",)

PLUGIN_NAME = __name__


@dataclass(frozen=True)
class PluginRun:
    """What the plugin found, and the entries it judged (as they were at its turn among the
    books' plugins: what a seal must be computed from)."""

    findings: list[Finding]
    entries: data.Directives


@dataclass(frozen=True)
class _Run:
    options_map: dict[str, Any]
    run: PluginRun


_last_run = threading.local()


def check_earmarks(entries: data.Directives,
                   options_map: dict[str, Any]) -> tuple[data.Directives, list[EarmarkError]]:
    """Run every fund rule over the entries; return them unchanged, with the errors found."""
    findings = run_checks(read_books(entries, options_map))
    judged = list(entries)  # a copy: a later plugin may change the list in place
    _last_run.run = _Run(options_map, PluginRun(findings, judged))
    errors = [finding_to_error(finding) for finding in findings
              if finding.severity is Severity.ERROR]
    return entries, errors


def take_plugin_run(options_map: dict[str, Any]) -> PluginRun | None:
    """The plugin's run while this thread loaded the books whose options are ``options_map``:
    all its findings (every severity) and the entries it judged, handed over once, so that the
    caller need not run the rules again; None if the plugin did not run for that load (not
    declared, or a cached load)."""
    run: _Run | None = getattr(_last_run, "run", None)
    if run is None or run.options_map is not options_map:
        return None
    del _last_run.run
    return run.run
