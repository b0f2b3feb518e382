"""``funds plan``: the fund-use plan from a spreadsheet into the books, its revisions, and the
rows it refuses."""

import csv
import datetime
import hashlib
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner, Result

from importers.errors import InputError
from importers.plan import PlanError, draft_plan
from ledger.check import check_books
from ledger.cli.main import funds
from ledger.model.chart import CONSTRUCTION, OPERATING, SALARY
from ledger.model.funds import FundModel

ACCOUNTS = f"""\
2013-01-01 custom "fund" "construction" "示范点建设经费"
2013-01-01 custom "fund" "salary" "社工薪酬"
2013-01-01 custom "fund" "operating" "日常运营经费"
2013-01-01 open {CONSTRUCTION.bank} CNY
  fund: "construction"
2013-01-01 open {CONSTRUCTION.grant("区财政")} CNY
  fund: "construction"
2013-01-01 open {CONSTRUCTION.cost("装修工程")} CNY
  fund: "construction"
2013-01-01 open {SALARY.bank} CNY
  fund: "salary"
2013-01-01 open {SALARY.grant("区财政")} CNY
  fund: "salary"
2013-01-01 open {SALARY.cost("应发工资")} CNY
  fund: "salary"
2013-01-01 open {OPERATING.bank} CNY
  fund: "operating"
2013-01-01 open {OPERATING.grant("区财政")} CNY
  fund: "operating"
"""

JOURNAL = f"""\
2013-02-20 * "东山区财政局" "建设经费拨款"
  voucher: "记-201302-001"
  {CONSTRUCTION.bank}   300000.00 CNY
  {CONSTRUCTION.grant("区财政")}
2013-02-25 * "东山区财政局" "社工薪酬拨款"
  voucher: "记-201302-002"
  {SALARY.bank}   115200.00 CNY
  {SALARY.grant("区财政")}
2013-03-10 * "揭阳市建安装饰工程有限公司" "装修工程首期款"
  voucher: "记-201303-001"
  contract: "HT-2013-01"
  {CONSTRUCTION.cost("装修工程")}   120000.00 CNY
  {CONSTRUCTION.bank}
"""

TITLE = "2013年度资金使用计划"
BUDGET_HEADER = ["专项", "科目", "期间", "金额（元）", "文号"]
BUDGET_ROWS = [
    ["示范点建设经费", "装修工程", "年度", "370,000.00", "揭东财〔2013〕5号"],
    ["construction", "设计费", "年度", "20,000.00", ""],
    ["社工薪酬", "应发工资", "月度", "9,600.00", ""],
    ["日常运营经费", "办公费", "季度", "2,000.00", ""],
]
ALLOCATION_HEADER = ["专项", "来源", "金额（元）", "到位期限", "文号"]
ALLOCATION_ROWS = [
    ["示范点建设经费", "区财政", "300,000.00", "2013-02-28", "东管财〔2013〕1号"],
    ["示范点建设经费", "市财政", "100,000.00", "2013年6月30日", ""],
    ["社工薪酬", "区财政", "115,200.00", "2013/02/28", ""],
]
EXPECTED_BUDGETS = {
    CONSTRUCTION.cost("装修工程"): ("yearly", Decimal("370000.00")),
    CONSTRUCTION.cost("设计费"): ("yearly", Decimal("20000.00")),
    SALARY.cost("应发工资"): ("monthly", Decimal("9600.00")),
    OPERATING.cost("办公费", "5201"): ("quarterly", Decimal("2000.00")),
}


def write_books(folder: Path, *, include_plan: bool = False) -> Path:
    folder.mkdir(parents=True)
    (folder / "accounts.beancount").write_text(ACCOUNTS, encoding="utf-8")
    (folder / "2013.beancount").write_text(JOURNAL, encoding="utf-8")
    plan = 'include "plan/*.beancount"\n' if include_plan else ""
    main = folder / "main.beancount"
    main.write_text('option "title" "测试中心"\noption "operating_currency" "CNY"\n'
                    'plugin "ledger.plugin"\ninclude "accounts.beancount"\n'
                    f'include "2013.beancount"\n{plan}', encoding="utf-8")
    return main


@pytest.fixture
def books(tmp_path: Path) -> Path:
    return write_books(tmp_path / "books")


