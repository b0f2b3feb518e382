"""``funds print vouchers YYYY-MM``: the 凭证封面 and every 记账凭证, read back from the PDF and
checked against the books (worked out in tests/test_print_vouchers_pages.py from the entries)."""

from __future__ import annotations

import re
import textwrap
from decimal import Decimal
from pathlib import Path

import pytest
from beancount import loader
from beancount.core import data
from click.testing import CliRunner, Result

from ledger.check import DEMO_BOOKS
from ledger.cli.main import funds
from ledger.model.capitals import chinese_capitals
from tests.pdf_tools import pdf_pages, pdf_text, render_png
from tests.test_print_vouchers_pages import (
    Expected,
    expected_vouchers,
    page_words,
    row_cells,
    table_rows,
)

ENGLISH_BOOKS = Path(__file__).parent / "ledgers" / "demo-2012-english" / "main.beancount"

HEADER = """\
option "title" "测试社工服务中心"
option "operating_currency" "CNY"
2012-01-01 open Assets:1002-银行存款:建设经费专户 CNY
2012-01-01 open Assets:1001-现金:运营经费备用金 CNY
2012-01-01 open Income:4401-政府补助收入:限定性收入:区财政:建设经费 CNY
2012-01-01 open Expenses:5101-业务活动成本:建设经费:装修工程
2012-01-01 open Expenses:5101-业务活动成本:建设经费:专家辅导费
2012-01-01 open Expenses:5201-管理费用:运营经费:办公费
2012-01-01 open Liabilities:2209-其他应付款:社会保险费 CNY
2012-01-02 * "区财政局" "拨入建设经费"
  voucher: "记-201201-001"
  approval: "东财〔2012〕1号"
  Assets:1002-银行存款:建设经费专户     500000.00 CNY
  Income:4401-政府补助收入:限定性收入:区财政:建设经费
"""


def books(tmp_path: Path, *parts: str, header: str = HEADER) -> Path:
    """Books of the header plus the parts (each dedented), written to ``tmp_path``."""
    path = tmp_path / "books" / "main.beancount"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(header + "".join(textwrap.dedent(part).strip("\n") + "\n"
                                     for part in parts), encoding="utf-8")
    return path


def print_vouchers(month: str, ledger: Path, out: Path, **env: str) -> Result:
    return CliRunner().invoke(funds, ["print", "vouchers", month, "--ledger", str(ledger),
                                      "--out", str(out)], env=env or None)


def printed(tmp_path: Path, month: str, ledger: Path) -> Path:
    result = print_vouchers(month, ledger, tmp_path / "out")
    assert result.exit_code == 0, result.output
    pdf = tmp_path / "out" / month / f"记账凭证-{month}.pdf"
    assert f"已写入 / written: {pdf}" in result.output
    return pdf


def loaded(ledger: Path) -> data.Directives:
    entries, errors, _ = loader.load_file(str(ledger))
    assert not errors, errors
    return entries


def continued(rows: list[list[str]], page: list[list[str]]) -> list[list[str]]:
    """The rows so far and a page's: a page's first row without an amount goes on with the
    row above it (a row too tall for a page, split over two)."""
    if rows and page and not any(page[0][3:]):
        rows = [*rows[:-1], [above + below for above, below in zip(rows[-1], page[0],
                                                                  strict=True)]]
        page = page[1:]
    return rows + page


def check_voucher_pages(pdf: Path, expected: list[Expected]) -> list[str]:
    """Every voucher's pages against the books: label, date, attachments, every row, 合计 and
    大写; returns the voucher pages' text."""
    pages = pdf_pages(pdf)[1:]
    words = page_words(pdf)[1:]
    at = 0
    for voucher in expected:
        rows: list[list[str]] = []
        first = at
        while True:
            text = pages[at]
            rows = continued(rows, table_rows(words[at]))
            at += 1
            if "续下页" not in text:
                break
        count = at - first
        for index, text in enumerate(pages[first:at], start=1):
            assert "记账凭证" in text
            if voucher.voucher is None:
                assert "无凭证号" in text
            else:
                number = int(re.findall(r"\d+", voucher.voucher)[-1])
                fraction = f" {index}/{count}" if count > 1 else ""
                assert f"记字第 {number}{fraction} 号" in text, (voucher.voucher, text)
                assert voucher.voucher in text
            day = voucher.date
            assert f"{day.year} 年 {day.month:02d} 月 {day.day:02d} 日" in text
            assert re.search(rf"附件\s*{voucher.attachments()}\s*张", text)
        want = [row_cells(row) for row in voucher.rows()]
        assert [row[1:] for row in rows] == want, voucher.voucher
        debit, credit = voucher.total()
        last = pages[at - 1]
        if not (debit or credit) and {row[2] for row in voucher.rows()} - {"CNY"}:
            assert "（大写）" not in last  # no 人民币 total on a voucher in other currencies
            continue
        assert f"（大写）：{chinese_capitals(debit)}" in last
        total_line = next(line for line in last.splitlines() if "（大写）" in line)
        assert total_line.split()[-2:] == [f"{debit:,.2f}", f"{credit:,.2f}"]
    assert at == len(pages)
    return pages


