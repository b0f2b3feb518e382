"""The date the figures are as of: the last transaction's, or a new centre's first day."""

import datetime
from decimal import Decimal

from beancount import loader

from ledger.model.books import Books, read_books
from ledger.model.summary import figures_date, fund_figures

NEW_CENTRE = """\
2013-01-01 custom "fund" "construction" "示范点建设经费"
2013-01-01 open Expenses:5101-业务活动成本:建设经费:装修工程 CNY
  fund: "construction"
2013-01-01 custom "budget" Expenses:5101-业务活动成本:建设经费:装修工程 "yearly" 370000.00 CNY
"""


def books_of(text: str) -> Books:
    entries, errors, options_map = loader.load_string(text)
    assert errors == []
    return read_books(entries, options_map)


def test_books_with_no_transaction_are_as_of_their_latest_fund_declaration() -> None:
    books = books_of(NEW_CENTRE)
    assert figures_date(books, None) == datetime.date(2013, 1, 1)
    [summary] = fund_figures(books, None)
    assert (summary.fund, summary.budget, summary.spent) == ("construction", Decimal("370000.00"),
                                                        Decimal(0))


def test_the_last_transaction_still_decides_once_there_is_one() -> None:
    books = books_of(NEW_CENTRE + """\
2013-01-01 open Assets:1002-银行存款:建设经费专户 CNY
  fund: "construction"
2013-03-05 * "装修"
  Expenses:5101-业务活动成本:建设经费:装修工程   100.00 CNY
  Assets:1002-银行存款:建设经费专户
""")
    assert figures_date(books, None) == datetime.date(2013, 3, 5)
    assert figures_date(books, datetime.date(2013, 2, 1)) == datetime.date(2013, 2, 1)


def test_a_revision_of_the_plan_is_in_the_figures_of_books_with_no_transaction() -> None:
    books = books_of(NEW_CENTRE + """\
2013-05-01 custom "budget" Expenses:5101-业务活动成本:建设经费:装修工程 "yearly" 380000.00 CNY
2013-03-01 custom "allocation" "construction" 100000.00 CNY
  due: 2013-04-30
""")
    assert figures_date(books, None) == datetime.date(2013, 5, 1)
    [summary] = fund_figures(books, None)
    assert summary.budget == Decimal("380000.00")


def test_plan_lines_dated_after_today_do_not_move_the_figures_past_today() -> None:
    books = books_of(NEW_CENTRE.replace("2013-", "2990-"))
    assert figures_date(books, None) == datetime.date.today()