def plan_xlsx(path: Path, budget: list[list[str]] = BUDGET_ROWS,
              allocations: list[list[str]] = ALLOCATION_ROWS, *, title: str = TITLE,
              total: str | None = None) -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "预算"
    sheet.append([f"{title}（预算）"] if title else [])
    sheet.append(BUDGET_HEADER)
    for row in budget:
        sheet.append(row)
    if total is not None:
        sheet.append(["合计", "", "", total, ""])
    sheet.append(["制表：张三", "", "审核：李四"])
    grants = workbook.create_sheet("拨款")
    grants.append([f"{title}（拨款）"] if title else [])
    grants.append(ALLOCATION_HEADER)
    for row in allocations:
        grants.append(row)
    workbook.save(path)
    return path


def plan_csv(path: Path, header: list[str], rows: list[list[str]], *,
             encoding: str = "utf-8", title: str | None = None) -> Path:
    with path.open("w", encoding=encoding, newline="") as file:
        writer = csv.writer(file)
        if title:
            writer.writerow([title])
        writer.writerow(header)
        writer.writerows(rows)
    return path


def run(*args: str) -> Result:
    return CliRunner().invoke(funds, ["plan", *args])


def fingerprint(folder: Path) -> dict[str, str]:
    return {str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(folder.rglob("*")) if path.is_file()}


def include_plan(main: Path) -> None:
    with main.open("a", encoding="utf-8") as file:
        file.write('include "plan/*.beancount"\n')


def budget_lines(main: Path) -> dict[str, tuple[str, Decimal]]:
    """Each budget line in effect at the end of 2013, as the rules read the books."""
    checked = check_books(main)
    assert not checked.load_errors, checked.load_errors
    budgets = checked.books.model.budgets
    lines = {}
    for account in budgets.accounts():
        directive = budgets.in_effect(account, datetime.date(2013, 12, 31))
        assert directive is not None
        lines[account] = (directive.period, directive.amount)
    return lines


def allocations_of(main: Path) -> dict[tuple[str, str | None, datetime.date], Decimal]:
    checked = check_books(main)
    assert not checked.load_errors, checked.load_errors
    totals: dict[tuple[str, str | None, datetime.date], Decimal] = {}
    for item in checked.books.model.allocations:
        key = (item.fund, item.source, item.due)
        totals[key] = totals.get(key, Decimal(0)) + item.amount
    return totals


EXPECTED_ALLOCATIONS = {
    ("construction", CONSTRUCTION.grant("区财政"), datetime.date(2013, 2, 28)):
        Decimal("300000.00"),
    ("construction", CONSTRUCTION.grant("市财政"), datetime.date(2013, 6, 30)):
        Decimal("100000.00"),
    ("salary", SALARY.grant("区财政"), datetime.date(2013, 2, 28)): Decimal("115200.00"),
}


def test_an_xlsx_plan_gives_the_budget_lines_and_allocations_of_its_rows(books: Path,
                                                                          tmp_path: Path) -> None:
    before = check_books(books)
    assert {finding.rule for finding in before.findings} == {"unbudgeted"}
    plan = plan_xlsx(tmp_path / "资金使用计划.xlsx", total="401,600.00")
    result = run(str(plan), "--ledger", str(books))
    assert result.exit_code == 0, result.output
    written = books.parent / "plan" / "2013.beancount"
    assert f"已写入 / written: {written}" in result.output
    assert "写入预算 4 行" in result.output and "拨款 3 笔" in result.output
    assert "新开科目 3 个" in result.output
    assert ("示范点建设经费（construction）：计划表全年预算 390,000.00（月度×12、季度×4），"
            "拨款合计 400,000.00" in result.output)
    assert 'include "plan/2013.beancount"' in result.output
    text = written.read_text("utf-8")
    assert text.startswith("; 2013 年度资金使用计划") and "资金使用计划.xlsx" in text
    assert 'approval: "揭东财〔2013〕5号"' in text and 'approval: "东管财〔2013〕1号"' in text
    include_plan(books)
    assert budget_lines(books) == EXPECTED_BUDGETS
    assert allocations_of(books) == EXPECTED_ALLOCATIONS
    per_fund: dict[str, Decimal] = {}
    for row in BUDGET_ROWS:
        per_fund[row[0]] = per_fund.get(row[0], Decimal(0)) + Decimal(row[3].replace(",", ""))
    assert sum(amount for _, amount in budget_lines(books).values()) == sum(per_fund.values())
    check = CliRunner().invoke(funds, ["check", str(books), "--no-cache"])
    assert check.exit_code == 0, check.output
    assert "错误 0 条" in check.output


