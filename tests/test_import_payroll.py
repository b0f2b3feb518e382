"""The payroll importer: one transaction per month, and every row must add up."""

import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from beancount.core import data
from beancount.core.amount import Amount
from click.testing import CliRunner

from importers.config import ImportConfig
from importers.dedupe import DUPLICATE
from importers.errors import InputError
from importers.payroll import PayrollImporter
from ledger.cli.main import funds
from tests.helpers import copy_demo_books
from tests.samples import PAYROLL_PEOPLE, payroll_csv, payroll_rows, payroll_xlsx


@pytest.fixture
def books(tmp_path: Path) -> Path:
    """A copy of the demo books."""
    return copy_demo_books(tmp_path / "books")


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_a_month_becomes_one_transaction_on_its_last_day(tmp_path: Path, config: ImportConfig,
                                                        kind: str) -> None:
    write = payroll_csv if kind == "csv" else payroll_xlsx
    path = write(tmp_path / f"工资表.{kind}", payroll_rows())
    importer = PayrollImporter(config)
    assert importer.identify(str(path))
    [entry] = importer.extract(str(path), [])
    assert isinstance(entry, data.Transaction)
    assert (entry.date, entry.meta["payroll"], entry.narration) == (
        datetime.date(2013, 1, 31), "2013-01", "发放2013年1月工资（6人）")
    assert [(posting.account, posting.units and posting.units.number)
            for posting in entry.postings] == [
        ("Expenses:5101-业务活动成本:社工薪酬:应发工资", Decimal("22000.00")),
        ("Liabilities:2209-其他应付款:社会保险费", Decimal("-2310.00")),
        ("Liabilities:2209-其他应付款:住房公积金", Decimal("-1760.00")),
        ("Liabilities:2206-应交税金:代扣个人所得税", Decimal("-5.03")),
        ("Assets:1002-银行存款:社工薪酬专户", Decimal("-17924.97"))]


def test_the_month_can_come_from_the_file_name(tmp_path: Path, config: ImportConfig) -> None:
    path = payroll_csv(tmp_path / "payroll-2013-02.csv", payroll_rows(), title="社工工资表")
    [entry] = PayrollImporter(config).extract(str(path), [])
    assert entry.meta["payroll"] == "2013-02"


def test_without_a_month_the_sheet_is_refused(tmp_path: Path, config: ImportConfig) -> None:
    path = payroll_csv(tmp_path / "工资表.csv", payroll_rows(), title="社工工资表")
    with pytest.raises(InputError, match="无法确定工资表月份"):
        PayrollImporter(config).extract(str(path), [])


def test_a_row_that_does_not_add_up_names_row_and_person(tmp_path: Path,
                                                        config: ImportConfig) -> None:
    people = [list(row) for row in PAYROLL_PEOPLE]
    people[2][7] = "2852.05"
    path = payroll_csv(tmp_path / "工资表.csv", payroll_rows(people, total=False))
    with pytest.raises(InputError, match="黄志强") as raised:
        PayrollImporter(config).extract(str(path), [])
    assert (raised.value.row, raised.value.column) == (5, "H（实发工资）")
    assert "2852.50" in raised.value.message


def test_a_total_row_must_be_the_sum_of_the_rows(tmp_path: Path, config: ImportConfig) -> None:
    rows = payroll_rows()
    rows[-1][3] = "22100.00"
    path = payroll_csv(tmp_path / "工资表.csv", rows)
    with pytest.raises(InputError, match=r"合计 22100\.00") as raised:
        PayrollImporter(config).extract(str(path), [])
    assert raised.value.column == "D（应发工资）"


def test_a_missing_column_is_named(tmp_path: Path, config: ImportConfig) -> None:
    rows = [[cell for index, cell in enumerate(row) if index != 5] for row in payroll_rows()]
    path = payroll_csv(tmp_path / "工资表.csv", rows)
    with pytest.raises(InputError, match="缺少列：住房公积金"):
        PayrollImporter(config).extract(str(path), [])


def test_a_month_already_booked_is_a_duplicate(tmp_path: Path, config: ImportConfig,
                                              demo_entries: data.Entries) -> None:
    path = payroll_csv(tmp_path / "工资表.csv", payroll_rows(), title="2012年12月工资表")
    importer = PayrollImporter(config)
    entries = importer.extract(str(path), demo_entries)
    importer.deduplicate(entries, list(demo_entries))
    assert entries[0].meta[DUPLICATE].meta["payroll"] == "2012-12"


def test_a_total_in_the_first_column_and_signature_rows_are_no_people(
        tmp_path: Path, config: ImportConfig) -> None:
    rows = payroll_rows()
    rows[-1][0], rows[-1][1] = "合计", ""
    rows += [["制表人：林晓燕", "", "审核：陈主任"], ["", "", "", "", "", "", "", ""]]
    path = payroll_csv(tmp_path / "工资表.csv", rows)
    [entry] = PayrollImporter(config).extract(str(path), [])
    assert isinstance(entry, data.Transaction)
    assert entry.narration == "发放2013年1月工资（6人）"


def test_a_group_subtotal_is_no_person(tmp_path: Path, config: ImportConfig) -> None:
    rows = payroll_rows(total=False)
    rows.insert(2, ["", "督导小计", "", "4500.00", "472.50", "360.00", "5.03", "3662.47"])
    path = payroll_csv(tmp_path / "工资表.csv", rows)
    [entry] = PayrollImporter(config).extract(str(path), [])
    assert isinstance(entry, data.Transaction)
    assert entry.narration == "发放2013年1月工资（6人）"
    assert entry.postings[0].units and entry.postings[0].units.number == Decimal("22000.00")


