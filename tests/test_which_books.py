"""Which books every command reads, the first line that names them, the warning about files of
the books' folder that the books do not include, and files named by their path from the books."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from ledger.check import DEMO_BOOKS
from ledger.cli.books import unincluded_lines
from ledger.cli.check import check_funds
from ledger.cli.main import funds
from ledger.files import MAX_DEPTH, path_from_books, unincluded_files

BOOKS = """\
2012-01-01 custom "fund" "operating" "日常运营经费"
2012-01-01 open Assets:Bank:Operating CNY
  fund: "operating"
2012-01-01 open Expenses:Operating:Publicity CNY
  fund: "operating"
2012-01-01 open Equity:Opening CNY
2012-01-01 custom "budget" Expenses:Operating "yearly" 1000.00 CNY
2012-01-02 * "opening"
  Assets:Bank:Operating   500.00 CNY
  Equity:Opening
2012-03-05 * "印务" "宣传册"
  invoice: "001"
  Assets:Bank:Operating        -100.00 CNY
  Expenses:Operating:Publicity  100.00 CNY
"""
NO_INVOICE = """\
2012-04-01 open Expenses:Operating:Travel CNY
  fund: "operating"
2012-04-02 * "车行" "车费（无发票）"
  Assets:Bank:Operating     -50.00 CNY
  Expenses:Operating:Travel  50.00 CNY
