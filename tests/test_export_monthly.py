"""``funds export monthly``: the numbers add up, read back from the files, and refusals."""

import csv
import datetime
import io
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from beancount import loader
from beancount.core import data
from click.testing import CliRunner, Result

from importers.tables import read_table
from ledger.check import DEMO_BOOKS
from ledger.cli.main import funds
from ledger.files import replace_directory
from tests.samples import SALARY_BANK, Line, demo_lines, statement_csv

OCTOBER = "2012-10"
SHEETS = ["资金收支月报", "预算执行情况", "银行存款余额调节表", "收支明细", "异常事项", "合同台账"]
FLOW_COLUMNS = ("期初余额", "本月收入", "本月支出", "期末余额")


def export(tmp_path: Path, month: str = OCTOBER, *args: str) -> Result:
    return CliRunner().invoke(funds, ["export", "monthly", month, "--out", str(tmp_path / "out"),
                                      "--preparer", "王会计", *args])


def read_csv(folder: Path, index: int) -> list[list[str]]:
    name = f"{index}-{SHEETS[index - 1]}.csv"
    raw = (folder / name).read_bytes()
    assert raw.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))


def table(rows: list[list[str]], first_column: str) -> list[dict[str, str]]:
    """The rows under the header row that starts with ``first_column``."""
    start = next(index for index, row in enumerate(rows) if row and row[0] == first_column)
    header = rows[start]
    return [dict(zip(header, row, strict=False)) for row in rows[start + 1:] if row]


def independent_balances(day: datetime.date) -> dict[str, Decimal]:
    """Every account's balance at the start of ``day``, summed straight from the entries."""
    balances: dict[str, Decimal] = defaultdict(Decimal)
    for entry in loader.load_file(str(DEMO_BOOKS))[0]:
        if isinstance(entry, data.Transaction) and entry.date < day:
            for posting in entry.postings:
                assert posting.units is not None and posting.units.number is not None
                balances[posting.account] += posting.units.number
    return balances


def test_the_funds_report_adds_up_and_matches_the_ledger(tmp_path: Path) -> None:
    result = export(tmp_path)
    assert result.exit_code == 0, result.output
    folder = tmp_path / "out" / OCTOBER
    rows = read_csv(folder, 1)
    assert rows[:5] == [["单位", "东山区社区社工综合服务中心示范点 专项资金账簿"],
                        ["期间", "2012年10月"], ["编制人", "王会计"],
                        ["编制日期", datetime.date.today().isoformat()], ["本月情况", "无异常"]]
    funds_rows = table(rows, "专项代码")
    opening = independent_balances(datetime.date(2012, 10, 1))
    closing = independent_balances(datetime.date(2012, 11, 1))
    accounts = {"construction": ["Assets:1002-银行存款:建设经费专户"],
                "salary": ["Assets:1002-银行存款:社工薪酬专户"],
                "operating": ["Assets:1002-银行存款:运营经费专户",
                              "Assets:1001-现金:运营经费备用金"]}
    details = table(read_csv(folder, 4), "日期")
    for fund, held in accounts.items():
        row = next(row for row in funds_rows if row["专项代码"] == fund)
        start, received, paid, end = (Decimal(row[key]) for key in FLOW_COLUMNS)
        assert start == sum(opening[account] for account in held)
        assert end == sum(closing[account] for account in held)
        assert start + received - paid == end
        assert received == sum(Decimal(d["收入"]) for d in details if d.get("专项代码") == fund)
        assert paid == sum(Decimal(d["支出"]) for d in details if d.get("专项代码") == fund)
    total = next(row for row in funds_rows if row["专项名称"] == "合计")
    all_held = [account for held in accounts.values() for account in held]
    assert Decimal(total["期末余额"]) == sum(closing[account] for account in all_held)


