"""The demo books: realistic, complete, reproducible from their generator."""

import datetime
import re
import subprocess
import sys
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import pytest
from beancount import loader
from beancount.core import data
from beancount.parser import options

from ledger.check import DEMO_BOOKS
from ledger.model.books import read_books
from ledger.model.contracts import contract_moves, contract_positions
from ledger.model.funds import read_fund_model
from ledger.model.voucher import read_voucher
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


CONSTRUCTION_BANK = "Assets:1002-银行存款:建设经费专户"
RETENTION = "Liabilities:2209-其他应付款:工程质保金"


def _contracts(entries: data.Directives) -> list[data.Custom]:
    return [entry for entry in entries
            if isinstance(entry, data.Custom) and entry.type == "contract"]


def _units(posting: data.Posting) -> Decimal:
    assert posting.units is not None and posting.units.number is not None
    return posting.units.number


def _quoting(entries: data.Directives, number: str) -> list[data.Transaction]:
    return [t for t in _transactions(entries) if t.meta.get("contract") == number]


def test_every_contract_quoted_is_registered_before_its_first_payment(
        entries: data.Directives) -> None:
    signed = {entry.values[0].value: entry.date for entry in reversed(_contracts(entries))}
    quoted = {t.meta["contract"] for t in _transactions(entries) if "contract" in t.meta}
    assert set(signed) == quoted == {
        "东山采〔2012〕03号", "东山采〔2012〕08号", "东山采〔2012〕11号", "东山社工〔2012〕03号",
        "东山采〔2012〕21号"}
    for number, date in signed.items():
        assert date < min(t.date for t in _quoting(entries, number)), number
    # The renovation is signed after its bids were opened, the equipment 20 days after its
    # tender notice at the earliest, the design once the site was chosen.
    assert datetime.date(2012, 6, 28) < signed["东山采〔2012〕08号"]
    assert datetime.date(2012, 7, 23) <= signed["东山采〔2012〕11号"]
    assert datetime.date(2012, 4, 27) < signed["东山采〔2012〕03号"]


def test_each_contract_names_its_payee_and_the_line_its_payments_charge(
        entries: data.Directives) -> None:
    assert len(_contracts(entries)) == 6  # five contracts and the equipment's 补充协议
    for contract in _contracts(entries):
        number = contract.values[0].value
        payments = _quoting(entries, number)
        assert {t.payee for t in payments} == {contract.meta["payee"]}, number
        charged = {p.account for t in payments for p in t.postings
                   if p.account.startswith("Expenses:")}
        assert charged == {contract.meta["account"]}, number


def test_the_payments_under_each_contract_add_up_to_its_sum_in_force(
        entries: data.Directives) -> None:
    in_force = {entry.values[0].value: entry.values[2].value.number
                for entry in _contracts(entries)}  # in date order: the last is in force
    for number, amount in in_force.items():
        charged = sum((_units(p) for t in _quoting(entries, number) for p in t.postings
                       if p.account.startswith("Expenses:")), Decimal(0))
        assert charged == amount, number
    assert in_force["东山采〔2012〕08号"] == Decimal("368000.00")
    assert in_force["东山采〔2012〕11号"] == Decimal("127340.00")  # less the returned screen


def test_the_renovation_holds_back_its_retention_until_the_warranty_ends(
        entries: data.Directives) -> None:
    """5% of the renovation is owed, not paid, at the end of the books: the construction
    account keeps it after the rest of the savings went back to the district."""
    [signing] = [c for c in _contracts(entries) if c.values[0].value == "东山采〔2012〕08号"]
    share, until = signing.meta["retention"], signing.meta["retention-until"]
    assert share == Decimal("0.05") and until == datetime.date(2013, 9, 5)
    held = signing.values[2].value.number * share
    paid = Decimal(0)
    for transaction in _quoting(entries, "东山采〔2012〕08号"):
        paid -= sum((_units(p) for p in transaction.postings
                     if p.account == CONSTRUCTION_BANK), Decimal(0))
        assert transaction.date < until
        assert paid <= signing.values[2].value.number - held, transaction.date
    owed = bank = Decimal(0)
    for transaction in _transactions(entries):
        for posting in transaction.postings:
            owed -= _units(posting) if posting.account == RETENTION else 0
            bank += _units(posting) if posting.account == CONSTRUCTION_BANK else 0
    assert owed == bank == held == Decimal("18400.00")


def test_the_contracts_are_read_by_the_model_and_all_settled_at_year_end(
        entries: data.Directives) -> None:
    books = read_books(entries, options.OPTIONS_DEFAULTS.copy())
    moves = []
    for transaction in books.transactions:
        voucher = read_voucher(transaction, books.kinds, books.account_types)
        moves += contract_moves(transaction, voucher.legs, books.model.contracts,
                                books.account_types)
    positions = contract_positions(books.model.contracts, moves, datetime.date(2012, 12, 31))
    assert set(positions) == set(books.model.contracts)
    assert all(position.committed == 0 for position in positions.values())
    renovation = positions.pop("东山采〔2012〕08号")  # charged to its sum, its 质保金 still held
    assert (renovation.charged, renovation.paid) == (Decimal("368000.00"), Decimal("349600.00"))
    assert renovation.retention_held == Decimal("18400.00")
    assert {p.status for p in positions.values()} == {"paid"}
    assert sum(p.retention_held for p in positions.values()) == 0  # the others hold none
    summer = contract_positions(books.model.contracts, moves, datetime.date(2012, 7, 31))
    assert summer["东山采〔2012〕08号"].committed == Decimal("257600.00")  # 70% still to come
    assert summer["东山采〔2012〕11号"].committed == Decimal("128600.00")  # signed that day
