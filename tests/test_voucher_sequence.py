"""凭证号不连续: a month's voucher numbers that skip, repeat or run against the dates."""

import datetime
import textwrap

from beancount import loader

from importers.vouchers import parse_voucher
from ledger.model.books import read_books
from ledger.model.findings import Finding
from ledger.model.voucher import read_voucher
from ledger.rules.voucher_sequence import VoucherSequence, voucher_month

HEADER = """
2012-01-01 open Assets:Bank CNY
2012-01-01 open Expenses:Office CNY
"""


def txn(date: str, voucher: str | None, amount: str = "10.00", legs: int = 1) -> str:
    meta = f'  voucher: "{voucher}"\n' if voucher is not None else ""
    postings = "".join(f"  Expenses:Office   {amount} CNY\n" for _ in range(legs))
    return f'{date} * "文具店" "办公用品"\n{meta}{postings}  Assets:Bank\n'


def findings(*parts: str) -> list[Finding]:
    """The voucher-sequence findings on the parts, the rule run alone over them."""
    entries, errors, options_map = loader.load_string(
        textwrap.dedent(HEADER) + "\n".join(parts))
    assert not errors, errors
    books = read_books(entries, options_map)
    rule = VoucherSequence(books)
    for transaction in books.transactions:
        rule.visit(read_voucher(transaction, books.kinds, books.account_types))
    return rule.findings()


def test_a_gap_names_the_missing_numbers_ranges_collapsed() -> None:
    [finding] = findings(*(txn(f"2012-10-{day:02d}", f"记-201210-{number:03d}")
                           for day, number in ((1, 1), (2, 2), (3, 6), (4, 8))))
    assert finding.rule == "voucher-sequence"
    assert finding.date == datetime.date(2012, 10, 3)  # at the number after the first gap
    assert "缺 记-201210-003～记-201210-005、记-201210-007" in finding.message
    assert "2012-10" in finding.message and "missing" in finding.message


def test_a_repeat_on_different_transactions_names_both_places() -> None:
    [finding] = findings(txn("2012-10-01", "记-201210-001"), txn("2012-10-02", "记-201210-002"),
                         txn("2012-10-05", "记-201210-002"))
    assert finding.date == datetime.date(2012, 10, 5)
    assert "记-201210-002" in finding.message
    assert "<string>:" in finding.message and finding.message.count("<string>:") == 4


def test_numbers_running_backwards_against_dates_are_named() -> None:
    [finding] = findings(txn("2012-10-01", "记-201210-001"), txn("2012-10-20", "记-201210-002"),
                         txn("2012-10-10", "记-201210-003"))
    assert finding.date == datetime.date(2012, 10, 10)
    assert "记-201210-003（2012-10-10）在 记-201210-002（2012-10-20）之后" in finding.message


def test_one_finding_per_month_and_kind() -> None:
    found = findings(txn("2012-10-01", "记-201210-001"), txn("2012-10-02", "记-201210-003"),
                     txn("2012-10-03", "记-201210-005"), txn("2012-11-01", "记-201211-001"),
                     txn("2012-11-02", "记-201211-001"))
    assert [(f.date, "缺" in f.message) for f in found] == [
        (datetime.date(2012, 10, 2), True), (datetime.date(2012, 11, 2), False)]


def test_the_month_is_the_voucher_numbers_not_the_dates() -> None:
    # 记-201210-003 booked on 1 November still belongs to October's sequence
    assert findings(txn("2012-10-30", "记-201210-001"), txn("2012-10-31", "记-201210-002"),
                    txn("2012-11-01", "记-201210-003"), txn("2012-11-02", "记-201211-001")) == []
    parsed = parse_voucher("记字第3号")
    assert parsed is not None and parsed.form == ("记字第", "号")
    assert voucher_month(parsed, datetime.date(2012, 5, 6)) == (2012, 5)


def test_decoy_a_consecutive_month() -> None:
    assert findings(*(txn(f"2012-10-{day:02d}", f"记-201210-{day:03d}")
                      for day in range(1, 12))) == []


def test_decoy_two_postings_of_one_voucher() -> None:
    assert findings(txn("2012-10-01", "记-201210-001", legs=2),
                    txn("2012-10-02", "记-201210-002")) == []


def test_decoy_numbers_restarting_each_month() -> None:
    assert findings(txn("2012-10-01", "记字第1号"), txn("2012-10-09", "记字第2号"),
                    txn("2012-11-03", "记字第1号"), txn("2012-11-04", "记字第2号")) == []


def test_decoy_same_day_vouchers_in_any_order() -> None:
    assert findings(txn("2012-10-01", "记-201210-002"), txn("2012-10-01", "记-201210-001"),
                    txn("2012-10-02", "记-201210-003")) == []


def test_decoy_books_numbering_the_other_way_consecutive() -> None:
    assert findings(*(txn(f"2012-10-{day:02d}", f"记字第{day}号") for day in range(1, 15))) == []


def test_transactions_without_a_voucher_are_not_judged() -> None:
    assert findings(txn("2012-10-01", "记-201210-001"), txn("2012-10-02", None),
                    txn("2012-10-03", None), txn("2012-10-04", "记-201210-002")) == []


def test_other_forms_are_separate_sequences() -> None:
    [finding] = findings(txn("2012-10-01", "记字第1号"), txn("2012-10-02", "记字第3号"),
                         txn("2012-10-03", "记-201210-001"), txn("2012-10-04", "记-201210-002"))
    assert "缺 记字第2号" in finding.message