def test_the_demo_books_print_october_2012_every_voucher_as_the_books_hold_it(
        tmp_path: Path) -> None:
    pdf = printed(tmp_path, "2012-10", Path(DEMO_BOOKS))
    expected = expected_vouchers(loaded(Path(DEMO_BOOKS)), 2012, 10)
    assert len(expected) == 34
    check_voucher_pages(pdf, expected)
    cover = pdf_pages(pdf)[0]
    debit = sum((voucher.total()[0] for voucher in expected), Decimal(0))
    credit = sum((voucher.total()[1] for voucher in expected), Decimal(0))
    attachments = sum(voucher.attachments() for voucher in expected)
    assert debit == credit
    assert "记账凭证封面" in cover
    assert "东山区社区社工综合服务中心示范点 专项资金账簿" in cover
    assert "2012 年 10 月" in cover
    assert "自 记字第 1 号 至 记字第 34 号（记-201210-001 至 记-201210-034）" in cover
    assert f"共 {len(expected)} 张" in cover and "无凭证号" not in cover
    assert re.search(rf"附件总数\s+{attachments}\s*张", cover)
    assert re.search(rf"借方合计\s+{debit:,.2f} 元\s+（大写）{chinese_capitals(debit)}", cover)
    assert re.search(rf"贷方合计\s+{credit:,.2f} 元\s+（大写）{chinese_capitals(credit)}", cover)


def test_the_command_says_how_many_vouchers_and_attachments(tmp_path: Path) -> None:
    result = print_vouchers("2012-10", Path(DEMO_BOOKS), tmp_path / "out")
    expected = expected_vouchers(loaded(Path(DEMO_BOOKS)), 2012, 10)
    attachments = sum(voucher.attachments() for voucher in expected)
    assert result.exit_code == 0, result.output
    assert f"{len(expected)} 张凭证，附件 {attachments} 张" in result.output


def test_one_voucher_page_renders_as_a_png(tmp_path: Path) -> None:
    pdf = printed(tmp_path, "2012-10", Path(DEMO_BOOKS))
    png = render_png(pdf, 34, tmp_path / "voucher.png")  # 记字第 33 号: seven lines
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert png.stat().st_size > 20_000  # lines and text, not a blank page


def test_english_named_books_print_their_first_two_components_as_the_general_account(
        tmp_path: Path) -> None:
    pdf = printed(tmp_path, "2012-10", ENGLISH_BOOKS)
    expected = expected_vouchers(loaded(ENGLISH_BOOKS), 2012, 10)
    check_voucher_pages(pdf, expected)
    rows = table_rows(page_words(pdf)[1])  # as printed, not as the test's names() splits
    assert [row[1:3] for row in rows] == [["Expenses:Operating", "Publicity"],
                                          ["Assets:Bank", "Dedicated:Operating"]]


LONG_NAME = "社区居民需求评估入户调查及社工服务中心开业宣传活动专项支出明细"


def long_voucher(lines: int) -> str:
    """One voucher of ``lines`` expense lines, one a long account name, paid from the bank."""
    opens = "".join(f"2012-01-01 open Expenses:5101-业务活动成本:建设经费:支出项目{i:02d}\n"
                    for i in range(lines - 1))
    opens += f"2012-01-01 open Expenses:5101-业务活动成本:建设经费:{LONG_NAME}\n"
    postings = "".join(f"  Expenses:5101-业务活动成本:建设经费:支出项目{i:02d}   {i + 1}00.10 CNY\n"
                       for i in range(lines - 1))
    postings += f"  Expenses:5101-业务活动成本:建设经费:{LONG_NAME}   12345.67 CNY\n"
    return (opens + '2012-03-05 * "揭阳市建材公司" "装修材料一批"\n  voucher: "记-201203-001"\n'
            + postings + "  Assets:1002-银行存款:建设经费专户\n")


