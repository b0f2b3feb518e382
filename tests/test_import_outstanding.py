"""``funds import`` at a month's end: outstanding book items (未达账项), the inbox once included,
the statement's period, future dates, hand-entered payees, voucher numbers and the summary."""

import dataclasses
import datetime
import hashlib
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from importers.vouchers import VoucherBook
from ledger.check import check_books
from ledger.cli.main import funds
from ledger.model.findings import Severity
from tests.helpers import copy_demo_books
from tests.samples import Line, following, statement_csv

OPENING = Decimal("39030.50")  # the demo's Salary account on 2013-01-01
PERIOD_JANUARY = "起止日期：2013-01-01 至 2013-01-31"
JANUARY = following([Line(datetime.date(2012, 12, 31), "", "", Decimal(0), OPENING, "")],
                    ("2013-01-05", "社工薪酬拨款", "东山区管委会", "60000.00"),
                    ("2013-01-15", "缴纳12月社会保险费", "揭阳市社会保险基金管理局", "-7304.00"),
                    ("2013-01-25", "专户结息", "揭阳农商银行东山支行", "12.34"))[1:]
FEBRUARY = following(JANUARY[-1:], ("2013-02-04", "转账支付", "揭阳市社工协会", "-1500.00"),
                     ("2013-02-20", "社工薪酬拨款", "东山区管委会", "20000.00"))[1:]
CHEQUE = """
2013-01-30 * "揭阳市社工协会" "支付1月社工督导费"
  voucher: "记-201301-002"
  contract: "HT-2013-01"
  Assets:1002-银行存款:社工薪酬专户                  -1500.00 CNY
  Expenses:5101-业务活动成本:社工薪酬:应发工资        1500.00 CNY
"""
GRANT_BY_HAND = """
2013-01-05 * "区管委会" "1月社工薪酬拨款"
  voucher: "记-201301-001"
  Assets:1002-银行存款:社工薪酬专户                  60000.00 CNY
  Income:4401-政府补助收入:限定性收入:区财政:社工薪酬  -60000.00 CNY
"""


@pytest.fixture
def books(tmp_path: Path) -> Path:
    return copy_demo_books(tmp_path / "books")


def add(books: Path, text: str) -> None:
    with books.open("a", encoding="utf-8") as main:
        main.write(text)


def statement(path: Path, lines: list[Line], *above: str) -> Path:
    """A bank's CSV export, with rows such as its period between the title and the header."""
    written = statement_csv(path, lines)
    rows = written.read_bytes().decode("gb18030").split("\r\n")
    written.write_bytes("\r\n".join([rows[0], *above, *rows[1:]]).encode("gb18030"))
    return written


def run(*args: str) -> Result:
    return CliRunner().invoke(funds, ["import", *args])


def inbox(books: Path) -> list[Path]:
    return sorted((books.parent / "inbox").glob("*.beancount"))


def newest(result: Result) -> Path:
    return Path(result.output.split("written: ")[-1].strip())


def include_inbox(books: Path) -> None:
    """Include the inbox's files the books do not include yet, as the bookkeeper does."""
    text = books.read_text("utf-8")
    add(books, "".join(f'include "inbox/{path.name}"\n' for path in inbox(books)
                       if f'"inbox/{path.name}"' not in text))


def fingerprint(folder: Path) -> dict[str, str]:
    return {str(path): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(folder.rglob("*")) if path.is_file()}


def assert_clean(books: Path) -> None:
    checked = check_books(books)
    assert checked.load_errors == []
    assert [f.rule for f in checked.findings if f.severity is Severity.ERROR] == []


def test_an_outstanding_cheque_is_named_and_the_banks_figure_kept(books: Path,
                                                                 tmp_path: Path) -> None:
    add(books, CHEQUE)
    result = run(str(statement(tmp_path / "1月.csv", JANUARY, PERIOD_JANUARY)),
                 "--ledger", str(books))
    assert result.exit_code == 0, result.output
    assert ("未达账项: 2013-01-30 记-201301-002 1,500.00 揭阳市社工协会 支付1月社工督导费"
            in result.output)
    assert "企业已付银行未付" in result.output
    [written] = inbox(books)
    text = written.read_text("utf-8")
    assert " balance Assets:" not in text
    assert ('2013-02-01 custom "bank-balance" Assets:1002-银行存款:社工薪酬专户 '
            f"{JANUARY[-1].balance} CNY") in text
    assert 'outstanding: "2013-01-30 -1500.00 记-201301-002"' in text
    include_inbox(books)
    assert_clean(books)  # the record upsets neither Beancount nor the rules


