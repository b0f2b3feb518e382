"""Funds, the accounts that belong to them, and the allocations announced for them.

Read from the books in one pass over the non-transaction directives:

    2012-01-01 custom "fund" "construction" "示范点建设经费"
      end: 2012-09-30
    2012-01-01 open Assets:1002-银行存款:建设经费专户 CNY
      fund: "construction"
    2012-06-01 custom "allocation" "construction" 100000.00 CNY
      due: 2012-07-01
      source: Income:4401-政府补助收入:限定性收入:区财政:建设经费

An allocation's ``source:`` names its funder: an Income account of the fund, or a parent of
some; it is then met only by the receipts on that source (see :mod:`ledger.rules.withheld`).

An account belongs to a fund when its ``open`` carries ``fund:``; other accounts belong to none.
An ``open`` carrying ``kind: "cash"`` declares a cash account (so does the chart's code 1001, 现金,
or a ``Cash`` name component).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from beancount.core import account as account_lib
from beancount.core import data
from beancount.core.account_types import DEFAULT_ACCOUNT_TYPES, AccountTypes
from beancount.core.amount import Amount

from ledger.model.budget import Budgets, read_budget_directive
from ledger.model.contracts import CONTRACT_TYPE, Contract, ContractTerms, read_contract_directive
from ledger.model.findings import (
    Finding,
    custom_values,
    finding_at,
    shown_values,
    written_value,
)
from ledger.model.policy import Policy, read_policy_directive
from ledger.model.seal import SEAL_TYPE, Seal, read_seal_directive


@dataclass(frozen=True)
class Fund:
    """An earmarked fund (专项资金) as declared by ``custom "fund"``."""

    code: str
    name: str
    declared: datetime.date
    end: datetime.date | None
    entry: data.Custom


@dataclass(frozen=True)
class Allocation:
    """Money announced for a fund, to be received by its due date."""

    fund: str
    amount: Decimal
    currency: str
    date: datetime.date
    due: datetime.date
    entry: data.Custom
    source: str | None = None  # the funder's Income account (or a parent of the fund's ones)


@dataclass
class FundModel:
    """What the books declare: funds, account ownership, budgets, policy, allocations."""

    funds: dict[str, Fund] = field(default_factory=dict)
    account_fund: dict[str, str] = field(default_factory=dict)
    budgets: Budgets = field(default_factory=Budgets)
    policy: Policy = field(default_factory=Policy)
    allocations: list[Allocation] = field(default_factory=list)
    cash_accounts: set[str] = field(default_factory=set)  # declared by kind: "cash"
    seals: list[Seal] = field(default_factory=list)  # sealed months, see ledger.model.seal
    contracts: dict[str, Contract] = field(default_factory=dict)  # by number
    findings: list[Finding] = field(default_factory=list)

    def fund_of(self, account: str) -> str | None:
        """The fund an account belongs to, or None."""
        return self.account_fund.get(account)


def read_fund_model(entries: data.Directives,
                    roots: AccountTypes = DEFAULT_ACCOUNT_TYPES) -> FundModel:
    """Build the fund model from the books' directives, with findings for malformed ones;
    ``roots`` are the books' names of the five root accounts: cash accounts must be under
    Assets, an allocation's ``source:`` under Income, a budget line's account under any."""
    model = FundModel()
    pending: list[tuple[data.Custom, str, Amount]] = []
    signed: list[data.Custom] = []
    bad_lines: list[tuple[data.Custom, str]] = []
    fund_opens: list[data.Open] = []
    opens: dict[str, data.Open] = {}
    for entry in entries:
        if isinstance(entry, data.Open):
            opens.setdefault(entry.account, entry)
            if entry.meta and "fund" in entry.meta:
                fund_opens.append(entry)
            if entry.meta and "kind" in entry.meta:
                _read_account_kind(model, entry, roots.assets)
        elif isinstance(entry, data.Custom) and entry.type == CONTRACT_TYPE:
            signed.append(entry)
        elif isinstance(entry, data.Custom):
            _read_custom(model, entry, pending, bad_lines, roots)
    for entry in fund_opens:
        _read_fund_open(model, entry)
    for entry, message in bad_lines:
        model.findings.append(finding_at("bad-directive", entry, message,
                                         fund=_budget_fund(model, entry)))
    for entry in signed:
        _add_contract(model, entry, opens, roots)
    sources = _income_sources(model, roots.income) if pending else set()
    for entry, fund, amount in pending:
        _add_allocation(model, entry, fund, amount, sources)
    return model


def _read_custom(model: FundModel, entry: data.Custom,
                 pending: list[tuple[data.Custom, str, Amount]],
                 bad_lines: list[tuple[data.Custom, str]], roots: AccountTypes) -> None:
    if entry.type == "fund":
        _read_fund(model, entry)
    elif entry.type == "budget":
        budget = read_budget_directive(entry, roots)
        if isinstance(budget, str):
            bad_lines.append((entry, budget))  # reported under its fund, once funds are known
        else:
            model.budgets.add(budget)
    elif entry.type == "fund-policy":
        policy = read_policy_directive(entry)
        if isinstance(policy, str):
            model.findings.append(finding_at("bad-policy", entry, policy))
        else:
            model.policy.set(policy[0], entry.date, policy[1])
    elif entry.type == SEAL_TYPE:
        seal = read_seal_directive(entry)
        if isinstance(seal, str):
            model.findings.append(finding_at("bad-directive", entry, seal))
        else:
            model.seals.append(seal)
    elif entry.type == "allocation":
        allocation = read_allocation_directive(entry)
        if isinstance(allocation, str):
            model.findings.append(finding_at("bad-directive", entry, allocation))
        else:
            pending.append((entry, *allocation))


def _budget_fund(model: FundModel, entry: data.Custom) -> str | None:
    """The fund a budget directive's account belongs to: its own, else the one fund of the
    accounts below it (None for several or none)."""
    values = custom_values(entry)
    account = values[0] if values and isinstance(values[0], str) else None
    if account is None:
        return None
    own = model.fund_of(account)
    if own is not None:
        return own
    below = {fund for name, fund in model.account_fund.items()
             if name.startswith(account + ":")}
    return below.pop() if len(below) == 1 else None


def _add_contract(model: FundModel, entry: data.Custom, opens: dict[str, data.Open],
                  roots: AccountTypes) -> None:
    """A contract's signing or change, once every fund and account is known (directives in
    date order, so a change finds the terms it keeps)."""
    terms = read_contract_directive(entry, roots, model.contracts)
    if isinstance(terms, str):
        values = custom_values(entry)
        fund = values[1] if len(values) > 1 and isinstance(values[1], str) else None
        model.findings.append(finding_at("bad-directive", entry, terms, fund=fund or None))
        return
    if terms.fund not in model.funds:
        model.findings.append(finding_at(
            "bad-directive", terms.entry, f"合同 {terms.number} 指向未声明的专项 {terms.fund} / "
            f"contract {terms.number} names undeclared fund {terms.fund}", fund=terms.fund))
        return
    wrong = _wrong_account(model, terms, opens)
    if wrong is not None:
        model.findings.append(finding_at("bad-directive", terms.entry, wrong, fund=terms.fund,
                                         account=terms.account))
        return
    contract = model.contracts.get(terms.number)
    if contract is None:
        model.contracts[terms.number] = Contract(terms.number, terms.fund, [terms])
    elif contract.fund != terms.fund or contract.latest.currency != terms.currency:
        first = contract.terms[0].entry.meta
        where = f"{first['filename']}:{first['lineno']}"
        model.findings.append(finding_at(
            "bad-directive", terms.entry,
            f"合同号 {terms.number} 已由专项 {contract.fund} 以 {contract.latest.currency} 签订"
            f"（{where}），变更须为同一专项、同一币种 / contract {terms.number} was signed by fund "
            f"{contract.fund} in {contract.latest.currency} ({where}): a change keeps both",
            fund=terms.fund))
    else:
        contract.terms.append(terms)


def _wrong_account(model: FundModel, terms: ContractTerms,
                   opens: dict[str, data.Open]) -> str | None:
    """What is wrong with the contract's ``account:``: not opened by the directive's date, not
    of the contract's fund, or opened for other currencies than the contract's; None if
    nothing."""
    account, fund, currency = terms.account, terms.fund, terms.currency
    opened = opens.get(account or "")
    if account is None or opened is None or opened.date > terms.date:
        return (f"合同 {terms.number} 的 account: {account} 在 {terms.date} 尚未开设（无 open "
                f"指令），请核对科目名称 / contract {terms.number}: account {account} is not "
                f"open on {terms.date} (no open directive): check its name")
    owner = model.fund_of(account)
    if owner != fund:
        zh, en = (f"属于专项 {owner}", f"belongs to fund {owner}") if owner else (
            "不属于任何专项", "belongs to no fund")
        return (f"合同 {terms.number} 属于专项 {fund}，其 account: {account} {zh} / contract "
                f"{terms.number} is of fund {fund}, its account {account} {en}")
    if opened.currencies and currency not in opened.currencies:
        allowed = "、".join(opened.currencies)
        return (f"合同 {terms.number} 币种为 {currency}，其 account: {account} 只记 {allowed} / "
                f"contract {terms.number} is in {currency}, its account {account} takes only "
                f"{', '.join(opened.currencies)}")
    return None


def read_allocation_directive(entry: data.Custom) -> tuple[str, Amount] | str:
    """The (fund, amount) of an allocation directive, or a message saying what is wrong."""
    values = custom_values(entry)
    if (len(values) == 2 and isinstance(values[0], str) and isinstance(values[1], Amount)
            and values[1].number is not None and values[1].number > 0):
        return values[0], values[1]
    return ('拨款指令应为 custom "allocation" "专项代码" 正金额 币种，实为 '
            f'{shown_values(entry)} / expected custom "allocation" "FUND" AMOUNT CURRENCY '
            '(amount > 0)')


def _read_fund(model: FundModel, entry: data.Custom) -> None:
    values = custom_values(entry)
    end = (entry.meta or {}).get("end")
    if (len(values) != 2 or not all(isinstance(value, str) for value in values)
            or not (end is None or isinstance(end, datetime.date))):
        model.findings.append(finding_at(
            "bad-directive", entry,
            '专项声明应为 custom "fund" "代码" "名称"（end: 为日期），实为 '
            f'{shown_values(entry)} / expected custom "fund" "CODE" "NAME" with an optional '
            'end: DATE'))
        return
    code, name = values
    earlier = model.funds.get(code)
    if earlier is not None:
        where = f"{earlier.entry.meta['filename']}:{earlier.entry.meta['lineno']}"
        model.findings.append(finding_at(
            "bad-directive", entry, f"专项 {code} 重复声明（首次声明于 {where}） / "
                                    f"fund {code} declared twice (first at {where})",
            fund=code))
        return
    model.funds[code] = Fund(code, name, entry.date, end, entry)


def _read_fund_open(model: FundModel, entry: data.Open) -> None:
    code = entry.meta["fund"]
    if not isinstance(code, str):
        model.findings.append(finding_at(
            "bad-directive", entry, f"fund: 应为带引号的专项代码，实为 {written_value(code)} / "
                                    f"fund: must be a quoted fund code, got "
                                    f"{written_value(code)}",
            account=entry.account))
        return
    model.account_fund[entry.account] = code
    if code not in model.funds:
        model.findings.append(finding_at(
            "unknown-fund", entry, f"科目 {entry.account} 属于未声明的专项 {code} / "
                                   f"account {entry.account} names undeclared fund {code}",
            fund=code, account=entry.account))


def _read_account_kind(model: FundModel, entry: data.Open, assets_root: str) -> None:
    kind = entry.meta["kind"]
    if kind == "cash" and account_lib.root(1, entry.account) == assets_root:
        model.cash_accounts.add(entry.account)
        return
    model.findings.append(finding_at(
        "bad-directive", entry,
        f'kind: 只能为 "cash"，且只用于 {assets_root} 科目，实为 {written_value(kind)} / '
        f'kind: must be "cash", on an {assets_root} account; got {written_value(kind)}',
        account=entry.account))


def _income_sources(model: FundModel, income_root: str) -> set[tuple[str, str]]:
    """Each fund with every Income account of its own and every parent of one (below the
    root): what an allocation's ``source:`` may name."""
    sources: set[tuple[str, str]] = set()
    for account, fund in model.account_fund.items():
        parts = account.split(":")
        if parts[0] == income_root:
            sources.update((fund, ":".join(parts[:end])) for end in range(2, len(parts) + 1))
    return sources


