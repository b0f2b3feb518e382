"""The demo books: realistic, complete, reproducible from their generator."""

import datetime
import re
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pytest
from beancount import loader
from beancount.core import data
from beancount.parser import options

from ledger.check import DEMO_BOOKS
from ledger.model.funds import read_fund_model
from ledger.rules import run_rules

ROOT = Path(__file__).resolve().parent.parent
EVIDENCE = ("invoice", "contract", "payroll")
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def entries() -> data.Directives:
    loaded, errors, _ = loader.load_file(str(DEMO_BOOKS))
    assert errors == []
    return loaded


def _is_spending(posting: data.Posting) -> bool:
    number = posting.units.number if posting.units else None
    return posting.account.startswith("Expenses:") and number is not None and number > 0


def _transactions(entries: data.Directives) -> list[data.Transaction]:
    return [entry for entry in entries if isinstance(entry, data.Transaction)]


def test_at_least_150_transactions_from_april_to_december_2012(
        entries: data.Directives) -> None:
    transactions = _transactions(entries)
    assert len(transactions) >= 150
    assert min(t.date for t in transactions) >= datetime.date(2012, 4, 1)
    assert max(t.date for t in transactions) <= datetime.date(2012, 12, 31)


def test_every_entry_has_a_voucher_and_every_payment_its_evidence(
        entries: data.Directives) -> None:
    for transaction in _transactions(entries):
        assert "voucher" in transaction.meta, transaction
        assert CJK.search(transaction.narration or ""), transaction
        if any(_is_spending(posting) for posting in transaction.postings):
            assert any(key in transaction.meta for key in EVIDENCE), transaction


def test_month_end_balance_for_every_dedicated_bank_account(entries: data.Directives) -> None:
    opened = {e.account: e.date for e in entries if isinstance(e, data.Open)}
    asserted = defaultdict(set)
    for entry in entries:
        if isinstance(entry, data.Balance):
            asserted[entry.account].add(entry.date)
    banks = [account for account in opened if account.startswith("Assets:Bank:Dedicated:")]
    assert len(banks) == 3
    for bank in banks:
        firsts = {datetime.date(2012 + (m == 12), m % 12 + 1, 1) for m in range(4, 13)
                  if datetime.date(2012 + (m == 12), m % 12 + 1, 1) > opened[bank]}
        assert firsts <= asserted[bank], bank


def test_the_plan_timeline(entries: data.Directives) -> None:
    spent: dict[str, list[datetime.date]] = defaultdict(list)
    for transaction in _transactions(entries):
        for posting in transaction.postings:
            if _is_spending(posting):
                spent[":".join(posting.account.split(":")[:3])].append(transaction.date)
    assert max(spent["Expenses:Construction:Renovation"]) <= datetime.date(2012, 9, 30)
    assert min(spent["Expenses:Salary:Wages"]) == datetime.date(2012, 8, 31)
    assert min(spent["Expenses:Operating:Activities"]) >= datetime.date(2012, 10, 1)
    assert min(spent["Expenses:Operating:Evaluation"]) >= datetime.date(2012, 12, 1)


def test_the_generator_reproduces_the_committed_books(tmp_path: Path) -> None:
    subprocess.run([sys.executable, str(ROOT / "scripts" / "make_demo_books.py"), str(tmp_path)],
                   check=True, capture_output=True)
    for name in ("main.beancount", "accounts.beancount", "2012.beancount"):
        assert (tmp_path / name).read_bytes() == (DEMO_BOOKS.parent / name).read_bytes(), name


def test_every_allocation_names_its_funder_and_is_met_by_it(entries: data.Directives) -> None:
    model = read_fund_model(entries)
    assert model.allocations and not model.findings
    assert {allocation.source for allocation in model.allocations} == {
        "Income:Construction:District", "Income:Construction:CitySubsidy",
        "Income:Salary:District", "Income:Salary:CitySubsidy",
        "Income:Operating:District", "Income:Operating:CitySubsidy"}
    rules = {finding.rule for finding in run_rules(entries, options.OPTIONS_DEFAULTS.copy())}
    assert rules == {"approved-transfer"}