def test_new_accounts_sit_under_the_funds_chart_accounts_with_their_fund(books: Path,
                                                                         tmp_path: Path) -> None:
    run(str(plan_xlsx(tmp_path / "plan.xlsx")), "--ledger", str(books))
    text = (books.parent / "plan" / "2013.beancount").read_text("utf-8")
    assert (f"2013-01-01 open {CONSTRUCTION.cost('设计费')} CNY\n  fund: \"construction\"\n"
            '  description: "设计费"') in text
    assert f"open {OPERATING.cost('办公费', '5201')} CNY" in text  # 办公费 is 管理费用
    assert f"open {CONSTRUCTION.grant('市财政')} CNY" in text
    assert f"open {CONSTRUCTION.cost('装修工程')}" not in text  # the books have it


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk"])
def test_csv_files_in_any_usual_encoding_give_the_same_plan(books: Path, tmp_path: Path,
                                                            encoding: str) -> None:
    budget = plan_csv(tmp_path / "预算.csv", BUDGET_HEADER, BUDGET_ROWS, encoding=encoding,
                      title=TITLE)
    grants = plan_csv(tmp_path / "拨款.csv", ALLOCATION_HEADER, ALLOCATION_ROWS,
                      encoding=encoding)
    result = run(str(budget), str(grants), "--ledger", str(books))
    assert result.exit_code == 0, result.output
    include_plan(books)
    assert budget_lines(books) == EXPECTED_BUDGETS
    assert allocations_of(books) == EXPECTED_ALLOCATIONS


def test_books_that_include_the_plan_folder_are_told_so(tmp_path: Path) -> None:
    main = write_books(tmp_path / "books", include_plan=True)
    (main.parent / "plan").mkdir()
    (main.parent / "plan" / "说明.beancount").write_text("; 资金使用计划\n", encoding="utf-8")
    result = run(str(plan_xlsx(tmp_path / "plan.xlsx")), "--ledger", str(main))
    assert result.exit_code == 0, result.output
    assert "账簿已 include 此文件" in result.output and 'include "' not in result.output


def revised(tmp_path: Path) -> Path:
    budget = [list(row) for row in BUDGET_ROWS]
    budget[0][3] = "400,000.00"  # 装修工程 raised
    budget[0][4] = "揭东财〔2013〕9号"
    budget.append(["社工薪酬", "单位社会保险费", "年度", "26,000.00", ""])  # a new line
    grants = [list(row) for row in ALLOCATION_ROWS]
    grants[0][2] = "330,000.00"  # 30,000 more from the district, due by the end of September
    grants[0][3] = "2013-09-30"
    return plan_xlsx(tmp_path / "调整.xlsx", budget, grants, title="2013年度资金使用计划调整")


def test_a_revised_plan_writes_only_the_revisions(books: Path, tmp_path: Path) -> None:
    run(str(plan_xlsx(tmp_path / "plan.xlsx")), "--ledger", str(books))
    include_plan(books)
    result = run(str(revised(tmp_path)), "--ledger", str(books), "--date", "2013-06-01")
    assert result.exit_code == 0, result.output
    written = books.parent / "plan" / "2013-调整1.beancount"
    text = written.read_text("utf-8")
    assert text.count('custom "budget"') == 2 and text.count('custom "allocation"') == 1
    assert (f'2013-06-01 custom "budget" {CONSTRUCTION.cost("装修工程")} "yearly" 400000.00 CNY'
            in text)
    assert f'2013-06-01 custom "budget" {SALARY.cost("单位社会保险费")} "yearly"' in text
    assert '2013-06-01 custom "allocation" "construction" 30000.00 CNY' in text
    assert 'note: "资金使用计划调整：追加"' in text and 'note: "资金使用计划调整"' in text
    assert CONSTRUCTION.cost("设计费") not in text  # unchanged: nothing written
    assert "调整共 2 处" in result.output and "不再写入：5 行" in result.output
    assert "  due: 2013-09-30" in text and "allocation-late" not in result.output
    lines = budget_lines(books)
    assert lines[CONSTRUCTION.cost("装修工程")] == ("yearly", Decimal("400000.00"))
    assert lines[SALARY.cost("单位社会保险费")] == ("yearly", Decimal("26000.00"))
    grant = CONSTRUCTION.grant("区财政")
    assert allocations_of(books)[("construction", grant, datetime.date(2013, 2, 28))] == Decimal(
        "300000.00")
    assert allocations_of(books)[("construction", grant, datetime.date(2013, 9, 30))] == Decimal(
        "30000.00")
    again = run(str(revised(tmp_path)), "--ledger", str(books), "--date", "2013-07-01")
    assert again.exit_code == 0, again.output
    assert "没有需要写入的内容" in again.output
    assert not (books.parent / "plan" / "2013-调整2.beancount").exists()


