"""Movement rules: 挪用 (cross-fund), 挤占 (diverted) and 经批准调剂 (approved-transfer).

Money paid out of a fund (credits to its Assets, or to its Liabilities: money it now owes) that,
within the same transaction, ends up with another owner rather than on the fund's own accounts
(see :mod:`ledger.model.flows` for the matching):

- with another fund: ``cross-fund``;
- on accounts that belong to no fund: ``diverted``.

A payment split between funds, each paying its own share, is quiet; so is a fund paying its own
payables or moving money between its own accounts. A transaction carrying ``approval:`` (not
empty) is an approved adjustment: its movements are reported as ``approved-transfer``, severity
info.
"""

from __future__ import annotations

from beancount.core import data

from ledger.model.books import Books
from ledger.model.evidence import has_any
from ledger.model.findings import Finding, finding_at
from ledger.model.flows import Transfer
from ledger.model.voucher import Voucher
from ledger.rules.rule import RuleCheck

APPROVAL = ("approval",)


def _finding(books: Books, transaction: data.Transaction, transfer: Transfer) -> Finding:
    account, target = transfer.account, transfer.target
    money = f"{transfer.amount} {transfer.currency}"
    verb = "转入" if books.is_assets(account) or books.is_liabilities(account) else "用于"
    if target is None:
        where, where_en = f"非专项科目 {account}", f"non-fund account {account}"
    else:
        where, where_en = f"专项 {target} 的科目 {account}", f"fund {target}'s {account}"
    message = (f"专项 {transfer.source} 的资金 {money} {verb}{where} / "
               f"{money} of fund {transfer.source} went to {where_en}")
    rule = "cross-fund" if target else "diverted"
    if has_any(transaction.meta, APPROVAL):  # an empty approval: is no approval
        document = str(transaction.meta["approval"]).strip()
        message += f"（批准文件 {document} / approved by {document}）"
        rule = "approved-transfer"
    return finding_at(rule, transaction, message, fund=transfer.source, account=account,
                      amount=transfer.amount, currency=transfer.currency)


class Movements(RuleCheck):
    """Cross-fund, diverted and approved movements."""

    def visit(self, voucher: Voucher) -> None:
        flows = voucher.flows
        if flows is not None and flows.transfers:
            self.found.extend(_finding(self.books, voucher.transaction, transfer)
                              for transfer in flows.transfers if transfer.kind == "paid")