"""


def books_in(folder: Path, name: str = "main.beancount", text: str = BOOKS) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, "utf-8")
    return path


def invoke(command: object, *args: str) -> Result:
    return CliRunner().invoke(command, list(args))  # type: ignore[arg-type]


@pytest.fixture(autouse=True)
def no_books_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("BEANCOUNT_FILE", raising=False)


def test_the_folders_main_beancount_is_read_and_named(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    main = books_in(tmp_path / "mine")
    monkeypatch.chdir(main.parent)
    result = invoke(check_funds)
    first = result.stdout.splitlines()[0]
    assert first.startswith(f"账簿 / books: {main}") and "当前文件夹" in first
    assert "日常运营经费" in result.stdout and "示范" not in result.stdout
    assert "construction" not in result.stdout  # not the demo's funds
    as_json = invoke(check_funds, "--format", "json")
    assert json.loads(as_json.stdout)["ledger"] == str(main)
    assert as_json.stderr.startswith(f"账簿 / books: {main}")


def test_beancount_file_names_the_books_before_the_folders_own(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    books_in(tmp_path / "here")
    named = books_in(tmp_path / "there", "books.beancount", BOOKS + NO_INVOICE)
    monkeypatch.chdir(tmp_path / "here")
    monkeypatch.setenv("BEANCOUNT_FILE", str(named))
    result = invoke(check_funds)
    assert result.exit_code == 1  # the travel without invoice of the books the variable names
    assert result.stdout.splitlines()[0] == (
        f"账簿 / books: {named}（来自环境变量 BEANCOUNT_FILE / from $BEANCOUNT_FILE）")


def test_a_beancount_file_that_names_no_file_exits_2(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BEANCOUNT_FILE", str(tmp_path / "gone.beancount"))
    result = invoke(check_funds)
    assert result.exit_code == 2
    assert "BEANCOUNT_FILE" in result.stderr and "gone.beancount" in result.stderr
    assert result.stdout == ""


def test_without_books_a_reading_command_says_the_demo_books_are_not_yours(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = invoke(check_funds)
    assert result.exit_code == 0
    first, second = result.stdout.splitlines()[:2]
    assert "示范账簿，不是您的账簿" in first and "the demo books, not yours" in first
    assert str(DEMO_BOOKS) in first
    assert "BEANCOUNT_FILE" in second and "check-funds 账簿.beancount" in second
    as_csv = invoke(check_funds, "--format", "csv")
    assert "示范账簿" in as_csv.stderr and "示范账簿" not in as_csv.stdout


def _digests(folder: Path) -> dict[str, str]:
    return {path.name: hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(folder.rglob("*")) if path.is_file()}


def test_seal_never_falls_back_to_the_demo_books(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    before = _digests(DEMO_BOOKS.parent)
    result = invoke(funds, "seal", "2012-10")
    assert result.exit_code == 2
    assert "不会写入示范账簿" in result.stderr and "--ledger" in result.stderr
    assert "BEANCOUNT_FILE" in result.stderr and "未写入任何文件" in result.stderr
    assert _digests(DEMO_BOOKS.parent) == before
    assert not (DEMO_BOOKS.parent / "seals" / "2012-10.jsonl").exists()


def test_import_never_falls_back_to_the_demo_books(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    statement = tmp_path / "对账单.csv"
    statement.write_text("交易日期,摘要,对方户名,收入金额,支出金额,余额\n"
                         "2012-10-05,拨款,东山区管委会,100.00,,100.00\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    before = _digests(DEMO_BOOKS.parent)
    result = invoke(funds, "import", str(statement))
    assert result.exit_code == 2
    assert "不会写入示范账簿" in result.stderr and "--ledger" in result.stderr
    assert _digests(DEMO_BOOKS.parent) == before
    assert not (DEMO_BOOKS.parent / "inbox").exists()


def test_import_names_the_folders_books_first(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "books"
    shutil.copytree(DEMO_BOOKS.parent, folder)
    books_in(folder, "forgotten.beancount", "")
    statement = tmp_path / "对账单.csv"
    statement.write_text("交易日期,摘要,对方户名,收入金额,支出金额,余额\n", encoding="utf-8")
    monkeypatch.chdir(folder)
    result = invoke(funds, "import", str(statement), "--account",
                    "Assets:1002-银行存款:社工薪酬专户")
    assert result.stdout.splitlines()[0].startswith(f"账簿 / books: {folder / 'main.beancount'}")
    assert "forgotten.beancount" in result.output


def test_seal_takes_the_folders_books(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    main = books_in(tmp_path)
    monkeypatch.chdir(tmp_path)
    result = invoke(funds, "seal", "2012-03")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0].startswith(f"账簿 / books: {main}")
    assert 'custom "fund-seal" "2012-03"' in main.read_text("utf-8")


def test_export_and_audit_pack_name_the_books_first(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    main = books_in(tmp_path / "books")
    monkeypatch.chdir(main.parent)
    export = invoke(funds, "export", "monthly", "2012-03", "--out", str(tmp_path / "out"))
    assert export.stdout.splitlines()[0].startswith(f"账簿 / books: {main}"), export.output
    pack = invoke(funds, "audit-pack", "2012", "--out", str(tmp_path / "out"))
    assert pack.exit_code == 0, pack.output
    assert pack.stdout.splitlines()[0].startswith(f"账簿 / books: {main}")


def test_an_included_import_is_no_longer_said_to_wait(tmp_path: Path) -> None:
    main = books_in(tmp_path, text=BOOKS + 'include "inbox/2013-04-02-import.beancount"\n')
    books_in(tmp_path / "inbox", "2013-04-02-import.beancount", "")
    books_in(tmp_path / "inbox", "2013-05-02-import.beancount", "")
    table = invoke(check_funds, str(main))
    assert "inbox/2013-05-02-import.beancount" in table.stdout
    assert "inbox/2013-04-02-import.beancount" not in table.stdout


def test_a_file_the_books_do_not_include_is_named_before_the_findings(
        tmp_path: Path) -> None:
    main = books_in(tmp_path, text=BOOKS + 'include "2012/*.beancount"\n')
    books_in(tmp_path / "2012", "q1.beancount", "")
    books_in(tmp_path / "2012", "forgotten.beancount", "")  # taken by the pattern
    books_in(tmp_path / "2013", "q1.beancount", NO_INVOICE)  # not included
    books_in(tmp_path / "inbox", "2013-04-02-import.beancount", "")  # waiting for review
    books_in(tmp_path / ".git", "x.beancount", "")
    books_in(tmp_path / "seals", "x.beancount", "")
    table = invoke(check_funds, str(main))
    assert table.exit_code == 0  # the forgotten file's error is not seen: hence the warning
    lines = table.stdout.splitlines()
    warning = next(index for index, line in enumerate(lines) if line.startswith("警告"))
    assert "未被账簿 include" in lines[warning]
    assert lines[warning + 1] == "  2013/q1.beancount"
    assert lines[warning + 2].startswith(  # waiting for review: a note, not a forgotten file
        "提示：inbox/ 中有 1 个导入文件尚未 include（待审核），其中的收付尚未计入账簿："
        "inbox/2013-04-02-import.beancount")
    assert lines[warning + 3].startswith("专项数字")
    assert table.stdout.count("inbox") == 3 and ".git" not in table.stdout  # all in the note
    assert "seals/" not in table.stdout
    as_json = invoke(check_funds, str(main), "--format", "json")
    assert "2013/q1.beancount" in as_json.stderr
    json.loads(as_json.stdout)
    again = invoke(check_funds, str(main))  # from the cache: the folder is looked at again
    assert again.stdout == table.stdout


def test_export_and_seal_warn_of_files_not_included(tmp_path: Path) -> None:
    main = books_in(tmp_path)
    books_in(tmp_path, "april.beancount", NO_INVOICE)
    export = invoke(funds, "export", "monthly", "2012-03", "--ledger", str(main), "--out",
                    str(tmp_path / "out"))
    assert "april.beancount" in export.stdout
    seal = invoke(funds, "seal", "2012-03", "--ledger", str(main))
    assert "april.beancount" in seal.stdout


def test_the_walk_for_files_not_included_is_bounded(tmp_path: Path) -> None:
    main = books_in(tmp_path)
    deep = tmp_path.joinpath(*(f"d{level}" for level in range(MAX_DEPTH + 2)))
    books_in(deep, "deep.beancount", "")
    books_in(tmp_path / "d0", "shallow.beancount", "")
    (tmp_path / "loop").mkdir()
    (tmp_path / "loop" / "back").symlink_to(tmp_path)  # a link loop is not followed
    found = unincluded_files(main, [])
    assert found.paths == ["d0/shallow.beancount"]
    assert not found.complete


def test_demo_books_have_no_file_left_out() -> None:
    assert unincluded_files(DEMO_BOOKS, [str(path) for path in
                                         DEMO_BOOKS.parent.glob("*.beancount")]).paths == []


def test_files_are_named_from_the_books_folder(tmp_path: Path) -> None:
    folder = tmp_path / "books"
    assert path_from_books(str(folder / "2012" / "q1.beancount"), folder) == "2012/q1.beancount"
    assert path_from_books(str(tmp_path / "shared.beancount"), folder) == "../shared.beancount"
    assert path_from_books("<string>", folder) == "<string>"


def test_csv_and_json_name_findings_by_their_path_from_the_books(tmp_path: Path) -> None:
    main = books_in(tmp_path / "books", text=BOOKS + 'include "2012/april.beancount"\n')
    books_in(tmp_path / "books" / "2012", "april.beancount", NO_INVOICE)
    as_json = json.loads(invoke(check_funds, str(main), "--format", "json").stdout)
    assert [finding["filename"] for finding in as_json["findings"]] == ["2012/april.beancount"]
    as_csv = invoke(check_funds, str(main), "--format", "csv").stdout
    assert ",2012/april.beancount," in as_csv and str(tmp_path) not in as_csv


def test_the_demo_books_folder_is_copied_unchanged_by_a_check(tmp_path: Path) -> None:
    copy = tmp_path / "books"
    shutil.copytree(DEMO_BOOKS.parent, copy)
    before = _digests(copy)
    assert invoke(check_funds, str(copy / "main.beancount")).exit_code == 0
    assert _digests(copy) == before


def test_a_folder_of_other_books_is_not_a_forgotten_include(tmp_path: Path) -> None:
    main = books_in(tmp_path)
    books_in(tmp_path / "2011-closed", "main.beancount", "")  # last year's books, apart
    books_in(tmp_path / "2011-closed", "journal.beancount", "")
    books_in(tmp_path / "drafts", "journal.beancount", "")
    assert unincluded_files(main, []).paths == ["drafts/journal.beancount"]


def test_a_long_list_of_forgotten_files_is_cut_short(tmp_path: Path) -> None:
    main = books_in(tmp_path)
    for month in range(1, 13):
        books_in(tmp_path / "2013", f"{month:02}.beancount", "")
    lines = unincluded_lines(main, [])
    assert "12 个" in lines[0]
    assert lines[1:-1] == [f"  2013/{month:02}.beancount" for month in range(1, 11)]
    assert lines[-1] == "  ……另有 2 个 / and 2 more"


@pytest.mark.parametrize("args", [["check"], ["seal", "2012-10", "--ledger"],
                                  ["audit-pack", "2012", "--ledger"], ["verify-pack"],
                                  ["export", "monthly", "2012-10", "--ledger"], ["import"]])
def test_every_command_names_a_missing_file_in_chinese(tmp_path: Path, args: list[str]) -> None:
    missing = tmp_path / "没有这个文件.beancount"
    result = invoke(funds, *args, str(missing))
    assert result.exit_code == 2
    assert f"文件不存在：{missing}" in result.stderr
