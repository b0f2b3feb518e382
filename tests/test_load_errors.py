"""Books that do not load: every command (``check-funds``, ``funds export monthly``) and the
专项资金 page say in Chinese what each error means, at its file and line; a file saved as GBK,
with a byte-order mark or with full-width digits, and a missing ``include``, get one line each
instead of the cascade that follows from them."""

from __future__ import annotations

import codecs
import re
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from ledger.cli.check import check_funds
from ledger.cli.main import funds
from ledger.load_errors import FOLLOWING
from tests.test_fava_page import EXTENSION, fava, page_html

BASE = """\
option "operating_currency" "CNY"
; 东山区社工中心 示范账簿
2013-01-01 open Assets:Bank CNY
2013-01-01 open Assets:Cash CNY
2013-01-01 open Expenses:Office CNY
2013-01-01 open Equity:Opening CNY
2013-01-02 * "开户" "期初余额"
  Assets:Bank  1000.00 CNY
  Assets:Cash   200.00 CNY
  Equity:Opening
"""

X = '"x"'  # the narration of the transaction a test is about
NOTE = re.compile(r"^\S")  # a line of ours (Beancount's own words are indented below it)


def write(tmp_path: Path, files: dict[str, str | bytes]) -> Path:
    for name, text in files.items():
        path = tmp_path / name
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
    return tmp_path / "main.beancount"


def check(tmp_path: Path, files: dict[str, str | bytes]) -> Result:
    main = write(tmp_path, files)
    result = CliRunner().invoke(check_funds, [str(main), "--no-cache"])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    return result


def lines_of(result: Result) -> list[str]:
    """Our lines on stderr, without Beancount's indented words."""
    return [line for line in result.stderr.splitlines() if NOTE.match(line)]


def line_of(text: str, needle: str) -> int:
    return next(number for number, line in enumerate(text.splitlines(), start=1)
                if needle in line)


def has_line(result: Result, start: str) -> bool:
    return any(line.startswith(start) for line in lines_of(result))


@pytest.mark.parametrize(("added", "needle", "meaning", "beancount"), [
    ('2013-01-03 * "x"\n  Assets:Bank  abc CNY\n  Expenses:Office\n', "abc",
     "金额不是数字（“abc”）", "Invalid token: 'abc'"),
    ('2013-01-03 * "x"\n  Assets:Bank  -1.00 CNY\n  Expenses:Office  2.00 CNY\n', '"x"',
     "该笔交易借贷不平：相差 1.00 CNY（借方多于贷方）", "Transaction does not balance"),
    ('2013-01-03 * "x"\n  Assets:Nowhere  -1.00 CNY\n  Expenses:Office  1.00 CNY\n', '"x"',
     "科目未开设：Assets:Nowhere", "unknown account 'Assets:Nowhere'"),
    ('2013-01-03 close Expenses:Office\n2013-01-04 * "x"\n  Assets:Bank  -1.00 CNY\n'
     "  Expenses:Office  1.00 CNY\n", '"x"', "科目 Expenses:Office 在此日期不可用",
     "inactive account 'Expenses:Office'"),
    ("2013-01-05 open Assets:Bank CNY\n", "2013-01-05 open", "同一科目开设了两次：Assets:Bank",
     "Duplicate open directive"),
    ("2013-01-05 balance Assets:Bank  900.00 CNY\n", "balance",
     "余额断言不符：Assets:Bank 账面 1000.00 CNY，断言 900.00 CNY，相差 100.00 CNY（账面多）",
     "Balance failed for 'Assets:Bank'"),
    ('include "nope.beancount"\n', "include", "include 的文件不存在：nope.beancount",
     'File glob "nope.beancount" does not match any files'),
    ('2013-02-30 * "x"\n  Assets:Bank  -1.00 CNY\n  Expenses:Office  1.00 CNY\n', "02-30",
     "日期无效“2013-02-30”", "day is out of range for month"),
    ('2013-01-03 * "x"\n  Assets:Bank  -1,00 CNY\n  Expenses:Office  1.00 CNY\n', "1,00",
     "金额写法无效“1,00”", "Invalid number format"),
])
def test_each_load_error_is_explained_in_chinese_at_its_file_and_line(
        tmp_path: Path, added: str, needle: str, meaning: str, beancount: str) -> None:
    text = BASE + added
    result = check(tmp_path, {"main.beancount": text})
    where = f"main.beancount:{line_of(text, needle)}"
    assert has_line(result, f"{where}: {meaning}"), result.stderr
    assert beancount in result.stderr  # Beancount's own words are kept, below ours


