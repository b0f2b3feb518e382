"""What the books hold that a plan refers to, and the accounts a plan's cells name.

:class:`BooksPlan` indexes the loaded books once: the funds, each fund's accounts by root, the
parents of accounts owned by a fund, and where each fund's new accounts go in the chart.
:class:`PlanAccounts` turns a 科目 or 来源 cell into an account of the row's fund, noting the
accounts to open and, for a new 科目 one character away from an existing one, a note.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from beancount.core import data
from beancount.core.account_types import AccountTypes
from beancount.parser import options

from ledger.files import path_from_books
from ledger.model.account_names import is_account_name
from ledger.model.chart import DEFAULT_COSTS, FundAccounts, code_of
from ledger.model.funds import FundModel

GRANT_SOURCES = ("区财政", "市财政")
GRANT_CODE = "4401"  # 政府补助收入
DEFAULT_COST_CODE = "5101"  # 业务活动成本
BANK_FEE = "银行手续费"
# A new expense sub-account's chart code by its name, whatever its fund: as any default fund
# has it (办公费 → 5201 管理费用), 银行手续费 under 5301 筹资费用; else 5101.
COST_CODES = {**{name: code for costs in DEFAULT_COSTS.values() for name, code in costs},
              BANK_FEE: "5301"}


class RowProblem(Exception):
    """A cell of a row that cannot be read, with its column."""

    def __init__(self, column: str, message: str) -> None:
        super().__init__(message)
        self.column = column
        self.message = message


@dataclass(frozen=True)
class Opening:
    """An account the plan names that the books lack: to be opened with its fund."""

    account: str
    fund: str
    description: str


@dataclass(frozen=True)
class BooksPlan:
    """What the books declare that a plan refers to, indexed once."""

    model: FundModel
    roots: AccountTypes
    opened: frozenset[str]
    currency: str
    folder: Path  # the main file's folder: places in the books are named from it
    accounts: dict[tuple[str, str], list[str]]  # (fund, root): the fund's accounts, sorted
    below: dict[str, frozenset[str | None]]  # a parent: the funds of the accounts under it
    charts: dict[str, FundAccounts]  # fund: where its new accounts go

    def place_of(self, entry: data.Directive) -> str:
        """Where an entry of the books is: ``plan/2013.beancount:12``."""
        name = path_from_books(str(entry.meta.get("filename")), self.folder)
        return f"{name}:{entry.meta.get('lineno')}"

    def fund_code(self, text: str) -> str | None:
        """The fund a cell names by its code or its declared name."""
        if text in self.model.funds:
            return text
        return next((fund.code for fund in self.model.funds.values() if fund.name == text), None)

    def fund_accounts(self, fund: str, root: str) -> list[str]:
        """The fund's own accounts under ``root``, sorted."""
        return self.accounts.get((fund, root), [])


def books_plan(entries: data.Directives, options_map: dict[str, Any],
               model: FundModel) -> BooksPlan:
    """The books' index for a plan, from the loaded entries and their fund model."""
    roots = options.get_account_types(options_map)  # type: ignore[no-untyped-call]
    opened = frozenset(entry.account for entry in entries if isinstance(entry, data.Open))
    currencies = options_map.get("operating_currency") or ["CNY"]
    folder = Path(str(options_map.get("filename", "."))).parent
    accounts: dict[tuple[str, str], list[str]] = defaultdict(list)
    for account, fund in sorted(model.account_fund.items()):
        accounts[(fund, account.split(":")[0])].append(account)
    below: dict[str, set[str | None]] = defaultdict(set)
    for account in opened:
        parts = account.split(":")
        for end in range(1, len(parts)):
            below[":".join(parts[:end])].add(model.fund_of(account))
    charts = {code: _chart_of(code, fund.name, accounts, roots)
              for code, fund in model.funds.items()}
    return BooksPlan(model, roots, opened, str(currencies[0]), folder, dict(accounts),
                     {parent: frozenset(funds) for parent, funds in below.items()}, charts)


def _chart_of(fund: str, name: str, accounts: dict[tuple[str, str], list[str]],
              roots: AccountTypes) -> FundAccounts:
    """Where the fund's new accounts go in the chart: under the component its chart expense
    accounts use after their coded parent (建设经费), else the last component of its chart
    income accounts (…:区财政:建设经费), else its name."""
    costs = [account.split(":") for account in accounts.get((fund, roots.expenses), [])
             if code_of(account)]
    incomes = [account.split(":") for account in accounts.get((fund, roots.income), [])
               if code_of(account)]
    shorts = ([parts[2] for parts in costs if len(parts) > 3]
              + [parts[-1] for parts in incomes if len(parts) > 2])
    return FundAccounts(fund, name, shorts[0] if shorts else name)


def one_apart(first: str, second: str) -> bool:
    """Whether two names differ by exactly one character (one changed, added or dropped)."""
    if first == second or abs(len(first) - len(second)) > 1:
        return False
    if len(first) == len(second):
        return sum(a != b for a, b in zip(first, second, strict=True)) == 1
    short, long = sorted((first, second), key=len)
    index = next((i for i, (a, b) in enumerate(zip(short, long, strict=False)) if a != b),
                 len(short))
    return short[index:] == long[index + 1:]


