"""The Beancount plugin: every error-severity finding of the fund rules becomes an error.

Declare it in the books' main file::

    plugin "ledger.plugin"

so that ``bean-check`` and Fava show each finding, its message starting with ``[code]``.
The entries pass through unchanged but for one thing: a ``custom`` directive written without
any argument, which the parser gives no values at all (``None``), gets an empty list of them,
so that Beancount's own ``pad`` plugin, which runs after ours, does not fail on it (our own
directives so written are findings: ``bad-directive``, ``bad-policy``). Info findings (approved
transfers) are not errors; ``check-funds`` and the Fava page report them.
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
    """Run every fund rule over the entries; return them (a ``custom`` of no argument given an
    empty list of values), with the errors found."""
    entries = with_custom_values(entries)
    findings = run_checks(read_books(entries, options_map))
    judged = list(entries)  # a copy: a later plugin may change the list in place
    _last_run.run = _Run(options_map, PluginRun(findings, judged))
    errors = [finding_to_error(finding) for finding in findings
              if finding.severity is Severity.ERROR]
    return entries, errors


def with_custom_values(entries: data.Directives) -> data.Directives:
    """The entries, with an empty list of values for each ``custom`` written without any
    argument (the parser gives it ``None``, on which Beancount's ``pad`` plugin and every
    reader of custom values fail); the same list when there is none."""
    if not any(isinstance(entry, data.Custom) and entry.values is None for entry in entries):
        return entries
    return [entry._replace(values=[])
            if isinstance(entry, data.Custom) and entry.values is None else entry
            for entry in entries]


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
