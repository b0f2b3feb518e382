"""What the 专项资金 page shows, computed without Fava: per-fund figures and findings.

The figures are :func:`ledger.model.summary.fund_figures` and the findings
:func:`ledger.model.findings.select_findings`, the very functions ``check-funds`` uses; the page
for the dates ``since``..``until`` and the funds ``funds`` shows what
``check-funds --since SINCE --until UNTIL --fund F...`` reports.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from ledger.model.books import Books
from ledger.model.findings import Finding, Severity, select_findings
from ledger.model.summary import (
    ZERO,
    FundSummary,
    LineSummary,
    execution_rate,
    figures_date,
    fund_figures,
)


@dataclass(frozen=True)
class FundRow:
    """One fund's figures in one currency, with its findings counted by severity."""

    summary: FundSummary
    errors: int
    infos: int

    @property
    def lines(self) -> list[LineSummary]:
        return self.summary.lines


@dataclass(frozen=True)
class Total:
    """The funds' figures added up, in one currency."""

    currency: str
    budget: Decimal = ZERO
    spent: Decimal = ZERO
    balance: Decimal = ZERO

    @property
    def remaining(self) -> Decimal:
        return self.budget - self.spent

    @property
    def rate(self) -> Decimal | None:
        return execution_rate(self.spent, self.budget)


@dataclass(frozen=True)
class FindingRow:
    """A finding, with the name of its fund and where its entry is."""

    finding: Finding
    fund_name: str
    source: str  # file:line, the file relative to the books' main file

    @property
    def is_error(self) -> bool:
        return self.finding.severity is Severity.ERROR


@dataclass(frozen=True)
class FundsPage:
    """Everything the page shows; ``notice`` says why it shows less than expected."""

    as_of: datetime.date | None = None
    since: datetime.date | None = None
    funds: list[FundRow] = field(default_factory=list)
    totals: list[Total] = field(default_factory=list)
    findings: list[FindingRow] = field(default_factory=list)
    notice: str | None = None

    @property
    def error_count(self) -> int:
        return sum(row.is_error for row in self.findings)


def build_page(books: Books, findings: list[Finding], *, since: datetime.date | None,
               until: datetime.date | None, funds: tuple[str, ...] = (),
               books_dir: Path | None = None) -> FundsPage:
    """The page for the findings dated ``since``..``until`` and the figures as of ``until``,
    of the funds ``funds`` (all if empty)."""
    if not books.model.funds:
        return FundsPage(notice=NO_FUNDS)
    shown = select_findings(findings, funds=funds, since=since, until=until)
    counts = Counter((finding.fund, finding.severity) for finding in shown)
    rows = [FundRow(summary, counts[summary.fund, Severity.ERROR],
                    counts[summary.fund, Severity.INFO])
            for summary in fund_figures(books, until, funds)]
    names = {code: fund.name for code, fund in books.model.funds.items()}
    finding_rows = [FindingRow(finding, names.get(finding.fund or "", finding.fund or ""),
                               _source(finding, books_dir)) for finding in shown]
    return FundsPage(figures_date(books, until), since, rows, _totals(rows), finding_rows)


NO_FUNDS = ("账簿中没有声明专项资金。用 custom \"fund\" 声明专项、在科目的 open 上写 fund:，"
            "此页即显示各专项的预算、支出与问题（写法见 README 的“Ledger syntax”）。")


def _totals(rows: list[FundRow]) -> list[Total]:
    totals: dict[str, Total] = {}
    for row in rows:
        summary = row.summary
        total = totals.get(summary.currency, Total(summary.currency))
        totals[summary.currency] = Total(summary.currency, total.budget + summary.budget,
                                         total.spent + summary.spent,
                                         total.balance + summary.balance)
    return [totals[currency] for currency in sorted(totals)]


def _source(finding: Finding, books_dir: Path | None) -> str:
    path = Path(finding.filename)
    if books_dir is not None and path.is_relative_to(books_dir):
        path = path.relative_to(books_dir)
    return f"{path}:{finding.lineno}"
