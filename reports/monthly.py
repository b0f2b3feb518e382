"""One month's reconciliation export, gathered from books loaded and checked once."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from importers.config import read_import_config
from importers.errors import InputError
from importers.profiles import BUILTIN_PROFILES
from importers.statement import StatementLine, read_statement
from importers.tables import read_table
from ledger.check import CheckedBooks
from ledger.model.findings import Finding, Severity
from reports.budget import BudgetRow, budget_rows
from reports.detail import DetailRow, detail_rows
from reports.flows import AccountBalance, FundMonth, month_flows
from reports.month import Month
from reports.reconcile import (
    Reconciliation,
    assertion_balances,
    bank_accounts,
    book_movements,
    describe_source,
    reconcile_with_statement,
    statement_balance,
)


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

    @property
    def reconciled(self) -> bool:
        return all(reconciliation.reconciled for reconciliation in self.reconciliations)

    @property
    def clean(self) -> bool:
        """No error finding in the month, and every bank account reconciled."""
        return self.reconciled and not any(
            finding.severity is Severity.ERROR for finding in self.findings)


def check_month_in_books(checked: CheckedBooks, month: Month) -> None:
    """``ValueError`` for a month the books do not cover."""
    books = checked.books
    if not books.transactions or books.horizon is None:
        raise ValueError("账簿中没有任何交易 / the books hold no transaction")
    first, last = books.transactions[0].date, books.horizon
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
        lines.sort(key=lambda line: (line.date, line.time))
    return found


def _reconciliations(checked: CheckedBooks, month: Month, statements: list[Path],
                     held: list[AccountBalance]) -> list[Reconciliation]:
    books = checked.books
    accounts = bank_accounts(books)
    by_account = _statement_lines(checked, statements)
    unknown = sorted(set(by_account) - set(accounts))
    if unknown:
        raise ValueError(f"对账单的科目 {'、'.join(unknown)} 不是专项银行账户 / {unknown} is no "
                         "dedicated bank account")
    previous = (month.first - datetime.timedelta(days=1)).replace(day=1)
    movements = book_movements(books, accounts, previous, month.last)
    balances = {item.account: item.balance for item in held}
    asserted = assertion_balances(checked.entries, month)
    reconciliations = []
    for account in accounts:
        reconciliation = Reconciliation(account, str(books.kind(account)[0]),
                                        balances.get(account, Decimal(0)), None, "无")
        if account in by_account:
            files, lines = by_account[account]
            reconciliation.bank_balance = statement_balance(month, lines)
            reconciliation.source = describe_source(files)
            reconcile_with_statement(month, reconciliation, movements[account], lines)
        else:
            reconciliation.bank_balance = asserted.get(account)
            if reconciliation.bank_balance is not None:
                reconciliation.source = f"{month.last + datetime.timedelta(days=1)} 余额断言"
        reconciliations.append(reconciliation)
    return reconciliations


def build_monthly_export(checked: CheckedBooks, month: Month, statements: list[Path],
                         preparer: str, made: datetime.date) -> MonthlyExport:
    """The month's export; ``ValueError`` or ``InputError`` for what cannot be exported."""
    check_month_in_books(checked, month)
    books = checked.books
    title = checked.options_map.get("title") or "专项资金账簿"
    findings = [finding for finding in checked.findings
                if month.first <= finding.date <= month.last]
    funds, accounts = month_flows(books, month)
    return MonthlyExport(month, str(title), preparer, made, funds, accounts,
                         budget_rows(books, month),
                         _reconciliations(checked, month, statements, accounts),
                         detail_rows(books, month), findings)