def test_a_long_voucher_goes_on_over_pages_numbered_as_fractions(tmp_path: Path) -> None:
    ledger = books(tmp_path, long_voucher(24))
    pdf = printed(tmp_path, "2012-03", ledger)
    [voucher] = expected_vouchers(loaded(ledger), 2012, 3)
    pages = check_voucher_pages(pdf, [voucher])
    count = len(pages)
    assert count >= 2
    for index, page in enumerate(pages, start=1):
        assert f"记字第 1 {index}/{count} 号" in page
        assert ("续下页" in page) == (index < count)
        assert ("（大写）" in page) == (index == count)
    assert f"共 1 张（凭证页 {count} 页）" in pdf_pages(pdf)[0]
    for words in page_words(pdf)[1:]:  # the 摘要 written once a page, not on every line
        summaries = [row[0] for row in table_rows(words)]
        assert summaries == ["装修材料一批（揭阳市建材公司）"] + [""] * (len(summaries) - 1)


def test_a_long_account_name_wraps_whole(tmp_path: Path) -> None:
    ledger = books(tmp_path, long_voucher(2))
    pdf = printed(tmp_path, "2012-03", ledger)
    rows = table_rows(page_words(pdf)[1])
    assert f"建设经费—{LONG_NAME}" in [row[2] for row in rows]
    layout = pdf_pages(pdf)[1]
    assert f"建设经费—{LONG_NAME}" not in layout  # it did take more than one line
    assert "记字第 1 号" in layout


def test_the_same_number_is_one_voucher_each_account_merged_per_side(tmp_path: Path) -> None:
    ledger = books(tmp_path, """
        2012-03-01 * "东山区便民文具店" "办公用品"
          voucher: "记-201203-002"
          invoice: "0001"
          Expenses:5201-管理费用:运营经费:办公费   30.00 CNY
          Expenses:5201-管理费用:运营经费:办公费   12.50 CNY
          Assets:1001-现金:运营经费备用金          -42.50 CNY
        2012-03-02 * "东山区便民文具店" "退回多付款"
          voucher: "记-201203-002"
          invoice: "0001"
          Assets:1001-现金:运营经费备用金            2.50 CNY
          Expenses:5201-管理费用:运营经费:办公费    -2.50 CNY
        2012-03-02 * "揭阳农商银行东山支行" "提取备用金"
          voucher: "记-201203-001"
          Assets:1001-现金:运营经费备用金          500.00 CNY
          Assets:1002-银行存款:建设经费专户        -500.00 CNY
        """)
    pdf = printed(tmp_path, "2012-03", ledger)
    expected = expected_vouchers(loaded(ledger), 2012, 3)
    assert [voucher.voucher for voucher in expected] == ["记-201203-001", "记-201203-002"]
    check_voucher_pages(pdf, expected)
    rows = table_rows(page_words(pdf)[2])
    assert [row[1:] for row in rows] == [
        ["5201管理费用", "运营经费—办公费", "42.50", ""],
        ["1001现金", "运营经费备用金", "2.50", ""],
        ["1001现金", "运营经费备用金", "", "42.50"],
        ["5201管理费用", "运营经费—办公费", "", "2.50"]]
    assert "附件 1 张" in pdf_pages(pdf)[2]  # one invoice quoted twice
    assert "开始日期" not in pdf_pages(pdf)[2]
    assert "2012 年 03 月 01 日" in pdf_pages(pdf)[2]  # the earliest of its transactions


def test_transactions_without_a_number_print_last_marked_and_by_date(tmp_path: Path) -> None:
    ledger = books(tmp_path, """
        2012-03-01 * "区财政局" "拨入建设经费"
          Assets:1002-银行存款:建设经费专户     1000.00 CNY
          Income:4401-政府补助收入:限定性收入:区财政:建设经费
        2012-03-03 * "揭阳市建材公司" "装修材料"
          voucher: "记-201203-002"
          Expenses:5101-业务活动成本:建设经费:装修工程   300.00 CNY
          Assets:1002-银行存款:建设经费专户
        2012-03-04 * "揭阳市建材公司" "装修材料"
          voucher: "记-201203-001"
          Expenses:5101-业务活动成本:建设经费:装修工程   200.00 CNY
          Assets:1002-银行存款:建设经费专户
        2012-03-09 * "香港社会服务联会" "专家辅导费"
          Expenses:5101-业务活动成本:建设经费:专家辅导费   400.00 CNY
          Assets:1002-银行存款:建设经费专户
        """)
    pdf = printed(tmp_path, "2012-03", ledger)
    expected = expected_vouchers(loaded(ledger), 2012, 3)
    assert [voucher.voucher for voucher in expected] == ["记-201203-001", "记-201203-002",
                                                         None, None]
    pages = check_voucher_pages(pdf, expected)
    assert "2012 年 03 月 01 日" in pages[2] and "2012 年 03 月 09 日" in pages[3]
    assert "记字第" not in pages[2] + pages[3]
    cover = pdf_pages(pdf)[0]
    assert "共 4 张（凭证页 4 页），其中无凭证号 2 张" in cover
    assert "自 记字第 1 号 至 记字第 2 号" in cover


