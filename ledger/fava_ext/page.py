"""What the 专项资金 page shows, computed without Fava: per-fund figures and findings.

The figures are :func:`ledger.model.summary.fund_figures` and the findings
:func:`ledger.model.findings.select_findings`, the very functions ``check-funds`` uses; the page
for the dates ``since``..``until`` and the funds ``funds`` shows what
``check-funds --since SINCE --until UNTIL --fund F...`` reports. Each fund's chart is drawn
here as geometry for an SVG the template writes out (no JavaScript): by month, the year's
cumulative spending, spending plus what open contracts commit, and the budget, the points being
the fund's ``months`` of ``check-funds --format json``.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from ledger.model.books import Books
from ledger.model.findings import Finding, Severity, count_by_fund, select_findings
from ledger.model.formats import percent
from ledger.model.summary import (
    FundSummary,
    LineSummary,
    MonthFigures,
    figures_date,
    fund_figures,
)
from reports.contracts import RegisterRow, contract_register

OVER_BUDGET = "over-budget"  # the rule whose line is marked 超预算 (not a commitment's or alert's)
CHART_WIDTH, CHART_HEIGHT = 640, 240
CHART_LEFT, CHART_RIGHT, CHART_TOP, CHART_BOTTOM = 96, 16, 16, 40  # margins for the labels
SERIES = (  # key, label, the MonthFigures attribute
    ("spent", "累计支出", "spent"),
    ("spent-and-committed", "累计支出＋已承诺", "spent_and_committed"),
    ("budget", "预算", "budget"),
)


@dataclass(frozen=True)
class ChartPoint:
    """One point of a series: its month, value and place in the SVG."""

    month: str
    value: Decimal
    x: float
    y: float


@dataclass(frozen=True)
class ChartSeries:
    key: str
    label: str
    points: list[ChartPoint]

    @property
    def polyline(self) -> str:
        return " ".join(f"{point.x:.1f},{point.y:.1f}" for point in self.points)


@dataclass(frozen=True)
class FundChart:
    """A fund's year by month, as SVG geometry: twelve month slots across, zero to the
    largest value up."""

    fund: str
    currency: str
    top: Decimal  # the value at the top of the plot
    series: list[ChartSeries]
    months: list[tuple[str, float]]  # the x-axis labels (1月..12月) and their places
    width: int = CHART_WIDTH
    height: int = CHART_HEIGHT
    left: int = CHART_LEFT
    plot_top: int = CHART_TOP
    plot_bottom: int = CHART_HEIGHT - CHART_BOTTOM
    plot_right: int = CHART_WIDTH - CHART_RIGHT


@dataclass(frozen=True)
class FundRow:
    """One fund's figures in one currency. Its findings are counted on its first row only
    (they belong to the fund, not to a currency); ``broken`` are the budget lines of the
    fund's over-budget findings, which may be over in a month or quarter within the year."""

    summary: FundSummary
    errors: int | None
    infos: int | None
    broken: frozenset[str] = frozenset()
    warnings: int | None = None
    chart: FundChart | None = None

    @property
    def lines(self) -> list[LineSummary]:
        return self.summary.lines

    def is_over(self, line: LineSummary) -> bool:
        """Over its budget for the year so far, or over a period's cap within it."""
        return line.over or line.account in self.broken


@dataclass(frozen=True)
class FindingRow:
    """A finding, with the name of its fund and where its entry is."""

    finding: Finding
    fund_name: str
    source: str  # file:line, the file relative to the books' main file

    @property
    def is_error(self) -> bool:
        return self.finding.severity is Severity.ERROR

    @property
    def is_warning(self) -> bool:
        return self.finding.severity is Severity.WARNING


@dataclass(frozen=True)
class FundsPage:
    """Everything the page shows; ``notice`` says why it shows less than expected."""

    as_of: datetime.date | None = None
    since: datetime.date | None = None
    funds: list[FundRow] = field(default_factory=list)
    totals: list[FundSummary] = field(default_factory=list)  # 合计, one per currency
    findings: list[FindingRow] = field(default_factory=list)
    notice: str | None = None
    unincluded: list[str] = field(default_factory=list)  # .beancount files not included
    contracts: list[RegisterRow] = field(default_factory=list)  # 合同台账

    @staticmethod
    def share(value: Decimal) -> str:
        """A 质保金 share as a percentage (0.05 -> 5%), as the register writes it."""
        return percent(value)

    @property
    def error_count(self) -> int:
        return sum(row.is_error for row in self.findings)

    @property
    def warning_count(self) -> int:
        return sum(row.is_warning for row in self.findings)

    @property
    def info_count(self) -> int:
        return len(self.findings) - self.error_count - self.warning_count


