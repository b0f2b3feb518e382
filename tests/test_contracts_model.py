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
    # paid as charged: nothing withheld yet, whatever the retention share of the sum
    assert position.status == "open" and position.retention_held == 0
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
    assert (held["HT-001"].committed, held["HT-001"].retention_held) == (
        Decimal(0), Decimal("500.00"))
    assert held["HT-001"].status == "open"
    assert settled["HT-001"].status == "paid" and settled["HT-001"].retention_held == 0


def test_the_retention_held_is_what_is_withheld_under_the_terms_then_in_force() -> None:
    # 10000.00 at 5% until a 补充协议 of July raises the share to 10%; in May 1000.00 of the
    # 10000.00 charged is unpaid: 500.00 held (5% of the sum then), not 10%
    books = books_of(CONTRACT + """\
2012-04-01 open Liabilities:Construction:Payable CNY
  fund: "construction"
2012-05-01 * "装饰公司" "完工结算"
  contract: "HT-001"
  Expenses:Construction:Equipment       10000.00 CNY
  Assets:Bank:Construction              -9000.00 CNY
  Liabilities:Construction:Payable      -1000.00 CNY
2012-07-01 custom "contract" "HT-001" "construction" 10000.00 CNY
  retention: 0.10
""")
    moves = []
    for transaction in books.transactions:
        voucher = read_voucher(transaction, books.kinds, books.account_types)
        moves += contract_moves(transaction, voucher.legs, books.model.contracts,
                                books.account_types)
    may = contract_positions(books.model.contracts, moves, datetime.date(2012, 5, 31))
    july = contract_positions(books.model.contracts, moves, datetime.date(2012, 7, 31))
    assert may["HT-001"].retention_held == Decimal("500.00")
    assert july["HT-001"].retention_held == Decimal("1000.00")


def test_a_change_keeps_the_terms_it_does_not_restate() -> None:
    books = books_of(CONTRACT.replace('  payee: "装饰公司"\n',
                                      '  payee: "装饰公司"\n  approval: "东管〔2012〕31号"\n')
                     + '2012-05-01 custom "contract" "HT-001" "construction" 12000.00 CNY\n'
                     + '2012-06-01 custom "contract" "HT-001" "construction" 12000.00 CNY\n'
                     + '  retention: 0\n  approval: "东管〔2012〕40号"\n')
    first, raised, freed = books.model.contracts["HT-001"].terms
    assert (raised.amount, raised.payee, raised.account, raised.retention,
            raised.retention_until, raised.approval) == (
        Decimal("12000.00"), "装饰公司", "Expenses:Construction:Equipment", Decimal("0.05"),
        datetime.date(2012, 12, 31), "东管〔2012〕31号")
    assert raised.entry is not first.entry and raised.date == datetime.date(2012, 5, 1)
    # what a change restates replaces the earlier term, a zero retention included
    assert (freed.retention, freed.approval, freed.payee) == (
        Decimal(0), "东管〔2012〕40号", "装饰公司")
    assert [f.rule for f in run_checks(books)] == []


def bad_directives(text: str) -> list[tuple[str | None, str]]:
    entries, errors, options = loader.load_string(HEADER + text)
    assert errors == []
    return [(f.fund, f.message) for f in run_checks(read_books(entries, options))
            if f.rule == "bad-directive"]


SIGNED = '2012-03-01 custom "contract" "HT-9" "construction" 5000.00 {currency}\n'


def test_a_contract_s_account_must_be_an_open_account_of_its_fund_in_its_currency() -> None:
    cases = {
        "": "account:",  # none at all
        "  account: Expenses:Construction:Equipmnt\n": "Expenses:Construction:Equipmnt",
        "  account: Expenses:Operating:Publicity\n": "operating",  # another fund's
        "  account: Expenses:District:Hospitality\n": "不属于任何专项",  # no fund's
    }
    for meta, named in cases.items():
        [(fund, message)] = bad_directives(SIGNED.format(currency="CNY") + meta)
        assert fund == "construction" and named in message, message
    usd = bad_directives(SIGNED.format(currency="USD")
                         + "  account: Expenses:Construction:Equipment\n")
    assert [fund for fund, _ in usd] == ["construction"] and "USD" in usd[0][1]
    late = bad_directives('2012-03-01 open Expenses:Construction:Later CNY\n  fund: '
                          '"construction"\n' + SIGNED.replace("2012-03-01", "2012-02-01")
                          .format(currency="CNY") + "  account: Expenses:Construction:Later\n")
    assert len(late) == 1 and "2012-02-01" in late[0][1]


def test_decoy_an_account_open_for_any_currency_or_opened_on_the_signing_day() -> None:
    text = ('2012-03-01 open Expenses:Construction:Any\n  fund: "construction"\n'
            + SIGNED.format(currency="USD") + "  account: Expenses:Construction:Any\n"
            + SIGNED.replace("HT-9", "HT-10").format(currency="CNY")
            + "  account: Expenses:Construction:Any\n")
    assert bad_directives(text) == []