def test_the_line_that_clears_the_cheque_is_not_imported_again(books: Path,
                                                              tmp_path: Path) -> None:
    add(books, CHEQUE)
    assert run(str(statement(tmp_path / "1月.csv", JANUARY, PERIOD_JANUARY)),
               "--ledger", str(books)).exit_code == 0
    include_inbox(books)
    result = run(str(statement(tmp_path / "2月.csv", FEBRUARY,
                               "起止日期：2013-02-01 至 2013-02-28")), "--ledger", str(books))
    assert result.exit_code == 0, result.output
    assert "新增 1 条" in result.output and "2013-01-30 的未达账项" in result.output
    february = newest(result).read_text("utf-8")
    assert "-1500.00 CNY" not in february and "未达账项:" not in result.output
    assert "2013-03-01 balance Assets:1002-银行存款:社工薪酬专户" in february
    include_inbox(books)
    assert_clean(books)


def test_a_difference_the_outstanding_items_do_not_explain_names_the_candidates(
        books: Path, tmp_path: Path) -> None:
    add(books, CHEQUE)
    short = following([Line(datetime.date(2012, 12, 31), "", "", Decimal(0),
                            OPENING - 100, "")], *(
        (f"{line.date}", line.narration, line.payee, f"{line.amount}") for line in JANUARY))[1:]
    before = fingerprint(books.parent)
    result = run(str(statement(tmp_path / "1月.csv", short, PERIOD_JANUARY)),
                 "--ledger", str(books))
    assert result.exit_code == 1
    assert "相差 -1400.00 CNY" in result.output and "余 100.00 无法解释" in result.output
    assert "2013-01-30 记-201301-002 1,500.00" in result.output  # the book item
    assert "尚未导入" not in result.output  # no statement is missing before this one
    assert "第 5 行 2013-01-05 东山区管委会 社工薪酬拨款 60,000.00" in result.output  # a line
    assert "未写入任何文件" in result.output
    assert fingerprint(books.parent) == before


def test_an_included_inbox_file_counts_once(books: Path, tmp_path: Path) -> None:
    assert run(str(statement(tmp_path / "1月.csv", JANUARY, PERIOD_JANUARY)),
               "--ledger", str(books)).exit_code == 0
    include_inbox(books)
    result = run(str(statement(tmp_path / "2月.csv", following(JANUARY[-1:], (
        "2013-02-20", "社工薪酬拨款", "东山区管委会", "20000.00"))[1:])), "--ledger", str(books))
    assert result.exit_code == 0, result.output
    include_inbox(books)
    assert_clean(books)


@pytest.mark.parametrize("period", [
    PERIOD_JANUARY, "查询期间：20130101-20130131", "交易期间,2013/01/01 ~ 2013/01/31",
    "日期范围：2013年1月1日至2013年1月31日", "起始日期：2013-01-01,终止日期：2013-01-31"])
def test_the_closing_balance_is_dated_after_the_stated_period(books: Path, tmp_path: Path,
                                                             period: str) -> None:
    result = run(str(statement(tmp_path / "1月.csv", JANUARY, period)), "--ledger", str(books))
    assert result.exit_code == 0, result.output
    assert ("2013-02-01 balance Assets:1002-银行存款:社工薪酬专户"
            in inbox(books)[0].read_text("utf-8"))


def test_a_line_outside_the_stated_period_is_refused(books: Path, tmp_path: Path) -> None:
    early = "起止日期：2013-01-01 至 2013-01-20"
    result = run(str(statement(tmp_path / "1月.csv", JANUARY, early)), "--ledger", str(books))
    assert result.exit_code == 1 and "第 7 行" in result.output
    assert "2013-01-25 不在对账单所注期间" in result.output and not inbox(books)


@pytest.mark.parametrize(("typed", "likely"), [("2031-01-25", "2013"), ("9999-12-31", "2013")])
def test_a_line_dated_after_today_is_refused_with_the_likely_year(
        books: Path, tmp_path: Path, typed: str, likely: str) -> None:
    lines = [*JANUARY[:-1], Line(datetime.date.fromisoformat(typed), "专户结息", "银行",
                                 JANUARY[-1].amount, JANUARY[-1].balance, "X")]
    before = fingerprint(books.parent)
    path = statement(tmp_path / "1月.csv", lines)
    result = run(str(path), "--ledger", str(books))
    assert result.exit_code == 1, result.output
    assert str(path) in result.output and "第 6 行" in result.output
    assert f"交易日期 {typed} 晚于今天" in result.output
    assert f"年份可能应为 {likely}" in result.output
    assert fingerprint(books.parent) == before


