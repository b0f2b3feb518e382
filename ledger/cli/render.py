"""The three outputs of ``check-funds``: a Chinese table grouped by fund, JSON and CSV."""

from __future__ import annotations

import csv
import io
import json
import os
import unicodedata
from collections.abc import Sequence
from typing import Any

from ledger.model.findings import Finding, Severity, count_by_fund
from ledger.model.summary import FundSummary

CSV_COLUMNS = {  # JSON key -> the spreadsheet's Chinese header
    "date": "日期", "severity": "严重程度", "rule": "规则代码", "label": "问题类型",
    "fund": "专项", "account": "科目", "amount": "金额", "currency": "币种",
    "voucher": "凭证号", "payee": "对方", "narration": "摘要", "message": "说明",
    "filename": "文件", "lineno": "行号",
}
NO_FUND = "（未归属专项）"


def render_json(ledger: str, findings: Sequence[Finding],
                summaries: Sequence[FundSummary]) -> str:
    """One object: the findings, and each fund's figures with its findings counted by severity."""
    counts = count_by_fund(list(findings))
    funds = []
    for summary in summaries:
        fund = summary.to_json()
        fund["findings"] = {severity.value: counts[summary.fund][severity]
                            for severity in Severity}
        funds.append(fund)
    document: dict[str, Any] = {
        "ledger": ledger,
        "findings": [finding.to_json() for finding in findings],
        "funds": funds,
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def render_csv(findings: Sequence[Finding]) -> str:
    """One finding a row under Chinese headers, UTF-8 with BOM so that Excel shows the Chinese."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS.values())
    for finding in findings:
        row = finding.to_json()
        row["severity"] = finding.severity.label
        writer.writerow("" if row[key] is None else row[key] for key in CSV_COLUMNS)
    return "\ufeff" + buffer.getvalue()


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def _pad(text: str, width: int, right: bool = False) -> str:
    fill = " " * max(0, width - _width(text))
    return fill + text if right else text + fill


def _summary_lines(summary: FundSummary) -> list[str]:
    figures = (("预算", summary.budget), ("已支出", summary.spent),
               ("预算余额", summary.remaining), ("资金余额", summary.balance),
               ("应付未付", summary.owed))
    line = "  ".join(f"{label} {_pad(f'{value:,.2f}', 12, right=True)}"
                     for label, value in figures)
    return [f"  {line}  {summary.currency}"]


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


def render_table(ledger: str, findings: Sequence[Finding], summaries: Sequence[FundSummary],
                 names: dict[str, str], filtered: bool = False) -> str:
    """Findings grouped by fund, each fund headed by its figures; a count at the end."""
    nothing = ("  无符合筛选条件的问题 / no findings under the filters" if filtered
               else "  未发现问题 / no findings")
    lines = [f"账本 / ledger: {ledger}", ""]
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
    errors = sum(finding.severity is Severity.ERROR for finding in findings)
    infos = len(findings) - errors
    lines.append(f"合计：错误 {errors} 条，提示 {infos} 条 / total: {errors} error(s), "
                 f"{infos} info")
    return "\n".join(lines) + "\n"
