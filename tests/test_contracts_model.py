"""Contracts read from the books, and what a transaction charges and pays under one."""

from __future__ import annotations

import datetime
from decimal import Decimal

from beancount import loader

from ledger.model.books import Books, read_books
from ledger.model.contracts import contract_moves, contract_positions
from ledger.model.voucher import read_voucher
from ledger.rules import run_checks
from tests.helpers import HEADER

CONTRACT = """\
2012-03-01 custom "contract" "HT-001" "construction" 10000.00 CNY
  payee: "装饰公司"
  account: Expenses:Construction:Equipment
  retention: 0.05
  retention-until: 2012-12-31
"""


def books_of(text: str) -> Books:
    entries, errors, options = loader.load_string(HEADER + text)
    assert errors == [], errors
    return read_books(entries, options)


def test_a_contract_and_its_change_are_read_with_their_terms() -> None:
    books = books_of(CONTRACT + '2012-05-01 custom "contract" "HT-001" "construction" '
                                '12000.00 CNY\n  account: Expenses:Construction:Equipment\n')
    contract = books.model.contracts["HT-001"]
    assert contract.signed == datetime.date(2012, 3, 1)
    assert contract.in_force(datetime.date(2012, 2, 28)) is None
    amounts = [terms.amount if terms else None for terms in
               (contract.in_force(datetime.date(2012, 4, 30)),
                contract.in_force(datetime.date(2012, 5, 1)))]
    assert amounts == [Decimal("10000.00"), Decimal("12000.00")]
    assert contract.terms[0].retention == Decimal("0.05")
    assert contract.terms[0].payee == "装饰公司"


def test_malformed_contracts_are_bad_directives() -> None:
    bad = [
        '2012-03-01 custom "contract" "HT-2" "construction" -5.00 CNY\n',
        '2012-03-01 custom "contract" "HT-3" "nosuchfund" 5.00 CNY\n',
        '2012-03-01 custom "contract" "HT-4" "construction" 5.00 CNY\n  retention: 0.05\n',
        '2012-03-01 custom "contract" "HT-5" "construction" 5.00 CNY\n  retention: 1.5\n'
        '  retention-until: 2012-12-31\n',
        '2012-03-01 custom "contract" "HT-6" 5.00 CNY\n',
        '2012-03-01 custom "contract" "HT-7" "construction" 5.00 CNY\n'
        '  account: Assets:Bank:Construction\n',
    ]
    entries, errors, options = loader.load_string(HEADER + "".join(bad))
    assert errors == []
    rules = [(f.rule, f.lineno) for f in run_checks(read_books(entries, options))
             if f.rule == "bad-directive"]
    assert len(rules) == len(bad)


def test_a_payment_quoting_the_contract_charges_and_pays_it() -> None:
    books = books_of(CONTRACT + """\
2012-04-01 * "装饰公司" "首期款"
  contract: "HT-001"
  Expenses:Construction:Equipment   4000.00 CNY
  Assets:Bank:Construction         -4000.00 CNY
2012-05-01 * "装饰公司" "退款"
  contract: "HT-001"
  Expenses:Construction:Equipment   -500.00 CNY
  Assets:Bank:Construction           500.00 CNY
2012-06-01 * "装饰公司" "二期款，合同号记在费用分录上"
  Expenses:Construction:Equipment   3000.00 CNY
    contract: "HT-001"
  Assets:Bank:Construction         -3000.00 CNY
""")
    moves = []
    for transaction in books.transactions:
        voucher = read_voucher(transaction, books.kinds, books.account_types)
        moves += contract_moves(transaction, voucher.legs, books.model.contracts,
                                books.account_types)
    assert [(m.charged, m.paid) for m in moves] == [
        (Decimal("4000.00"), Decimal("4000.00")), (Decimal("-500.00"), Decimal("-500.00")),
        (Decimal("3000.00"), Decimal("3000.00"))]
    position = contract_positions(books.model.contracts, moves,
                                  datetime.date(2012, 5, 31))["HT-001"]
    assert (position.charged, position.paid, position.committed) == (
        Decimal("3500.00"), Decimal("3500.00"), Decimal("6500.00"))
    assert position.status == "open" and position.retention_held == Decimal("500.0000")
    before = contract_positions(books.model.contracts, moves, datetime.date(2012, 2, 1))
    assert before == {}


def test_a_contract_charged_to_its_sum_with_its_retention_held_is_not_settled() -> None:
    books = books_of(CONTRACT + """\
2012-04-01 open Liabilities:Construction:Retention CNY
  fund: "construction"
2012-04-01 * "装饰公司" "完工结算，留 5% 质保金"
  contract: "HT-001"
  Expenses:Construction:Equipment       10000.00 CNY
  Assets:Bank:Construction              -9500.00 CNY
  Liabilities:Construction:Retention     -500.00 CNY
2013-01-05 * "装饰公司" "支付质保金"
  contract: "HT-001"
  Liabilities:Construction:Retention      500.00 CNY
  Assets:Bank:Construction               -500.00 CNY
""")
    moves = []
    for transaction in books.transactions:
        voucher = read_voucher(transaction, books.kinds, books.account_types)
        moves += contract_moves(transaction, voucher.legs, books.model.contracts,
                                books.account_types)
    held = contract_positions(books.model.contracts, moves, datetime.date(2012, 12, 31))
    settled = contract_positions(books.model.contracts, moves, datetime.date(2013, 1, 31))
    assert (held["HT-001"].committed, held["HT-001"].retention_held) == (Decimal(0), Decimal("500.00"))
    assert held["HT-001"].status == "open"
    assert settled["HT-001"].status == "paid" and settled["HT-001"].retention_held == 0
