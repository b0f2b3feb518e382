"""``export.json``: the monthly export's figures for machines (the city's consolidation).

The formatted sheets are for people; ``export.json`` holds the same figures as exact decimal
strings (``"1234.50"``, never a float), ``null`` where the sheet has none, with a format
version, the unit (the books' ``title``), the month and the funds' codes and names:

- ``funds``: 资金收支月报, one row per fund and currency (the sheet's totals are their sums);
- ``budget``: 预算执行情况, one row per budget line (``rate``: 执行率 in percent, or null);
- ``reconciliations``: 银行存款余额调节表, each bank account: 相符, 不符 or 无对账单;
- ``findings``: 异常事项, every finding of the month.
"""

from __future__ import annotations

import datetime
import json
from decimal import Decimal

from reports.monthly import MonthlyExport
from reports.reconcile import Reconciliation
from reports.sheets import money

JSON_NAME = "export.json"
FORMAT = 1
JsonObject = dict[str, object]


def amount(value: Decimal | None) -> str | None:
    """An amount as the sheets show it, to the fen, as exact text; None stays None."""
    return None if value is None else format(money(value), "f")


def reconciliation_status(item: Reconciliation) -> str:
    """相符 when the adjusted balances agree; 无对账单 without a bank figure; else 不符."""
    if item.reconciled:
        return "相符"
    return "无对账单" if item.bank_balance is None else "不符"


def export_json(export: MonthlyExport) -> JsonObject:
    """The month's figures as ``export.json`` holds them."""
    return {
        "format": FORMAT, "unit": export.unit, "month": str(export.month),
        "made": export.made.isoformat(),
        "fund_names": dict(sorted(export.fund_names.items())),
        "funds": [{"code": row.fund, "name": row.name, "currency": row.currency,
                   "opening": amount(row.opening), "income": amount(row.receipts),
                   "expense": amount(row.payments), "closing": amount(row.closing),
                   "year_income": amount(row.year_receipts),
                   "year_expense": amount(row.year_payments)} for row in export.funds],
        "budget": [{"fund": row.fund, "name": export.fund_name(row.fund),
                    "account": row.account, "period": row.period, "currency": row.currency,
                    "budget": amount(row.budget), "month_spent": amount(row.month_spent),
                    "year_spent": amount(row.year_spent), "remaining": amount(row.remaining),
                    "rate": None if row.rate is None else format(row.rate, "f"),
                    "committed": amount(row.committed), "available": amount(row.available)}
                   for row in export.budget],
        "reconciliations": [{"account": item.account, "fund": item.fund,
                             "reconciled": item.reconciled,
                             "status": reconciliation_status(item),
                             "book_balance": amount(item.book_balance),
                             "bank_balance": amount(item.bank_balance),
                             "items": [{"kind": each.kind, "date": each.date.isoformat(),
                                        "narration": each.narration,
                                        "amount": amount(each.amount)} for each in item.items]}
                            for item in export.reconciliations],
        "detail": [{"date": row.date.isoformat(), "voucher": row.voucher,
                    "narration": row.narration, "payee": row.payee, "accounts": row.accounts,
                    "fund": row.fund, "currency": row.currency, "income": amount(row.receipt),
                    "expense": amount(row.payment)} for row in export.detail],
        "contracts": [{key: _plain(value) for key, value in row.cells().items()}
                      for row in export.contracts],
        "findings": [{"rule": finding.rule, "label": finding.label,
                      "severity": finding.severity.value, "date": finding.date.isoformat(),
                      "fund": finding.fund, "account": finding.account,
                      "amount": amount(finding.amount), "currency": finding.currency,
                      "voucher": finding.voucher, "message": finding.message}
                     for finding in export.findings],
    }


def _plain(value: object) -> object:
    """A register cell as JSON holds it: amounts and shares exact strings, dates ISO."""
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def export_json_text(export: MonthlyExport) -> str:
    """``export.json``'s text: UTF-8 JSON, Chinese as it is, indented, ending in a newline."""
    return json.dumps(export_json(export), ensure_ascii=False, indent=2) + "\n"