def test_budget_execution_matches_the_ledger(tmp_path: Path) -> None:
    assert export(tmp_path).exit_code == 0
    rows = table(read_csv(tmp_path / "out" / OCTOBER, 2), "专项")
    expert_fee = "Expenses:5101-业务活动成本:建设经费:专家辅导费"
    expert = next(row for row in rows if row["预算科目"] == expert_fee)
    year = independent_balances(datetime.date(2012, 11, 1))[expert_fee]
    before = independent_balances(datetime.date(2012, 10, 1))[expert_fee]
    assert (Decimal(expert["本年累计支出"]), Decimal(expert["本月支出"])) == (year, year - before)
    assert Decimal(expert["预算余额"]) == Decimal(expert["年度预算"]) - year
    assert Decimal(expert["执行率(%)"]) == (year / Decimal(expert["年度预算"]) * 100).quantize(
        Decimal("0.01"))
    publicity_line = "Expenses:5101-业务活动成本:运营经费:宣传费"
    publicity = next(row for row in rows if row["预算科目"] == publicity_line)
    assert publicity["年度预算"] == "15000.00"  # the revision to 23000.00 comes in November
    assert export(tmp_path, "2012-11").exit_code == 0
    november = table(read_csv(tmp_path / "out" / "2012-11", 2), "专项")
    revised = next(row for row in november if row["预算科目"] == publicity_line)
    assert revised["年度预算"] == "23000.00"


def test_the_workbook_reads_back_with_its_sheets_headers_and_exact_totals(tmp_path: Path) -> None:
    assert export(tmp_path).exit_code == 0
    path = tmp_path / "out" / OCTOBER / "专项资金月报-2012-10.xlsx"
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == SHEETS
    funds_sheet = book["资金收支月报"]
    header = [cell.value for cell in funds_sheet[7]]
    assert header[:3] == ["专项代码", "专项名称", "币种"] and header[3:7] == list(FLOW_COLUMNS)
    assert funds_sheet["D8"].number_format == "#,##0.00"
    stored = read_table(path).rows  # the first sheet's digits, as the file stores them
    csv_rows = read_csv(tmp_path / "out" / OCTOBER, 1)
    total_csv = next(row for row in csv_rows if len(row) > 1 and row[1] == "合计")
    total_xlsx = next(row for row in stored if len(row) > 1 and row[1].text == "合计")
    assert [Decimal(cell.text) for cell in total_xlsx[3:9]] == [Decimal(v) for v in total_csv[3:9]]
    for name, wanted in (("预算执行情况", "年度预算"), ("银行存款余额调节表", "调节后余额相符"),
                         ("收支明细", "凭证号"), ("异常事项", "经批准调剂")):
        assert any(wanted in str(cell.value) for row in book[name].iter_rows()
                   for cell in row if cell.value), name


def _statement(tmp_path: Path, lines: list[Line]) -> Path:
    return statement_csv(tmp_path / "对账单-2012-10.csv", lines)


OCTOBER_SALARY = demo_lines(SALARY_BANK, datetime.date(2012, 10, 1), datetime.date(2012, 10, 31))


def reconciliation(tmp_path: Path) -> list[dict[str, str]]:
    rows = table(read_csv(tmp_path / "out" / OCTOBER, 3), "银行账户")
    return [row for row in rows if row["银行账户"] == SALARY_BANK]


def test_the_months_statement_reconciles_to_zero_difference(tmp_path: Path) -> None:
    result = export(tmp_path, OCTOBER, "--statement", str(_statement(tmp_path, OCTOBER_SALARY)))
    assert result.exit_code == 0, result.output
    rows = reconciliation(tmp_path)
    assert [row["项目"] for row in rows if row["项目"].startswith("　")] == []
    book = next(row for row in rows if row["项目"] == "调节后的企业账面余额")
    bank = next(row for row in rows if row["项目"] == "调节后的银行对账单余额")
    assert book["金额"] == bank["金额"] == str(OCTOBER_SALARY[-1].balance)
    assert any(row["项目"].startswith("银行对账单余额（对账单") for row in rows)


