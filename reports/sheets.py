"""The six sheets of the monthly export as rows of cells, with Chinese titles and headers.

Amounts stay ``Decimal`` to the fen; a cell that shows a problem (a line over budget, an
account that does not reconcile) is marked to be shown in red.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from ledger.files import path_from_books
from ledger.model.budget import period_label
from ledger.model.findings import Severity
from ledger.model.formats import percent
from reports.contracts import EXTRA_COLUMNS, REGISTER_COLUMNS
from reports.monthly import MonthlyExport
from reports.reconcile import BANK_PAID, BANK_RECEIVED, BOOK_PAID, BOOK_RECEIVED, Reconciliation

CellValue = str | Decimal | datetime.date | int | None
FEN = Decimal("0.01")
FUNDS_COLUMNS = ["专项代码", "专项名称", "币种", "期初余额", "本月收入", "本月支出", "期末余额",
                 "本年累计收入", "本年累计支出"]
# 专项 is the fund's Chinese name; its code, for whoever sums by it, comes last (专项代码), so
# that every other column keeps its place
FINDINGS_COLUMNS = ["日期", "严重程度", "规则代码", "问题类型", "专项", "科目", "金额", "币种",
                    "凭证号", "摘要", "说明", "文件", "行号", "专项代码"]
BUDGET_COLUMNS = ["专项", "预算科目", "预算期间", "币种", "年度预算", "本月支出", "本年累计支出",
                  "预算余额", "执行率(%)", "已承诺", "可用余额", "专项代码"]
DETAIL_COLUMNS = ["日期", "凭证号", "摘要", "对方", "科目", "专项", "币种", "收入", "支出",
                  "专项代码"]


class Share(Decimal):
    """A share (the 质保金 ratio, 0.05): a number in the workbook, shown as a percentage (5%)
    in both the workbook and the CSV."""

    @property
    def percentage(self) -> str:
        """As people read it: 0.05 is 5%, 0.025 is 2.5%."""
        return percent(self)

    @property
    def number_format(self) -> str:
        """Excel's format that shows every digit of the percentage: 0% for 5%, 0.0% for 2.5%."""
        exponent = (self * 100).normalize().as_tuple().exponent
        decimals = -exponent if isinstance(exponent, int) and exponent < 0 else 0
        return f"0.{'0' * decimals}%" if decimals else "0%"


def money(amount: Decimal) -> Decimal:
    """An amount to the fen, as every sheet shows it."""
    return amount.quantize(FEN)


@dataclass
class Sheet:
    """One sheet: its title, header, rows, and the cells (row, column) to show in red."""

    title: str
    columns: list[str]
    rows: list[list[CellValue]] = field(default_factory=list)
    alerts: set[tuple[int, int]] = field(default_factory=set)
    cover: list[list[str]] = field(default_factory=list)
    cautions: set[tuple[int, int]] = field(default_factory=set)  # shown in amber: warnings

    def add(self, *cells: CellValue, alert: int | None = None,
            caution: int | None = None) -> None:
        if alert is not None:
            self.alerts.add((len(self.rows), alert))
        if caution is not None:
            self.cautions.add((len(self.rows), caution))
        self.rows.append(list(cells))


CLEAN = "无异常"


def month_state(export: MonthlyExport) -> str:
    """本月情况: 无异常, or 有异常 with what (errors, accounts that do not reconcile); warnings
    do not make a month 有异常 but are counted beside either, for a look."""
    errors, warnings = export.count(Severity.ERROR), export.count(Severity.WARNING)
    unreconciled = [item.account for item in export.reconciliations if not item.reconciled]
    noted = f"警告 {warnings} 条，请核实（见异常事项）" if warnings else ""
    if export.clean:
        return f"{CLEAN}（{noted}）" if noted else CLEAN
    return "有异常：" + "；".join(filter(None, (
        f"错误 {errors} 条" if errors else "",
        f"未平的银行账户 {'、'.join(unreconciled)}" if unreconciled else "", noted)))