def test_a_syntax_error_comes_first_and_the_errors_after_it_may_follow_from_it(
        tmp_path: Path) -> None:
    text = (BASE + '2013-01-03 * "x"\n  Assets:Bank  -1.00 CNY\n  Expenses:Office  2.00 CNY\n'
            '2013-01-04 * "y"\n  Assets:Bank  -100.00 CNY\n  Expenses:Office  1OO.00 CNY\n')
    result = check(tmp_path, {"main.beancount": text})
    shown = lines_of(result)
    syntax = line_of(text, "1OO.00")
    assert shown[1].startswith(f"main.beancount:{syntax}: 金额不是数字（“1OO.00”）")
    assert shown[2] == FOLLOWING
    assert shown[3].startswith(f"main.beancount:{line_of(text, X)}: 该笔交易借贷不平")


def test_failed_balances_of_a_skipped_transaction_are_counted_on_its_line(
        tmp_path: Path) -> None:
    text = (BASE + '2013-01-04 * "y"\n  Assets:Bank  -100.00 CNY\n  Expenses:Office  1OO.00 CNY\n'
            "2013-01-05 balance Assets:Bank  900.00 CNY\n"
            "2013-01-06 balance Assets:Bank  900.00 CNY\n"
            "2013-01-06 balance Assets:Cash  150.00 CNY\n")  # decoy: not in the skipped one
    result = check(tmp_path, {"main.beancount": text})
    shown = lines_of(result)
    first = line_of(text, "2013-01-05 balance")
    assert shown[1].startswith(f"main.beancount:{line_of(text, '1OO.00')}: 金额不是数字")
    assert f"其后 2 处余额断言随之不符（如 main.beancount:{first}）" in shown[1]
    assert shown[2:] == [FOLLOWING, f"main.beancount:{line_of(text, 'Assets:Cash  150')}: "
                         "余额断言不符：Assets:Cash 账面 200.00 CNY，断言 150.00 CNY，相差 "
                         "50.00 CNY（账面多）；请对照银行对账单查找漏记或错记的分录 / balance "
                         "assertion failed: books 200.00, asserted 150.00, difference 50.00 CNY"]


def test_a_file_saved_as_gbk_gets_one_line(tmp_path: Path) -> None:
    text = BASE + '2013-01-03 * "文具店" "购买办公用品"\n  Assets:Bank  -1.00 CNY\n' \
                  "  Expenses:Office  1.00 CNY\n"
    result = check(tmp_path, {"main.beancount": text.encode("gbk")})
    assert lines_of(result) == [
        f"账本无法加载 / the ledger does not load: {tmp_path / 'main.beancount'}",
        f"main.beancount:{line_of(text, '东山区')}: 文件不是 UTF-8 编码（多为 GBK 编码保存），"
        "Beancount 读不出其中的汉字：请用编辑器另存为 UTF-8（无 BOM）；此文件因此有 "
        f"{_errors_of(result)} 处错误，未逐条列出 / the file is not UTF-8 (most likely saved as "
        f"GBK): save it as UTF-8 without BOM ({_errors_of(result)} errors in this file follow "
        "from it, not listed)"]


def _errors_of(result: Result) -> int:
    found = re.search(r"此文件因此有 (\d+) 处错误", result.stderr)
    assert found is not None, result.stderr
    assert int(found.group(1)) > 1  # the cascade, counted
    return int(found.group(1))


def test_an_included_file_saved_as_gbk_gets_one_line_of_its_own(tmp_path: Path) -> None:
    accounts = "; 科目表\n2013-01-01 open Expenses:Travel CNY\n  name: \"差旅费\"\n"
    result = check(tmp_path, {"main.beancount": BASE + 'include "accounts.beancount"\n',
                              "accounts.beancount": accounts.encode("gbk")})
    shown = lines_of(result)
    assert len(shown) == 2
    assert shown[1].startswith("accounts.beancount:1: 文件不是 UTF-8 编码")