def test_a_revision_needs_its_date(books: Path, tmp_path: Path) -> None:
    run(str(plan_xlsx(tmp_path / "plan.xlsx")), "--ledger", str(books))
    include_plan(books)
    before = fingerprint(books.parent)
    result = run(str(revised(tmp_path)), "--ledger", str(books))
    assert result.exit_code == 2, result.output
    assert "--date" in result.output and "未写入任何文件" in result.output
    outside = run(str(revised(tmp_path)), "--ledger", str(books), "--date", "2014-01-05")
    assert outside.exit_code == 2 and "不在计划年度 2013 年内" in outside.output
    assert fingerprint(books.parent) == before


def test_a_lower_allocation_is_refused_naming_the_books_allocation(books: Path,
                                                                   tmp_path: Path) -> None:
    run(str(plan_xlsx(tmp_path / "plan.xlsx")), "--ledger", str(books))
    include_plan(books)
    before = fingerprint(books.parent)
    grants = [list(row) for row in ALLOCATION_ROWS]
    grants[2][2] = "100,000.00"
    lower = plan_xlsx(tmp_path / "lower.xlsx", BUDGET_ROWS, grants)
    result = run(str(lower), "--ledger", str(books), "--date", "2013-06-01")
    assert result.exit_code == 1, result.output
    assert "工作表 拨款" in result.output and "第 5 行" in result.output
    assert "列 C（金额（元））" in result.output
    assert "少于账簿中已有的 115,200.00（plan/2013.beancount:" in result.output
    assert fingerprint(books.parent) == before


def test_the_same_plan_again_writes_nothing(books: Path, tmp_path: Path) -> None:
    plan = plan_xlsx(tmp_path / "plan.xlsx")
    run(str(plan), "--ledger", str(books))
    include_plan(books)
    before = fingerprint(books.parent)
    result = run(str(plan), "--ledger", str(books))
    assert result.exit_code == 0, result.output
    assert "未写文件" in result.output
    assert fingerprint(books.parent) == before


BAD_BUDGET_ROWS = [
    (["无此专项", "装修工程", "年度", "100.00", ""], "A（专项）", "账簿中没有专项"),
    (["示范点建设经费", "装修工程", "年度", "一百元", ""], "D（金额（元））", "不是金额"),
    (["示范点建设经费", "装修工程", "年度", "-100.00", ""], "D（金额（元））", "为负"),
    (["示范点建设经费", "装修工程", "半年", "100.00", ""], "C（期间）", "无法识别的期间"),
    (["示范点建设经费", SALARY.cost("应发工资"), "年度", "100.00", ""], "B（科目）",
     "不是专项 construction 的科目"),
    (["示范点建设经费", CONSTRUCTION.bank, "年度", "100.00", ""], "B（科目）", "不是支出科目"),
    (["示范点建设经费", "装修 工程", "年度", "100.00", ""], "B（科目）", "不能用作科目名"),
    (["示范点建设经费", "装修工程", "年度", "", ""], "D（金额（元））", "金额为空"),
]


@pytest.mark.parametrize(("row", "column", "message"), BAD_BUDGET_ROWS)
def test_a_bad_budget_row_is_refused_with_its_row_and_column(
        books: Path, tmp_path: Path, row: list[str], column: str, message: str) -> None:
    before = fingerprint(books.parent)
    plan = plan_xlsx(tmp_path / "plan.xlsx", [*BUDGET_ROWS[1:], row])
    result = run(str(plan), "--ledger", str(books))
    assert result.exit_code == 1, result.output
    assert f"plan.xlsx，工作表 预算 / sheet 预算，第 6 行 / row 6，列 {column}" in result.output
    assert message in result.output and "未写入任何文件" in result.output
    assert fingerprint(books.parent) == before


