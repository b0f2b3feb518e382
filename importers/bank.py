"""The beangulp importer for the dedicated accounts' bank statements (CSV or xlsx).

Each statement line becomes a transaction on the ledger account the statement belongs to (by
its account number, see :mod:`importers.config`, or the account given on the command line): the
counterparty is the payee, the 摘要 the narration, and ``bank-ref:`` (流水号),
``counterparty:`` and ``counterparty-account:`` go into metadata. The other leg comes from the
first import rule that matches; a line no rule classifies goes to the books' suspense account
(``ImportConfig.suspense``, e.g. ``Equity:Suspense:待查明款项``) flagged ``!``, so nobody mistakes
it for booked. The closing balance becomes a ``balance``
assertion for the day after the last line.
"""

from __future__ import annotations

import datetime
from pathlib import Path

import beangulp
from beancount.core import data, flags
from beancount.core.amount import Amount

from importers.config import ImportConfig, ImportRule
from importers.dedupe import mark_bank_duplicates
from importers.errors import InputError
from importers.opening import (
    book_years,
    likely_year,
    not_yet_open,
    opening_dates,
    year_hint,
)
from importers.outstanding import STATEMENT_START
from importers.profiles import BUILTIN_PROFILES, BankProfile
from importers.statement import Statement, StatementLine, looks_like_statement, read_statement
from importers.tables import read_table

SUFFIXES = (".csv", ".txt", ".xlsx", ".xls")


def day_after(path: str, date: datetime.date) -> datetime.date:
    """The next day; an ``InputError`` at the end of the calendar."""
    if date == datetime.date.max:
        raise InputError(path, f"日期 {date} 之后没有日期，无法记期末余额 / no day follows {date} "
                               "for the closing balance")
    return date + datetime.timedelta(days=1)


def _refuse_before_open(filepath: str, entries: data.Entries, existing: data.Entries) -> None:
    """An ``InputError`` for the first line dated before an account it posts to opens (a typo
    in the year), naming the likely year."""
    opened = opening_dates(existing)
    for entry in entries:
        assert isinstance(entry, data.Transaction)
        found = not_yet_open(opened, (posting.account for posting in entry.postings), entry.date)
        if found is None:
            continue
        account, opening = found
        years = {other.date.year for other in entries if other.date >= opening}
        likely = likely_year(entry.date.year, years or book_years(existing, opening))
        raise InputError(filepath, f"交易日期 {entry.date} 早于科目 {account} 的开设日期 {opening}"
                                   f"{year_hint(likely)}；请核对后重新导出 / the date "
                                   f"{entry.date} is before {account} opens ({opening}): check "
                                   "the year",
                         row=entry.meta.get("lineno"))


class BankStatementImporter(beangulp.Importer):  # type: ignore[misc]
    """Statements of the bank accounts the books name with ``bank-account:``."""

    def __init__(self, config: ImportConfig, account: str | None = None) -> None:
        self.config = config
        self.default_account = account
        self.profiles: tuple[BankProfile, ...] = (*config.profiles, *BUILTIN_PROFILES)
        self.today = datetime.date.today()
        self._read: dict[str, Statement] = {}

    @property
    def name(self) -> str:
        return "earmark.bank-statement"

    def identify(self, filepath: str) -> bool:
        path = Path(filepath)
        return path.suffix.lower() in SUFFIXES and looks_like_statement(read_table(path),
                                                                         self.profiles)

    def statement(self, filepath: str) -> Statement:
        if filepath not in self._read:
            self._read[filepath] = read_statement(read_table(Path(filepath)), self.profiles,
                                                  self.today)
        return self._read[filepath]

    def account(self, filepath: str) -> str:
        number = self.statement(filepath).account_number
        if number is not None:
            account = self.config.account_for(number)
            if account is None:
                raise InputError(filepath, f"账号 {number} 不属于账簿中任何科目（请在专户的 open 上"
                                           "写 bank-account:） / account number "
                                           f"{number} is not in the books (give the account's "
                                           "open a bank-account:)")
            return account
        if self.default_account is None:
            raise InputError(filepath, "文件未注明账号，请用 --account 指定科目 / the file names "
                                       "no account number: give the account with --account")
        return self.default_account

    def date(self, filepath: str) -> datetime.date | None:
        lines = self.statement(filepath).lines
        return lines[-1].date if lines else None

    def extract(self, filepath: str, existing: data.Entries) -> data.Entries:
        statement = self.statement(filepath)
        account = self.account(filepath)
        currency = self.config.currencies.get(account, "CNY")
        entries: data.Entries = [self._transaction(filepath, account, currency, line)
                                 for line in statement.lines]
        _refuse_before_open(filepath, entries, existing)
        closing = statement.closing
        if closing is not None:
            end, balance = closing
            meta = data.new_metadata(filepath, statement.lines[-1].row,
                                     {STATEMENT_START: statement.start})
            entries.append(data.Balance(meta, day_after(filepath, end), account,
                                        Amount(balance, currency), None, None))
        return entries

    def deduplicate(self, entries: data.Entries, existing: data.Entries) -> None:
        mark_bank_duplicates(entries, existing,
                             {payroll.gross for payroll in self.config.payroll})

    def _rule_for(self, account: str, line: StatementLine) -> ImportRule | None:
        direction = 1 if line.amount > 0 else -1
        return next((rule for rule in self.config.rules
                     if rule.bank == account and rule.direction in (0, direction)
                     and rule.pattern.search(getattr(line, rule.field))), None)

    def _transaction(self, filepath: str, account: str, currency: str,
                     line: StatementLine) -> data.Transaction:
        rule = self._rule_for(account, line)
        meta = data.new_metadata(filepath, line.row)
        for key, value in (("bank-ref", line.ref), ("counterparty", line.payee),
                           ("counterparty-account", line.counterparty_account),
                           ("bank-time", line.time)):
            if value:
                meta[key] = value
        if rule is not None and rule.evidence and line.ref:
            meta[rule.evidence] = line.ref  # the bank's own slip: a fee's receipt
        postings = [
            data.Posting(account, Amount(line.amount, currency), None, None, None, None),
            data.Posting(rule.target if rule else self.config.suspense,
                         Amount(-line.amount, currency), None, None, None, None),
        ]
        return data.Transaction(meta, line.date, flags.FLAG_OKAY if rule else flags.FLAG_WARNING,
                                line.payee or None, line.narration, data.EMPTY_SET,
                                data.EMPTY_SET, postings)

