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
    banks = [account for account in opened if account.startswith("Assets:1002-银行存款:")]
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
                spent[posting.account].append(transaction.date)
    cost = "Expenses:5101-业务活动成本"
    assert max(spent[f"{cost}:建设经费:装修工程"]) <= datetime.date(2012, 9, 30)
    assert min(spent[f"{cost}:社工薪酬:应发工资"]) == datetime.date(2012, 8, 31)
    assert min(spent[f"{cost}:运营经费:社区服务活动"]) >= datetime.date(2012, 10, 1)
    assert min(spent[f"{cost}:运营经费:第三方评估费"]) >= datetime.date(2012, 12, 1)


def test_the_generator_reproduces_the_committed_books(tmp_path: Path) -> None:
    subprocess.run([sys.executable, str(ROOT / "scripts" / "make_demo_books.py"), str(tmp_path)],
                   check=True, capture_output=True)
    for name in ("main.beancount", "accounts.beancount", "import.beancount", "2012.beancount"):
        assert (tmp_path / name).read_bytes() == (DEMO_BOOKS.parent / name).read_bytes(), name


def test_every_allocation_names_its_funder_and_is_met_by_it(entries: data.Directives) -> None:
    model = read_fund_model(entries)
    assert model.allocations and not model.findings
    grant = "Income:4401-政府补助收入:限定性收入"
    assert {allocation.source for allocation in model.allocations} == {
        f"{grant}:区财政:建设经费", f"{grant}:市财政:建设经费",
        f"{grant}:区财政:社工薪酬", f"{grant}:市财政:社工薪酬",
        f"{grant}:区财政:运营经费", f"{grant}:市财政:运营经费"}
    rules = {finding.rule for finding in run_rules(entries, options.OPTIONS_DEFAULTS.copy())}
    assert rules == {"approved-transfer"}