BAD_ALLOCATION_ROWS = [
    (["无此专项", "区财政", "100.00", "2013-03-31"], "A（专项）", "账簿中没有专项"),
    (["社工薪酬", "区财政", "0", "2013-03-31"], "C（金额（元））", "应大于 0"),
    (["社工薪酬", "区财政", "-5", "2013-03-31"], "C（金额（元））", "应大于 0"),
    (["社工薪酬", "区财政", "100.00", "2013-02-30"], "D（到位期限）", "不是日期"),
    (["社工薪酬", "区财政", "100.00", "三月底"], "D（到位期限）", "不是日期"),
    (["社工薪酬", CONSTRUCTION.grant("区财政"), "100.00", "2013-03-31"], "B（来源）",
     "不是专项 salary 的科目"),
    (["社工薪酬", SALARY.cost("应发工资"), "100.00", "2013-03-31"], "B（来源）", "不是收入科目"),
]


@pytest.mark.parametrize(("row", "column", "message"), BAD_ALLOCATION_ROWS)
def test_a_bad_allocation_row_is_refused_with_its_row_and_column(
        books: Path, tmp_path: Path, row: list[str], column: str, message: str) -> None:
    before = fingerprint(books.parent)
    plan = plan_xlsx(tmp_path / "plan.xlsx", BUDGET_ROWS, [*ALLOCATION_ROWS, [*row, ""]])
    result = run(str(plan), "--ledger", str(books))
    assert result.exit_code == 1, result.output
    assert f"工作表 拨款 / sheet 拨款，第 6 行 / row 6，列 {column}" in result.output
    assert message in result.output
    assert fingerprint(books.parent) == before


def test_every_bad_row_is_listed_not_only_the_first(books: Path, tmp_path: Path) -> None:
    budget = [*BUDGET_ROWS, ["无此专项", "装修工程", "年度", "100.00", ""],
              ["社工薪酬", "应发工资", "年度", "1.00", ""]]  # a second line for 应发工资
    budget[1] = ["construction", "设计费", "每周", "abc", ""]
    result = run(str(budget_csv(tmp_path, budget)), "--ledger", str(books))
    assert result.exit_code == 1, result.output
    shown = result.output
    assert "第 4 行 / row 4，列 D（金额（元））" in shown
    assert "第 4 行 / row 4，列 C（期间）" in shown
    assert "第 7 行 / row 7，列 A（专项）" in shown
    assert "第 8 行 / row 8，列 B（科目）" in shown and "与第 5 行重复" in shown


def budget_csv(tmp_path: Path, rows: list[list[str]], header: list[str] = BUDGET_HEADER,
               name: str = "预算.csv") -> Path:
    return plan_csv(tmp_path / name, header, rows, title=TITLE)


def test_a_missing_column_names_the_sheet_and_the_columns_it_has(books: Path,
                                                                 tmp_path: Path) -> None:
    header = ["专项", "期间", "金额", "备注"]
    plan = budget_csv(tmp_path, [["construction", "年度", "100", ""]], header)
    result = run(str(plan), "--ledger", str(books))
    assert result.exit_code == 1, result.output
    assert ("预算.csv，第 2 行 / row 2：预算表缺少列：科目（现有列：专项、期间、金额、备注）"
            in result.output)


def test_a_total_row_must_add_up(books: Path, tmp_path: Path) -> None:
    plan = plan_xlsx(tmp_path / "plan.xlsx", total="400,000.00")
    result = run(str(plan), "--ledger", str(books))
    assert result.exit_code == 1, result.output
    assert "第 7 行 / row 7，列 D（金额（元））" in result.output
    assert "合计 400,000.00 不等于上面各行之和 401,600.00" in result.output


def test_subtotals_notes_and_signatures_are_no_plan_rows(books: Path, tmp_path: Path) -> None:
    rows = [BUDGET_ROWS[0], BUDGET_ROWS[1], ["示范点建设经费 小计", "", "", "390,000.00", ""],
            BUDGET_ROWS[2], BUDGET_ROWS[3], ["小计", "", "", "11,600.00", ""],
            ["合计", "", "", "401,600.00", ""], ["注：金额单位为元", "", "", "", ""],
            ["", "审核：李四", "", "", ""]]
    result = run(str(budget_csv(tmp_path, rows)), "--ledger", str(books))
    assert result.exit_code == 0, result.output
    include_plan(books)
    assert budget_lines(books) == EXPECTED_BUDGETS


