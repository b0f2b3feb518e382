"""The date the figures are as of: the later of the last transaction and the latest plan directive
not after today (a contract signed, a budget line, an allocation), or a new centre's first day."""

import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from beancount import loader
from click.testing import CliRunner

from ledger.cache import read_cached
from ledger.cli.check import check_funds
from ledger.cli.main import funds
from ledger.model.books import Books, read_books
from ledger.model.summary import figures_date, fund_figures
from tests.helpers import check_funds_json

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


# the review's case: the contract is registered when signed, before any payment under it
SIGNED_AFTER_THE_LAST_TRANSACTION = NEW_CENTRE.replace("370000.00", "300000.00") + """\
2013-01-01 open Assets:1002-银行存款:建设经费专户 CNY
  fund: "construction"
2013-01-01 open Equity:3101-非限定性净资产 CNY
2013-01-15 * "开户存入"
  Assets:1002-银行存款:建设经费专户   1000.00 CNY
  Equity:3101-非限定性净资产
2013-02-01 custom "contract" "HT-2013-01" "construction" 320000.00 CNY
  payee: "装饰公司"
  account: Expenses:5101-业务活动成本:建设经费:装修工程
"""


def test_a_contract_signed_after_the_last_transaction_dates_the_figures() -> None:
    books = books_of(SIGNED_AFTER_THE_LAST_TRANSACTION)
    assert figures_date(books, None) == datetime.date(2013, 2, 1)
    [summary] = fund_figures(books, None)
    assert [item.number for item in summary.contracts] == ["HT-2013-01"]
    assert (summary.committed, summary.available) == (Decimal("320000.00"),
                                                      Decimal("-20000.00"))
    [line] = summary.lines
    assert (line.committed, line.available) == (Decimal("320000.00"), Decimal("-20000.00"))


def test_budget_lines_and_allocations_after_the_last_transaction_date_the_figures_too() -> None:
    books = books_of(SIGNED_AFTER_THE_LAST_TRANSACTION.replace(
        '2013-02-01 custom "contract"', '2013-01-10 custom "contract"') + """\
2013-03-01 custom "allocation" "construction" 100000.00 CNY
  due: 2013-04-30
2013-02-20 custom "budget" Expenses:5101-业务活动成本:建设经费:装修工程 "yearly" 350000.00 CNY
""")
    assert figures_date(books, None) == datetime.date(2013, 3, 1)
    [summary] = fund_figures(books, None)
    assert (summary.budget, summary.available) == (Decimal("350000.00"), Decimal("30000.00"))


def test_a_contract_dated_after_today_does_not_move_the_figures() -> None:
    """Decoy: a contract still to be signed (dated after today) leaves the figures at the last
    transaction, and is not in them."""
    future = datetime.date.today() + datetime.timedelta(days=400)
    books = books_of(SIGNED_AFTER_THE_LAST_TRANSACTION.replace("2013-02-01 custom",
                                                               f"{future} custom"))
    assert figures_date(books, None) == datetime.date(2013, 1, 15)
    [summary] = fund_figures(books, None)
    assert (summary.contracts, summary.committed) == ([], Decimal(0))


def test_a_contract_signed_after_the_last_transaction_is_in_every_report(tmp_path: Path) -> None:
    path = tmp_path / "main.beancount"
    path.write_text(SIGNED_AFTER_THE_LAST_TRANSACTION, "utf-8")
    document = check_funds_json(str(path))
    [fund] = document["funds"]
    assert (document["as_of"], fund["committed"]) == ("2013-02-01", "320000.00")
    result = CliRunner().invoke(funds, ["contracts", "--ledger", str(path)])
    assert result.exit_code == 0, result.output
    assert "HT-2013-01" in result.output and "截至 2013-02-01" in result.output
    out = tmp_path / "out"
    result = CliRunner().invoke(funds, ["export", "monthly", "2013-02", "--ledger", str(path),
                                        "--out", str(out)])
    assert "不在账簿期间" not in result.output
    assert result.exit_code in (0, 1), result.output  # 1: the over-commitment is an error
    register = (out / "2013-02" / "6-合同台账.csv").read_text("utf-8-sig")
    assert "HT-2013-01" in register and "320000.00" in register


def test_the_books_months_still_end_at_the_last_transaction_without_later_directives(
        tmp_path: Path) -> None:
    """Decoy: a month after everything the books hold is refused, as before."""
    path = tmp_path / "main.beancount"
    path.write_text(SIGNED_AFTER_THE_LAST_TRANSACTION, "utf-8")
    result = CliRunner().invoke(funds, ["export", "monthly", "2013-03", "--ledger", str(path),
                                        "--out", str(tmp_path / "out")])
    assert result.exit_code == 2 and "不在账簿期间 2013-01 至 2013-02" in result.output


def test_a_cached_check_is_not_kept_past_a_plan_entrys_day(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "books").mkdir()
    main = tmp_path / "books" / "main.beancount"  # the cache out of the books' folder
    main.write_text(NEW_CENTRE + '2013-06-01 custom "contract" "HT-1" "construction" 100.00 CNY\n'
                    "  account: Expenses:5101-业务活动成本:建设经费:装修工程\n", "utf-8")
    monkeypatch.setenv("EARMARK_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr("ledger.rules.dates.today", lambda: datetime.date(2013, 5, 1))
    assert CliRunner().invoke(check_funds, [str(main)]).exit_code == 0
    cached = read_cached(main)
    assert cached is not None
    assert cached.holds_on(datetime.date(2013, 5, 31))
    assert not cached.holds_on(datetime.date(2013, 6, 1))  # the contract's day: check again