def test_a_byte_order_mark_gets_one_line_and_later_errors_still_show(tmp_path: Path) -> None:
    text = BASE + '2013-01-03 * "x"\n  Assets:Bank  -1.00 CNY\n  Expenses:Office  2.00 CNY\n'
    result = check(tmp_path, {"main.beancount": codecs.BOM_UTF8 + text.encode("utf-8")})
    shown = lines_of(result)
    assert len(shown) == 4, shown
    assert shown[1].startswith("main.beancount:1: 文件开头有 UTF-8 字节顺序标记（BOM，看不见的"
                               "字符），Beancount 无法读取第 1 行：请用编辑器另存为 UTF-8"
                               "（无 BOM）")
    assert shown[2] == FOLLOWING  # the unbalanced transaction is the books' own mistake
    assert shown[3].startswith(f"main.beancount:{line_of(text, X)}: 该笔交易借贷不平")


@pytest.mark.parametrize(("amount", "half"), [("４０５.２０", "405.20"), ("1，000.00", "1,000.00"),
                                              ("405。20", "405.20")])
def test_full_width_digits_in_an_amount_get_one_line_saying_what_to_type(
        tmp_path: Path, amount: str, half: str) -> None:
    text = (BASE + f'2013-01-03 * "文具店" "办公用品（一）"\n  Assets:Bank  -{amount} CNY\n'
            "  Expenses:Office\n"
            "2013-02-01 balance Assets:Bank  1000.00 CNY\n")
    result = check(tmp_path, {"main.beancount": text})
    shown = lines_of(result)
    where = f"main.beancount:{line_of(text, 'Assets:Bank  -')}"
    assert len(shown) == 2, shown
    assert shown[1].startswith(f"{where}: 金额或标点用了全角字符（“-{amount}”）：请使用半角数字和"
                               f"标点，写作 -{half} / use half-width digits and punctuation")


def test_a_missing_include_gets_its_line_and_one_line_for_the_unknown_accounts(
        tmp_path: Path) -> None:
    text = (BASE + 'include "accounts.beancount"\n' + "".join(
        f'2013-01-{day:02} * "x"\n  Assets:Bank  -1.00 CNY\n  Expenses:Travel  1.00 CNY\n'
        for day in range(3, 28)))
    result = check(tmp_path, {"main.beancount": text})
    shown = lines_of(result)
    include = line_of(text, "include")
    assert len(shown) == 3, shown
    assert shown[1].startswith(f"main.beancount:{include}: include 的文件不存在："
                               "accounts.beancount；请把该文件放回账簿文件夹")
    first = line_of(text, "2013-01-03")
    assert shown[2].startswith(f"另有 25 处“科目未开设”错误（1 个科目：Expenses:Travel；如 "
                               f"main.beancount:{first}、")
    assert f"多半因为上面的文件（main.beancount:{include}）未能读入" in shown[2]


def test_an_unknown_account_is_listed_when_no_file_is_missing(tmp_path: Path) -> None:
    text = (BASE + 'include "accounts.beancount"\n2013-01-03 * "x"\n  Assets:Bank  -1.00 CNY\n'
            "  Expenses:Travel  1.00 CNY\n")
    result = check(tmp_path, {"main.beancount": text,
                              "accounts.beancount": "2013-01-01 open Expenses:Travle CNY\n"})
    assert lines_of(result)[1:] == [
        f"main.beancount:{line_of(text, X)}: 科目未开设：Expenses:Travel（缺 open，或科目名"
        "写错） / unknown account Expenses:Travel: open it, or correct its name"]


def test_funds_export_monthly_explains_the_same_and_writes_nothing(tmp_path: Path) -> None:
    text = (BASE + '2013-01-03 * "文具店" "办公用品"\n  Assets:Bank  -４０５.２０ CNY\n'
            "  Expenses:Office  405.20 CNY\n")
    main = write(tmp_path, {"main.beancount": text})
    out = tmp_path / "out"
    result = CliRunner().invoke(funds, ["export", "monthly", "2013-01", "--ledger", str(main),
                                        "--out", str(out)])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert has_line(result, f"main.beancount:{line_of(text, '４０５')}: 金额或标点用了全角字符")
    assert not out.exists()


def test_the_fava_page_lists_the_chinese_lines(tmp_path: Path) -> None:
    text = (EXTENSION + BASE + '2013-01-03 * "x"\n  Assets:Bank  -1,000.00 CNY\n'
            "  Expenses:Office  1，000.00 CNY\n")
    main = write(tmp_path, {"main.beancount": text})
    _, client, slug = fava(main)
    html = page_html(client, slug)
    assert "账簿有 1 处加载错误" in html
    assert (f'<li class="load-error"><code>main.beancount:{line_of(text, "1，000")}</code> '
            "金额或标点用了全角字符（“1，000.00”）：请使用半角数字和标点，写作 1,000.00") in html


