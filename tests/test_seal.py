"""Sealed months: ``funds seal`` appends one directive and keeps the month's text; the rule
``sealed-period-changed`` fires on edits, removals and additions, and stays quiet when entries
only move between files or are reformatted."""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path

import pytest
from beancount import loader
from click.testing import CliRunner, Result

from ledger.check import check_books
from ledger.cli.check import check_funds
from ledger.cli.main import funds
from ledger.model.findings import Finding
from tests.helpers import HEADER

OCTOBER = """\
2012-10-01 * "文具店" "办公用品"
  invoice: "1001"
  Assets:Bank:Construction         -300.00 CNY
  Expenses:Construction:Equipment   300.00 CNY

2012-10-09 * "广告公司" "宣传海报" #publicity
  invoice: "1002"
  Assets:Bank:Operating         -1200.00 CNY
  Expenses:Operating:Publicity   1200.00 CNY

2012-10-15 * "区财政" "区内招待"
  Assets:District:General       -80.00 CNY
  Expenses:District:Hospitality  80.00 CNY

2012-10-20 pad Assets:Cash:Operating Assets:Bank:Operating
2012-10-21 balance Assets:Cash:Operating 500.00 CNY
"""

NOVEMBER = """\
2012-11-03 * "文具店" "墨盒"
  invoice: "1003"
  Assets:Bank:Construction         -150.00 CNY
  Expenses:Construction:Equipment   150.00 CNY
"""