def test_a_hand_entered_payee_does_not_hide_the_booked_line(books: Path, tmp_path: Path) -> None:
    add(books, GRANT_BY_HAND)
    result = run(str(statement(tmp_path / "1月.csv", JANUARY)), "--ledger", str(books))
    assert result.exit_code == 0, result.output
    assert "跳过 / skipped 2013-01-05 东山区管委会 社工薪酬拨款" in result.output
    assert "60000.00 CNY" not in inbox(books)[0].read_text("utf-8")


def test_of_two_same_day_book_entries_one_clears_and_one_stays_outstanding(
        books: Path, tmp_path: Path) -> None:
    other = GRANT_BY_HAND.replace("区管委会", "市民政局").replace("-001", "-009")
    add(books, GRANT_BY_HAND + other)
    result = run(str(statement(tmp_path / "1月.csv", JANUARY)), "--ledger", str(books))
    assert result.exit_code == 0, result.output
    assert "未达账项: 2013-01-05 记-201301-009 60,000.00 市民政局" in result.output


def test_imported_lines_continue_the_months_voucher_sequence(books: Path,
                                                            tmp_path: Path) -> None:
    add(books, CHEQUE.replace("-002", "-007"))
    lines = following(JANUARY, ("2013-02-20", "社工薪酬拨款", "东山区管委会", "20000.00"))
    assert run(str(statement(tmp_path / "s.csv", lines)), "--ledger", str(books)).exit_code == 0
    text = inbox(books)[0].read_text("utf-8")
    assert [line.strip() for line in text.splitlines() if "voucher" in line] == [
        'voucher: "记-201301-008"', 'voucher: "记-201301-009"', 'voucher: "记-201301-010"',
        'voucher: "记-201302-001"']


def test_books_numbered_another_way_are_continued_in_their_form(books: Path,
                                                               tmp_path: Path) -> None:
    add(books, CHEQUE.replace("记-201301-002", "记字第12号"))
    assert run(str(statement(tmp_path / "s.csv", JANUARY[:1])), "--ledger",
               str(books)).exit_code == 0
    assert 'voucher: "记字第13号"' in inbox(books)[0].read_text("utf-8")


def test_the_summary_counts_lines_and_names_unclassified_only_when_there_are_some(
        books: Path, tmp_path: Path) -> None:
    result = run(str(statement(tmp_path / "s.csv", JANUARY[:2])), "--ledger", str(books))
    assert result.exit_code == 0, result.output
    assert "新增 2 条，跳过已有 0 条 / 2 new, 0 already in the books" in result.output
    assert "未分类" not in result.output
    fee = following(JANUARY[:2], ("2013-01-16", "查询费", "某某咨询公司", "-50.00"))
    again = run(str(statement(tmp_path / "t.csv", fee)), "--ledger", str(books))
    assert "新增 1 条（未分类 1 条" in again.output and "跳过已有 2 条" in again.output


def _import_and_include(books: Path, path: Path) -> Result:
    result = run(str(path), "--ledger", str(books))
    assert result.exit_code == 0, result.output
    include_inbox(books)
    return result


def test_a_carried_cheque_clears_whatever_its_age(books: Path, tmp_path: Path) -> None:
    add(books, CHEQUE)
    _import_and_include(books, statement(tmp_path / "1月.csv", JANUARY, PERIOD_JANUARY))
    february = following(JANUARY[-1:],
                         ("2013-02-20", "社工薪酬拨款", "东山区管委会", "20000.00"))[1:]
    _import_and_include(books, statement(tmp_path / "2月.csv", february,
                                         "起止日期：2013-02-01 至 2013-02-28"))
    march = following(february[-1:], ("2013-03-04", "转账支付", "揭阳市社工协会", "-1500.00"))[1:]
    result = _import_and_include(books, statement(tmp_path / "3月.csv", march,
                                                  "起止日期：2013-03-01 至 2013-03-31"))
    assert "新增 0 条" in result.output and "2013-01-30 的未达账项" in result.output
    text = newest(result).read_text("utf-8")
    assert "-1500.00 CNY" not in text and "outstanding" not in text
    assert "2013-04-01 balance Assets:1002-银行存款:社工薪酬专户" in text
    assert f" {march[-1].balance} CNY" in text
    assert_clean(books)