def _pay_line(date: str, bank_ref: str) -> data.Transaction:
    meta = data.new_metadata("inbox.beancount", 1)
    meta["bank-ref"] = bank_ref
    amount = Decimal("-17924.97")
    postings = [data.Posting("Assets:1002-银行存款:社工薪酬专户", Amount(amount, "CNY"), None, None,
                             None, None),
                data.Posting("Equity:Suspense:待查明款项", Amount(-amount, "CNY"), None, None,
                             None, None)]
    return data.Transaction(meta, datetime.date.fromisoformat(date), "!", "工资代发", "代发工资",
                            data.EMPTY_SET, data.EMPTY_SET, postings)


def test_a_pay_line_is_settled_by_its_own_month_only(tmp_path: Path,
                                                    config: ImportConfig) -> None:
    january_line = _pay_line("2013-01-31", "R1")
    january = payroll_csv(tmp_path / "1.csv", payroll_rows(), title="2013年1月工资表")
    [settled] = PayrollImporter(config).extract(str(january), [january_line])
    assert isinstance(settled, data.Transaction)
    assert settled.meta["bank-line"] == "2013-01-31 R1"
    assert settled.postings[-1].account == "Equity:Suspense:待查明款项"
    february = payroll_csv(tmp_path / "2.csv", payroll_rows(), title="2013年2月工资表")
    [own] = PayrollImporter(config).extract(str(february), [january_line, settled])
    assert isinstance(own, data.Transaction)
    assert "bank-line" not in own.meta
    assert own.postings[-1].account == "Assets:1002-银行存款:社工薪酬专户"


def test_signature_rows_under_the_table_are_skipped(tmp_path: Path, config: ImportConfig) -> None:
    rows = payroll_rows()
    rows += [["", "制表：林晓燕", "", "审核：陈主任", "", "复核：", "", "日期：2013年1月31日"],
             ["负责人：郑主任", "", "", "经办人", "黄志强", "", "", "盖章"],
             ["", "", "", "", "", "", "", "审核人:"]]
    path = payroll_csv(tmp_path / "工资表.csv", rows)
    [entry] = PayrollImporter(config).extract(str(path), [])
    assert isinstance(entry, data.Transaction)
    assert entry.narration == "发放2013年1月工资（6人）"
    assert entry.postings[0].units and entry.postings[0].units.number == Decimal("22000.00")


@pytest.mark.parametrize(("post", "gross"), [("一线社工", "3,5OO.00"), ("审核", "叁仟伍佰"),
                                             ("经办人", "3500..00")])
def test_a_person_with_a_bad_amount_is_no_signature_row(tmp_path: Path, config: ImportConfig,
                                                       post: str, gross: str) -> None:
    people = [list(row) for row in PAYROLL_PEOPLE]
    people[2][2], people[2][3] = post, gross
    path = payroll_csv(tmp_path / "工资表.csv", payroll_rows(people, total=False))
    with pytest.raises(InputError, match="不是金额") as raised:
        PayrollImporter(config).extract(str(path), [])
    assert (raised.value.row, raised.value.column) == (5, "D（应发工资）")


def _month_after(today: datetime.date) -> tuple[int, int]:
    return (today.year + 1, 1) if today.month == 12 else (today.year, today.month + 1)


def test_a_payroll_month_after_this_month_is_refused(tmp_path: Path,
                                                    config: ImportConfig) -> None:
    year, month = _month_after(datetime.date.today())
    path = payroll_csv(tmp_path / "工资表.csv", payroll_rows(), title=f"{year}年{month}月工资表")
    with pytest.raises(InputError, match=f"{year}-{month:02d}") as raised:
        PayrollImporter(config).extract(str(path), [])
    assert "晚于本月" in raised.value.message and raised.value.row == 1


def test_this_months_payroll_is_read(tmp_path: Path, config: ImportConfig) -> None:
    today = datetime.date.today()
    path = payroll_csv(tmp_path / "工资表.csv", payroll_rows(),
                       title=f"{today.year}年{today.month}月工资表")
    [entry] = PayrollImporter(config).extract(str(path), [])
    assert entry.meta["payroll"] == f"{today:%Y-%m}"


def test_a_mistyped_year_is_refused_with_the_likely_year(tmp_path: Path, books: Path) -> None:
    path = payroll_csv(tmp_path / "工资表.csv", payroll_rows(), title="2031年1月工资表")
    before = {file: file.read_bytes() for file in books.parent.rglob("*") if file.is_file()}
    result = CliRunner().invoke(funds, ["import", str(path), "--ledger", str(books)])
    assert result.exit_code == 1, result.output
    assert str(path) in result.output and "2031-01" in result.output
    assert "2013年1月" in result.output
    assert {file: file.read_bytes() for file in books.parent.rglob("*")
            if file.is_file()} == before


@pytest.mark.parametrize("title", ["2003年1月工资表", "0001年1月工资表"])
def test_a_month_before_the_books_is_refused_with_the_likely_year(
        tmp_path: Path, books: Path, title: str) -> None:
    path = payroll_csv(tmp_path / "工资表.csv", payroll_rows(), title=title)
    before = {file: file.read_bytes() for file in books.parent.rglob("*") if file.is_file()}
    result = CliRunner().invoke(funds, ["import", str(path), "--ledger", str(books)])
    assert result.exit_code == 1, result.output
    assert f"工资表月份 {title[:4]}-01 早于科目" in result.output and "的开设日期" in result.output
    assert "是否为 2013年1月" in result.output and "第 1 行" in result.output
    assert {file: file.read_bytes() for file in books.parent.rglob("*")
            if file.is_file()} == before