def test_attachments_given_or_counted_from_the_evidence_and_documents(tmp_path: Path) -> None:
    (tmp_path / "books").mkdir()
    (tmp_path / "books" / "合同.pdf").write_bytes(b"%PDF-1.4")
    ledger = books(tmp_path, """
        2012-03-01 * "揭阳市建材公司" "装修材料（发票三张，另附验收单）"
          voucher: "记-201203-001"
          attachments: 5
          invoice: "0001，0002；0003"
          Expenses:5101-业务活动成本:建设经费:装修工程   300.00 CNY
          Assets:1002-银行存款:建设经费专户
        2012-03-02 * "揭阳市建材公司" "装修工程款" ^renovation
          voucher: "记-201203-002"
          invoice: "0004，0005"
          contract: "JS-2012-01"
          Expenses:5101-业务活动成本:建设经费:装修工程   800.00 CNY
            receipt: "HD-77"
          Assets:1002-银行存款:建设经费专户
        2012-03-02 document Assets:1002-银行存款:建设经费专户 "合同.pdf" ^renovation
        2012-03-05 * "揭阳市建材公司" "零星材料"
          voucher: "记-201203-003"
          Expenses:5101-业务活动成本:建设经费:装修工程   80.00 CNY
          Assets:1002-银行存款:建设经费专户
        """)
    pdf = printed(tmp_path, "2012-03", ledger)
    pages = pdf_pages(pdf)
    assert "附件 5 张" in pages[1]  # as given, not the three invoices
    assert "附件 5 张" in pages[2]  # two invoices, a contract, a bank slip and the document
    assert "附件 0 张" in pages[3]
    assert re.search(r"附件总数\s+10\s*张", pages[0])


def test_signers_come_from_the_voucher_then_the_policy(tmp_path: Path) -> None:
    ledger = books(tmp_path, """
        2012-01-01 custom "fund-policy" "signer-supervisor" "王主管"
        2012-01-01 custom "fund-policy" "signer-bookkeeper" "陈记账"
        2012-01-01 custom "fund-policy" "signer-cashier" "林出纳"
        2012-01-01 custom "fund-policy" "signer-preparer" "赵制单"
        2012-03-01 * "揭阳市建材公司" "装修材料"
          voucher: "记-201203-001"
          preparer: "李会计"
          reviewer: "黄审核"
          Expenses:5101-业务活动成本:建设经费:装修工程   300.00 CNY
          Assets:1002-银行存款:建设经费专户
        2012-03-05 * "揭阳市建材公司" "零星材料"
          voucher: "记-201203-002"
          Expenses:5101-业务活动成本:建设经费:装修工程   80.00 CNY
          Assets:1002-银行存款:建设经费专户
        """)
    pages = pdf_pages(printed(tmp_path, "2012-03", ledger))
    for title, name in (("会计主管", "王主管"), ("记账", "陈记账"), ("审核", "黄审核"),
                        ("出纳", "林出纳"), ("制单", "李会计")):
        assert f"{title}：{name}" in pages[1]
    assert "制单：赵制单" in pages[2] and "黄审核" not in pages[2]


def test_a_signer_that_is_not_a_name_is_bad_policy(tmp_path: Path) -> None:
    from ledger.model.policy import SignerName, read_policy_directive
    entries, errors, _ = loader.load_string(textwrap.dedent("""
        2012-01-01 custom "fund-policy" "signer-cashier" 12
        2012-01-01 custom "fund-policy" "signer-cashier" "  "
        2012-01-01 custom "fund-policy" "signer-cashier" "林出纳"
        """))
    assert not errors
    read = [read_policy_directive(entry) for entry in entries
            if isinstance(entry, data.Custom)]
    assert isinstance(read[0], str) and "signer-cashier" in read[0]
    assert isinstance(read[1], str)
    assert read[2] == ("signer-cashier", SignerName("林出纳"))


