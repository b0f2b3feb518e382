"""End to end: check-funds and funds check on the demo books and on the planted violations."""

import csv
import io
import json
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from ledger import check, plugin
from ledger.check import DEMO_BOOKS
from ledger.cli.check import check_funds
from ledger.cli.main import funds
from ledger.model.books import Books
from ledger.model.findings import RULES, Finding
from ledger.rules import run_checks

PLANTED = Path(__file__).parent / "ledgers" / "planted.beancount"
PLANTED_DATES = {
    "unknown-fund": "2012-01-02",
    "bad-directive": "2012-01-03",
    "bad-policy": "2012-01-04",
    "allocation-late": "2012-04-30",
    "sealed-period-changed": "2012-04-30",
    "cross-fund": "2012-05-05",
    "diverted": "2012-06-01",
    "approved-transfer": "2012-06-15",
    "unbudgeted": "2012-07-01",
    "withheld": "2012-07-20",
    "over-budget": "2012-08-10",
    "unclassified": "2012-08-20",
    "cash-withdrawal": "2012-09-05",
    "unreviewed": "2012-09-15",
    "bad-evidence": "2012-09-25",
    "split-payment": "2012-10-01",
    "duplicate-invoice": "2012-10-15",
    "missing-evidence": "2012-11-05",
    "out-of-period": "2012-12-05",
    "future-date": "2102-04-01",
    "over-commitment": "2012-02-15",
    "budget-alert": "2012-07-05",
    "contract-overrun": "2012-08-10",
    "voucher-sequence": "2012-07-20",
    "retention-paid-early": "2012-10-15",
    "unregistered-contract": "2012-12-05",
}


def run(*args: str) -> Result:
    return CliRunner().invoke(check_funds, list(args))


def test_every_rule_has_a_planted_violation() -> None:
    assert set(PLANTED_DATES) == set(RULES)


def test_demo_books_are_clean() -> None:
    result = run()
    assert result.exit_code == 0, result.output
    assert "专项 construction 示范点建设经费" in result.stdout
    assert "错误 0 条" in result.stdout


def test_planted_violations_are_each_found_once_on_their_date() -> None:
    result = run(str(PLANTED), "--format", "json")
    assert result.exit_code == 1
    findings = json.loads(result.stdout)["findings"]
    assert sorted((f["rule"], f["date"]) for f in findings) == sorted(PLANTED_DATES.items())


def test_json_findings_carry_every_documented_field() -> None:
    document = json.loads(run(str(PLANTED), "--format", "json").stdout)
    assert document["ledger"] == str(PLANTED)
    over = next(f for f in document["findings"] if f["rule"] == "over-budget")
    assert over == {
        "rule": "over-budget", "label": "超预算", "severity": "error", "date": "2012-08-10",
        "fund": "construction", "account": "Expenses:Construction:Expert",
        "amount": "1000.00", "currency": "CNY", "filename": "planted.beancount",
        "lineno": over["lineno"], "message": over["message"], "voucher": "记-2012-010",
        "payee": "专家", "narration": "专家辅导费", "budget_line": "Expenses:Construction:Expert"}
    line = PLANTED.read_text("utf-8").splitlines()[over["lineno"] - 1]
    assert line.startswith("2012-08-10 *")
    assert "20000.00" in over["message"] and "21000.00" in over["message"]
    counts = {fund["fund"]: fund["findings"] for fund in document["funds"]}
    assert counts == {"construction": {"error": 15, "warning": 4, "info": 1},
                      "salary": {"error": 2, "warning": 0, "info": 0}}


def test_rule_filter_lists_the_crossing_split_payment_and_names_the_others() -> None:
    result = run(str(PLANTED), "--rule", "split-payment", "--format", "json")
    assert result.exit_code == 1
    [finding] = json.loads(result.stdout)["findings"]
    assert (finding["date"], finding["voucher"], finding["amount"]) == (
        "2012-10-01", "记-2012-017", "55000.00")
    assert "2012-09-10 记-2012-013" in finding["message"]
    assert "2012-09-20 记-2012-015" in finding["message"]
    table = run(str(PLANTED), "--rule", "split-payment").stdout
    assert "[split-payment] 拆分支付" in table and "[missing-evidence]" not in table


