"""Findings: what a rule reports, and the catalogue of rule codes with their Chinese labels."""

from __future__ import annotations

import datetime
import enum
from collections import Counter, defaultdict
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, NamedTuple

from beancount.core import data


class Severity(enum.StrEnum):
    """How serious a finding is; only errors fail a check and show in bean-check."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def label(self) -> str:
        return _SEVERITY_LABELS[self]


_SEVERITY_LABELS = {Severity.ERROR: "错误", Severity.WARNING: "警告", Severity.INFO: "提示"}


@dataclass(frozen=True)
class Rule:
    """A rule code with its Chinese label, its severity and a one-line Chinese summary."""

    code: str
    label: str
    severity: Severity
    summary: str


RULES: dict[str, Rule] = {
    rule.code: rule
    for rule in (
        Rule("cross-fund", "挪用", Severity.ERROR,
             "从专项 A 的资产转出的资金记入专项 B 的科目（改变资金的既定用途）"),
        Rule("diverted", "挤占", Severity.ERROR,
             "专项资产的资金流向不属于任何专项的科目（计划外的单位或区级开支挤入专项资金）"),
        Rule("withheld", "截留", Severity.ERROR,
             "应属专项的收入或退款未进入本专项，记入其他专项或单位的科目"),
        Rule("allocation-late", "拨款未到位", Severity.ERROR,
             "拨款到期（due:）时该来源（source:）的实收不足应到位拨款"),
        Rule("unbudgeted", "无预算列支", Severity.ERROR, "支出日该专项支出科目无有效预算"),
        Rule("over-budget", "超预算", Severity.ERROR, "使预算科目在一个期间内超出预算的那笔支出"),
        Rule("cash-withdrawal", "超限提现", Severity.ERROR,
             "一笔交易从专项资产提取现金超过现金限额（cash-limit）"),
        Rule("split-payment", "拆分支付", Severity.ERROR,
             "窗口期内向同一收款人的多笔无合同小额支付合计达到拆分限额（split-threshold）"),
        Rule("duplicate-invoice", "重复报销", Severity.ERROR, "发票号已被此前的费用报销使用"),
        Rule("missing-evidence", "凭证不全", Severity.ERROR,
             "专项列支费用未附发票、合同或工资表等凭证（evidence-keys）"),
        Rule("out-of-period", "期外列支", Severity.ERROR,
             "专项支出早于专项声明日或晚于终止日（end:）"),
        Rule("approved-transfer", "经批准调剂", Severity.INFO,
             "附批准文件（approval:）的跨专项或专项外调剂，仅作提示"),
        Rule("unknown-fund", "未声明专项", Severity.ERROR, "科目的 fund: 指向未声明的专项"),
        Rule("bad-directive", "指令格式错误", Severity.ERROR,
             "无法读取的 fund、allocation、budget、contract 或 fund-seal 指令、open 的 kind:，"
             "或重复声明的专项"),
        Rule("bad-policy", "政策参数错误", Severity.ERROR,
             "fund-policy 指令的键未知或值的类型不对"),
        Rule("unclassified", "未分类款项", Severity.ERROR,
             "专项资金的收付挂在过渡科目（Equity:Suspense）上，至账末仍未转出"),
        Rule("unreviewed", "未复核", Severity.WARNING,
             "涉及专项科目的交易仍带 ! 标记，尚未复核"),
        Rule("bad-evidence", "凭证号格式错误", Severity.ERROR,
             "凭证类元数据（evidence-keys、voucher:、approval:、bank-ref:）的值不是带引号的文本"),
        Rule("future-date", "日期晚于今日", Severity.WARNING,
             "交易或拨款的日期晚于检查当日（多为年份笔误）"),
        Rule("sealed-period-changed", "已封账期间被修改", Severity.ERROR,
             "已封账月份（fund-seal）的专项分录在封账后被修改、删除或新增"),
        Rule("over-commitment", "超预算签约", Severity.ERROR,
             "签订（或增加金额变更）的合同承诺超出其预算科目当日的可用余额"
             "（预算 − 本期已支出 − 其他合同已承诺；科目无预算时可用余额为 0）"),
        Rule("contract-overrun", "超合同付款", Severity.ERROR,
             "合同项下列支的金额超出有效的合同金额（每笔超出的列支均报告）"),
        Rule("retention-paid-early", "提前支付质保金", Severity.ERROR,
             "质保期满（retention-until:）前，合同项下的付款超出合同金额扣除质保金后的部分"),
        Rule("unregistered-contract", "合同未登记", Severity.WARNING,
             '付款引用的合同号（contract:）未经 custom "contract" 登记，或属于其他专项'
             "（仅在已登记合同的账簿中检查）"),
        Rule("budget-alert", "预算预警", Severity.WARNING,
             "预算科目的支出加未付合同承诺达到预警比例（alert: 或政策 budget-alert）"),
        Rule("voucher-sequence", "凭证号不连续", Severity.WARNING,
             "同一月份的记字凭证号跳号（缺号）、重号（用于不同的交易）或与日期顺序相反"),
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
    budget_line: str | None = None  # the line an over-budget finding breaks
    given_severity: Severity | None = None  # this finding's, when not its rule's

    @property
    def label(self) -> str:
        return RULES[self.rule].label

    @property
    def severity(self) -> Severity:
        """The rule's severity, unless the finding was given its own (an over-budget finding
        on a line with ``action: "warn"`` is a warning)."""
        return self.given_severity or RULES[self.rule].severity

    def _transaction_field(self, name: str) -> str | None:
        if not isinstance(self.entry, data.Transaction):
            return None
        value = self.entry.meta.get(name) if name == "voucher" else getattr(self.entry, name)
        return None if value is None else str(value)

    @property
    def voucher(self) -> str | None:
        """The voucher number (凭证号) of the transaction the finding is on, if it has one."""
        return self._transaction_field("voucher")

    @property
    def payee(self) -> str | None:
        return self._transaction_field("payee")

    @property
    def narration(self) -> str | None:
        return self._transaction_field("narration")

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
            "budget_line": self.budget_line,
            "voucher": self.voucher,
            "payee": self.payee,
            "narration": self.narration,
        }


def select_findings(findings: list[Finding], *, funds: tuple[str, ...] = (),
                    rules: tuple[str, ...] = (), since: datetime.date | None = None,
                    until: datetime.date | None = None) -> list[Finding]:
    """The findings of those funds and rules (each, if given) dated from ``since`` to
    ``until``, both days included; what ``check-funds`` and the Fava page show alike."""
    return [finding for finding in findings
            if (not funds or finding.fund in funds)
            and (not rules or finding.rule in rules)
            and (since is None or finding.date >= since)
            and (until is None or finding.date <= until)]


def count_by_fund(findings: list[Finding]) -> dict[str | None, Counter[Severity]]:
    """How many findings each fund has, by severity."""
    counts: dict[str | None, Counter[Severity]] = defaultdict(Counter)
    for finding in findings:
        counts[finding.fund][finding.severity] += 1
    return counts


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
    budget_line: str | None = None,
    severity: Severity | None = None,
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
        budget_line=budget_line,
        given_severity=severity,
    )


def source_of(entry: data.Directive) -> str:
    """Where an entry is, short enough to quote in a message: ``2012.beancount:96``."""
    meta = entry.meta or {}
    return f"{Path(str(meta.get('filename', '<unknown>'))).name}:{meta.get('lineno', 0)}"


def custom_values(entry: data.Custom) -> list[Any]:
    """A custom directive's values; none for one written without any argument (which the
    parser gives ``None``)."""
    return [value.value for value in entry.values or ()]


def shown_values(entry: data.Custom) -> str:
    """A custom directive's values as the books spell them, to quote in a message."""
    words = [f'"{value.value}"' if isinstance(value.value, str) and value.dtype is str
             else str(value.value) for value in entry.values or ()]
    return " ".join([f'custom "{entry.type}"', *words])


def written_value(value: object) -> str:
    """A metadata value as the books write it, to quote in a message: ``1.5``, ``"5%"``,
    ``TRUE``, ``2012-12-31``, an account or an amount as is (never Python's repr)."""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, str):
        return f'"{value}"'
    return str(value)
