"""End to end: ``funds import`` into a copy of the demo books, and what it refuses."""

import datetime
import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from ledger.check import check_books
from ledger.cli.main import funds
from ledger.files import write_new_file
from ledger.model.findings import Severity
from tests.helpers import copy_demo_books
from tests.samples import (
    SALARY_BANK,
    Line,
    demo_lines,
    following,
    payroll_csv,
    payroll_rows,
    payroll_xlsx,
    statement_csv,
    statement_xlsx,
)

DECEMBER = demo_lines(SALARY_BANK, datetime.date(2012, 12, 1), datetime.date(2012, 12, 31))
JANUARY = following(DECEMBER,
                    ("2013-01-05", "社工薪酬拨款", "东山区管委会", "60000.00"),
                    ("2013-01-15", "缴纳12月社会保险费", "揭阳市社会保险基金管理局", "-7304.00"),
                    ("2013-01-15", "缴纳12月住房公积金", "揭阳市住房公积金管理中心", "-3520.00"),
                    ("2013-01-15", "缴纳12月个人所得税", "揭阳市地方税务局东山分局", "-5.03"))


@pytest.fixture
def books(tmp_path: Path) -> Path:
    return copy_demo_books(tmp_path / "books")


def run(*args: str) -> Result:
    return CliRunner().invoke(funds, ["import", *args])


def fingerprint(folder: Path) -> dict[str, str]:
    return {path.name: hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(folder.rglob("*")) if path.is_file()}


def test_a_statement_and_a_payroll_sheet_round_trip_into_clean_books(books: Path,
                                                                    tmp_path: Path) -> None:
    statement = statement_csv(tmp_path / "对账单.csv", JANUARY)
    payroll = payroll_xlsx(tmp_path / "工资表.xlsx", payroll_rows())
    result = run(str(statement), str(payroll), "--ledger", str(books))
    assert result.exit_code == 0, result.output
    assert "新增 4 条" in result.output and f"跳过已有 {len(DECEMBER)} 条" in result.output
    [written] = (books.parent / "inbox").glob("*.beancount")
    text = written.read_text("utf-8")
    assert 'bank-ref: "' in text and 'payroll: "2013-01"' in text
    assert "2013-01-16 balance Assets:1002-银行存款:社工薪酬专户" in text
    with books.open("a", encoding="utf-8") as main:
        main.write(f'include "inbox/{written.name}"\n')
    checked = check_books(books)
    assert checked.load_errors == []
    assert [f.rule for f in checked.findings if f.severity is Severity.ERROR] == []


def test_importing_again_adds_nothing(books: Path, tmp_path: Path) -> None:
    statement = statement_csv(tmp_path / "对账单.csv", JANUARY)
    payroll = payroll_csv(tmp_path / "工资表.csv", payroll_rows())
    assert run(str(statement), str(payroll), "--ledger", str(books)).exit_code == 0
    before = fingerprint(books.parent)
    again = run(str(statement), str(payroll), "--ledger", str(books))
    assert again.exit_code == 0 and "没有新条目" in again.output
    assert fingerprint(books.parent) == before


def test_an_overlapping_statement_adds_only_what_is_new(books: Path, tmp_path: Path) -> None:
    first = statement_csv(tmp_path / "一月上.csv", JANUARY)
    assert run(str(first), "--ledger", str(books)).exit_code == 0
    later = following(JANUARY[-3:], ("2013-01-25", "专户结息", "揭阳农商银行东山支行", "12.34"))
    second = statement_xlsx(tmp_path / "一月下.xlsx", later)
    result = run(str(second), "--ledger", str(books))
    assert result.exit_code == 0 and "新增 1 条" in result.output
    newest = Path(result.output.split("written: ")[-1].strip())
    assert newest.name.endswith("-import-2.beancount")
    assert "12.34 CNY" in newest.read_text("utf-8")


def test_a_file_without_an_account_number_takes_account(books: Path, tmp_path: Path) -> None:
    statement = statement_csv(tmp_path / "s.csv", JANUARY, account_number=None)
    refused = run(str(statement), "--ledger", str(books))
    assert refused.exit_code == 1 and "--account" in refused.output
    taken = run(str(statement), "--ledger", str(books), "--account", SALARY_BANK,
                "-o", str(tmp_path / "new.beancount"))
    assert taken.exit_code == 0 and (tmp_path / "new.beancount").exists()