def test_csv_is_utf8_with_bom_and_keeps_chinese_labels() -> None:
    result = CliRunner().invoke(check_funds, [str(PLANTED), "--format", "csv"])
    raw = result.stdout_bytes
    assert raw.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert len(rows) == len(PLANTED_DATES)
    assert {row["问题类型"] for row in rows} == {rule.label for rule in RULES.values()}
    diverted = next(row for row in rows if row["规则代码"] == "diverted")
    assert (diverted["严重程度"], diverted["金额"], diverted["凭证号"]) == (
        "错误", "5000.00", "记-2012-005")


def test_filters_by_rule_fund_and_dates() -> None:
    def rules(*args: str) -> list[str]:
        result = run(str(PLANTED), "--format", "json", *args)
        return [f["rule"] for f in json.loads(result.stdout)["findings"]]

    assert rules("--rule", "diverted") == ["diverted"]
    # the malformed budget line on the salary fund's wages is listed under that fund
    assert rules("--fund", "salary") == ["bad-directive", "allocation-late"]
    assert rules("--fund", "ghost") == ["unknown-fund"]  # named by a finding, not declared
    assert rules("--since", "2012-06-01", "--until", "2012-07-01") == [
        "diverted", "approved-transfer", "unbudgeted"]


def test_exit_code_follows_the_filtered_findings() -> None:
    assert run(str(PLANTED), "--rule", "approved-transfer").exit_code == 0
    assert run(str(PLANTED), "--rule", "withheld").exit_code == 1


def test_bad_usage_exits_2() -> None:
    unknown_fund = run(str(PLANTED), "--fund", "nosuch")
    assert unknown_fund.exit_code == 2
    assert "nosuch" in unknown_fund.stderr and "construction" in unknown_fund.stderr
    assert run(str(PLANTED), "--rule", "nosuch").exit_code == 2
    assert run("missing.beancount").exit_code == 2


def test_syntax_error_exits_2_naming_file_and_line(tmp_path: Path) -> None:
    broken = tmp_path / "broken.beancount"
    broken.write_text('2012-01-01 open Assets:Bank CNY\n\n2012-01-02 * "x" "y"\n'
                      "  Assets:Bank  ten CNY\n", "utf-8")
    result = run(str(broken))
    assert result.exit_code == 2
    assert f"{broken}:4" in result.stderr
    assert result.stdout == ""


def test_failing_balance_assertion_exits_2(tmp_path: Path) -> None:
    books = tmp_path / "books.beancount"
    books.write_text("2012-01-01 open Assets:Bank CNY\n"
                     "2012-02-01 balance Assets:Bank 10.00 CNY\n", "utf-8")
    result = run(str(books))
    assert result.exit_code == 2
    assert f"{books}:2" in result.stderr


def test_funds_check_is_check_funds() -> None:
    grouped = CliRunner().invoke(funds, ["check", str(PLANTED), "--format", "json"])
    assert grouped.exit_code == 1
    assert grouped.stdout == run(str(PLANTED), "--format", "json").stdout


def _console_script(name: str) -> str:
    found = shutil.which(name, path=str(Path(sys.executable).parent))
    assert found, f"{name} is not installed beside {sys.executable}"
    return found