def test_other_currencies_keep_their_code(tmp_path: Path) -> None:
    ledger = books(tmp_path, """
        2012-01-01 open Assets:1002-银行存款:外币专户
        2012-01-01 open Expenses:5101-业务活动成本:建设经费:境外督导
        2012-03-01 * "香港社会服务联会" "督导费"
          voucher: "记-201203-001"
          Expenses:5101-业务活动成本:建设经费:境外督导   100.00 USD @ 6.30 CNY
          Assets:1002-银行存款:建设经费专户            -630.00 CNY
        2012-03-02 * "香港社会服务联会" "督导费（外币户支付）"
          voucher: "记-201203-002"
          Expenses:5101-业务活动成本:建设经费:境外督导   200.00 USD
          Assets:1002-银行存款:外币专户                -200.00 USD
        """)
    pdf = printed(tmp_path, "2012-03", ledger)
    pages = check_voucher_pages(pdf, expected_vouchers(loaded(ledger), 2012, 3))
    assert table_rows(page_words(pdf)[1])[0][0] == "督导费（香港社会服务联会）（原币100.00USD）"
    assert "合计 USD" in pages[1] and "200.00 USD" in pages[1]
    assert "人民币" not in pages[1] and "零元整" not in pages[1]  # no CNY on it, no CNY total
    assert "合计 人民币（大写）：陆佰叁拾元整" in pages[0]  # decoy: USD at a CNY price
    assert re.search(r"借贷合计 USD\s+借方 200.00 USD，贷方 200.00 USD", pdf_pages(pdf)[0])
    assert re.search(r"借方合计\s+630.00 元", pdf_pages(pdf)[0])


def test_other_files_of_the_folder_are_left_alone(tmp_path: Path) -> None:
    folder = tmp_path / "out" / "2012-10"
    folder.mkdir(parents=True)
    (folder / "明细账-说明.txt").write_text("留着", encoding="utf-8")
    (folder / "记账凭证-2012-10.pdf").write_bytes(b"old")
    pdf = printed(tmp_path, "2012-10", Path(DEMO_BOOKS))
    assert (folder / "明细账-说明.txt").read_text(encoding="utf-8") == "留着"
    assert pdf.read_bytes().startswith(b"%PDF")
    assert sorted(path.name for path in folder.iterdir()) == ["明细账-说明.txt",
                                                             "记账凭证-2012-10.pdf"]


def refused(result: Result, out: Path, *words: str) -> None:
    assert result.exit_code == 2, result.output
    assert isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    assert "未写入任何文件 / nothing was written" in result.output
    for word in words:
        assert word in result.output
    assert not out.exists()


@pytest.mark.parametrize("month", ["2012-13", "201210", "2012-1", "十月"])
def test_a_malformed_month_is_refused(tmp_path: Path, month: str) -> None:
    result = print_vouchers(month, Path(DEMO_BOOKS), tmp_path / "out")
    refused(result, tmp_path / "out", "月份应为 YYYY-MM", "a month is YYYY-MM")


def test_a_month_without_transactions_is_refused(tmp_path: Path) -> None:
    result = print_vouchers("2011-10", Path(DEMO_BOOKS), tmp_path / "out")
    refused(result, tmp_path / "out", "没有任何交易", "no transaction in 2011-10")


def test_books_that_do_not_load_are_refused(tmp_path: Path) -> None:
    ledger = books(tmp_path, """
        2012-03-01 * "揭阳市建材公司" "装修材料"
          Expenses:5101-业务活动成本:建设经费:装修工程   300.00 CNY
          Assets:1002-银行存款:建设经费专户             -200.00 CNY
        """)
    result = print_vouchers("2012-03", ledger, tmp_path / "out")
    assert result.exit_code == 2
    assert "账本无法加载 / the ledger does not load" in result.output
    assert isinstance(result.exception, SystemExit)
    assert not (tmp_path / "out").exists()


def test_no_chinese_font_is_refused(tmp_path: Path) -> None:
    result = print_vouchers("2012-10", Path(DEMO_BOOKS), tmp_path / "out",
                            EARMARK_CJK_FONT=str(tmp_path / "nofont.ttf"))
    refused(result, tmp_path / "out", "字体文件不存在", "names no font file")


def test_attachments_that_are_not_a_count_are_refused_naming_the_line(tmp_path: Path) -> None:
    ledger = books(tmp_path, """
        2012-03-01 * "揭阳市建材公司" "装修材料"
          voucher: "记-201203-001"
          attachments: "三张"
          Expenses:5101-业务活动成本:建设经费:装修工程   300.00 CNY
          Assets:1002-银行存款:建设经费专户
        """)
    result = print_vouchers("2012-03", ledger, tmp_path / "out")
    line = HEADER.count("\n") + 1
    refused(result, tmp_path / "out", f"main.beancount:{line}", "attachments:", "三张")