def _add_allocation(model: FundModel, entry: data.Custom, fund: str, amount: Amount,
                    sources: set[tuple[str, str]]) -> None:
    assert amount.number is not None
    if fund not in model.funds:
        model.findings.append(finding_at(
            "unknown-fund", entry, f"拨款指向未声明的专项 {fund} / "
                                   f"allocation names undeclared fund {fund}",
            fund=fund, amount=amount.number, currency=amount.currency))
        return
    due = _due_date(model, entry)
    source = (entry.meta or {}).get("source")
    if isinstance(due, str):
        model.findings.append(finding_at("bad-directive", entry, due, fund=fund))
    elif source is not None and (fund, source) not in sources:
        model.findings.append(finding_at(
            "bad-directive", entry,
            f"source: 应为专项 {fund} 的收入科目（或其上级科目），实为 {source} / "
            f"source: must be an Income account of fund {fund} (or a parent of one), "
            f"got {source}", fund=fund))
    else:
        model.allocations.append(Allocation(fund, amount.number, amount.currency, entry.date,
                                            due, entry, source))


def _due_date(model: FundModel, entry: data.Custom) -> datetime.date | str:
    """The allocation's due date, or a message saying why it has none."""
    due = (entry.meta or {}).get("due")
    if due is None:
        days = model.policy.days("allocation-due-days", entry.date)
        if entry.date > datetime.date.max - datetime.timedelta(days=days):
            return (f"拨款日期 {entry.date} 加 {days} 天超出日期范围，请写明 due: / "
                    f"{entry.date} plus {days} days is past the last date: give due:")
        return entry.date + datetime.timedelta(days=days)
    if not isinstance(due, datetime.date):
        return (f"due: 应为日期，实为 {written_value(due)} / due: must be a date, got "
                f"{written_value(due)}")
    return due