def test_the_year_comes_from_the_option_the_title_the_file_name_or_the_books(
        books: Path, tmp_path: Path) -> None:
    untitled = plan_csv(tmp_path / "预算.csv", BUDGET_HEADER, BUDGET_ROWS)
    entries, options_map, model = loaded(books)
    assert draft_plan([untitled], entries, options_map, model).year == 2013  # the books' funds
    named = plan_csv(tmp_path / "2014年预算.csv", BUDGET_HEADER, BUDGET_ROWS)
    assert draft_plan([named], entries, options_map, model).year == 2014
    titled = plan_csv(tmp_path / "2014年预算-2.csv", BUDGET_HEADER, BUDGET_ROWS,
                      title="2015年度资金使用计划")
    assert draft_plan([titled], entries, options_map, model).year == 2015
    assert draft_plan([titled], entries, options_map, model, year=2016).year == 2016
    result = run(str(titled), "--ledger", str(books))
    assert (books.parent / "plan" / "2015.beancount").exists(), result.output
    assert '2015-01-01 custom "budget"' in (books.parent / "plan" / "2015.beancount").read_text(
        "utf-8")


def loaded(main: Path) -> tuple[list, dict, FundModel]:  # type: ignore[type-arg]
    checked = check_books(main)
    return list(checked.entries), checked.options_map, checked.books.model


def test_draft_plan_counts_what_it_writes_and_raises_input_errors(books: Path,
                                                                  tmp_path: Path) -> None:
    entries, options_map, model = loaded(books)
    draft = draft_plan([plan_xlsx(tmp_path / "plan.xlsx")], entries, options_map, model)
    assert (draft.year, draft.first, draft.date) == (2013, True, datetime.date(2013, 1, 1))
    assert len(draft.budget_changes) == 4 and len(draft.allocation_changes) == 3
    assert len(draft.opened) == 3 and draft.revisions == 0
    bad = plan_xlsx(tmp_path / "bad.xlsx", [["无此专项", "x", "年度", "1", ""]])
    with pytest.raises(PlanError) as raised:
        draft_plan([bad], entries, options_map, model)
    assert isinstance(raised.value, InputError) and raised.value.row == 3


def test_an_existing_output_file_is_never_overwritten(books: Path, tmp_path: Path) -> None:
    target = books.parent / "plan" / "2013.beancount"
    target.parent.mkdir()
    target.write_text("; 手写的计划\n", encoding="utf-8")
    result = run(str(plan_xlsx(tmp_path / "plan.xlsx")), "--ledger", str(books))
    assert result.exit_code == 1 and "已存在，不会覆盖" in result.output
    assert target.read_text("utf-8") == "; 手写的计划\n"
    other = tmp_path / "mine.beancount"
    other.write_text("; x\n", encoding="utf-8")
    refused = run(str(plan_xlsx(tmp_path / "plan.xlsx")), "--ledger", str(books), "-o",
                  str(other))
    assert refused.exit_code == 1 and other.read_text("utf-8") == "; x\n"
    assert "已存在，不会覆盖" in refused.output and "未写入任何文件" in refused.output


def test_the_demo_books_are_never_written(tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("BEANCOUNT_FILE", raising=False)
    result = run(str(plan_xlsx(tmp_path / "plan.xlsx")))
    assert result.exit_code == 2 and "不会写入示范账簿" in result.output


def test_a_plan_the_books_cannot_load_with_is_refused(books: Path, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    import importers.plan.draft

    real = importers.plan.plan_text
    monkeypatch.setattr(importers.plan.draft, "plan_text",
                        lambda *args: real(*args) + "2013-01-01 open Expenses:Bad CNY\n"
                                                    "2013-01-01 open Expenses:Bad CNY\n")
    before = fingerprint(books.parent)
    result = run(str(plan_xlsx(tmp_path / "plan.xlsx")), "--ledger", str(books))
    assert result.exit_code == 1, result.output
    assert "加入计划后账簿无法加载" in result.output
    assert fingerprint(books.parent) == before
