"""The city's month from the centres' ``export.json`` files: who reported, and five sheets.

A centre is named by its export's ``unit``. It counts (its figures summed, its findings listed)
only when its folder matches its manifest, its digest is the one registered for the month (when
one is), and its ``export.json`` reads whole; otherwise it is 校验失败, listed on 报送情况 and
never summed. A registered centre with no export of the month is 未报送. 全市合计 is the sum of
the centres' rows, per currency; a district's 小计 the sum of its centres' rows per fund.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from reports.city.collect import Received
from reports.city.registry import UNREGISTERED, Centre
from reports.sheets import CellValue, Share, Sheet

RECEIVED, MISSING, FAILED = "已报送", "未报送", "校验失败"
CITY_TOTAL, SUBTOTAL = "全市合计", "小计"
LATE_RULES = ("withheld", "allocation-late")
FUNDERS = ("市财政", "区财政")  # 市 first: an account naming both is the city's
SEVERITIES = {"error": "错误", "warning": "警告", "info": "提示"}
_FIGURES = ("opening", "income", "expense", "closing", "year_expense")

SUMMARY_COLUMNS = ["区", "单位", "专项代码", "专项名称", "币种", "期初余额", "本月收入", "本月支出",
                   "期末余额", "本年累计支出", "年度预算", "执行率", "银行对账", "错误", "警告",
                   "提示"]
BY_FUND_COLUMNS = ["专项代码", "专项名称", "币种", "单位数", "期初余额", "本月收入", "本月支出",
                   "期末余额", "本年累计支出", "年度预算", "执行率", "错误", "警告", "提示"]
FINDING_COLUMNS = ["区", "单位", "日期", "严重程度", "规则代码", "问题类型", "专项代码", "科目",
                   "金额", "币种", "凭证号", "说明"]
LATE_COLUMNS = ["出资方", *FINDING_COLUMNS]
REPORTING_COLUMNS = ["区", "单位", "状态", "清单摘要", "登记摘要", "来源", "说明"]


class BadExport(ValueError):
    """An ``export.json`` whose figures cannot be read."""


@dataclass
class Totals:
    """Summed figures of some rows: the five amounts, the budget and the budget's spending."""

    figures: list[Decimal] = field(default_factory=lambda: [Decimal(0)] * len(_FIGURES))
    budget: Decimal = Decimal(0)
    budget_spent: Decimal = Decimal(0)
    counts: list[int] = field(default_factory=lambda: [0, 0, 0])
    centres: set[str] = field(default_factory=set)

    def add(self, other: Totals) -> None:
        self.figures = [mine + theirs for mine, theirs in zip(self.figures, other.figures,
                                                                  strict=True)]
        self.budget += other.budget
        self.budget_spent += other.budget_spent
        self.counts = [mine + theirs for mine, theirs in zip(self.counts, other.counts,
                                                                 strict=True)]
        self.centres |= other.centres

    @property
    def rate(self) -> Share | None:
        """Budget spending over budget, as a share to the hundredth of a percent."""
        if not self.budget:
            return None
        return Share((self.budget_spent / self.budget).quantize(Decimal("0.0001")))

    def cells(self) -> list[CellValue]:
        return [*self.figures, self.budget if self.budget else None, self.rate]


@dataclass
class FundRow:
    code: str
    name: str
    currency: str
    totals: Totals


@dataclass
class CentreMonth:
    """One verified centre's month, read from its ``export.json``."""

    name: str
    district: str
    funds: list[FundRow]
    reconciliation: str
    findings: list[dict[str, Any]]


@dataclass
class Status:
    """One centre's reporting: received, 未报送 or 校验失败, and why."""

    name: str
    district: str
    state: str
    digest: str | None = None
    registered: str | None = None
    source: str = ""
    note: str = ""
    month: CentreMonth | None = None


def _amount(value: object, where: str) -> Decimal:
    if value is None:
        return Decimal(0)
    try:
        if not isinstance(value, str):
            raise InvalidOperation
        amount = Decimal(value)
    except InvalidOperation:
        raise BadExport(f"{where} 的金额无效 / not an amount: {value!r}") from None
    if not amount.is_finite():
        raise BadExport(f"{where} 的金额无效 / not an amount: {value!r}")
    return amount


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def _items(export: dict[str, Any], key: str) -> list[dict[str, Any]]:
    items = export.get(key, [])
    if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
        raise BadExport(f"export.json 的 {key} 不是对象列表 / {key} is not a list of objects")
    return items


def _reconciliation(items: list[dict[str, Any]]) -> str:
    states = {_text(item.get("status")) for item in items}
    if "不符" in states or any(item.get("reconciled") is False and item.get("status") != "无对账单"
                               for item in items):
        return "不符"
    return "相符" if "相符" in states else "无对账单"


