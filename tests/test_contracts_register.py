"""``funds contracts``: the 合同台账, one row per contract with its figures and the findings on
it, as a table, JSON and CSV; and ``check-funds --format json``'s contracts."""

from __future__ import annotations

import csv
import io
import json
import textwrap
from decimal import Decimal
from pathlib import Path

from beancount import loader
from beancount.core import data
from click.testing import CliRunner

from ledger.cli.main import funds
from ledger.model.findings import finding_at
from reports.contracts import REGISTER_COLUMNS, findings_by_contract
from tests.helpers import HEADER, check_funds_json
from tests.test_commitments import BOOKS

OVERRUN = """\
2012-10-01 * "专家" "追加咨询费"
  contract: "HT-002"
  invoice: "F-1"
  Expenses:Construction:Expert   500.00 CNY
  Assets:Bank:Construction      -500.00 CNY
"""
HEADERS = ["合同号", "专项", "供应商", "预算科目", "合同金额", "已列支", "已付款",
           "未履行（已承诺）",
           "质保金比例", "质保金到期日", "尚留质保金", "状态", "问题", "币种", "专项代码"]


def books_at(tmp_path: Path, text: str = BOOKS + OVERRUN) -> Path:
    path = tmp_path / "main.beancount"
    path.write_text(text, "utf-8")
    return path


def run(*args: str) -> str:
    result = CliRunner().invoke(funds, ["contracts", *args])
    assert result.exit_code == 0, result.output
    return result.stdout


def test_the_register_as_json_has_every_contracts_figures(tmp_path: Path) -> None:
    document = json.loads(run("--ledger", str(books_at(tmp_path)), "--format", "json"))
    assert document["as_of"] == "2012-10-01"
    rows = {row["number"]: row for row in document["contracts"]}
    assert list(rows) == ["HT-001", "HT-002", "HT-003"]
    first = rows["HT-001"]
    assert {key: first[key] for key in ("fund", "payee", "account", "amount", "charged", "paid",
                                        "committed", "retention", "retention_until",
                                        "retention_due", "status")} == {
        "fund": "construction", "payee": "装饰公司", "account": "Expenses:Construction:Equipment",
        "amount": "320000.00", "charged": "150000.00", "paid": "100000.00",
        "committed": "170000.00", "retention": "0.05", "retention_until": "2013-06-30",
        "retention_due": "16000.00", "status": "open"}
    assert (rows["HT-002"]["status"], rows["HT-002"]["committed"],
            rows["HT-002"]["status_label"]) == ("overrun", "0.00", "超合同")
    assert rows["HT-003"]["account"] == "Expenses:Operating:Publicity"


def test_the_register_as_csv_has_the_chinese_headers_in_order(tmp_path: Path) -> None:
    text = run("--ledger", str(books_at(tmp_path)), "--format", "csv")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0] == HEADERS
    assert list(REGISTER_COLUMNS.values()) == HEADERS[:13]
    by_number = {row[0]: dict(zip(HEADERS, row, strict=True)) for row in rows[1:]}
    assert by_number["HT-001"]["未履行（已承诺）"] == "170000.00"
    assert by_number["HT-001"]["尚留质保金"] == "16000.00"
    assert by_number["HT-001"]["状态"] == "执行中"
    assert by_number["HT-002"]["状态"] == "超合同"
    assert by_number["HT-001"]["质保金比例"] == "5%"  # as the table and the Fava page show it
    assert (by_number["HT-003"]["质保金比例"], by_number["HT-003"]["尚留质保金"]) == ("", "")
    assert by_number["HT-003"]["专项"] == "日常运营经费"


def test_the_register_as_a_table_reads_in_chinese(tmp_path: Path) -> None:
    text = run("--ledger", str(books_at(tmp_path)))
    assert "合同台账：截至 2012-10-01" in text
    assert "合同号 HT-001  供应商 装饰公司" in text
    assert "未履行（已承诺） 170,000.00" in text
    assert "质保金 5%，到期日 2013-06-30，尚留质保金 16,000.00 CNY" in text
    assert "状态 超合同" in text
    assert ("合计：合同 3 份：执行中 2 份，已结清 0 份，超合同 1 份 / 3 contracts: 2 open, "
            "0 paid, 1 overrun") in text