def write_books(folder: Path, *, plugin: bool = True, october: str = OCTOBER) -> Path:
    """main.beancount (the header and November) including october.beancount."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "october.beancount").write_text(october, encoding="utf-8")
    main = folder / "main.beancount"
    declared = 'plugin "ledger.plugin"\n' if plugin else ""
    main.write_text(f'{declared}include "october.beancount"\n{HEADER}\n{NOVEMBER}',
                    encoding="utf-8")
    return main


def seal(main: Path, *args: str) -> Result:
    return CliRunner().invoke(funds, ["seal", *args, "--ledger", str(main)])


def changed(main: Path) -> list[Finding]:
    checked = check_books(main)
    assert not checked.load_errors, checked.load_errors
    return [finding for finding in checked.findings if finding.rule == "sealed-period-changed"]


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture
def sealed(tmp_path: Path) -> Path:
    main = write_books(tmp_path / "books")
    result = seal(main, "2012-10")
    assert result.exit_code == 0, result.output
    return main


def test_sealing_appends_one_directive_and_keeps_the_text(tmp_path: Path) -> None:
    main = write_books(tmp_path / "books")
    before = main.read_bytes()
    result = seal(main, "2012-10")
    assert result.exit_code == 0, result.output
    after = main.read_bytes()
    assert after.startswith(before)  # appended, nothing before it touched
    appended = after[len(before):].decode()
    match = re.search(r'2012-10-31 custom "fund-seal" "2012-10" "(sha256:[0-9a-f]{64})"',
                      appended)
    assert match is not None, appended
    assert "entries: 4" in appended  # two fund purchases, the pad and the balance
    text = (main.parent / "seals" / "2012-10.jsonl").read_bytes()
    assert match.group(1) == "sha256:" + hashlib.sha256(text).hexdigest()  # sha256sum agrees
    assert b"Hospitality" not in text  # the district's own entry touches no fund
    assert changed(main) == []


@pytest.mark.parametrize("plugin", [True, False])
def test_a_sealed_month_left_alone_is_quiet_with_or_without_the_plugin(
        tmp_path: Path, plugin: bool) -> None:
    main = write_books(tmp_path / "books", plugin=plugin)
    assert seal(main, "2012-10").exit_code == 0
    assert changed(main) == []


@pytest.mark.parametrize(("old", "new"), [
    ("-300.00 CNY\n  Expenses:Construction:Equipment   300.00", "-310.00 CNY\n"
     "  Expenses:Construction:Equipment   310.00"),  # an amount
    ('"文具店" "办公用品"', '"文具一店" "办公用品"'),  # a payee
    ('"宣传海报"', '"宣传海报（改）"'),  # a narration
    ('invoice: "1002"', 'invoice: "1009"'),  # a metadata value
    ("#publicity", "#publicity #later"),  # a tag
    ("2012-10-09 *", "2012-10-09 !"),  # a flag
    ("Assets:Cash:Operating 500.00 CNY", "Assets:Cash:Operating 400.00 CNY"),  # a balance
])
def test_an_edit_of_a_sealed_entry_fires_and_names_it(sealed: Path, old: str,
                                                     new: str) -> None:
    edit(sealed.parent / "october.beancount", old, new)
    [finding] = changed(sealed)
    assert finding.date.isoformat() == "2012-10-31"
    assert finding.filename == str(sealed) and "2012-10" in finding.message
    assert "现有而封账时没有的 1 条" in finding.message  # the entry as it is now, by file:line
    assert "october.beancount:" in finding.message
    assert "封账时有而现已不在的 1 条" in finding.message  # and as it was sealed


def test_an_entry_added_to_a_sealed_month_fires(sealed: Path) -> None:
    with (sealed.parent / "october.beancount").open("a", encoding="utf-8") as file:
        file.write('\n2012-10-25 * "文具店" "补记"\n  invoice: "1004"\n'
                   "  Assets:Bank:Construction  -50.00 CNY\n"
                   "  Expenses:Construction:Equipment  50.00 CNY\n")
    [finding] = changed(sealed)
    assert "现有而封账时没有的 1 条" in finding.message and "补记" in finding.message
    assert "封账时有而现已不在" not in finding.message


def test_an_entry_removed_from_a_sealed_month_fires(sealed: Path) -> None:
    edit(sealed.parent / "october.beancount",
         '2012-10-09 * "广告公司" "宣传海报" #publicity\n  invoice: "1002"\n'
         "  Assets:Bank:Operating         -1200.00 CNY\n"
         "  Expenses:Operating:Publicity   1200.00 CNY\n", "")
    [finding] = changed(sealed)
    assert "封账时有而现已不在的 1 条" in finding.message and "宣传海报" in finding.message
    assert "现有而封账时没有" not in finding.message


def test_moving_an_entry_to_another_file_does_not_fire(sealed: Path) -> None:
    entry = ('2012-10-01 * "文具店" "办公用品"\n  invoice: "1001"\n'
             "  Assets:Bank:Construction         -300.00 CNY\n"
             "  Expenses:Construction:Equipment   300.00 CNY\n")
    edit(sealed.parent / "october.beancount", entry, "")
    with sealed.open("a", encoding="utf-8") as file:
        file.write("\n" + entry)
    assert changed(sealed) == []


def test_reformatting_reordering_and_comments_do_not_fire(sealed: Path) -> None:
    october = sealed.parent / "october.beancount"
    entries = october.read_text(encoding="utf-8").split("\n\n")
    reformatted = "\n\n".join(reversed([
        "; 十月凭证，重新排版\n" + "\n".join(
            "\t" + re.sub(r"\s+", "    ", line.strip()) if line.startswith("  ") else line
            for line in entry.splitlines())
        for entry in entries]))
    october.write_text(reformatted.replace("300.00", "300.0"), encoding="utf-8")
    assert check_books(sealed).load_errors == []
    assert changed(sealed) == []


@pytest.mark.parametrize(("old", "new"), [
    ('"区内招待"', '"区内招待（改）"'),  # the district's own entry: it touches no fund
    ('"墨盒"', '"墨盒（改）"'),  # November is not sealed
])
def test_edits_outside_the_sealed_fund_entries_do_not_fire(sealed: Path, old: str,
                                                          new: str) -> None:
    path = sealed if "墨盒" in old else sealed.parent / "october.beancount"
    edit(path, old, new)
    assert changed(sealed) == []


def test_a_tampered_sealed_text_still_fires_but_says_it_cannot_list(sealed: Path) -> None:
    text = sealed.parent / "seals" / "2012-10.jsonl"
    text.write_text(text.read_text(encoding="utf-8") + "{}\n", encoding="utf-8")
    edit(sealed.parent / "october.beancount", '"1002"', '"1008"')
    [finding] = changed(sealed)
    assert "与封账摘要不符" in finding.message


def test_a_missing_sealed_text_still_fires(sealed: Path) -> None:
    (sealed.parent / "seals" / "2012-10.jsonl").unlink()
    edit(sealed.parent / "october.beancount", '"1002"', '"1008"')
    [finding] = changed(sealed)
    assert "不存在或无法读取" in finding.message


def test_sealing_twice_is_a_no_op(sealed: Path) -> None:
    before = sealed.read_bytes()
    result = seal(sealed, "2012-10")
    assert result.exit_code == 0
    assert "已封账" in result.output and "未作改动" in result.output
    assert sealed.read_bytes() == before


def test_a_month_with_errors_is_refused_and_nothing_is_written(tmp_path: Path) -> None:
    main = write_books(tmp_path / "books", october=OCTOBER.replace('  invoice: "1001"\n', ""))
    before = main.read_bytes()
    result = seal(main, "2012-10")
    assert result.exit_code == 1
    assert "拒绝封账" in result.output and "missing-evidence" in result.output
    assert main.read_bytes() == before
    assert not (main.parent / "seals").exists()


def test_force_with_a_reason_seals_a_month_with_errors(tmp_path: Path) -> None:
    main = write_books(tmp_path / "books", october=OCTOBER.replace('  invoice: "1001"\n', ""))
    result = seal(main, "2012-10", "--force", "--reason", '发票遗失，已附 "情况说明"')
    assert result.exit_code == 0, result.output
    text = main.read_text(encoding="utf-8")
    assert 'reason: "发票遗失，已附 \\"情况说明\\""' in text and "errors: 1" in text
    assert changed(main) == []


@pytest.mark.parametrize("args", [["--force"], ["--reason", "理由"]])
def test_force_and_reason_go_together(tmp_path: Path, args: list[str]) -> None:
    main = write_books(tmp_path / "books")
    before = main.read_bytes()
    assert seal(main, "2012-10", *args).exit_code == 2
    assert main.read_bytes() == before


@pytest.mark.parametrize("month", ["2012-13", "2999-01"])
def test_a_bad_or_unfinished_month_is_refused(tmp_path: Path, month: str) -> None:
    main = write_books(tmp_path / "books")
    before = main.read_bytes()
    result = seal(main, month)
    assert result.exit_code == 2 and "无法封账" in result.output
    assert main.read_bytes() == before


def test_a_malformed_seal_directive_is_a_bad_directive(tmp_path: Path) -> None:
    main = write_books(tmp_path / "books")
    with main.open("a", encoding="utf-8") as file:
        file.write('\n2012-10-31 custom "fund-seal" "2012-10" "md5:abc"\n')
    checked = check_books(main)
    assert [finding.rule for finding in checked.findings] == ["bad-directive"]


def test_bean_check_shows_a_changed_sealed_month(sealed: Path) -> None:
    edit(sealed.parent / "october.beancount", '"1002"', '"1008"')
    _, errors, _ = loader.load_file(str(sealed))
    assert any("2012-10 已封账" in error.message for error in errors)


def test_the_check_cache_sees_the_sealed_text_change(sealed: Path) -> None:
    edit(sealed.parent / "october.beancount", '"1002"', '"1008"')
    first = CliRunner().invoke(check_funds, [str(sealed)])
    assert first.exit_code == 1 and "现有而封账时没有的 1 条" in first.output
    (sealed.parent / "seals" / "2012-10.jsonl").unlink()
    second = CliRunner().invoke(check_funds, [str(sealed)])
    assert second.exit_code == 1 and "不存在或无法读取" in second.output


def test_a_plugin_after_ours_changes_nothing_for_the_seal(tmp_path: Path) -> None:
    """Fava's link_documents adds links to the transactions after the rules have read them."""
    main = write_books(tmp_path / "books", october=OCTOBER.replace(
        '  invoice: "1001"\n', '  invoice: "1001"\n  document: "inv1001.pdf"\n') + (
        '2012-10-01 document Assets:Bank:Construction "inv1001.pdf"\n'))
    (main.parent / "inv1001.pdf").write_bytes(b"%PDF")
    edit(main, 'plugin "ledger.plugin"\n',
         'plugin "ledger.plugin"\nplugin "fava.plugins.link_documents"\n')
    result = seal(main, "2012-10")
    assert result.exit_code == 0, result.output
    assert changed(main) == []