@dataclass
class PlanAccounts:
    """The accounts the plan's cells name: those to open, and notes on likely typos."""

    books: BooksPlan
    to_open: dict[str, Opening] = field(default_factory=dict)
    near: dict[str, str] = field(default_factory=dict)  # a new account: an existing one like it

    def budget_account(self, fund: str, text: str, column: str) -> str:
        """The Expenses account a 科目 cell names for the fund; a new one is noted to open."""
        books = self.books
        if not text:
            raise RowProblem(column, "科目为空 / the account is blank")
        if ":" in text:
            return self._named(column, fund, text, books.roots.expenses, "支出", new=True)
        mine = [account for account in books.fund_accounts(fund, books.roots.expenses)
                if account.split(":")[-1] == text]
        account = self._one(column, fund, text, mine, "支出")
        if account is not None:
            return account
        code = COST_CODES.get(text, DEFAULT_COST_CODE)
        account = self._new(column, fund, books.charts[fund].cost(text, code), text)
        close = [name for name in books.fund_accounts(fund, books.roots.expenses)
                 if one_apart(name.split(":")[-1], text)]
        close += [name for other in books.model.funds if other != fund
                  for name in books.fund_accounts(other, books.roots.expenses)
                  if name.split(":")[-1] == text]  # another fund's item: a wrong 专项?
        if close and account in self.to_open:
            self.near.setdefault(account, close[0])
        return account

    def source(self, fund: str, text: str, column: str) -> str:
        """The Income account a 来源 cell names for the fund: 区财政 / 市财政 (a new grant
        account where the fund has none from that funder), a component of one of the fund's
        Income accounts, or the full name of one (opened, with the fund's ``fund:``; a
        parent of them is none, and nothing is opened from a full name); anything else is
        refused."""
        books = self.books
        if not text:
            raise RowProblem(column, "来源为空 / the source is blank")
        if ":" in text:
            named = self._named(column, fund, text, books.roots.income, "收入", new=False)
            if named not in books.fund_accounts(fund, books.roots.income):
                raise RowProblem(column, self._sources_accepted(fund, text))
            return named
        mine = [account for account in books.fund_accounts(fund, books.roots.income)
                if text in account.split(":")[1:]]
        account = self._one(column, fund, text, mine, "收入")
        if account is not None:
            return account
        if text in GRANT_SOURCES:
            return self._new(column, fund, books.charts[fund].grant(text), f"{text}拨款")
        raise RowProblem(column, self._sources_accepted(fund, text))

    def _sources_accepted(self, fund: str, text: str) -> str:
        incomes = self.books.fund_accounts(fund, self.books.roots.income)
        listed = "、".join(incomes) or "（无 / none）"
        return (f"无法识别的来源“{text}”：应为 {'、'.join(GRANT_SOURCES)}，或专项 {fund} 的收入"
                f"科目名（其收入科目：{listed}） / unknown source {text!r}: give "
                f"{' or '.join(GRANT_SOURCES)}, or a name or the full name of one of fund "
                f"{fund}'s Income accounts")

    def _one(self, column: str, fund: str, text: str, mine: list[str], what: str) -> str | None:
        if len(mine) > 1:
            raise RowProblem(column, f"专项 {fund} 有多个名为“{text}”的{what}科目，请写明科目全名："
                                     f"{'、'.join(mine)} / several {what} accounts of fund "
                                     f"{fund} are named {text}: give the full account")
        return mine[0] if mine else None

    def _named(self, column: str, fund: str, account: str, root: str, what: str, *,
               new: bool) -> str:
        """An account a cell gives by its full name: of the fund, under ``root``; a new one
        is noted to open (where ``new`` allows), a parent of the fund's accounts is taken as
        it is."""
        books = self.books
        if not is_account_name(account, books.roots) or account.split(":")[0] != root:
            raise RowProblem(column, f"“{account}”不是{what}科目（应以 {root}: 开头） / "
                                     f"{account!r} is not an {root} account")
        owner = books.model.fund_of(account)
        if owner is None and account in books.opened:
            owner = "（不属于任何专项 / no fund）"
        others = books.below.get(account, frozenset()) - {fund}
        if (owner is not None and owner != fund) or others:
            other = owner if owner is not None and owner != fund else "、".join(
                sorted(str(name) for name in others))
            raise RowProblem(column, f"科目 {account} 属于 {other}，不是专项 {fund} 的科目 / "
                                     f"{account} is not an account of fund {fund}")
        if owner is None and account not in books.below:
            if not new:
                raise RowProblem(column, self._sources_accepted(fund, account))
            return self._new(column, fund, account, account.split(":")[-1])
        return account

    def _new(self, column: str, fund: str, account: str, description: str) -> str:
        if not is_account_name(account, self.books.roots):
            raise RowProblem(column, f"“{description}”不能用作科目名（不能含空格或半角标点） / "
                                     f"{description!r} cannot name an account")
        owner = self.books.model.fund_of(account)
        if owner is not None and owner != fund:
            raise RowProblem(column, f"科目 {account} 属于专项 {owner} / {account} belongs to "
                                     f"fund {owner}")
        if account not in self.books.opened:
            self.to_open.setdefault(account, Opening(account, fund, description))
        return account