def cover(export: MonthlyExport) -> list[list[str]]:
    """The cover block: unit, period, preparer, date made, and whether the month is clean."""
    state = month_state(export)
    return [["单位", export.unit], ["期间", export.month.label],
            ["编制人", export.preparer], ["编制日期", export.made.isoformat()],
            ["本月情况", state]]


def funds_sheet(export: MonthlyExport) -> Sheet:
    sheet = Sheet("资金收支月报", FUNDS_COLUMNS, cover=cover(export))
    for row in export.funds:
        sheet.add(row.fund, row.name, row.currency, money(row.opening), money(row.receipts),
                  money(row.payments), money(row.closing), money(row.year_receipts),
                  money(row.year_payments))
    for currency in sorted({row.currency for row in export.funds}):
        rows = [row for row in export.funds if row.currency == currency]
        sheet.add("", "合计", currency, *(money(sum((getattr(row, name) for row in rows),
                                                     Decimal(0)))
                                          for name in ("opening", "receipts", "payments",
                                                       "closing", "year_receipts",
                                                       "year_payments")))
    _add_asset_check(export, sheet)
    return sheet


def _add_asset_check(export: MonthlyExport, sheet: Sheet) -> None:
    """The funds' closing balances against the bank and cash accounts' book balances."""
    sheet.add(None)
    for item in export.accounts:
        kind = "库存现金" if item.cash else "专户银行存款"
        sheet.add(item.fund, f"其中：{kind} {item.account}", item.currency, None, None, None,
                  money(item.balance))
    for currency in sorted({row.currency for row in export.funds}):
        held = sum((item.balance for item in export.accounts if item.currency == currency),
                   Decimal(0))
        closing = sum((row.closing for row in export.funds if row.currency == currency),
                      Decimal(0))
        agrees = "相符" if held == closing else f"不符，相差 {money(closing - held)}"
        sheet.add("", f"银行存款与现金账面余额合计（{agrees}）", currency, None, None, None,
                  money(held), alert=None if held == closing else 1)


def budget_sheet(export: MonthlyExport) -> Sheet:
    """预算执行情况: each budget line, its fund by name (and code), its period in Chinese."""
    sheet = Sheet("预算执行情况", BUDGET_COLUMNS)
    for row in export.budget:
        sheet.add(export.fund_name(row.fund), row.account, period_label(row.period),
                  row.currency, money(row.budget), money(row.month_spent), money(row.year_spent),
                  money(row.remaining), row.rate, money(row.committed), money(row.available),
                  row.fund, alert=BUDGET_COLUMNS.index("预算余额") if row.remaining < 0 else None,
                  caution=(BUDGET_COLUMNS.index("可用余额")
                           if row.available < 0 <= row.remaining else None))
    return sheet


CONTRACT_COLUMNS = [*REGISTER_COLUMNS.values(), *EXTRA_COLUMNS.values()]


def contracts_sheet(export: MonthlyExport) -> Sheet:
    """合同台账: each contract signed by the month's end, its figures then and the findings on
    it so far; an overrun contract's state in red, one with findings its 问题 in amber."""
    sheet = Sheet("合同台账", CONTRACT_COLUMNS)
    keys = [*REGISTER_COLUMNS, *EXTRA_COLUMNS]
    for row in export.contracts:
        cells = row.cells()
        values: list[CellValue] = [_contract_cell(key, cells[key]) for key in keys]
        sheet.add(*values,
                  alert=keys.index("status") if row.contract.status == "overrun" else None,
                  caution=keys.index("problems") if row.findings else None)
    if not export.contracts:
        sheet.add(None, None, None, "截至本月末没有已签订的合同")
    return sheet


def reconciliation_sheet(export: MonthlyExport) -> Sheet:
    sheet = Sheet("银行存款余额调节表", ["银行账户", "项目", "日期", "摘要", "金额"])
    for item in export.reconciliations:
        _add_reconciliation(sheet, item)
        sheet.add(None)
    return sheet


