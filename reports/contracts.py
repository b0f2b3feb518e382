"""合同台账 (the contract register): one row per contract with its figures and the findings on it.

The figures are those of :class:`ledger.model.summary.ContractSummary` (the one computation
``check-funds``, the Fava page and the monthly export share): the sum in force (合同金额), what
has been charged (已列支) and paid (已付款) under the contract, what it still commits (未履行，
即已承诺), its 质保金 share, date and what is still held, and its state: 执行中 (open), 已结清
(charged to its sum) or 超合同 (charged beyond it). A finding is on a contract when its entry is
the contract's directive, or a transaction quoting the contract's number under ``contract:``
(on the transaction or a posting).
"""

from __future__ import annotations

import csv
import datetime
import io
import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from beancount.core import data

from ledger.model.contracts import CONTRACT_TYPE, quoted_numbers
from ledger.model.findings import Finding, custom_values
from ledger.model.formats import percent
from ledger.model.summary import CONTRACT_STATUS_LABELS, ContractSummary, FundSummary

REGISTER_COLUMNS = {  # JSON key -> the register's Chinese header
    "number": "合同号", "fund_name": "专项", "payee": "供应商", "account": "预算科目",
    "amount": "合同金额", "charged": "已列支", "paid": "已付款", "committed": "未履行（已承诺）",
    "retention": "质保金比例", "retention_until": "质保金到期日", "retention_due": "尚留质保金",
    "status": "状态", "problems": "问题",
}
# appended after the columns, so that a machine sums and filters by them
EXTRA_COLUMNS = {"currency": "币种", "fund": "专项代码"}


@dataclass(frozen=True)
class RegisterRow:
    """One contract in the register: its figures, its fund's name and the findings on it."""

    contract: ContractSummary
    fund_name: str
    findings: list[Finding] = field(default_factory=list)

    @property
    def problems(self) -> str:
        """The findings on the contract, one phrase each: 错误 超合同付款（contract-overrun，
        2012-10-01）；…"""
        return "；".join(f"{finding.severity.label} {finding.label}（{finding.rule}，"
                        f"{finding.date}）" for finding in self.findings)

    def cells(self) -> dict[str, Any]:
        """The row's values by key, amounts and shares as ``Decimal``, dates as dates."""
        item = self.contract
        return {"number": item.number, "fund_name": self.fund_name, "payee": item.payee,
                "account": item.account, "amount": item.amount, "charged": item.charged,
                "paid": item.paid, "committed": item.committed,
                "retention": item.retention or None, "retention_until": item.retention_until,
                "retention_due": item.retention_due if item.retention else None,
                "status": item.status_label, "problems": self.problems,
                "currency": item.currency, "fund": item.fund}


def contract_numbers_of(entry: data.Directive | None) -> list[str]:
    """The contracts an entry is about: a contract directive's number, or the numbers a
    transaction (or one of its postings) quotes under ``contract:``."""
    if isinstance(entry, data.Custom) and entry.type == CONTRACT_TYPE:
        values = custom_values(entry)
        return [values[0]] if values and isinstance(values[0], str) else []
    if isinstance(entry, data.Transaction):
        return quoted_numbers(entry)
    return []


def findings_by_contract(findings: Iterable[Finding]) -> dict[str, list[Finding]]:
    """The findings on each contract number, in their order."""
    found: dict[str, list[Finding]] = defaultdict(list)
    for finding in findings:
        for number in contract_numbers_of(finding.entry):
            found[number].append(finding)
    return found


def contract_register(summaries: Sequence[FundSummary],
                      findings: Iterable[Finding]) -> list[RegisterRow]:
    """The register of the funds' contracts (as the figures hold them, by fund then signing),
    each with the findings on it."""
    on_contract = findings_by_contract(findings)
    return [RegisterRow(item, summary.name, on_contract.get(item.number, []))
            for summary in summaries for item in summary.contracts]


def register_json(rows: Sequence[RegisterRow], ledger: str, as_of: datetime.date) -> str:
    """One object: the books, the date of the figures, and the contracts with their findings
    (rule, severity, date, message, file and line)."""
    contracts = []
    for row in rows:
        item = row.contract.to_json()
        item["fund_name"] = row.fund_name
        item["status_label"] = row.contract.status_label
        item["findings"] = [{key: value for key, value in finding.to_json().items()
                             if key in ("rule", "label", "severity", "date", "message",
                                        "filename", "lineno")}
                            for finding in row.findings]
        contracts.append(item)
    document = {"ledger": ledger, "as_of": as_of.isoformat(), "contracts": contracts}
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def _text(key: str, value: object) -> str:
    """A CSV cell: amounts to the fen, the 质保金 share as a percentage (5%), as the table and
    the Fava page show it, nothing for None."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return percent(value) if key == "retention" else format(value, "f")
    return str(value)


def register_csv(rows: Sequence[RegisterRow]) -> str:
    """One contract a row under the Chinese headers, UTF-8 with BOM so that Excel shows the
    Chinese."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    columns = {**REGISTER_COLUMNS, **EXTRA_COLUMNS}
    writer.writerow(columns.values())
    for row in rows:
        cells = row.cells()
        writer.writerow(_text(key, cells[key]) for key in columns)
    return "\ufeff" + buffer.getvalue()




def register_table(rows: Sequence[RegisterRow], as_of: datetime.date) -> str:
    """The register for a reader: each fund's contracts, each on a few labelled lines."""
    lines = [f"合同台账：截至 {as_of} / contract register, as of {as_of}", ""]
    if not rows:
        lines.append('账簿中没有已签订的合同（custom "contract"） / the books declare no contract '
                     "signed by then")
        return "\n".join(lines) + "\n"
    fund = None
    for row in rows:
        item = row.contract
        if item.fund != fund:
            fund = item.fund
            lines += ([""] if len(lines) > 2 else []) + [f"专项 {item.fund} {row.fund_name}"]
        lines += _contract_lines(row)
    lines += ["", register_total(rows)]
    return "\n".join(lines) + "\n"


def register_total(rows: Sequence[RegisterRow]) -> str:
    """合计: how many contracts, and how many of them are in each state (执行中, 已结清, 超合同),
    so that the parts add up to the whole."""
    states = [row.contract.status for row in rows]
    chinese = "，".join(f"{label} {states.count(status)} 份"
                       for status, label in CONTRACT_STATUS_LABELS.items())
    english = ", ".join(f"{states.count(status)} {status}" for status in CONTRACT_STATUS_LABELS)
    noun = "contract" if len(rows) == 1 else "contracts"
    return f"合计：合同 {len(rows)} 份：{chinese} / {len(rows)} {noun}: {english}"


def _contract_lines(row: RegisterRow) -> list[str]:
    item = row.contract
    lines = [f"  合同号 {item.number}  供应商 {item.payee or '—'}  "
             f"预算科目 {item.account or '—'}  签订 {item.signed}  状态 {item.status_label}"]
    figures = (("合同金额", item.amount), ("已列支", item.charged), ("已付款", item.paid),
               ("未履行（已承诺）", item.committed))
    lines.append("    " + "  ".join(f"{label} {value:,.2f}" for label, value in figures)
                 + f"  {item.currency}")
    if item.retention:
        until = item.retention_until or "—"
        lines.append(f"    质保金 {percent(item.retention)}，到期日 {until}，尚留质保金 "
                     f"{item.retention_due:,.2f} {item.currency}")
    lines += [f"    问题：{finding.severity.label} {finding.label}（{finding.rule}）"
              f"{finding.date}：{finding.message}" for finding in row.findings]
    return lines