def read_centre(name: str, district: str, export: dict[str, Any]) -> CentreMonth:
    """The centre's figures, budget and findings; ``BadExport`` for a figure that is none."""
    findings = _items(export, "findings")
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for index, finding in enumerate(findings):
        finding["amount"] = (_amount(finding["amount"], f"findings[{index}]")
                             if finding.get("amount") is not None else None)
        severity = _text(finding.get("severity"))
        if severity in SEVERITIES:
            counts[_text(finding.get("fund"))][list(SEVERITIES).index(severity)] += 1
    budgets: dict[str, Totals] = defaultdict(Totals)
    for index, line in enumerate(_items(export, "budget")):
        where = f"budget[{index}]"
        budgets[_text(line.get("fund"))].budget += _amount(line.get("budget"), where)
        budgets[_text(line.get("fund"))].budget_spent += _amount(line.get("year_spent"), where)
    funds: list[FundRow] = []
    seen: set[str] = set()
    for index, item in enumerate(_items(export, "funds")):
        code = _text(item.get("code"))
        totals = Totals([_amount(item.get(key), f"funds[{index}].{key}") for key in _FIGURES],
                        centres={name})
        if code not in seen:  # the fund's budget and findings go on its first row
            seen.add(code)
            totals.budget, totals.budget_spent = budgets[code].budget, budgets[code].budget_spent
            totals.counts = counts[code]
        funds.append(FundRow(code, _text(item.get("name")), _text(item.get("currency")), totals))
    return CentreMonth(name, district, funds, _reconciliation(_items(export, "reconciliations")),
                       findings)


def statuses(received: Iterable[Received], registry: dict[str, Centre] | None,
             month: str) -> list[Status]:
    """Every centre of the month, registered or not, with its state, sorted by district and
    name; folders of other months are left aside."""
    expected = registry or {}
    found: dict[str, Status] = {}
    for item in received:
        if item.export is not None and item.month != month:
            continue
        name = item.unit or item.source
        centre = expected.get(name)
        status = Status(name, centre.district if centre else UNREGISTERED, RECEIVED, item.digest,
                        centre.digests.get(month) if centre else None, item.source)
        problems = list(item.problems)
        if item.export is not None and item.unit is None:
            problems.append("export.json 缺少单位名称 / no unit")
        if status.registered and status.registered != status.digest:
            problems.append("清单摘要与登记的不同 / the digest differs from the registered one")
        if name in found:
            problems.append(f"重复报送，另见 {found[name].source} / sent twice")
            found[name].state, found[name].month = FAILED, None
            found[name].note = found[name].note or "重复报送 / sent twice"
        if not problems and item.export is not None:
            try:
                status.month = read_centre(name, status.district, item.export)
            except (BadExport, KeyError) as error:
                problems.append(str(error))
        if problems:
            status.state, status.note, status.month = FAILED, "；".join(problems), None
        elif registry is not None and centre is None:
            status.note = "不在登记表中 / not in the registry"
        found[name] = status
    for name, centre in expected.items():
        if name not in found:
            found[name] = Status(name, centre.district, MISSING,
                                 registered=centre.digests.get(month))
    return sorted(found.values(), key=lambda status: (status.district, status.name))


def counted(all_statuses: list[Status]) -> list[CentreMonth]:
    return [status.month for status in all_statuses if status.month is not None]


def _cover(month: str, all_statuses: list[Status]) -> list[list[str]]:
    missing = [status.name for status in all_statuses if status.state == MISSING]
    failed = [status.name for status in all_statuses if status.state == FAILED]
    received = len(all_statuses) - len(missing) - len(failed)
    state = ("全部单位已报送并通过校验 / every centre in and verified" if not missing and not failed
             else f"{len(missing)} 个单位未报送，{len(failed)} 个单位校验失败（未计入合计） / "
                  f"{len(missing)} missing, {len(failed)} failed verification (not summed)")
    return [["月份", month], ["报送情况", state], ["已计入单位数", str(received)],
            ["未报送", "、".join(missing) or "无"], ["校验失败", "、".join(failed) or "无"]]


def _summary_row(sheet: Sheet, first: list[CellValue], totals: Totals,
                 tail: list[CellValue]) -> None:
    rate = totals.rate
    sheet.add(*first, *totals.cells(), *tail,
              alert=11 if rate is not None and rate > 1 else None)


def summary_sheet(month: str, all_statuses: list[Status]) -> Sheet:
    """汇总: each centre's funds, each district's 小计 per fund, and 全市合计 per currency."""
    sheet = Sheet("汇总", SUMMARY_COLUMNS, cover=_cover(month, all_statuses))
    city: dict[str, Totals] = defaultdict(Totals)
    districts: dict[str, list[CentreMonth]] = defaultdict(list)
    for centre in counted(all_statuses):
        districts[centre.district].append(centre)
    for district, centres in districts.items():
        subtotals: dict[tuple[str, str, str], Totals] = defaultdict(Totals)
        for centre in centres:
            for fund in centre.funds:
                _summary_row(sheet, [district, centre.name, fund.code, fund.name, fund.currency],
                             fund.totals, [centre.reconciliation, *fund.totals.counts])
                if centre.reconciliation == "不符":
                    sheet.alerts.add((len(sheet.rows) - 1, 12))
                subtotals[(fund.code, fund.name, fund.currency)].add(fund.totals)
                city[fund.currency].add(fund.totals)
        for (code, name, currency), totals in subtotals.items():
            _summary_row(sheet, [district, SUBTOTAL, code, name, currency], totals,
                         [None, *totals.counts])
    for currency, totals in sorted(city.items()):
        _summary_row(sheet, [CITY_TOTAL, None, None, None, currency], totals,
                     [None, *totals.counts])
    return sheet