def _add_reconciliation(sheet: Sheet, item: Reconciliation) -> None:
    sheet.add(item.account, "企业账面余额", None, None, money(item.book_balance))
    _add_items(sheet, item, BANK_RECEIVED, "加")
    _add_items(sheet, item, BANK_PAID, "减")
    sheet.add(item.account, "调节后的企业账面余额", None, None, money(item.adjusted_book))
    bank = None if item.bank_balance is None else money(item.bank_balance)
    sheet.add(item.account, f"银行对账单余额（{item.source}）", None, None, bank,
              alert=4 if bank is None else None)
    _add_items(sheet, item, BOOK_RECEIVED, "加")
    _add_items(sheet, item, BOOK_PAID, "减")
    adjusted = item.adjusted_bank
    sheet.add(item.account, "调节后的银行对账单余额", None, None,
              None if adjusted is None else money(adjusted))
    if item.reconciled:
        sheet.add(item.account, "结论", None, "调节后余额相符", None)
    elif adjusted is None:
        sheet.add(item.account, "结论", None, "无银行对账单或月末余额断言，未能核对", None, alert=3)
    else:
        sheet.add(item.account, "结论", None,
                  f"调节后余额不符，相差 {money(item.adjusted_book - adjusted)}", None, alert=3)


def _add_items(sheet: Sheet, item: Reconciliation, kind: str, sign: str) -> None:
    items = [entry for entry in item.items if entry.kind == kind]
    sheet.add(item.account, f"{sign}：{kind}", None, f"{len(items)} 笔", money(item.total(kind)))
    for entry in items:
        sheet.add(item.account, f"　{kind}", entry.date, entry.narration, money(entry.amount))


def detail_sheet(export: MonthlyExport) -> Sheet:
    sheet = Sheet("收支明细", DETAIL_COLUMNS)
    for row in export.detail:
        sheet.add(row.date, row.voucher, row.narration, row.payee, row.accounts,
                  export.fund_name(row.fund), row.currency, money(row.receipt),
                  money(row.payment), row.fund)
    for currency in sorted({row.currency for row in export.detail}):
        rows = [row for row in export.detail if row.currency == currency]
        sheet.add(None, None, "合计", None, None, None, currency,
                  money(sum((row.receipt for row in rows), Decimal(0))),
                  money(sum((row.payment for row in rows), Decimal(0))))
    return sheet


def findings_sheet(export: MonthlyExport) -> Sheet:
    sheet = Sheet("异常事项", FINDINGS_COLUMNS)
    for finding in export.findings:
        amount = None if finding.amount is None else money(finding.amount)
        summary = " ".join(filter(None, (finding.payee, finding.narration)))
        filename = (finding.filename if export.books_dir is None
                    else path_from_books(finding.filename, export.books_dir))
        sheet.add(finding.date, finding.severity.label, finding.rule, finding.label,
                  export.fund_name(finding.fund), finding.account, amount, finding.currency,
                  finding.voucher, summary, finding.message, filename, finding.lineno, finding.fund,
                  alert=1 if finding.severity is Severity.ERROR else None,
                  caution=1 if finding.severity is Severity.WARNING else None)
    if not export.findings:
        sheet.add(None, None, None, "本月无异常事项")
    return sheet


def _contract_cell(key: str, value: object) -> CellValue:
    """A register cell: amounts to the fen, the 质保金 share a percentage (5%)."""
    if isinstance(value, Decimal):
        return Share(value) if key == "retention" else money(value)
    if value is None or isinstance(value, str | datetime.date):
        return value
    return str(value)


def all_sheets(export: MonthlyExport) -> list[Sheet]:
    return [funds_sheet(export), budget_sheet(export), reconciliation_sheet(export),
            detail_sheet(export), findings_sheet(export), contracts_sheet(export)]