@pytest.mark.parametrize("cleared", [True, False])
def test_a_statement_overlapping_the_previous_one_follows_its_closing(
        books: Path, tmp_path: Path, cleared: bool) -> None:
    add(books, GRANT_BY_HAND + CHEQUE)  # the grant cleared by January's line, the cheque not
    _import_and_include(books, statement(tmp_path / "1月.csv", JANUARY, PERIOD_JANUARY))
    overlap = [*JANUARY[1:], *(FEBRUARY[:1] if cleared else [])]
    end = "2013-02-15" if cleared else "2013-02-03"  # the cheque clears on 02-04
    result = _import_and_include(books, statement(tmp_path / "0115-02.csv", overlap,
                                                  f"起止日期：2013-01-15 至 {end}"))
    assert "新增 0 条" in result.output
    text = newest(result).read_text("utf-8")
    if cleared:
        assert "2013-02-16 balance Assets:1002-银行存款:社工薪酬专户" in text
    else:
        assert '2013-02-04 custom "bank-balance"' in text
        assert 'outstanding: "2013-01-30 -1500.00 记-201301-002"' in text
    assert "60000.00" not in text and "未达账项: 2013-01-05" not in result.output
    result = _import_and_include(books, statement(tmp_path / "2月.csv", FEBRUARY,
                                                  "起止日期：2013-02-01 至 2013-02-28"))
    assert "新增 1 条" in result.output and "跳过已有 1 条" in result.output, result.output
    assert ("2013-03-01 balance Assets:1002-银行存款:社工薪酬专户"
            in newest(result).read_text("utf-8"))
    assert_clean(books)


def test_a_statement_after_a_gap_says_the_statements_between_are_missing(
        books: Path, tmp_path: Path) -> None:
    add(books, GRANT_BY_HAND)
    result = run(str(statement(tmp_path / "2月.csv", FEBRUARY,
                               "起止日期：2013-02-01 至 2013-02-28")), "--ledger", str(books))
    assert result.exit_code == 1
    missing = result.output.index("2013-01-01 至 2013-01-31 的对账单尚未导入")
    assert missing < result.output.index("导入后") < result.output.index("2013-01-05 记-201301-001")
    assert not inbox(books)


@pytest.mark.parametrize(("last", "following_ones"), [
    ("记字第8号", ["记字第9号", "记字第10号", "记字第11号"]),
    ("记-201301-998", ["记-201301-999", "记-201301-1000", "记-201301-1001"])])
def test_a_voucher_sequence_goes_on_past_its_width(books: Path, tmp_path: Path, last: str,
                                                   following_ones: list[str]) -> None:
    add(books, CHEQUE.replace("记-201301-002", last))
    assert run(str(statement(tmp_path / "s.csv", JANUARY)), "--ledger",
               str(books)).exit_code == 0
    text = inbox(books)[0].read_text("utf-8")
    assert [line.strip() for line in text.splitlines() if "voucher" in line] == [
        f'voucher: "{voucher}"' for voucher in following_ones]


def test_a_line_dated_before_the_account_opens_is_refused_with_the_likely_year(
        books: Path, tmp_path: Path) -> None:
    lines = [dataclasses.replace(JANUARY[0], date=datetime.date(2003, 1, 5)), *JANUARY[1:]]
    before = fingerprint(books.parent)
    result = run(str(statement(tmp_path / "1月.csv", lines)), "--ledger", str(books))
    assert result.exit_code == 1, result.output
    assert "第 4 行" in result.output and "年份可能应为 2013" in result.output
    assert ("交易日期 2003-01-05 早于科目 Assets:1002-银行存款:社工薪酬专户 的开设日期 2012-07-15"
            in result.output)
    assert fingerprint(books.parent) == before


def test_a_month_without_vouchers_starts_with_a_four_digit_year() -> None:
    assert VoucherBook([]).next_for(datetime.date(1, 1, 31)) == "记-000101-001"


def test_a_closing_kept_as_a_bank_balance_record_is_named_so(books: Path,
                                                             tmp_path: Path) -> None:
    add(books, CHEQUE)
    path = statement(tmp_path / "1月.csv", JANUARY, PERIOD_JANUARY)
    _import_and_include(books, path)
    again = run(str(path), "--ledger", str(books))
    assert "跳过已有 3 条，另期末余额已在账簿" in again.output and "没有新条目" in again.output
    assert "已有银行余额记录 / bank-balance record" in again.output
