"""The monthly export is verifiable: ``export.json`` holds the sheets' figures, ``MANIFEST.sha256``
every file's sha256, and ``funds verify-export`` checks a month's folder against it."""

from __future__ import annotations

import csv
import dataclasses
import datetime
import hashlib
import io
import json
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

import ledger.cli.export
from ledger.cli.export import verify_export_command
from ledger.cli.main import funds
from reports.export_check import verify_export
from reports.export_json import reconciliation_status
from reports.export_manifest import read_kept_export
from reports.reconcile import Reconciliation
from tests.samples import SALARY_BANK, demo_lines, statement_csv

OCTOBER = "2012-10"
SHEETS = ["资金收支月报", "预算执行情况", "银行存款余额调节表", "收支明细", "异常事项", "合同台账"]


def export(out: Path, monkeypatch: pytest.MonkeyPatch, *args: str,
           month: str = OCTOBER) -> Result:
    """``funds export monthly`` writing MANIFEST.sha256."""
    monkeypatch.setattr(ledger.cli.export, "SEAL_EXPORTS", True)
    return CliRunner().invoke(funds, ["export", "monthly", month, "--out", str(out),
                                      "--preparer", "王会计", *args])


@pytest.fixture
def october(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    result = export(tmp_path / "out", monkeypatch)
    assert result.exit_code == 0, result.output
    return tmp_path / "out" / OCTOBER


def verify(folder: Path, *args: str) -> Result:
    return CliRunner().invoke(verify_export_command, [str(folder), *args])


def read_json(folder: Path) -> dict[str, object]:
    document = json.loads((folder / "export.json").read_text("utf-8"))
    assert isinstance(document, dict)
    return document


def csv_table(folder: Path, index: int, first_column: str) -> list[dict[str, str]]:
    """The rows of sheet ``index``'s CSV under its header row (which starts ``first_column``)."""
    text = (folder / f"{index}-{SHEETS[index - 1]}.csv").read_bytes().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    start = next(number for number, row in enumerate(rows) if row and row[0] == first_column)
    return [dict(zip(rows[start], row, strict=False)) for row in rows[start + 1:] if row]


def text_or_none(cell: str) -> str | None:
    return cell or None


def test_export_json_holds_the_funds_sheets_figures(october: Path) -> None:
    document = read_json(october)
    assert (document["format"], document["month"]) == (1, OCTOBER)
    assert document["unit"] == "东山区社区社工综合服务中心示范点 专项资金账簿"
    assert document["made"] == datetime.date.today().isoformat()
    sheet = [row for row in csv_table(october, 1, "专项代码")
             if row["专项代码"] and not row["专项名称"].startswith("其中")]
    assert [{"code": row["专项代码"], "name": row["专项名称"], "currency": row["币种"],
             "opening": row["期初余额"], "income": row["本月收入"], "expense": row["本月支出"],
             "closing": row["期末余额"], "year_income": row["本年累计收入"],
             "year_expense": row["本年累计支出"]} for row in sheet] == document["funds"]
    names = {row["code"]: row["name"] for row in document["funds"]}
    assert names == document["fund_names"]
    assert len(sheet) == 3


def test_export_json_holds_the_budget_and_findings_sheets_figures(october: Path) -> None:
    document = read_json(october)
    budget = document["budget"]
    assert isinstance(budget, list) and len(budget) == 18
    sheet = csv_table(october, 2, "专项")
    assert [[row["专项代码"], row["预算科目"], row["币种"], row["年度预算"], row["本月支出"],
             row["本年累计支出"], row["预算余额"], text_or_none(row["执行率(%)"]),
             row["已承诺"], row["可用余额"]] for row in sheet] == [
        [line[key] for key in ("fund", "account", "currency", "budget", "month_spent",
                               "year_spent", "remaining", "rate", "committed", "available")]
        for line in budget]
    for line in budget:  # each figure exact, and the sums the sheet's
        assert Decimal(line["remaining"]) == Decimal(line["budget"]) - Decimal(line["year_spent"])
    findings = document["findings"]
    assert isinstance(findings, list) and len(findings) == 1
    rows = csv_table(october, 5, "日期")
    assert [[row["日期"], row["规则代码"], row["问题类型"], row["专项代码"], row["科目"],
             text_or_none(row["金额"]), text_or_none(row["币种"]), text_or_none(row["凭证号"]),
             row["说明"]] for row in rows] == [
        [finding[key] for key in ("date", "rule", "label", "fund", "account", "amount",
                                  "currency", "voucher", "message")] for finding in findings]
    assert findings[0]["severity"] == "info"


def test_export_json_says_how_each_bank_account_reconciles(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    lines = demo_lines(SALARY_BANK, datetime.date(2012, 10, 1), datetime.date(2012, 10, 31))
    shifted = [dataclasses.replace(line, balance=line.balance + Decimal("5.00"))
               for line in lines]  # the bank holds 5.00 the books do not explain
    tmp_path.joinpath("bank").mkdir()
    statement = statement_csv(tmp_path / "bank" / "对账单.csv", shifted)
    result = export(tmp_path / "out", monkeypatch, "--statement", str(statement))
    assert result.exit_code == 1, result.output  # off by 5.00: does not reconcile
    folder = tmp_path / "out" / OCTOBER
    conclusions = {row["银行账户"]: row["摘要"] for row in csv_table(folder, 3, "银行账户")
                   if row["项目"] == "结论"}
    statuses = {item["account"]: item["status"]
                for item in read_json(folder)["reconciliations"]}  # type: ignore[attr-defined]
    assert statuses[SALARY_BANK] == "不符" and "相差" in conclusions[SALARY_BANK]
    assert {account for account, status in statuses.items() if status == "相符"} == {
        account for account, text in conclusions.items() if text == "调节后余额相符"}
    assert len(statuses) == 3
    assert verify(folder).exit_code == 0  # an unreconciled month is still a sound export


def test_an_account_without_a_bank_figure_has_no_statement() -> None:
    bare = Reconciliation(SALARY_BANK, "salary", Decimal("10.00"), None, "无")
    assert reconciliation_status(bare) == "无对账单"
    assert reconciliation_status(
        Reconciliation(SALARY_BANK, "salary", Decimal("10.00"), Decimal("10.00"), "x")) == "相符"
    assert reconciliation_status(
        Reconciliation(SALARY_BANK, "salary", Decimal("10.00"), Decimal("9.00"), "x")) == "不符"


def test_the_digest_printed_is_the_manifests_sha256_and_sha256sum_checks_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    result = export(tmp_path / "out", monkeypatch)
    assert result.exit_code == 0, result.output
    folder = tmp_path / "out" / OCTOBER
    digest = hashlib.sha256((folder / "MANIFEST.sha256").read_bytes()).hexdigest()
    assert f"清单摘要 / manifest digest: sha256:{digest}" in result.output
    listed = [line.split("  ", 1)[1]
              for line in (folder / "MANIFEST.sha256").read_text("utf-8").splitlines()]
    on_disk = sorted(path.relative_to(folder).as_posix() for path in folder.rglob("*")
                     if path.is_file() and path.name != "MANIFEST.sha256")
    assert listed == on_disk and "export.json" in listed
    checked = subprocess.run(["sha256sum", "-c", "--strict", "MANIFEST.sha256"], cwd=folder,
                             capture_output=True, text=True, check=False)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    verified = verify(folder, "--digest", f"SHA256:{digest.upper()}")
    assert verified.exit_code == 0, verified.output
    assert f"核对通过 / verified: {len(listed)} 个文件" in verified.output


def test_statements_kept_by_the_export_are_in_the_manifest(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    lines = demo_lines(SALARY_BANK, datetime.date(2012, 10, 1), datetime.date(2012, 10, 31))
    tmp_path.joinpath("bank").mkdir()
    statement = statement_csv(tmp_path / "bank" / "对账单.csv", lines)
    assert export(tmp_path / "out", monkeypatch, "--statement", str(statement)).exit_code == 0
    folder = tmp_path / "out" / OCTOBER
    assert "statements/对账单.csv" in verify_export(folder).files
    (folder / "statements" / "对账单.csv").write_bytes(b"x")
    result = verify(folder)
    assert result.exit_code == 1
    assert "内容已改 / altered: statements/对账单.csv" in result.output


@pytest.mark.parametrize(("change", "named"), [
    ("csv", "内容已改 / altered: 1-资金收支月报.csv"),
    ("json", "内容已改 / altered: export.json"),
    ("extra", "清单外的文件 / not in the manifest: 说明.txt"),
    ("missing", "缺少 / missing: 5-异常事项.csv"),
    ("outside", "names a path outside the folder: ../x.csv"),
])
def test_a_tampered_export_does_not_verify(october: Path, change: str, named: str) -> None:
    if change == "csv":
        path = october / "1-资金收支月报.csv"
        path.write_bytes(path.read_bytes().replace(b"17301.50", b"1301.50"))
    elif change == "json":
        document = read_json(october)
        document["funds"][0]["expense"] = "1301.50"  # type: ignore[index]
        (october / "export.json").write_text(json.dumps(document, ensure_ascii=False), "utf-8")
    elif change == "extra":
        (october / "说明.txt").write_text("补充", "utf-8")
    elif change == "missing":
        (october / "5-异常事项.csv").unlink()
    else:
        with (october / "MANIFEST.sha256").open("a", encoding="utf-8") as manifest:
            manifest.write(f"{'0' * 64}  ../x.csv\n")
    result = verify(october)
    assert result.exit_code == 1, result.output
    assert named in result.output
    assert "核对未通过 / the export does not verify" in result.output
    assert not verify_export(october).ok


def test_a_rewritten_manifest_verifies_only_against_its_own_new_digest(october: Path) -> None:
    original = "sha256:" + hashlib.sha256((october / "MANIFEST.sha256").read_bytes()).hexdigest()
    path = october / "1-资金收支月报.csv"
    path.write_bytes(path.read_bytes().replace(b"17301.50", b"1301.50"))
    manifest = october / "MANIFEST.sha256"
    lines = [f"{hashlib.sha256(path.read_bytes()).hexdigest()}  1-资金收支月报.csv"
             if line.endswith("  1-资金收支月报.csv") else line
             for line in manifest.read_text("utf-8").splitlines()]
    manifest.write_text("\n".join(lines) + "\n", "utf-8")
    assert verify(october).exit_code == 0  # consistent in itself
    result = verify(october, "--digest", original)
    assert result.exit_code == 1
    assert f"not {original}" in result.output


def test_a_folder_without_a_manifest_exits_2(tmp_path: Path) -> None:
    tmp_path.joinpath("2012-10").mkdir()
    for folder in (tmp_path / "2012-10", tmp_path / "nowhere"):
        result = verify(folder)
        assert result.exit_code == 2
        assert "无法核对月报 / cannot verify the export" in result.stderr


def test_the_audit_pack_takes_a_sealed_export_and_sees_a_tampered_manifest(
        october: Path, tmp_path: Path) -> None:
    assert read_kept_export(october).problems == []
    copy = tmp_path / "copy"
    shutil.copytree(october, copy)
    manifest = copy / "MANIFEST.sha256"
    manifest.write_text(manifest.read_text("utf-8").replace("  export.json\n", "  other.json\n"),
                        "utf-8")
    problems = read_kept_export(copy).problems
    assert "缺少 / missing: other.json" in problems
    assert "清单外的文件 / not in the manifest: export.json" in problems


def test_funds_verify_export_is_a_command_of_the_funds_group(tmp_path: Path) -> None:
    from ledger.cli.main import funds

    made = CliRunner().invoke(funds, ["export", "monthly", "2012-10", "--out", str(tmp_path)])
    assert "清单摘要 / manifest digest: sha256:" in made.output
    result = CliRunner().invoke(funds, ["verify-export", str(tmp_path / "2012-10")])
    assert result.exit_code == 0, result.output


def test_export_json_holds_the_detail_and_contract_sheets_rows(october: Path) -> None:
    document = read_json(october)
    detail = [row for row in csv_table(october, 4, "日期") if row["日期"]]  # not the 合计
    held = document["detail"]
    assert isinstance(held, list) and len(held) == len(detail) > 0
    assert [(row["voucher"], row["fund"], row["income"], row["expense"]) for row in held] == [
        (row["凭证号"], row["专项代码"], row["收入"] or None, row["支出"] or None)
        for row in detail]
    contracts = document["contracts"]
    register = [row for row in csv_table(october, 6, "合同号") if row["合同号"]
                and not row["合同号"].startswith("合计")]
    assert isinstance(contracts, list)
    assert [row["number"] for row in contracts] == [row["合同号"] for row in register]
