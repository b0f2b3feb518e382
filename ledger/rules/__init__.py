"""The money rules of the plan, each a pure, linear pass from the books to findings.

Every rule module exposes ``check(books) -> list[Finding]``; :func:`run_rules` reads the books
once and runs them all.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from beancount.core import data

from ledger.model.books import Books, read_books
from ledger.model.findings import Finding
from ledger.rules import budget, movement, withheld

RuleCheck = Callable[[Books], list[Finding]]

CHECKS: tuple[RuleCheck, ...] = (movement.check, withheld.check, budget.check)


def run_rules(entries: data.Directives, options_map: dict[str, Any]) -> list[Finding]:
    """All findings on the books, in date and source order."""
    books = read_books(entries, options_map)
    findings = list(books.model.findings)
    for check in CHECKS:
        findings.extend(check(books))
    findings.sort(key=lambda finding: (finding.date, finding.filename, finding.lineno,
                                       finding.rule))
    return findings