@pytest.mark.parametrize(("old", "new"), [
    ("2012-10-09 *", "2012-10-09 P"),  # a transaction the user flags P is sealed like any
    ('invoice: "1002"', "invoice: 1002"),  # a number is not the text "1002"
])
def test_changes_that_look_alike_still_fire(sealed: Path, old: str, new: str) -> None:
    edit(sealed.parent / "october.beancount", old, new)
    [finding] = changed(sealed)
    assert "现有而封账时没有的 1 条" in finding.message


def test_a_budget_line_above_the_fund_accounts_is_sealed(tmp_path: Path) -> None:
    main = write_books(tmp_path / "books", october=OCTOBER + (
        '2012-10-02 custom "budget" Expenses:Construction "monthly" 5000.00 CNY\n'))
    assert seal(main, "2012-10").exit_code == 0
    edit(main.parent / "october.beancount", '"monthly" 5000.00', '"monthly" 50000.00')
    [finding] = changed(main)
    assert "指令" in finding.message


def test_moving_the_books_elsewhere_does_not_fire(tmp_path: Path) -> None:
    outside = tmp_path / "scans" / "contract.pdf"
    outside.parent.mkdir()
    outside.write_bytes(b"%PDF")
    inside = "2012-10-03 document Assets:Bank:Construction \"docs/receipt.pdf\"\n"
    main = write_books(tmp_path / "books", october=OCTOBER + inside + (
        f'2012-10-04 document Assets:Bank:Construction "{outside}"\n'))
    (main.parent / "docs").mkdir()
    (main.parent / "docs" / "receipt.pdf").write_bytes(b"%PDF")
    assert seal(main, "2012-10").exit_code == 0
    moved = tmp_path / "elsewhere" / "deeper" / "books"
    shutil.copytree(main.parent, moved)
    assert changed(moved / "main.beancount") == []


