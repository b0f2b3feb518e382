"""What a rule is: it sees every transaction once, in date order, then gives its findings.

All rules run together in one pass (:func:`ledger.rules.run_checks`), so each transaction is read
once for all of them, as a :class:`ledger.model.voucher.Voucher`: its postings decoded and its
flows between owners worked out once. A rule keeps what it must remember between transactions (open
payment groups, claimed invoices, spending per budget period) and never scans the books itself.
"""

from __future__ import annotations

from ledger.model.books import Books
from ledger.model.findings import Finding
from ledger.model.voucher import Voucher


class RuleCheck:
    """One rule's pass: ``visit`` each transaction in date order, then ``findings``."""

    visits_transactions = True  # False for a rule that reads only what the pass leaves

    def __init__(self, books: Books) -> None:
        self.books = books
        self.found: list[Finding] = []

    def visit(self, voucher: Voucher) -> None:
        """Judge one transaction, read into a voucher."""
        raise NotImplementedError

    def findings(self) -> list[Finding]:
        """What the rule found, once every transaction has been visited."""
        return self.found