def test_a_folder_that_cannot_be_written_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "2012-10").write_text("一个文件，不是文件夹", encoding="utf-8")
    result = print_vouchers("2012-10", Path(DEMO_BOOKS), out)
    assert result.exit_code == 2, result.output
    assert isinstance(result.exception, SystemExit)
    assert "无法写入" in result.output and "cannot write" in result.output
    assert "未写入任何文件 / nothing was written" in result.output
    assert (out / "2012-10").read_text(encoding="utf-8") == "一个文件，不是文件夹"
    assert [path.name for path in out.iterdir()] == ["2012-10"]


def march_vouchers(*numbers: tuple[int, str]) -> str:
    """A voucher of a few yuan for each (day, voucher number) of March 2012."""
    return "".join(f'2012-03-{day:02d} * "揭阳市建材公司" "装修材料"\n  voucher: "{number}"\n'
                   f"  Expenses:5101-业务活动成本:建设经费:装修工程   {day}.00 CNY\n"
                   "  Assets:1002-银行存款:建设经费专户\n" for day, number in numbers)


def test_the_cover_names_the_numbers_missing_between_the_first_and_the_last(
        tmp_path: Path) -> None:
    journal = march_vouchers(*((number, f"记-201203-{number:03d}")
                               for number in (2, 3, 6, 7, 8, 10)))
    cover = pdf_pages(printed(tmp_path, "2012-03", books(tmp_path, journal)))[0]
    assert "自 记字第 2 号 至 记字第 10 号（记-201203-002 至 记-201203-010）；缺号 4～5、9" in cover
    assert "共 6 张" in cover


def test_a_month_numbered_without_gaps_names_none_missing(tmp_path: Path) -> None:
    cover = pdf_pages(printed(tmp_path, "2012-10", Path(DEMO_BOOKS)))[0]
    assert "缺号" not in cover


def test_the_transactions_beancount_makes_itself_are_no_vouchers(tmp_path: Path) -> None:
    ledger = books(tmp_path, """
        2012-01-01 open Equity:3101-非限定性净资产
        2012-03-01 pad Assets:1001-现金:运营经费备用金 Equity:3101-非限定性净资产
        2012-03-02 balance Assets:1001-现金:运营经费备用金   300.00 CNY
        2012-03-05 * "东山区便民文具店" "办公用品"
          voucher: "记-201203-001"
          Expenses:5201-管理费用:运营经费:办公费   30.00 CNY
          Assets:1001-现金:运营经费备用金
        """)
    pdf = printed(tmp_path, "2012-03", ledger)
    assert any(isinstance(entry, data.Transaction) and entry.flag == "P"
               for entry in loaded(ledger))
    assert len(pdf_pages(pdf)) == 2
    check_voucher_pages(pdf, expected_vouchers(loaded(ledger), 2012, 3))


def test_wrapped_cells_keep_every_character_and_start_no_line_with_closing_punctuation(
        ) -> None:
    from reports.printed.layout import CLOSING, BoxedTable, Column
    from reports.printed.pdf import new_document
    document = new_document(landscape=True)
    document.add_page()
    text = "装修材料一批（揭阳市建材公司），验收合格。另附：验收单、照片（共三张）。"
    for tenths in range(150, 900, 7):
        width = tenths / 10
        table = BoxedTable((Column("摘要", width),))
        lines = table.lines(document, text, width)
        assert "".join(lines) == text, width
        assert not any(line[:1] in CLOSING for line in lines[1:]), (width, lines)


def test_the_demo_vouchers_break_no_number_from_its_per_cent_sign(tmp_path: Path) -> None:
    from reports.printed.layout import CLOSING, OPENING
    pdf = printed(tmp_path, "2012-08", Path(DEMO_BOOKS))
    lines = pdf_text(pdf, layout=False).splitlines()  # each line of a cell on its own
    at = next(index for index, line in enumerate(lines) if "服务中心设备采购首期款" in line)
    assert lines[at].endswith("（合同") and lines[at + 1].startswith("70%）")
    assert [line for line in lines if line[:1] in CLOSING] == []
    assert [line for line in lines if line[-1:] in OPENING] == []


