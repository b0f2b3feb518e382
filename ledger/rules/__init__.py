"""The money rules of the plan, each a pure, linear pass from the books to findings.

Every rule module exposes ``check(books) -> list[Finding]``; :func:`run_checks` runs them all
on books read once by :func:`ledger.model.books.read_books`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from beancount.core import data

from ledger.model.books import Books, read_books
from ledger.model.findings import Finding
from ledger.rules import budget, cash, evidence, invoice, movement, period, split, withheld

RuleCheck = Callable[[Books], list[Finding]]

CHECKS: tuple[RuleCheck, ...] = (
    movement.check, withheld.check, budget.check, period.check, cash.check, split.check,
    invoice.check, evidence.check,
)


def run_rules(entries: data.Directives, options_map: dict[str, Any]) -> list[Finding]:
    """All findings on the entries, in date and source order."""
    return run_checks(read_books(entries, options_map))


def run_checks(books: Books) -> list[Finding]:
    """All findings on books already read, in date and source order."""
    findings = list(books.model.findings)
    for check in CHECKS:
        findings.extend(check(books))
    findings.sort(key=lambda finding: (finding.date, finding.filename, finding.lineno,
                                       finding.rule))
    return findings
