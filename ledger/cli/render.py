"""The three outputs of ``check-funds``: a Chinese table grouped by fund, JSON and CSV."""

from __future__ import annotations

import csv
import datetime
import io
import json
import os
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ledger.files import path_from_books
from ledger.model.findings import Finding, Severity, count_by_fund
from ledger.model.formats import display_width
from ledger.model.summary import FundSummary

CSV_COLUMNS = {  # JSON key -> the spreadsheet's Chinese header
    "date": "日期", "severity": "严重程度", "rule": "规则代码", "label": "问题类型",
    "fund": "专项", "account": "科目", "amount": "金额", "currency": "币种",
    "voucher": "凭证号", "payee": "对方", "narration": "摘要", "message": "说明",
    "filename": "文件", "lineno": "行号",
}
NO_FUND = "（未归属专项）"


def _finding_json(finding: Finding, folder: Path | None) -> dict[str, Any]:
    """A finding as JSON, its file named by its path from the books' folder."""
    row = finding.to_json()
    if folder is not None:
        row["filename"] = path_from_books(finding.filename, folder)
    return row


def render_json(ledger: str, findings: Sequence[Finding], summaries: Sequence[FundSummary],
                folder: Path | None = None, as_of: datetime.date | None = None) -> str:
    """One object: the books, the day the figures are as of, the findings (files named by
    their path from the books' ``folder``), each fund's figures with its findings counted by
    severity, and the funds' contracts with their figures."""
    counts = count_by_fund(list(findings))
    funds = []
    for summary in summaries:
        fund = summary.to_json()
        fund["findings"] = {severity.value: counts[summary.fund][severity]
                            for severity in Severity}
        funds.append(fund)
    document: dict[str, Any] = {
        "ledger": ledger,
        "as_of": None if as_of is None else as_of.isoformat(),
        "findings": [_finding_json(finding, folder) for finding in findings],
        "funds": funds,
        "contracts": [contract.to_json() for summary in summaries
                      for contract in summary.contracts],
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def render_csv(findings: Sequence[Finding], folder: Path | None = None) -> str:
    """One finding a row under Chinese headers, UTF-8 with BOM so that Excel shows the Chinese;
    files named by their path from the books' ``folder``."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS.values())
    for finding in findings:
        row = _finding_json(finding, folder)
        row["severity"] = finding.severity.label
        writer.writerow("" if row[key] is None else row[key] for key in CSV_COLUMNS)
    return "\ufeff" + buffer.getvalue()


def _pad(text: str, width: int, right: bool = False) -> str:
    fill = " " * max(0, width - display_width(text))
    return fill + text if right else text + fill


def _summary_lines(summary: FundSummary) -> list[str]:
    figures = (("预算", summary.budget), ("已支出", summary.spent),
               ("预算余额", summary.remaining), ("资金余额", summary.balance),
               ("应付未付", summary.owed))
    line = "  ".join(f"{label} {_pad(f'{value:,.2f}', 12, right=True)}"
                     for label, value in figures)
    committed = (("已承诺", summary.committed), ("可用余额", summary.available))
    second = "  ".join(f"{label} {_pad(f'{value:,.2f}', 12, right=True)}"
                       for label, value in committed)
    contracts = len(summary.contracts)
    count = f"（合同 {contracts} 份，见 funds contracts）" if contracts else ""
    noun = "contract" if contracts == 1 else "contracts"
    english = (f" / committed {summary.committed:,.2f}, available {summary.available:,.2f}"
               + (f" ({contracts} {noun}: see funds contracts)" if contracts else ""))
    return [f"  {line}  {summary.currency}",
            f"  {second}  {summary.currency}{count}{english}"]


def _shown_path(filename: str) -> str:
    """A path relative to the working folder when it lies below it, for shorter lines."""
    relative = os.path.relpath(filename)
    return filename if relative.startswith("..") else relative


def _finding_lines(finding: Finding) -> list[str]:
    amount = "" if finding.amount is None else f"{finding.amount:,.2f} {finding.currency}"
    head = (f"  {finding.date}  {finding.severity.label}  "
            f"{_pad(f'[{finding.rule}] {finding.label}', 30)}  {_pad(amount, 16, right=True)}  "
            f"{_pad(finding.voucher or '', 14)}  {_shown_path(finding.filename)}:{finding.lineno}")
    lines = [head]
    if finding.narration is not None:
        lines.append(f"      摘要：{' '.join(filter(None, (finding.payee, finding.narration)))}")
    return [*lines, f"      {finding.message}"]


def figures_heading(as_of: datetime.date) -> str:
    """The line that says which year the fund figures are for."""
    return (f"专项数字：{as_of.year} 年（截至 {as_of}） / fund figures: {as_of.year}, up to "
            f"{as_of}")


def count_line(findings: Sequence[Finding]) -> str:
    """How many findings of each severity: 错误, 警告, 提示."""
    counts = Counter(finding.severity for finding in findings)
    chinese = "，".join(f"{severity.label} {counts[severity]} 条" for severity in Severity)
    english = ", ".join(f"{counts[severity]} {severity.value}" for severity in Severity)
    return f"{chinese} / {english}"


def render_table(heading: Sequence[str], findings: Sequence[Finding],
                 summaries: Sequence[FundSummary], names: dict[str, str],
                 filtered: bool = False, as_of: datetime.date | None = None) -> str:
    """The ``heading`` lines (the books read, warnings about them), the year of the figures,
    then the findings grouped by fund, each fund headed by its figures; a count at the end."""
    nothing = ("  无符合筛选条件的问题 / no findings under the filters" if filtered
               else "  未发现问题 / no findings")
    lines = [*heading]
    if as_of is not None:
        lines.append(figures_heading(as_of))
    lines.append("")
    if not names:
        lines += ['注意：账本未声明任何专项（custom "fund"），无从检查专款专用 / '
                  "note: the ledger declares no fund, so there is nothing to check", ""]
    by_fund: dict[str | None, list[Finding]] = {}
    for finding in findings:
        key = finding.fund if finding.fund in names else None
        by_fund.setdefault(key, []).append(finding)
    for code in [*names, None]:
        fund_summaries = [summary for summary in summaries if summary.fund == code]
        fund_findings = by_fund.get(code, [])
        if code is None and not fund_findings:
            continue
        if code is not None and not fund_summaries and not fund_findings:
            continue
        lines.append(f"专项 {code} {names[code]}" if code else NO_FUND)
        for summary in fund_summaries:
            lines.extend(_summary_lines(summary))
        for finding in fund_findings:
            lines.extend(_finding_lines(finding))
        if code is not None and not fund_findings:
            lines.append(nothing)
        lines.append("")
    lines.append(f"合计：{count_line(findings)}")
    return "\n".join(lines) + "\n"