def test_malformed_contract_and_budget_directives_are_listed_under_their_fund() -> None:
    text = ('2012-03-01 custom "contract" "HT-2" "construction" -5.00 CNY\n'
            '2012-03-01 custom "budget" Expenses:Operating:Publicity "fortnightly" 5.00 CNY\n'
            '2012-03-01 custom "budget" Expenses:Construction "yearly" 5.00 CNY\n'
            '  action: "halt"\n'
            '2012-03-01 custom "budget" Expenses:Nowhere "yearly" 5.00 CNY\n  alert: 1.5\n')
    assert [fund for fund, _ in bad_directives(text)] == [
        "construction", "operating", "construction", None]  # no fund's account below


def test_messages_show_values_as_the_books_write_them() -> None:
    text = (SIGNED.format(currency="CNY") + '  account: Expenses:Construction:Equipment\n'
            '  retention: "5%"\n'
            + SIGNED.replace("HT-9", "HT-10").format(currency="CNY")
            + '  account: Expenses:Construction:Equipment\n  retention: 1.5\n'
            '  retention-until: 2012-12-31\n'
            + SIGNED.replace("HT-9", "HT-11").format(currency="CNY")
            + '  account: Assets:Bank:Construction\n'
            '2012-03-01 custom "budget" Expenses:Construction "yearly" 5.00 CNY\n'
            '  alert: 1.5\n'
            '2012-03-01 custom "budget" Expenses:Construction "yearly" 5.00 CNY\n'
            '  accumulate: "yes"\n')
    messages = [message for _, message in bad_directives(text)]
    assert len(messages) == 5
    assert not [message for message in messages if "Decimal(" in message or "'" in message]
    assert '实为 "5%"' in messages[0] and "实为 1.5" in messages[1]
    assert "实为 Assets:Bank:Construction" in messages[2]
    assert "实为 1.5" in messages[3] and '实为 "yes"' in messages[4]


PAYABLE = """\
2012-01-01 open Liabilities:Construction:Payable CNY
  fund: "construction"
"""


def moves_of(books: Books) -> list[tuple[str, Decimal, Decimal]]:
    """Each move as (number, charged, paid), in the books' order."""
    found = []
    for transaction in books.transactions:
        voucher = read_voucher(transaction, books.kinds, books.account_types)
        found += [(move.number, move.charged, move.paid) for move in contract_moves(
            transaction, voucher.legs, books.model.contracts, books.account_types)]
    return found


def rules_on(text: str) -> list[tuple[str, datetime.date]]:
    entries, errors, options = loader.load_string(HEADER + text)
    assert errors == [], errors
    return [(f.rule, f.date) for f in run_checks(read_books(entries, options))]


SETTLED = PAYABLE + CONTRACT + """\
2012-04-01 * "装饰公司" "货款挂账"
  contract: "HT-001"
  Expenses:Construction:Equipment   10000.00 CNY
  Liabilities:Construction:Payable -10000.00 CNY
2012-{paid} * "装饰公司" "付清挂账款（含质保金）"
  Liabilities:Construction:Payable  10000.00 CNY
    contract: "HT-001"
  Assets:Bank:Construction         -10000.00 CNY
"""


def test_paying_off_a_payable_that_quotes_the_contract_on_its_posting_pays_the_contract() -> None:
    # the booking charges the contract and pays nothing; paying the payable off quotes the
    # contract on the payable's debit: what the bank gives is paid under the contract
    text = SETTLED.format(paid="05-01")
    assert moves_of(books_of(text)) == [("HT-001", Decimal("10000.00"), Decimal(0)),
                                        ("HT-001", Decimal(0), Decimal("10000.00"))]
    assert rules_on(text) == [("retention-paid-early", datetime.date(2012, 5, 1))]


def test_decoy_a_payable_paid_off_with_its_retention_on_the_due_date() -> None:
    text = SETTLED.format(paid="12-31")
    assert moves_of(books_of(text))[-1] == ("HT-001", Decimal(0), Decimal("10000.00"))
    assert rules_on(text) == []


def test_a_refund_quoted_on_the_cost_posting_takes_back_what_was_paid() -> None:
    # 9500.00 paid of 10000.00 at 5% retention, 500.00 refunded and 500.00 paid again: never
    # more than 9500.00 paid before the retention is due
    text = CONTRACT + "".join(f"""\
2012-{month} * "装饰公司" "款"
  Expenses:Construction:Equipment   {amount} CNY
    contract: "HT-001"
  Assets:Bank:Construction
""" for month, amount in (("04-01", "9500.00"), ("05-01", "-500.00"), ("06-01", "500.00")))
    assert [paid for _, _, paid in moves_of(books_of(text))] == [
        Decimal("9500.00"), Decimal("-500.00"), Decimal("500.00")]
    assert rules_on(text) == []