def _truncated_xlsx(path: Path) -> Path:
    full = statement_xlsx(path, JANUARY).read_bytes()
    path.write_bytes(full[: len(full) // 2])
    return path


def _wrong_encoding(path: Path) -> Path:
    path.write_bytes(statement_csv(path, JANUARY).read_bytes().decode("gb18030")
                     .encode("utf-16-le"))
    return path


def _missing_column(path: Path) -> Path:
    text = statement_csv(path, JANUARY).read_bytes().decode("gb18030")
    path.write_bytes(text.replace(",流水号", ",备注").encode("gb18030"))
    return path


def _text_for_amount(path: Path) -> Path:
    text = statement_csv(path, JANUARY).read_bytes().decode("gb18030")
    path.write_bytes(text.replace("-5.03", "五元零三分").replace(",5.03,", ",五元零三分,")
                     .encode("gb18030"))
    return path


def _empty(path: Path) -> Path:
    path.write_bytes(b"")
    return path


def _bad_payroll(path: Path) -> Path:
    rows = payroll_rows(total=False)
    rows[1][7] = "3000.00"
    return payroll_csv(path, rows)


@pytest.mark.parametrize(("make", "name", "message"), [
    (_wrong_encoding, "s.csv", "无法识别的文本编码"),
    (_missing_column, "s.csv", "缺少列：流水号"),
    (_text_for_amount, "s.csv", "列 G（支出金额）"),
    (_empty, "empty.csv", "文件为空"),
    (_truncated_xlsx, "s.xlsx", "不是完整的 xlsx 文件"),
    (_bad_payroll, "工资表.csv", "第 3 行"),
])
def test_bad_input_is_named_and_leaves_the_books_byte_identical(
        books: Path, tmp_path: Path, make: object, name: str, message: str) -> None:
    assert callable(make)
    bad = make(tmp_path / name)
    good = statement_csv(tmp_path / "good.csv", JANUARY)
    before = fingerprint(books.parent)
    result = run(str(good), str(bad), "--ledger", str(books))
    assert result.exit_code == 1
    assert str(bad) in result.output and message in result.output
    assert "未写入任何文件" in result.output
    assert fingerprint(books.parent) == before


def test_a_file_no_importer_recognises_is_reported(books: Path, tmp_path: Path) -> None:
    notes = tmp_path / "notes.csv"
    notes.write_text("姓名,电话\n张三,123\n", "utf-8")
    result = run(str(notes), "--ledger", str(books))
    assert result.exit_code == 1 and "无法识别的文件" in result.output


def test_an_existing_output_file_is_never_overwritten(books: Path, tmp_path: Path) -> None:
    existing = tmp_path / "mine.beancount"
    existing.write_text("; my own notes\n", "utf-8")
    result = run(str(statement_csv(tmp_path / "s.csv", JANUARY)), "--ledger", str(books),
                 "-o", str(existing))
    assert result.exit_code == 2 and "已存在" in result.output
    assert existing.read_text("utf-8") == "; my own notes\n"


def test_beangulp_extract_runs_the_same_importers(books: Path, tmp_path: Path) -> None:
    statement = statement_csv(tmp_path / "s.csv", JANUARY)
    result = subprocess.run(
        [sys.executable, "-m", "importers", "extract", str(statement), "-e", str(books)],
        capture_output=True, text=True, check=False,
        env={**os.environ, "EARMARK_BOOKS": str(books)})
    assert result.returncode == 0, result.stderr
    assert "社工薪酬拨款" in result.stdout and "duplicate of" in result.stdout


PAY_DAY = following(JANUARY, ("2013-01-31", "代发工资", "工资代发专户", "-17924.97"))


@pytest.mark.parametrize("statement_first", [True, False])
def test_the_net_pay_leaves_the_bank_once_whatever_is_imported_first(
        books: Path, tmp_path: Path, statement_first: bool) -> None:
    statement = statement_csv(tmp_path / "对账单.csv", PAY_DAY)
    payroll = payroll_csv(tmp_path / "2013年1月工资表.csv", payroll_rows())
    files = [statement, payroll] if statement_first else [payroll, statement]
    for path in files:  # one file per run, as an accountant would over a month
        result = run(str(path), "--ledger", str(books))
        assert result.exit_code == 0, result.output
    with books.open("a", encoding="utf-8") as main:
        for written in sorted((books.parent / "inbox").glob("*.beancount")):
            main.write(f'include "inbox/{written.name}"\n')
    checked = check_books(books)
    assert checked.load_errors == []  # the closing balance holds: the pay left once
    assert [f.rule for f in checked.findings if f.severity is Severity.ERROR] == []
    imported = "".join(path.read_text("utf-8") for path in (books.parent / "inbox").iterdir())
    if statement_first:  # the pay line waited in suspense; the payroll settled it
        assert 'bank-line: "2013-01-31' in imported and "Equity:Suspense:待查明款项" in imported
    else:  # the pay line was recognised as the payroll's
        assert "代发工资" not in imported


def test_the_suspense_account_is_opened_once_across_imports(tmp_path: Path) -> None:
    folder = tmp_path / "plain"
    folder.mkdir()
    books = folder / "main.beancount"
    books.write_text('option "operating_currency" "CNY"\n'
                     "2012-01-01 open Assets:Bank:Salary CNY\n"
                     '  bank-account: "8002 0101 0000 1202"\n', "utf-8")
    lines: list[Line] = []
    for number, day in ((1, "2013-01-05"), (2, "2013-01-06")):
        lines = following(lines[-1:], (day, "不明款项", "张三", "100.00"))
        statement = statement_csv(tmp_path / f"{number}.csv", lines[-1:])
        result = run(str(statement), "--ledger", str(books))
        assert result.exit_code == 0, result.output
    texts = [path.read_text("utf-8") for path in (folder / "inbox").glob("*")]
    assert sorted(text.count("open Equity:Suspense:待查明款项") for text in texts) == [0, 1]


@pytest.mark.parametrize("suspense", ["Equity:Suspense:Unclassified", "Equity:Suspense:暂收待查"])
def test_books_keep_their_own_suspense_account(tmp_path: Path, suspense: str) -> None:
    books = tmp_path / "main.beancount"
    books.write_text('option "operating_currency" "CNY"\n'
                     "2012-01-01 open Assets:Bank:Salary CNY\n"
                     '  bank-account: "8002 0101 0000 1202"\n'
                     f"2012-01-01 open {suspense} CNY\n", "utf-8")
    lines = following([], ("2013-01-05", "不明款项", "张三", "100.00"))
    result = run(str(statement_csv(tmp_path / "1.csv", lines)), "--ledger", str(books))
    assert result.exit_code == 0, result.output
    assert f"未分类 1 条，记入 {suspense} 并标 !" in result.output
    [written] = (tmp_path / "inbox").glob("*.beancount")
    text = written.read_text("utf-8")
    assert f"  {suspense}" in text
    assert " open " not in text and "待查明款项" not in text


def test_without_hard_links_the_new_file_is_still_whole_and_never_replaces_one(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_links(source: object, target: object) -> None:
        raise OSError("hard links are not supported here")

    monkeypatch.setattr(os, "link", no_links)
    target = tmp_path / "out.beancount"
    write_new_file(target, "2013-01-01 open Assets:Cash\n")
    assert target.read_text("utf-8") == "2013-01-01 open Assets:Cash\n"
    with pytest.raises(FileExistsError):
        write_new_file(target, "something else\n")
    assert target.read_text("utf-8") == "2013-01-01 open Assets:Cash\n"
    assert [path.name for path in tmp_path.iterdir()] == ["out.beancount"]


def test_pay_lines_per_person_would_double_the_pay_and_are_refused(books: Path,
                                                                  tmp_path: Path) -> None:
    payroll = payroll_csv(tmp_path / "2013年1月工资表.csv", payroll_rows())
    assert run(str(payroll), "--ledger", str(books)).exit_code == 0
    before = fingerprint(books.parent)
    per_person = following(JANUARY, *(("2013-01-31", f"代发工资 {row[1]}", row[1], f"-{row[7]}")
                                      for row in payroll_rows(total=False)[1:]))
    result = run(str(statement_csv(tmp_path / "对账单.csv", per_person)), "--ledger", str(books))
    assert result.exit_code == 1
    assert "余额不符" in result.output and "相差 -17924.97 CNY" in result.output
    assert fingerprint(books.parent) == before


def test_a_pay_line_and_its_payroll_in_one_import_leave_the_bank_once(books: Path,
                                                                      tmp_path: Path) -> None:
    statement = statement_csv(tmp_path / "对账单.csv", PAY_DAY)
    payroll = payroll_csv(tmp_path / "2013年1月工资表.csv", payroll_rows())
    result = run(str(statement), str(payroll), "--ledger", str(books))  # the statement first
    assert result.exit_code == 0, result.output
    assert "未分类" not in result.output and ":0）" not in result.output
    assert "即本次导入的工资表 2013年1月工资表.csv / the payroll sheet of this import" in (
        result.output)
    [written] = (books.parent / "inbox").glob("*.beancount")
    assert "Equity:Suspense" not in written.read_text("utf-8")


def test_a_closing_already_recorded_is_named_as_such(books: Path, tmp_path: Path) -> None:
    statement = statement_csv(tmp_path / "对账单.csv", JANUARY)
    assert run(str(statement), "--ledger", str(books)).exit_code == 0
    again = run(str(statement), "--ledger", str(books))
    assert f"跳过已有 {len(JANUARY)} 条，另期末余额已在账簿" in again.output
    assert "期末余额 / closing balance Assets:1002-银行存款:社工薪酬专户" in again.output
    assert "已有余额断言 / balance assertion" in again.output
    assert "skipped 2013-01-16 balance" not in again.output


def test_a_missing_file_is_named_in_chinese_and_english(books: Path, tmp_path: Path) -> None:
    result = run(str(tmp_path / "没有.csv"), "--ledger", str(books))
    assert result.exit_code == 2
    assert f"文件不存在：{tmp_path / '没有.csv'} / no such file" in result.output