def test_an_error_of_ours_already_in_chinese_is_shown_as_it_is(tmp_path: Path) -> None:
    result = check(tmp_path, {"main.beancount": 'plugin "no_such_plugin"\n' + BASE})
    assert lines_of(result)[1:] == [
        "<load>:0: Beancount 插件 no_such_plugin 运行出错：ModuleNotFoundError: No module named "
        "'no_such_plugin'；账本未能完整加载 / Beancount plugin no_such_plugin failed: "
        "ModuleNotFoundError: No module named 'no_such_plugin'; the books did not load "
        "completely"]


# A duplicate open: both lines named, the one with fund: kept ---------------------------------

FUND_OPEN = '2013-01-01 open Assets:Bank:Operating CNY\n  fund: "operating"\n'
PLAIN_OPEN = "2012-12-01 open Assets:Bank:Operating CNY\n"


def test_a_duplicate_open_names_both_and_keeps_the_one_with_fund(tmp_path: Path) -> None:
    """Beancount names the later-dated open, here the one that carries ``fund:``: the line
    names both, and says to delete the one without it (and to date the kept one earlier)."""
    main = BASE + 'include "accounts.beancount"\n' + PLAIN_OPEN
    result = check(tmp_path, {"main.beancount": main, "accounts.beancount": FUND_OPEN})
    assert "accounts.beancount:1: Duplicate open directive" in result.stderr.replace(
        str(tmp_path) + "/", "")
    plain, funded = f"main.beancount:{line_of(main, PLAIN_OPEN.strip())}", "accounts.beancount:1"
    [shown] = [line for line in lines_of(result) if "开设了两次" in line]
    assert shown.startswith(
        f"{plain}: 同一科目开设了两次：Assets:Bank:Operating（{plain} 与 {funded}）；请删去 "
        f"{plain} 这一条（没有 fund:），保留 {funded} 那一条（fund: \"operating\"），并把它的"
        "日期改为 2012-12-01（两者中较早的）"), shown
    assert f"删去 {funded}" not in shown


def test_a_later_duplicate_open_without_fund_is_the_one_to_delete(tmp_path: Path) -> None:
    main = BASE + FUND_OPEN + "2013-01-05 open Assets:Bank:Operating CNY\n"
    result = check(tmp_path, {"main.beancount": main})
    funded, plain = (f"main.beancount:{line_of(main, needle)}"
                     for needle in ("2013-01-01 open Assets:Bank:Operating", "2013-01-05 open"))
    [shown] = [line for line in lines_of(result) if "开设了两次" in line]
    assert shown.startswith(f"{plain}: 同一科目开设了两次：Assets:Bank:Operating（{funded} 与 "
                            f"{plain}）；请删去 {plain} 这一条（没有 fund:），保留 {funded} 那一条"
                            "（fund: \"operating\"） / "), shown
    assert "日期改为" not in shown  # the kept one is the earlier


def test_two_opens_with_different_funds_ask_which_fund(tmp_path: Path) -> None:
    main = BASE + FUND_OPEN + '2013-01-05 open Assets:Bank:Operating CNY\n  fund: "salary"\n'
    result = check(tmp_path, {"main.beancount": main})
    [shown] = [line for line in lines_of(result) if "开设了两次" in line]
    assert ("两条的 fund: 不同（“operating”、“salary”）：请核对该科目属于哪项专项，删去错的一条"
            in shown)
    assert "请删去 main" not in shown


def test_three_opens_of_one_account_are_one_line(tmp_path: Path) -> None:
    main = (BASE + "2013-01-05 open Assets:Bank:Operating CNY\n" + FUND_OPEN
            + "2013-01-06 open Assets:Bank:Operating CNY\n")
    result = check(tmp_path, {"main.beancount": main})
    shown = [line for line in lines_of(result) if "Assets:Bank:Operating" in line]
    assert len(shown) == 1, shown
    assert "同一科目开设了 3 次" in shown[0]
    assert f"保留 main.beancount:{line_of(main, '2013-01-01 open Assets:Bank:Op')} 那一条" in (
        shown[0])
    assert result.stderr.count("Duplicate open directive") == 2  # Beancount's words, both


def test_the_fava_page_names_both_opens(tmp_path: Path) -> None:
    text = EXTENSION + BASE + PLAIN_OPEN + FUND_OPEN.replace("2013-01-01", "2013-01-02")
    main = write(tmp_path, {"main.beancount": text})
    _, client, slug = fava(main)
    html = page_html(client, slug)
    plain = f"main.beancount:{line_of(text, PLAIN_OPEN.strip())}"
    assert f"请删去 {plain} 这一条（没有 fund:）" in html