def test_characters_the_font_lacks_are_named_in_chinese_and_english(tmp_path: Path) -> None:
    ledger = books(tmp_path, """
        2012-03-05 * "𠮷野家" "工作餐\t补贴"
          voucher: "记-201203-001"
          Expenses:5201-管理费用:运营经费:办公费   30.00 CNY
          Assets:1001-现金:运营经费备用金
        """)
    result = print_vouchers("2012-03", ledger, tmp_path / "out")
    assert result.exit_code == 0, result.output
    assert "字体中没有这些字符，PDF 中显示为空白，请核对纸质凭证：𠮷" in result.output
    assert "the font has no glyph for 𠮷" in result.output
    assert "missing the following glyphs" not in result.output
    rows = table_rows(page_words(tmp_path / "out" / "2012-03" / "记账凭证-2012-03.pdf")[1])
    assert rows[0][0] == "工作餐补贴（野家）"  # the tab is a space; the missing glyph blank


def test_a_month_the_font_covers_has_no_note(tmp_path: Path) -> None:
    result = print_vouchers("2012-10", Path(DEMO_BOOKS), tmp_path / "out")
    assert result.exit_code == 0
    assert "字体中没有" not in result.output and "glyph" not in result.output


@pytest.mark.parametrize("month", range(4, 13))
def test_every_month_of_the_demo_year_prints_as_the_books_hold_it(tmp_path: Path,
                                                                  month: int) -> None:
    pdf = printed(tmp_path, f"2012-{month:02d}", Path(DEMO_BOOKS))
    expected = expected_vouchers(loaded(Path(DEMO_BOOKS)), 2012, month)
    check_voucher_pages(pdf, expected)
    debit = sum((voucher.total()[0] for voucher in expected), Decimal(0))
    assert re.search(rf"借方合计\s+{debit:,.2f} 元", pdf_pages(pdf)[0])


def test_by_default_the_vouchers_go_to_the_printed_books_folder(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(funds, ["print", "vouchers", "2012-10", "--ledger",
                                        str(DEMO_BOOKS)])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "printed" / "2012-10" / "记账凭证-2012-10.pdf").is_file()
    assert [path.name for path in tmp_path.iterdir()] == ["printed"]


def test_a_number_of_another_month_is_its_own_sequence_on_the_cover(tmp_path: Path) -> None:
    journal = march_vouchers((1, "记-201203-001"), (2, "记-201202-015"), (3, "记-201203-002"),
                             (9, "记-201203-004"))
    cover = pdf_pages(printed(tmp_path, "2012-03", books(tmp_path, journal)))[0]
    assert "自 记字第 1 号 至 记字第 4 号（记-201203-001 至 记-201203-004）；缺号 3" in cover
    assert "记字第 15 号（记-201202-015）" in cover  # a February number entered late
    assert "5～14" not in cover and "记-201203-001 至 记-201202-015" not in cover
    assert "共 4 张" in cover


def test_a_number_without_digits_is_named_apart_from_the_sequence(tmp_path: Path) -> None:
    journal = march_vouchers((1, "记-201203-001"), (2, "记-201203-002"), (5, "补记凭证"))
    cover = pdf_pages(printed(tmp_path, "2012-03", books(tmp_path, journal)))[0]
    assert "自 记字第 1 号 至 记字第 2 号（记-201203-001 至 记-201203-002）" in cover
    assert "另 补记凭证" in cover and "至 补记凭证" not in cover


def test_a_number_on_several_transactions_is_noted_as_printed_on_one_voucher(
        tmp_path: Path) -> None:
    ledger = books(tmp_path, """
        2012-03-05 * "揭阳市建材公司" "装修工程首付款"
          voucher: "记-201203-001"
          Expenses:5101-业务活动成本:建设经费:装修工程   300.00 CNY
          Assets:1002-银行存款:建设经费专户
        2012-03-07 * "东山区便民文具店" "办公用品"
          voucher: "记-201203-001"
          Expenses:5201-管理费用:运营经费:办公费   30.00 CNY
          Assets:1001-现金:运营经费备用金
        """)
    result = print_vouchers("2012-03", ledger, tmp_path / "out")
    assert result.exit_code == 0, result.output
    first, second = HEADER.count("\n") + 1, HEADER.count("\n") + 5
    assert (f"注意：凭证号 记-201203-001 用于 2 笔交易（{ledger}:{first}、{ledger}:{second}），"
            "合并打印为一张凭证") in result.output
    assert "printed as one voucher" in result.output
    quiet = print_vouchers("2012-10", Path(DEMO_BOOKS), tmp_path / "demo")
    assert quiet.exit_code == 0 and "合并打印" not in quiet.output  # decoy: one each