@pytest.mark.parametrize("directive", [
    '2012-01-31 custom "fund-seal" "0000-01" "sha256:' + "0" * 64 + '"',  # no year 0
    '2012-10-15 custom "fund-seal" "2012-10" "sha256:' + "0" * 64 + '"',  # not the last day
])
def test_a_seal_directive_that_cannot_be_read_is_a_bad_directive(tmp_path: Path,
                                                                 directive: str) -> None:
    main = write_books(tmp_path / "books")
    with main.open("a", encoding="utf-8") as file:
        file.write(f"\n{directive}\n")
    assert [finding.rule for finding in check_books(main).findings] == ["bad-directive"]


def test_a_line_separator_inside_a_narration_is_no_tampering(tmp_path: Path) -> None:
    main = write_books(tmp_path / "books", october=OCTOBER.replace("宣传海报", "宣传\u2028海报"))
    assert seal(main, "2012-10").exit_code == 0
    edit(main.parent / "october.beancount", '"1001"', '"1009"')
    [finding] = changed(main)
    assert "现有而封账时没有的 1 条" in finding.message


def test_a_failed_append_takes_the_sealed_text_back(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    main = write_books(tmp_path / "books")
    before = main.read_bytes()

    def full(*_: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("ledger.cli.seal.append_to_books", full)
    result = seal(main, "2012-10")
    assert result.exit_code == 2 and "未写入任何文件" in result.output
    assert main.read_bytes() == before
    assert not (main.parent / "seals" / "2012-10.jsonl").exists()