def build_page(books: Books, findings: list[Finding], *, since: datetime.date | None,
               until: datetime.date | None, funds: tuple[str, ...] = (),
               books_dir: Path | None = None, unincluded: list[str] | None = None,
               ) -> FundsPage:
    """The page for the findings dated ``since``..``until`` and the figures as of ``until``,
    of the funds ``funds`` (all if empty)."""
    shown = select_findings(findings, funds=funds, since=since, until=until)
    figures = fund_figures(books, until, funds)
    rows = _fund_rows(figures, shown)
    names = {code: fund.name for code, fund in books.model.funds.items()}
    finding_rows = [FindingRow(finding, names.get(finding.fund or "", finding.fund or ""),
                               _source(finding, books_dir)) for finding in shown]
    as_of = figures_date(books, until)
    register = contract_register(figures, select_findings(findings, funds=funds, until=until))
    return FundsPage(as_of, since, rows, _totals(rows), finding_rows,
                     _why_no_fund(books, as_of) if not rows and not funds else None,
                     list(unincluded or []), register)


NO_FUNDS = ("账簿中没有声明专项资金。用 custom \"fund\" 声明专项、在科目的 open 上写 fund:，"
            "此页即显示各专项的预算、支出与问题（写法见 README 的“Ledger syntax”）。")


def _why_no_fund(books: Books, as_of: datetime.date) -> str:
    declared = [fund.declared for fund in books.model.funds.values()]
    if not declared:
        return NO_FUNDS
    return f"截至 {as_of} 尚无已声明的专项（最早的专项声明于 {min(declared)}）。"


def _fund_rows(summaries: list[FundSummary], shown: list[Finding]) -> list[FundRow]:
    counts = count_by_fund(shown)
    broken: dict[str | None, set[str]] = {}
    for finding in shown:
        if finding.budget_line is not None and finding.rule == OVER_BUDGET:
            broken.setdefault(finding.fund, set()).add(finding.budget_line)
    rows, counted = [], set()
    for summary in summaries:
        first = summary.fund not in counted
        counted.add(summary.fund)
        count = counts[summary.fund]
        rows.append(FundRow(summary, count[Severity.ERROR] if first else None,
                            count[Severity.INFO] if first else None,
                            frozenset(broken.get(summary.fund, ())),
                            count[Severity.WARNING] if first else None,
                            fund_chart(summary) if summary.months else None))
    return rows


def fund_chart(summary: FundSummary) -> FundChart:
    """The chart of a fund's months: a point per month and series, scaled from zero (at the
    bottom) to the largest value of any series (at the top)."""
    months = summary.months
    top = max((getattr(month, attribute) for month in months for _, _, attribute in SERIES),
              default=Decimal(0))
    top = max(top, Decimal(1))
    plot_width = CHART_WIDTH - CHART_LEFT - CHART_RIGHT
    plot_height = CHART_HEIGHT - CHART_TOP - CHART_BOTTOM

    def x(index: int) -> float:
        return CHART_LEFT + plot_width * (index + 0.5) / 12

    def y(value: Decimal) -> float:
        return CHART_TOP + plot_height * float(1 - max(value, Decimal(0)) / top)

    def point(month: MonthFigures, attribute: str) -> ChartPoint:
        value: Decimal = getattr(month, attribute)
        return ChartPoint(month.month, value, x(int(month.month[5:]) - 1), y(value))

    series = [ChartSeries(key, label, [point(month, attribute) for month in months])
              for key, label, attribute in SERIES]
    return FundChart(summary.fund, summary.currency, top, series,
                     [(f"{number}月", x(number - 1)) for number in range(1, 13)])


def _totals(rows: list[FundRow]) -> list[FundSummary]:
    """The funds' figures added up per currency, as one summary named 合计."""
    totals: dict[str, FundSummary] = {}
    for row in rows:
        summary = row.summary
        total = totals.setdefault(summary.currency, FundSummary("", "合计", summary.currency))
        total.budget += summary.budget
        total.spent += summary.spent
        total.committed += summary.committed
        total.balance += summary.balance
    return [totals[currency] for currency in sorted(totals)]


def _source(finding: Finding, books_dir: Path | None) -> str:
    """Where the finding is, its file relative to the books' folder when it is inside it."""
    path = Path(finding.filename)
    if books_dir is not None and path.is_relative_to(books_dir):
        path = path.relative_to(books_dir)
    return f"{path}:{finding.lineno}"