def test_bean_check_is_clean_on_the_demo_books() -> None:
    result = subprocess.run([_console_script("bean-check"), str(DEMO_BOOKS)],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def test_bean_check_shows_each_error_finding_with_its_code() -> None:
    result = subprocess.run([_console_script("bean-check"), str(PLANTED)],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 1
    output = result.stdout + result.stderr
    for rule in PLANTED_DATES:
        assert (f"[{rule}]" in output) == (RULES[rule].severity.value == "error"), rule


@pytest.mark.parametrize("output_format", ["table", "json"])
def test_console_script_runs_on_the_demo_books(output_format: str) -> None:
    result = subprocess.run([_console_script("check-funds"), "--format", output_format],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert "construction" in result.stdout


def test_console_script_takes_a_relative_path_and_answers_again_from_its_cache() -> None:
    command = [_console_script("check-funds"), "ledgers/planted.beancount", "--format", "json"]
    first, second = (subprocess.run(command, capture_output=True, text=True, check=False,
                                    cwd=Path(__file__).parent) for _ in range(2))
    assert (first.returncode, second.returncode) == (1, 1), first.stderr + second.stderr
    assert first.stderr == second.stderr == "账簿 / books: ledgers/planted.beancount\n"
    assert first.stdout == second.stdout
    assert len(json.loads(first.stdout)["findings"]) == len(PLANTED_DATES)


def test_console_script_with_its_output_closed_ends_as_the_check_says() -> None:
    result = subprocess.run(f"'{_console_script('check-funds')}' >&-", shell=True,
                            capture_output=True, text=True, check=False)
    assert (result.returncode, result.stderr) == (0, "")


def test_table_says_when_a_filter_hides_a_funds_findings() -> None:
    table = run(str(PLANTED), "--rule", "withheld").stdout
    assert "无符合筛选条件的问题" in table and "未发现问题" not in table
    assert "[withheld] 截留" in table and "[cross-fund]" not in table


def test_a_ledger_without_funds_says_so(tmp_path: Path) -> None:
    books = tmp_path / "books.beancount"
    books.write_text("2012-01-01 open Assets:Bank CNY\n", "utf-8")
    result = run(str(books))
    assert result.exit_code == 0
    assert "账本未声明任何专项" in result.stdout


def test_help_lists_every_rule_with_its_chinese_label() -> None:
    help_text = run("--help").stdout
    for rule in RULES.values():
        assert f"{rule.code:<18} {rule.label}：" in help_text


def test_the_rules_run_once_per_check_whether_or_not_the_plugin_is_declared(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    calls: list[str] = []

    def counted(where: str) -> Callable[..., list[Finding]]:
        def run(books: Books) -> list[Finding]:
            calls.append(where)
            return run_checks(books)
        return run

    monkeypatch.setattr(plugin, "run_checks", counted("plugin"))
    monkeypatch.setattr(check, "run_checks", counted("check"))
    monkeypatch.setenv("BEANCOUNT_DISABLE_LOAD_CACHE", "1")
    declared = check.check_books(PLANTED)
    assert calls == ["plugin"]
    bare = tmp_path / "bare.beancount"
    bare.write_text(PLANTED.read_text("utf-8").replace('plugin "ledger.plugin"\n', ""), "utf-8")
    calls.clear()
    undeclared = check.check_books(bare)
    assert calls == ["check"]
    assert len(declared.findings) == len(undeclared.findings) == len(PLANTED_DATES)


@pytest.mark.parametrize(("books", "meaning"), [
    ('2013-01-02 * "x"\n  Assets:A  abc CNY\n', "main.beancount:2: 金额不是数字（“abc”）"),
    ('2013-01-02 * "x"\n  Assets:A  1.00 CNY CNY\n', "main.beancount:2: 无法识别的写法"),
    ('2013-01-01 open Assets:A CNY\n2013-01-01 open Expenses:B CNY\n'
     '2013-01-02 * "x"\n  Assets:A  -1.00 CNY\n  Expenses:B  2.00 CNY\n', "借贷不平"),
    ("2013-01-01 open Assets:A CNY\n2013-01-05 balance Assets:A  5.00 CNY\n",
     "main.beancount:2: 余额断言不符：Assets:A 账面 0 CNY，断言 5.00 CNY，相差 5.00 CNY（账面少）"),
    ('2013-01-02 * "x"\n  Assets:A  -1.00 CNY\n  Expenses:B  1.00 CNY\n', "科目未开设"),
    ('include "nope.beancount"\n', "include 的文件不存在"),
])
def test_books_that_do_not_load_are_explained_in_chinese(tmp_path: Path, books: str,
                                                         meaning: str) -> None:
    path = tmp_path / "main.beancount"
    path.write_text(books, encoding="utf-8")
    result = run(str(path))
    assert result.exit_code == 2
    assert f"{meaning}" in result.stderr and "main.beancount" in result.stderr