def test_a_bank_fee_and_an_uncleared_cheque_are_the_two_outstanding_items(tmp_path: Path) -> None:
    cheque = next(line for line in OCTOBER_SALARY if line.amount < 0)
    cleared = [line for line in OCTOBER_SALARY if line is not cheque]
    bank_lines, balance = [], OCTOBER_SALARY[0].balance - OCTOBER_SALARY[0].amount
    for line in cleared:
        balance += line.amount
        bank_lines.append(Line(line.date, line.narration, line.payee, line.amount, balance,
                               line.ref))
    fee = Line(datetime.date(2012, 10, 31), "账户管理费", "揭阳农商银行东山支行",
               Decimal("-15.00"), balance - Decimal("15.00"), "FEE1031")
    result = export(tmp_path, OCTOBER, "--statement", str(_statement(tmp_path,
                                                                      [*bank_lines, fee])))
    assert result.exit_code == 0, result.output
    items = [(row["项目"].strip("　"), row["金额"]) for row in reconciliation(tmp_path)
             if row["项目"].startswith("　")]
    assert items == [("银行已付企业未付", "15.00"), ("企业已付银行未付", f"{-cheque.amount:.2f}")]
    assert any(row["摘要"] == "调节后余额相符" for row in reconciliation(tmp_path))


def test_a_statement_that_does_not_reconcile_is_red_and_exits_non_zero(tmp_path: Path) -> None:
    shifted = [Line(line.date, line.narration, line.payee, line.amount,
                    line.balance + Decimal("100.00"), line.ref) for line in OCTOBER_SALARY]
    result = export(tmp_path, OCTOBER, "--statement", str(_statement(tmp_path, shifted)))
    assert result.exit_code == 1
    book = openpyxl.load_workbook(tmp_path / "out" / OCTOBER / "专项资金月报-2012-10.xlsx")
    sheet = book["银行存款余额调节表"]
    verdict = next(cell for row in sheet.iter_rows() for cell in row
                   if str(cell.value).startswith("调节后余额不符"))
    assert "100.00" in str(verdict.value) and verdict.font.color.rgb.endswith("C00000")
    cover = book["资金收支月报"]["B5"]
    assert str(cover.value).startswith("有异常") and cover.font.color.rgb.endswith("C00000")


QUIET = """\
option "title" "测试账簿"
2012-01-01 custom "fund" "salary" "社工薪酬"
2012-01-01 open Assets:Bank:Salary CNY
  fund: "salary"
2012-01-01 open Income:Salary:District CNY
  fund: "salary"
2012-01-05 * "东山区管委会" "拨款"
  Assets:Bank:Salary   1000.00 CNY
  Income:Salary:District
2012-03-05 * "东山区管委会" "拨款"
  Assets:Bank:Salary   500.00 CNY
  Income:Salary:District
"""


def test_a_month_with_no_activity_still_exports(tmp_path: Path) -> None:
    books = tmp_path / "quiet.beancount"
    books.write_text(QUIET, "utf-8")
    result = export(tmp_path, "2012-02", "--ledger", str(books))
    assert result.exit_code == 1  # no statement and no balance assertion: not reconciled
    [row] = [row for row in table(read_csv(tmp_path / "out" / "2012-02", 1), "专项代码")
             if row["专项名称"] == "社工薪酬"]
    assert (row["期初余额"], row["本月收入"], row["本月支出"], row["期末余额"]) == (
        "1000.00", "0.00", "0.00", "1000.00")


@pytest.mark.parametrize(("month", "message"), [
    ("2012-13", "月份应为 YYYY-MM"), ("2012/10", "月份应为 YYYY-MM"), ("2011-05", "不在账簿期间"),
    ("2013-02", "不在账簿期间"), ("0001-01", "超出可处理的范围"), ("9999-12", "超出可处理的范围"),
])
def test_a_bad_or_outside_month_writes_nothing(tmp_path: Path, month: str, message: str) -> None:
    result = export(tmp_path, month)
    assert result.exit_code == 2 and message in result.output
    assert not (tmp_path / "out").exists()


