"""A warning (警告) is shown wherever findings are shown, counted apart from errors and info,
and, like info, neither fails a check, nor makes a month 有异常, nor stops a seal."""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from pathlib import Path

import openpyxl
from click.testing import CliRunner, Result

from ledger.cli.check import check_funds
from ledger.cli.main import funds
from ledger.model.findings import RULES, Severity
from tests.test_fava_page import fava, page_html

BOOKS = """\
plugin "ledger.plugin"
2012-01-01 custom "fava-extension" "ledger.fava_ext"
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
2012-03-05 ! "印务" "宣传册，待复核"
  voucher: "记-201203-001"
  invoice: "001"
  Assets:Bank:Operating        -100.00 CNY
  Expenses:Operating:Publicity  100.00 CNY
2012-04-01 balance Assets:Bank:Operating 400.00 CNY
"""
WARNING_RULE = "unreviewed"


def books_in(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "main.beancount"
    path.write_text(BOOKS, "utf-8")
    return path


def invoke(*args: str) -> Result:
    return CliRunner().invoke(funds, list(args))


def test_the_books_give_one_warning_and_nothing_else(tmp_path: Path) -> None:
    assert RULES[WARNING_RULE].severity is Severity.WARNING
    result = CliRunner().invoke(check_funds, [str(books_in(tmp_path)), "--format", "json"])
    document = json.loads(result.stdout)
    assert [(f["rule"], f["severity"]) for f in document["findings"]] == [
        (WARNING_RULE, "warning")]
    assert result.exit_code == 0  # a warning, like info, does not fail the check
    assert document["funds"][0]["findings"] == {"error": 0, "warning": 1, "info": 0}


def test_the_table_shows_and_counts_the_warning_apart(tmp_path: Path) -> None:
    result = CliRunner().invoke(check_funds, [str(books_in(tmp_path))])
    assert result.exit_code == 0
    assert re.search(r"2012-03-05  警告  \[unreviewed\] 未复核", result.stdout)
    assert "合计：错误 0 条，警告 1 条，提示 0 条 / 0 error, 1 warning, 0 info" in result.stdout
    assert "专项数字：2012 年（截至 2012-03-05）" in result.stdout


def test_the_csv_labels_the_warning(tmp_path: Path) -> None:
    result = CliRunner().invoke(check_funds, [str(books_in(tmp_path)), "--format", "csv"])
    [row] = list(csv.DictReader(io.StringIO(result.stdout_bytes.decode("utf-8-sig"))))
    assert (row["严重程度"], row["规则代码"], row["文件"]) == (
        "警告", WARNING_RULE, "main.beancount")


def test_the_monthly_export_lists_the_warning_and_stays_clean(tmp_path: Path) -> None:
    main = books_in(tmp_path / "books")
    out = tmp_path / "out"
    result = invoke("export", "monthly", "2012-03", "--ledger", str(main), "--out", str(out))
    assert result.exit_code == 0, result.output
    with (out / "2012-03" / "5-异常事项.csv").open(encoding="utf-8-sig") as file:
        rows = list(csv.reader(file))
    assert rows[1][:4] == ["2012-03-05", "警告", WARNING_RULE, "未复核"]
    assert rows[1][11] == "main.beancount"  # by its path from the books' folder
    with (out / "2012-03" / "1-资金收支月报.csv").open(encoding="utf-8-sig") as file:
        state = dict(row[:2] for row in csv.reader(file) if len(row) >= 2)["本月情况"]
    assert state == "无异常（警告 1 条，请核实（见异常事项））"
    workbook = openpyxl.load_workbook(out / "2012-03" / "专项资金月报-2012-03.xlsx")
    findings = workbook["异常事项"]
    assert findings.cell(2, 2).value == "警告"
    assert findings.cell(2, 2).font.color.rgb.endswith("B8860B")  # amber, not red
    cover = workbook["资金收支月报"]
    assert cover.cell(5, 2).font.color.rgb.endswith("B8860B")


def test_an_error_month_is_still_abnormal_with_its_warnings_counted(tmp_path: Path) -> None:
    main = books_in(tmp_path / "books")
    with main.open("a", encoding="utf-8") as file:
        file.write('2012-03-20 * "无票" "车费"\n  Assets:Bank:Operating  -10.00 CNY\n'
                   "  Expenses:Operating:Publicity  10.00 CNY\n"
                   "2012-04-01 balance Assets:Bank:Operating 390.00 CNY\n")
    main.write_text(main.read_text("utf-8").replace(
        "2012-04-01 balance Assets:Bank:Operating 400.00 CNY\n", "", 1), "utf-8")
    out = tmp_path / "out"
    invoke("export", "monthly", "2012-03", "--ledger", str(main), "--out", str(out))
    with (out / "2012-03" / "1-资金收支月报.csv").open(encoding="utf-8-sig") as file:
        state = dict(row[:2] for row in csv.reader(file) if len(row) >= 2)["本月情况"]
    assert state == "有异常：错误 1 条；警告 1 条，请核实（见异常事项）"


def test_the_fava_page_counts_and_styles_the_warning(tmp_path: Path) -> None:
    _, client, slug = fava(books_in(tmp_path))
    html = page_html(client, slug)
    assert "<th class=\"num\">警告</th>" in html
    assert re.findall(r'<td class="num warnings">([^<]*)</td>', html) == ["1"]
    assert re.findall(r'<td class="num errors">([^<]*)</td>', html) == ["0"]
    assert f'<tr class="earmark-finding severity-warning" data-rule="{WARNING_RULE}"' in html
    assert "其中错误 0 条，警告 1 条，提示 0 条" in html
    assert '<td class="severity">警告</td>' in html


def test_the_audit_pack_counts_the_warning(tmp_path: Path) -> None:
    main = books_in(tmp_path / "books")
    result = invoke("audit-pack", "2012", "--ledger", str(main), "--out", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    assert "错误 0 条，警告 1 条，提示 0 条" in result.stdout
    with zipfile.ZipFile(tmp_path / "out" / "audit-pack-2012.zip") as archive:
        summary = archive.read("audit-pack-2012/check/summary.txt").decode("utf-8")
        readme = archive.read("audit-pack-2012/README.txt").decode("utf-8")
    assert f"未复核（{WARNING_RULE}，警告）：1" in summary
    assert "警告 1 条" in readme


def test_a_warning_does_not_stop_a_seal_but_is_named(tmp_path: Path) -> None:
    main = books_in(tmp_path)
    result = invoke("seal", "2012-03", "--ledger", str(main))
    assert result.exit_code == 0, result.output
    assert "已封账" in result.stdout
    assert "1 条警告，不妨碍封账" in result.stdout and "main.beancount:" in result.stdout