def test_a_line_taller_than_a_page_goes_on_over_the_next_page_whole(tmp_path: Path) -> None:
    narration = ("根据区社工委与本中心签订的示范点建设协议及装修工程合同约定，支付装修工程第二期"
                 "进度款，工程内容包括") * 6
    ledger = books(tmp_path, f"""
        2012-03-02 * "揭阳市建材公司" "{narration}"
          voucher: "记-201203-001"
          Expenses:5101-业务活动成本:建设经费:装修工程   200.00 CNY
          Assets:1002-银行存款:建设经费专户
        """)
    pdf = printed(tmp_path, "2012-03", ledger)
    [voucher] = expected_vouchers(loaded(ledger), 2012, 3)
    pages = check_voucher_pages(pdf, [voucher])
    assert len(pages) == 2 and "续下页" in pages[0]
    summaries = "".join(row[0] for words in page_words(pdf)[1:] for row in table_rows(words))
    assert summaries == f"{narration}（揭阳市建材公司）"  # all of it inside the table, once
    for words in page_words(pdf)[1:]:  # and nothing runs under the signature boxes
        boxes = min(word.y for word in words if word.text.startswith("会计主管"))
        end = min(word.y for word in words if word.text.startswith(("合计", "续下页")))
        assert max(word.y for word in words if word.y < boxes) <= end + 1


def test_a_long_unit_name_stays_clear_of_the_date(tmp_path: Path) -> None:
    unit = "广东省揭阳市榕城区东山街道社区社工综合服务中心示范点 专项资金账簿"
    ledger = books(tmp_path, """
        2012-03-05 * "东山区便民文具店" "办公用品"
          voucher: "记-201203-001"
          Expenses:5201-管理费用:运营经费:办公费   30.00 CNY
          Assets:1001-现金:运营经费备用金
        """, header=HEADER.replace("测试社工服务中心", unit))
    pdf = printed(tmp_path, "2012-03", ledger)
    words = page_words(pdf)[1]
    date = next(word for word in words if word.text == "2012")
    line = sorted((word for word in words if abs(word.y - date.y) < 2), key=lambda w: w.x)
    before = [word for word in line if word.x < date.x]
    assert "".join(word.text for word in before) == f"单位：{unit}".replace(" ", "")
    assert max(word.right for word in before) < date.x  # not over the date
    short = page_words(printed(tmp_path / "short", "2012-03", books(tmp_path / "short", """
        2012-03-05 * "东山区便民文具店" "办公用品"
          voucher: "记-201203-001"
          Expenses:5201-管理费用:运营经费:办公费   30.00 CNY
          Assets:1001-现金:运营经费备用金
        """)))[1]
    [name] = [word for word in short if word.text.startswith("单位：")]
    assert (name.right - name.x) / len(name.text) == pytest.approx(9.0, abs=0.3)  # decoy: 9 pt


def test_the_places_of_a_voucher_of_many_transactions_stay_on_the_page(tmp_path: Path) -> None:
    journal = march_vouchers(*((day, "记-201203-001") for day in range(1, 25)))
    pdf = printed(tmp_path, "2012-03", books(tmp_path, journal))
    words = [word for page in page_words(pdf)[1:] for word in page]
    lines = "、".join(str(HEADER.count("\n") + 1 + 4 * day) for day in range(24))
    assert f"main.beancount:{lines}" in "".join(word.text for word in words)  # each file once
    assert max(word.right for word in words) < 595.28 - 10  # A5 landscape, inside its edge


def test_an_out_that_is_a_file_is_refused_in_chinese_and_english(tmp_path: Path) -> None:
    out = tmp_path / "printed"
    out.write_text("不是文件夹", encoding="utf-8")
    result = print_vouchers("2012-10", Path(DEMO_BOOKS), out)
    assert result.exit_code == 2, result.output
    assert f"无法写入 {out / '2012-10' / '记账凭证-2012-10.pdf'}" in result.output
    assert "cannot write" in result.output and "Invalid value" not in result.output
    assert "未写入任何文件 / nothing was written" in result.output
    assert out.read_text(encoding="utf-8") == "不是文件夹"


def test_a_signer_changed_during_the_month_signs_from_the_day_it_is_set(tmp_path: Path) -> None:
    ledger = books(tmp_path, """
        2012-01-01 custom "fund-policy" "signer-cashier" "林出纳"
        2012-03-04 custom "fund-policy" "signer-cashier" "陈出纳"
        """, march_vouchers((1, "记-201203-001"), (5, "记-201203-002")))
    pages = pdf_pages(printed(tmp_path, "2012-03", ledger))
    assert "出纳：林出纳" in pages[1] and "出纳：陈出纳" in pages[2]
