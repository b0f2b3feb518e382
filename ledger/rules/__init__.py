"""The money rules of the plan, each a rule in its own module, all run in one linear pass.

A rule's check (:class:`ledger.rules.rule.RuleCheck`) sees every transaction once, in date
order, read into a voucher (its postings decoded, its flows between owners), and then gives its
findings. :func:`run_checks` reads each transaction once for all of them, with the cyclic garbage
collector paused (the rules make no reference cycles; collecting would only rescan the loaded
books again and again).
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Callable, Iterator
from typing import Any

from beancount.core import data

from ledger.model.books import Books, read_books
from ledger.model.findings import Finding
from ledger.model.voucher import read_voucher
from ledger.rules.bad_evidence import BadEvidence
from ledger.rules.budget import Budget
from ledger.rules.cash import CashWithdrawals
from ledger.rules.contracts import ContractPayments
from ledger.rules.dates import FutureDates
from ledger.rules.evidence import MissingEvidence
from ledger.rules.invoice import DuplicateInvoices
from ledger.rules.movement import Movements
from ledger.rules.period import OutOfPeriod
from ledger.rules.rule import RuleCheck
from ledger.rules.sealed import SealedMonths
from ledger.rules.split import SplitPayments
from ledger.rules.unclassified import Unclassified
from ledger.rules.voucher_sequence import VoucherSequence
from ledger.rules.withheld import Withholdings

CHECKS: tuple[Callable[[Books], RuleCheck], ...] = (
    Movements, Withholdings, Budget, OutOfPeriod, CashWithdrawals, SplitPayments,
    DuplicateInvoices, MissingEvidence, BadEvidence, Unclassified, FutureDates, SealedMonths,
    ContractPayments, VoucherSequence,
)


def run_rules(entries: data.Directives, options_map: dict[str, Any]) -> list[Finding]:
    """All findings on the entries, in date and source order."""
    return run_checks(read_books(entries, options_map))


def run_checks(books: Books) -> list[Finding]:
    """All findings on books already read, in date and source order: the fund model's own,
    then every rule's, from one pass over the transactions."""
    rules = [make(books) for make in CHECKS]
    visits = [rule.visit for rule in rules if rule.visits_transactions]
    kinds, account_types = books.kinds, books.account_types
    with _collector_paused():
        for transaction in books.transactions:
            voucher = read_voucher(transaction, kinds, account_types)
            for visit in visits:
                visit(voucher)
        findings = list(books.model.findings)
        for rule in rules:
            findings.extend(rule.findings())
    findings.sort(key=lambda finding: (finding.date, finding.filename, finding.lineno,
                                       finding.rule))
    return findings


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
