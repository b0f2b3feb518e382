"""One month's reconciliation export, gathered from books loaded and checked once."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from beancount.core import data

from importers.config import read_import_config
from importers.errors import InputError
from importers.profiles import BUILTIN_PROFILES
from importers.statement import StatementLine, read_statement
from importers.tables import read_table
from ledger.check import CheckedBooks
from ledger.model.books import Books
from ledger.model.findings import Finding, Severity
from ledger.model.summary import last_planned, summarize_funds
from reports.budget import BudgetRow, budget_rows
from reports.carry import signed
from reports.contracts import RegisterRow, contract_register
from reports.detail import DetailRow, detail_rows
from reports.flows import AccountBalance, FundMonth, month_flows
from reports.month import Month
from reports.reconcile import (
    ZERO,
    Item,
    Movement,
    Outstanding,
    Reconciliation,
    assertion_balances,
    bank_accounts,
    book_movements,
    carry_unchanged,
    describe_source,
    reconcile_with_figure,
    reconcile_with_statement,
    recorded_figures,
    statement_balance,
)

NOTHING_TO_RECONCILE = "无发生额，余额为零"  # an account at rest (its fund ended): no statement


@dataclass
class MonthlyExport:
    """Everything the month's workbook shows."""

    month: Month
    unit: str
    preparer: str
    made: datetime.date
    funds: list[FundMonth]
    accounts: list[AccountBalance]
    budget: list[BudgetRow]
    reconciliations: list[Reconciliation]
    detail: list[DetailRow]
    findings: list[Finding]
    books_dir: Path | None = None  # findings name their files by their path from here
    fund_names: dict[str, str] = field(default_factory=dict)  # code: Chinese name, declared
    contracts: list[RegisterRow] = field(default_factory=list)  # 合同台账 at the month's end

    def fund_name(self, fund: str | None) -> str:
        """The fund's Chinese name as the books declare it (``custom "fund"``), else its code."""
        return "" if fund is None else self.fund_names.get(fund, fund)

    @property
    def reconciled(self) -> bool:
        return all(reconciliation.reconciled for reconciliation in self.reconciliations)

    @property
    def clean(self) -> bool:
        """No error finding in the month, and every bank account reconciled. Warnings (警告),
        like info, leave the month clean: they ask for a look, not a correction."""
        return self.reconciled and not any(
            finding.severity is Severity.ERROR for finding in self.findings)

    def count(self, severity: Severity) -> int:
        return sum(finding.severity is severity for finding in self.findings)


def books_period(books: Books) -> tuple[datetime.date, datetime.date] | None:
    """The days the books cover: from their first transaction to the later of their horizon
    (last transaction, or the day before the last balance assertion) and their latest plan
    directive not after today (a contract signed after the last payment, say); None for books
    with no transaction."""
    if not books.transactions or books.horizon is None:
        return None
    planned = last_planned(books, datetime.date.today())
    last = books.horizon if planned is None else max(books.horizon, planned)
    return books.transactions[0].date, last


def check_month_in_books(checked: CheckedBooks, month: Month) -> None:
    """``ValueError`` for a month the books do not cover (:func:`books_period`)."""
    period = books_period(checked.books)
    if period is None:
        raise ValueError("账簿中没有任何交易 / the books hold no transaction")
    first, last = period
    if month.last < first or month.first > last:
        raise ValueError(f"{month} 不在账簿期间 {first:%Y-%m} 至 {last:%Y-%m} 内 / {month} is "
                         f"outside the books, {first:%Y-%m} to {last:%Y-%m}")


def _statement_lines(checked: CheckedBooks,
                     paths: list[Path]) -> dict[str, tuple[list[Path], list[StatementLine]]]:
    """Each bank account's statement lines, from the files given, in date order."""
    config = read_import_config(checked.entries)
    profiles = (*config.profiles, *BUILTIN_PROFILES)
    found: dict[str, tuple[list[Path], list[StatementLine]]] = defaultdict(lambda: ([], []))
    for path in paths:
        statement = read_statement(read_table(path), profiles)
        account = config.account_for(statement.account_number or "")
        if account is None:
            raise InputError(path, "对账单未注明账簿中的账号（专户 open 上的 bank-account:） / the "
                                   "statement names no account number the books know")
        files, lines = found[account]
        files.append(path)
        lines.extend(statement.lines)
    for _, lines in found.values():
        lines[:] = sorted(_distinct(lines), key=lambda line: (line.date, line.time))
    return found


def statements_by_month(checked: CheckedBooks, paths: list[Path]) -> dict[str, list[Path]]:
    """The statement files of each month: a statement belongs to every month from its first
    line's to its last line's (one of no line to none). ``InputError`` for one that cannot be
    read."""
    config = read_import_config(checked.entries)
    profiles = (*config.profiles, *BUILTIN_PROFILES)
    months: dict[str, list[Path]] = defaultdict(list)
    for path in paths:
        dates = [line.date for line in read_statement(read_table(path), profiles).lines]
        if not dates:
            continue
        month, last = Month.of(min(dates)), Month.of(max(dates))
        while month <= last:
            months[str(month)].append(path)
            month = month.following()
    return months