def test_the_registers_total_counts_each_state_and_one_contract_is_singular(
        tmp_path: Path) -> None:
    one = BOOKS.split("2012-05-01 custom")[0]  # HT-001 signed, partly paid
    text = run("--ledger", str(books_at(tmp_path, one)))
    assert text.rstrip().endswith(
        "合计：合同 1 份：执行中 1 份，已结清 0 份，超合同 0 份 / 1 contract: 1 open, 0 paid, "
        "0 overrun")
    assert "contracts" not in text.splitlines()[-1]


def test_books_without_contracts_say_so(tmp_path: Path) -> None:
    text = run("--ledger", str(books_at(tmp_path, BOOKS.split("2012-03-01 custom")[0])))
    assert "账簿中没有已签订的合同" in text


def _entries(text: str) -> data.Directives:
    entries, errors, _ = loader.load_string(text)
    assert errors == [], errors
    return entries


def test_a_finding_is_on_the_contract_its_entry_quotes_or_declares() -> None:
    entries = _entries(BOOKS + textwrap.dedent("""\
        2012-11-01 * "装饰公司" "合同号记在分录上"
          Expenses:Construction:Equipment   10.00 CNY
            contract: "HT-001"
          Assets:Bank:Construction         -10.00 CNY
        2012-11-02 * "文具店" "无合同"
          Expenses:Construction:Equipment   10.00 CNY
          Assets:Bank:Construction         -10.00 CNY
        """))
    signing = next(entry for entry in entries if isinstance(entry, data.Custom)
                   and entry.type == "contract" and entry.values[0].value == "HT-003")
    on_posting, unquoted = [entry for entry in entries if isinstance(entry, data.Transaction)
                            and entry.date.month == 11]
    paid_once = next(entry for entry in entries if isinstance(entry, data.Transaction)
                     and entry.meta.get("contract") == "HT-002")
    found = findings_by_contract([
        finding_at("over-budget", signing, "签约超预算"),
        finding_at("missing-evidence", on_posting, "无发票"),
        finding_at("missing-evidence", unquoted, "无发票"),  # decoy: quotes no contract
        finding_at("missing-evidence", paid_once, "无发票"),
    ])
    assert {number: [finding.entry for finding in items] for number, items in found.items()} == {
        "HT-003": [signing], "HT-001": [on_posting], "HT-002": [paid_once]}


def test_check_funds_json_lists_the_contracts_and_each_lines_commitment(tmp_path: Path,
                                                                        ) -> None:
    document = check_funds_json(str(books_at(tmp_path)), "--no-cache")
    numbers = [row["number"] for row in document["contracts"]]
    assert numbers == ["HT-001", "HT-002", "HT-003"]
    construction = next(fund for fund in document["funds"] if fund["fund"] == "construction")
    assert (construction["committed"], construction["available"]) == (
        "170000.00", str(Decimal(construction["budget"]) - Decimal(construction["spent"])
                         - Decimal("170000.00")))
    equipment = next(line for line in construction["lines"]
                     if line["account"] == "Expenses:Construction:Equipment")
    assert (equipment["committed"], equipment["available"]) == ("170000.00", "77000.00")
    months = construction["months"]
    assert months[-1]["month"] == "2012-10"
    assert months[-1]["spent_and_committed"] == str(
        Decimal(construction["spent"]) + Decimal(construction["committed"]))


def test_check_funds_table_heads_each_fund_with_its_commitment(tmp_path: Path) -> None:
    result = CliRunner().invoke(funds, ["check", str(books_at(tmp_path)), "--no-cache"])
    assert result.exit_code == 1, result.output  # the overrun and a cost without evidence
    assert ("已承诺   170,000.00  可用余额   656,500.00  CNY（合同 2 份，见 funds contracts） / "
            "committed 170,000.00, available 656,500.00 (2 contracts: see funds contracts)\n"
            ) in result.stdout
    assert ("已承诺     6,000.00  可用余额   992,000.00  CNY（合同 1 份，见 funds contracts） / "
            "committed 6,000.00, available 992,000.00 (1 contract: see funds contracts)\n"
            ) in result.stdout


def test_decoy_a_fund_without_contracts_names_none(tmp_path: Path) -> None:
    folder = tmp_path / "plain"
    folder.mkdir()
    (folder / "main.beancount").write_text(HEADER, encoding="utf-8")
    result = CliRunner().invoke(funds, ["check", str(folder / "main.beancount"), "--no-cache"])
    assert result.exit_code == 0, result.output
    assert ("已承诺         0.00  可用余额 1,000,000.00  CNY / committed 0.00, available "
            "1,000,000.00\n") in result.stdout