def test_a_refund_takes_back_no_more_than_the_bank_received() -> None:
    # a credit note: the cost is lowered under the contract but the money stays with the
    # supplier (owed to the fund as a receivable): nothing comes back to the bank
    text = CONTRACT + """\
2012-01-01 open Assets:Receivable:Construction CNY
  fund: "construction"
2012-05-01 * "装饰公司" "红字发票，款项待退"
  Expenses:Construction:Equipment   -500.00 CNY
    contract: "HT-001"
  Assets:Receivable:Construction     500.00 CNY
  Assets:Bank:Construction          -200.00 CNY
  Expenses:Construction:Expert       200.00 CNY
"""
    assert moves_of(books_of(text)) == [("HT-001", Decimal("-500.00"), Decimal("-300.00"))]


def test_contracts_quoted_on_their_costs_share_what_the_bank_gave() -> None:
    # 2000.00 of costs under two contracts, 1000.00 from the bank and 1000.00 on a payable:
    # the bank's money goes to the first quoted, the payable's part is not paid yet
    text = PAYABLE + CONTRACT + """\
2012-03-01 custom "contract" "HT-002" "construction" 1000.00 CNY
  account: Expenses:Construction:Expert
2012-04-01 * "装饰公司" "两份合同，一半挂账"
  Expenses:Construction:Expert      1000.00 CNY
    contract: "HT-002"
  Expenses:Construction:Equipment   1000.00 CNY
    contract: "HT-001"
  Liabilities:Construction:Payable -1000.00 CNY
  Assets:Bank:Construction         -1000.00 CNY
"""
    assert moves_of(books_of(text)) == [("HT-002", Decimal("1000.00"), Decimal("1000.00")),
                                        ("HT-001", Decimal("1000.00"), Decimal(0))]


def test_decoy_contracts_quoted_on_their_bank_postings_are_paid_what_each_says() -> None:
    text = CONTRACT + """\
2012-03-01 custom "contract" "HT-002" "construction" 1000.00 CNY
  account: Expenses:Construction:Expert
2012-04-01 * "装饰公司" "两份合同，分别付款"
  Expenses:Construction:Expert      1000.00 CNY
    contract: "HT-002"
  Expenses:Construction:Equipment   1000.00 CNY
    contract: "HT-001"
  Assets:Bank:Construction         -1000.00 CNY
    contract: "HT-001"
  Assets:Bank:Construction         -1000.00 CNY
    contract: "HT-002"
"""
    assert moves_of(books_of(text)) == [("HT-002", Decimal("1000.00"), Decimal("1000.00")),
                                        ("HT-001", Decimal("1000.00"), Decimal("1000.00"))]


def test_a_contract_number_with_a_separator_is_a_bad_directive() -> None:
    for number in ("HT-1,2", "HT-1；2", "HT-1、2"):
        [(fund, message)] = bad_directives(
            f'2012-03-01 custom "contract" "{number}" "construction" 1000.00 CNY\n'
            '  account: Expenses:Construction:Equipment\n')
        assert fund == "construction" and f"合同号 {number} 含分隔符" in message


def test_decoy_contract_numbers_as_procurement_offices_write_them() -> None:
    text = "".join(f'2012-03-01 custom "contract" "{number}" "construction" 1000.00 CNY\n'
                   '  account: Expenses:Construction:Equipment\n'
                   for number in ("东山采〔2012〕03号", "HT 2012-001", "HT/2012.002"))
    assert bad_directives(text) == []
    assert sorted(books_of(text).model.contracts) == sorted(
        ["东山采〔2012〕03号", "HT 2012-001", "HT/2012.002"])


def test_a_cost_only_quote_takes_nothing_of_a_bank_posting_quoting_another_contract() -> None:
    # the bank's 1500.00 quoting HT-002 is HT-002's; HT-001, quoted on its cost only, is paid
    # the 500.00 of the bank posting that quotes no contract (the rest is owed)
    text = PAYABLE + CONTRACT + """\
2012-03-01 custom "contract" "HT-002" "construction" 1500.00 CNY
  account: Expenses:Construction:Expert
2012-04-01 * "装饰公司" "HT-002 的款项记在银行分录上，HT-001 只记在费用上"
  Expenses:Construction:Expert      1500.00 CNY
    contract: "HT-002"
  Expenses:Construction:Equipment   1000.00 CNY
    contract: "HT-001"
  Assets:Bank:Construction         -1500.00 CNY
    contract: "HT-002"
  Assets:Bank:Construction          -500.00 CNY
  Liabilities:Construction:Payable  -500.00 CNY
"""
    assert moves_of(books_of(text)) == [("HT-002", Decimal("1500.00"), Decimal("1500.00")),
                                        ("HT-001", Decimal("1000.00"), Decimal("500.00"))]
