"""Findings: what a rule reports, and the catalogue of rule codes with their Chinese labels."""

from __future__ import annotations

import datetime
import enum
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, NamedTuple

from beancount.core import data


class Severity(enum.StrEnum):
    """How serious a finding is; only errors fail a check and show in bean-check."""

    ERROR = "error"
    INFO = "info"


@dataclass(frozen=True)
class Rule:
    """A rule code with its Chinese label and default severity."""

    code: str
    label: str
    severity: Severity
    summary: str


RULES: dict[str, Rule] = {
    rule.code: rule
    for rule in (
        Rule("cross-fund", "挤占", Severity.ERROR,
             "money out of fund A's Assets lands on an account of fund B"),
        Rule("diverted", "挪用", Severity.ERROR,
             "money leaves a fund's Assets for an account that belongs to no fund"),
        Rule("withheld", "截留", Severity.ERROR,
             "a fund's income lands outside the fund, or an allocation is short at its due date"),
        Rule("unbudgeted", "无预算列支", Severity.ERROR,
             "spending on a fund's expense account with no budget line in effect"),
        Rule("over-budget", "超预算", Severity.ERROR,
             "the spending that takes a budget line over its cap within a period"),
        Rule("approved-transfer", "经批准调剂", Severity.INFO,
             "a cross-fund or diverted movement that carries approval:"),
        Rule("unknown-fund", "未声明专项", Severity.ERROR,
             "an open names a fund that no custom \"fund\" declares"),
        Rule("bad-directive", "指令格式错误", Severity.ERROR,
             "a fund, allocation or budget directive that cannot be read"),
        Rule("bad-policy", "政策参数错误", Severity.ERROR,
             "a fund-policy directive with an unknown key or a value of the wrong type"),
    )
}


@dataclass(frozen=True)
class Finding:
    """One breach (or, with severity info, one notable fact) found in the books."""

    rule: str
    date: datetime.date
    fund: str | None
    account: str | None
    amount: Decimal | None
    currency: str | None
    filename: str
    lineno: int
    message: str
    entry: data.Directive | None = None

    @property
    def label(self) -> str:
        return RULES[self.rule].label

    @property
    def severity(self) -> Severity:
        return RULES[self.rule].severity

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict; amounts stay exact as decimal strings."""
        return {
            "rule": self.rule,
            "label": self.label,
            "severity": str(self.severity),
            "date": self.date.isoformat(),
            "fund": self.fund,
            "account": self.account,
            "amount": None if self.amount is None else str(self.amount),
            "currency": self.currency,
            "filename": self.filename,
            "lineno": self.lineno,
            "message": self.message,
        }


class EarmarkError(NamedTuple):
    """A Beancount error carrying one error-severity finding, for bean-check and Fava."""

    source: data.Meta
    message: str
    entry: data.Directive | None


def finding_to_error(finding: Finding) -> EarmarkError:
    """The Beancount error for a finding; its message starts with ``[code]``."""
    source = data.new_metadata(finding.filename, finding.lineno)
    return EarmarkError(source, f"[{finding.rule}] {finding.label}：{finding.message}",
                        finding.entry)


def finding_at(
    rule: str,
    entry: data.Directive,
    message: str,
    *,
    fund: str | None = None,
    account: str | None = None,
    amount: Decimal | None = None,
    currency: str | None = None,
    date: datetime.date | None = None,
) -> Finding:
    """A finding located at an entry's file and line (and, unless given, its date)."""
    meta = entry.meta or {}
    return Finding(
        rule=rule,
        date=date or entry.date,
        fund=fund,
        account=account,
        amount=amount,
        currency=currency,
        filename=str(meta.get("filename", "<unknown>")),
        lineno=int(meta.get("lineno", 0)),
        message=message,
        entry=entry,
    )


def shown_values(entry: data.Custom) -> str:
    """A custom directive's values as the books spell them, to quote in a message."""
    words = [f'"{value.value}"' if isinstance(value.value, str) and value.dtype is str
             else str(value.value) for value in entry.values]
    return " ".join([f'custom "{entry.type}"', *words])