def _distinct(lines: list[StatementLine]) -> list[StatementLine]:
    """The lines, each once: overlapping statement files repeat some, perhaps in another
    layout (one without 交易时间, another spelling the payee). A line is its reference, date,
    amount and balance; without a reference, its date, amount, payee and balance (and time,
    where there is no balance). Two lines of one file differ at least in their balance, so
    nothing genuine is lost. Of two copies, the one with a time is kept, to order the day."""
    seen: dict[tuple[object, ...], StatementLine] = {}
    for line in lines:
        key: tuple[object, ...] = ((line.ref, line.date, line.amount, line.balance) if line.ref
                                   else (line.date, line.amount, line.payee, line.balance,
                                         line.time if line.balance is None else ""))
        kept = seen.get(key)
        if kept is None or (line.time and not kept.time):
            seen[key] = line
    return list(seen.values())


def _open_bank_accounts(checked: CheckedBooks, month: Month) -> list[str]:
    """The dedicated bank accounts open at some time in the month."""
    opened = {entry.account: entry.date for entry in checked.entries
              if isinstance(entry, data.Open)}
    closed = {entry.account: entry.date for entry in checked.entries
              if isinstance(entry, data.Close)}
    return [account for account in bank_accounts(checked.books)
            if opened.get(account, month.first) <= month.last
            and closed.get(account, month.last) >= month.first]


def _pending(account: str, month: Month, movements: dict[str, list[Movement]],
             carried: dict[str, list[Item]] | None) -> Outstanding:
    """What may clear on an account this month: its movements, and last month's items."""
    this_month = [item for item in movements[account] if item.date >= month.first]
    earlier = [item for item in movements[account] if item.date < month.first]
    as_movements = [(item.kind, Movement(item.date, signed(item), item.narration, "", ""))
                    for item in (carried or {}).get(account, [])]
    return Outstanding(this_month,
                       [movement for kind, movement in as_movements if kind.startswith("企业")],
                       [movement for kind, movement in as_movements if kind.startswith("银行")],
                       earlier)


def _reconciliations(checked: CheckedBooks, month: Month, statements: list[Path],
                     held: list[AccountBalance],
                     carried: dict[str, list[Item]] | None) -> list[Reconciliation]:
    books = checked.books
    accounts = _open_bank_accounts(checked, month)
    by_account = _statement_lines(checked, statements)
    unknown = sorted(set(by_account) - set(accounts))
    if unknown:
        raise ValueError(f"对账单的科目 {'、'.join(unknown)} 不是本月开设的专项银行账户 / "
                         f"{unknown} is no dedicated bank account open this month")
    previous = (month.first - datetime.timedelta(days=1)).replace(day=1)
    movements = book_movements(books, accounts, previous, month.last)
    balances = {item.account: item.balance for item in held}
    asserted = assertion_balances(checked.entries, month)
    recorded = {figure.account: figure for figure in recorded_figures(checked.entries, month)}
    reconciliations = []
    for account in accounts:
        reconciliation = Reconciliation(account, str(books.kinds[account][0]),
                                        balances.get(account, Decimal(0)), None, "无")
        pending = _pending(account, month, movements, carried)
        if account in by_account:
            files, lines = by_account[account]
            reconciliation.bank_balance = statement_balance(month, lines)
            reconciliation.source = describe_source(files)
            reconcile_with_statement(month, reconciliation, pending, lines, carried is not None)
        elif account in recorded and account not in asserted:
            reconcile_with_figure(reconciliation, pending, recorded[account])
        elif pending.carried_book or pending.carried_bank:
            reconciliation.source = "无本月对账单，上月未达账项照转"
            carry_unchanged(reconciliation, pending)
        elif account in asserted:
            reconciliation.bank_balance = asserted[account]
            reconciliation.source = f"{month.last + datetime.timedelta(days=1)} 余额断言"
        elif not pending.book and reconciliation.book_balance == 0:
            reconciliation.bank_balance = ZERO  # an account at rest: nothing to reconcile
            reconciliation.source = NOTHING_TO_RECONCILE
        reconciliations.append(reconciliation)
    return reconciliations


def build_monthly_export(checked: CheckedBooks, month: Month, statements: list[Path],
                         preparer: str, made: datetime.date,
                         carried: dict[str, list[Item]] | None = None) -> MonthlyExport:
    """The month's export; ``ValueError`` or ``InputError`` for what cannot be exported."""
    check_month_in_books(checked, month)
    books = checked.books
    title = checked.options_map.get("title") or "专项资金账簿"
    findings = [finding for finding in checked.findings
                if month.first <= finding.date <= month.last]
    funds, accounts = month_flows(books, month)
    month_end = summarize_funds(books, month.year, month.last)
    register = contract_register(month_end, [finding for finding in checked.findings
                                             if finding.date <= month.last])
    return MonthlyExport(month, str(title), preparer, made, funds, accounts,
                         budget_rows(books, month, month_end),
                         _reconciliations(checked, month, statements, accounts, carried),
                         detail_rows(books, month), findings, books_folder(checked),
                         {code: fund.name for code, fund in books.model.funds.items()},
                         register)


def books_folder(checked: CheckedBooks) -> Path:
    """The folder of the books' main file, from which findings name their files."""
    return Path(str(checked.options_map.get("filename", checked.path))).absolute().parent
