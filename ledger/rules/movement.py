"""Movement rules: 挤占 (cross-fund), 挪用 (diverted) and 经批准调剂 (approved-transfer).

Within one transaction, money has left fund A's Assets when A's postings net to a credit and
some of that credit sits on A's Assets accounts. Where it went:

- to fund B, when B's postings net to a debit: ``cross-fund``;
- to accounts that belong to no fund, when such postings are debits: ``diverted``.

Netting per fund keeps a legitimate split payment (A pays A's cost, B pays B's) quiet. A
transaction carrying ``approval:`` is an approved adjustment: its movements are reported as
``approved-transfer`` with severity info instead.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from beancount.core import data

from ledger.model.books import Books, weight
from ledger.model.findings import Finding, finding_at

ZERO = Decimal(0)


@dataclass
class _Flows:
    """One transaction's postings summed per (fund, currency); None is 'no fund'."""

    net: dict[tuple[str, str], Decimal] = field(default_factory=lambda: defaultdict(Decimal))
    assets_out: dict[tuple[str, str], Decimal] = field(
        default_factory=lambda: defaultdict(Decimal))
    no_fund_in: dict[str, Decimal] = field(default_factory=lambda: defaultdict(Decimal))
    first_account: dict[tuple[str | None, str], str] = field(default_factory=dict)


def _flows(books: Books, transaction: data.Transaction) -> _Flows:
    flows = _Flows()
    for posting in transaction.postings:
        weighed = weight(posting)
        if weighed is None:
            continue
        number, currency = weighed
        fund = books.model.fund_of(posting.account)
        if number > 0:
            flows.first_account.setdefault((fund, currency), posting.account)
        if fund is None:
            if number > 0:
                flows.no_fund_in[currency] += number
            continue
        flows.net[fund, currency] += number
        if number < 0 and books.is_assets(posting.account):
            flows.assets_out[fund, currency] -= number
    return flows


def _moved(books: Books, transaction: data.Transaction, flows: _Flows) -> list[Finding]:
    approved = "approval" in (transaction.meta or {})
    findings = []
    for (source, currency), assets_out in flows.assets_out.items():
        out = min(assets_out, -flows.net[source, currency])
        if out <= 0:
            continue
        for (target, target_currency), net in flows.net.items():
            if target != source and target_currency == currency and net > 0:
                findings.append(_finding(transaction, approved, "cross-fund", source,
                                         flows.first_account[target, currency],
                                         min(out, net), currency, target))
        into_no_fund = flows.no_fund_in.get(currency, ZERO)
        if into_no_fund > 0:
            findings.append(_finding(transaction, approved, "diverted", source,
                                     flows.first_account[None, currency],
                                     min(out, into_no_fund), currency, None))
    return findings


def _finding(transaction: data.Transaction, approved: bool, rule: str, source: str,
             account: str, amount: Decimal, currency: str, target: str | None) -> Finding:
    where = f"专项 {target} 的科目 {account}" if target else f"非专项科目 {account}"
    where_en = f"fund {target}'s account {account}" if target else f"non-fund account {account}"
    message = (f"专项 {source} 的资金 {amount} {currency} 转入{where} / "
               f"{amount} {currency} of fund {source} moved to {where_en}")
    if approved:
        document = transaction.meta["approval"]
        message += f"（批准文件 {document} / approved by {document}）"
        rule = "approved-transfer"
    return finding_at(rule, transaction, message, fund=source, account=account,
                      amount=amount, currency=currency)


def check(books: Books) -> list[Finding]:
    """Cross-fund, diverted and approved movements, one pass over the transactions."""
    findings: list[Finding] = []
    for transaction in books.transactions:
        flows = _flows(books, transaction)
        if flows.assets_out:
            findings.extend(_moved(books, transaction, flows))
    return findings