# Chinese-keyboard slips ------------------------------------------------------------------

POSTINGS = '  Assets:Bank  -800.00 CNY\n  Expenses:Office\n'


@pytest.mark.parametrize(("added", "needle", "meaning"), [
    ('2013-01-03 * "x"\n  Assets:Bank  -800.00 元\n  Expenses:Office  800.00 元\n',
     "-800.00 元", "币种请写 CNY，不要写“元”：写作 -800.00 CNY"),
    ('2013-01-03 * "x"\n  Assets:Bank  -800.00元\n  Expenses:Office\n',
     "-800.00元", "币种请写 CNY，不要写“元”：写作 -800.00 CNY"),
    ('2013-01-03 * "x"\n  Assets:Bank  ￥-800.00\n  Expenses:Office\n',
     "￥", "币种请写 CNY，不要写“￥”：写作 -800.00 CNY"),
    ('2013-01-03 * "x"\n  Assets:Bank  -800.00 人民币\n  Expenses:Office\n',
     "人民币", "币种请写 CNY，不要写“人民币”：写作 -800.00 CNY"),
    ('2013-01-03 * "x"\n  Assets:Bank  -800.00 cny\n  Expenses:Office\n',
     "cny", "币种请写 CNY，不要写“cny”：写作 -800.00 CNY"),
    ("2013-01-04 balance Assets:Bank  200.00 元\n", "balance",
     "币种请写 CNY，不要写“元”：写作 200.00 CNY"),
    ('2013年1月22日 * "x"\n' + POSTINGS, "2013年", "日期须写作 2013-01-22"),
    ('2013.1.22 * "x"\n' + POSTINGS, "2013.1.22", "日期须写作 2013-01-22"),
    ('2013-01-03 * "x"\n\u3000Assets:Bank  -800.00 CNY\n  Expenses:Office\n', "\u3000",
     "行首用了全角空格缩进：请把它换成两个半角空格"),
    ('2013-01-03 * "x"\n  Assets:Bank\u3000-800.00 CNY\n  Expenses:Office\n', "\u3000",
     "用了全角空格：请换成半角空格"),
    ('2013-01-03 * “文具店” "x"\n' + POSTINGS, "“文具店”",
     '引号用了中文引号“”：请换成半角双引号，写作 "文具店"'),
    ('2013-01-03 * "x"\n  voucher: “记-1”\n' + POSTINGS, "voucher",
     '引号用了中文引号“”：请换成半角双引号，写作 "记-1"'),
    ('2013-01-03 * "x"\n  voucher："记-1"\n' + POSTINGS, "voucher",
     '元数据的冒号用了全角“：”：请写作 voucher: "记-1"（半角冒号，后加一个空格）'),
])
def test_a_chinese_keyboard_slip_gets_its_own_line(
        tmp_path: Path, added: str, needle: str, meaning: str) -> None:
    text = BASE + added
    result = check(tmp_path, {"main.beancount": text})
    where = f"main.beancount:{line_of(text, needle)}"
    assert has_line(result, f"{where}: {meaning}"), result.stderr


def test_two_slips_on_one_line_are_both_named(tmp_path: Path) -> None:
    text = BASE + '2013-01-03 * "x"\n\u3000Assets:Bank  -800.00 元\n  Expenses:Office\n'
    result = check(tmp_path, {"main.beancount": text})
    [shown] = [line for line in lines_of(result) if "全角空格" in line]
    assert "币种请写 CNY" in shown


@pytest.mark.parametrize("added", [
    # decoys: the same characters inside a quoted text are fine; the error is elsewhere
    '2013-01-03 * "文具店" "“办公用品”　2013年1月22日 800.00 元" #tag ^\n' + POSTINGS,
    '2013-01-03 * "文具店" "x"\n  memo: "１月：　“元”"\n  Assets:Bank  -800.00 CNY CNY\n'
    "  Expenses:Office\n",
])
def test_the_same_characters_inside_a_quoted_text_are_no_slip(tmp_path: Path,
                                                               added: str) -> None:
    result = check(tmp_path, {"main.beancount": BASE + added})
    shown = "\n".join(lines_of(result))
    for slip in ("币种请写", "日期须写作", "全角空格", "中文引号", "全角“：”", "全角字符"):
        assert slip not in shown, shown