def test_an_unreadable_statement_leaves_the_old_export_whole(tmp_path: Path) -> None:
    assert export(tmp_path).exit_code == 0
    folder = tmp_path / "out" / OCTOBER
    before = {path.name: path.read_bytes() for path in folder.iterdir()}
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    result = export(tmp_path, OCTOBER, "--statement", str(empty))
    assert result.exit_code == 2 and "文件为空" in result.output
    assert {path.name: path.read_bytes() for path in folder.iterdir()} == before
    assert sorted(path.name for path in (tmp_path / "out").iterdir()) == [OCTOBER]


def test_a_new_export_replaces_the_old_one_whole(tmp_path: Path) -> None:
    assert export(tmp_path).exit_code == 0
    stale = tmp_path / "out" / OCTOBER / "stale.txt"
    stale.write_text("left over", "utf-8")
    assert export(tmp_path).exit_code == 0
    assert not stale.exists()
    assert sorted(path.name for path in (tmp_path / "out").iterdir()) == [OCTOBER]


def test_year_to_date_totals_and_every_budget_line_match_the_ledger(tmp_path: Path) -> None:
    assert export(tmp_path, "2012-11").exit_code == 0
    folder = tmp_path / "out" / "2012-11"
    funds_rows = table(read_csv(folder, 1), "专项代码")
    rows = [row for row in funds_rows if row["专项代码"] and row["专项名称"] != "合计"
            and not row["专项名称"].startswith("其中")]
    total = next(row for row in funds_rows if row["专项名称"] == "合计")
    for column in ("期初余额", "本月收入", "本月支出", "期末余额", "本年累计收入", "本年累计支出"):
        assert Decimal(total[column]) == sum(Decimal(row[column]) for row in rows), column
    start, end = independent_balances(datetime.date(2012, 1, 1)), independent_balances(
        datetime.date(2012, 12, 1))
    for row in rows:
        received, paid = Decimal(row["本年累计收入"]), Decimal(row["本年累计支出"])
        assert Decimal(row["期末余额"]) - received + paid == sum(
            start[account] for account in start if account.startswith("Assets:")
            and account.endswith(row["专项代码"].capitalize()))
    before = independent_balances(datetime.date(2012, 11, 1))
    for line in table(read_csv(folder, 2), "专项"):
        account = line["预算科目"]
        spent = sum(end[name] for name in end if name == account or name.startswith(account + ":"))
        month = spent - sum(before[name] for name in before
                            if name == account or name.startswith(account + ":"))
        assert (Decimal(line["本年累计支出"]), Decimal(line["本月支出"])) == (spent, month), account
    books = table(read_csv(folder, 3), "银行账户")
    for row in books:
        if row["项目"] == "企业账面余额":
            assert Decimal(row["金额"]) == end[row["银行账户"]]


def test_a_failed_swap_puts_the_old_export_back(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    assert export(tmp_path).exit_code == 0
    folder = tmp_path / "out" / OCTOBER
    before = sorted(path.name for path in folder.iterdir())
    renamed: list[Path] = []
    original = Path.rename

    def failing_second(self: Path, target: Path) -> Path:
        renamed.append(self)
        if len(renamed) == 2:
            raise OSError("disk trouble")
        return original(self, target)

    monkeypatch.setattr(Path, "rename", failing_second)
    def build(new: Path) -> None:
        (new / "x.txt").write_text("x", "utf-8")

    with pytest.raises(OSError, match="disk trouble"):
        replace_directory(folder, build)
    assert sorted(path.name for path in folder.iterdir()) == before
    assert sorted(path.name for path in (tmp_path / "out").iterdir()) == [OCTOBER]