def by_fund_sheet(centres: list[CentreMonth]) -> Sheet:
    """按专项汇总: each fund code across the city, with every name it goes by."""
    sheet = Sheet("按专项汇总", BY_FUND_COLUMNS)
    totals: dict[tuple[str, str], Totals] = defaultdict(Totals)
    names: dict[str, list[str]] = defaultdict(list)
    for centre in centres:
        for fund in centre.funds:
            totals[(fund.code, fund.currency)].add(fund.totals)
            if fund.name and fund.name not in names[fund.code]:
                names[fund.code].append(fund.name)
    for (code, currency), fund_totals in sorted(totals.items()):
        rate = fund_totals.rate
        sheet.add(code, "、".join(names[code]), currency, len(fund_totals.centres),
                  *fund_totals.cells(), *fund_totals.counts,
                  alert=10 if rate is not None and rate > 1 else None)
    return sheet


def funder(finding: dict[str, Any]) -> str:
    """Whose allocation a finding is about: 市财政 or 区财政, by its account, else its message."""
    for text in (_text(finding.get("account")), _text(finding.get("message"))):
        for name in FUNDERS:
            if name in text:
                return name
    return "未注明"


def _finding_cells(centre: CentreMonth, finding: dict[str, Any]) -> list[CellValue]:
    amount = finding.get("amount")
    return [centre.district, centre.name, _text(finding.get("date")),
            SEVERITIES.get(_text(finding.get("severity")), _text(finding.get("severity"))),
            _text(finding.get("rule")), _text(finding.get("label")), _text(finding.get("fund")),
            _text(finding.get("account")), amount if isinstance(amount, Decimal) else None,
            _text(finding.get("currency")), _text(finding.get("voucher")),
            _text(finding.get("message"))]


def late_sheet(centres: list[CentreMonth]) -> Sheet:
    """未到位拨款: every 截留 and 拨款未到位 finding, by funder, district and centre."""
    rows = sorted(([funder(finding), *_finding_cells(centre, finding)]
                   for centre in centres for finding in centre.findings
                   if finding.get("rule") in LATE_RULES),
                  key=lambda row: tuple(str(cell or "") for cell in row[:4]))
    sheet = Sheet("未到位拨款", LATE_COLUMNS)
    for row in rows:
        sheet.add(*row, alert=9)
    return sheet


def findings_sheet(centres: list[CentreMonth]) -> Sheet:
    """异常事项: every finding of every counted centre, with the centre."""
    sheet = Sheet("异常事项", FINDING_COLUMNS)
    for centre in centres:
        for finding in centre.findings:
            cells = _finding_cells(centre, finding)
            sheet.add(*cells, alert=3 if cells[3] == "错误" else None)
    return sheet


def reporting_sheet(all_statuses: list[Status]) -> Sheet:
    """报送情况: every centre, its state, its digest and the registered one."""
    sheet = Sheet("报送情况", REPORTING_COLUMNS)
    for status in all_statuses:
        sheet.add(status.district, status.name, status.state, status.digest,
                  status.registered, status.source, status.note,
                  alert=2 if status.state != RECEIVED else None)
    return sheet


def city_sheets(month: str, all_statuses: list[Status]) -> list[Sheet]:
    """The five sheets of the city's month."""
    centres = counted(all_statuses)
    return [summary_sheet(month, all_statuses), by_fund_sheet(centres), late_sheet(centres),
            findings_sheet(centres), reporting_sheet(all_statuses)]


@dataclass(frozen=True)
class ChartData:
    """What the charts show: each centre's 执行率, and 本月支出 by fund (rows) and district."""

    rates: list[tuple[str, Decimal]]
    districts: list[str]
    spending: list[tuple[str, list[Decimal]]]


def chart_data(centres: list[CentreMonth]) -> ChartData:
    rates: list[tuple[str, Decimal]] = []
    districts = sorted({centre.district for centre in centres})
    spending: dict[str, list[Decimal]] = {}
    for centre in centres:
        whole = Totals()
        for fund in centre.funds:
            whole.add(fund.totals)
            column = districts.index(centre.district)
            row = spending.setdefault(fund.name or fund.code, [Decimal(0)] * len(districts))
            row[column] += fund.totals.figures[_FIGURES.index("expense")]
        rates.append((centre.name, (whole.rate or Decimal(0)) * 100))
    return ChartData(rates, districts, sorted(spending.items()))
