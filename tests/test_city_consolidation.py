"""``funds city``: the centres' month folders verified, consolidated, and summed exactly.

Each centre's folder is written here as the monthly export writes it (``export.json`` and
``MANIFEST.sha256`` over the folder); the city totals are recomputed from the ``export.json``
files of the centres that verify, independently of the consolidation.
"""

from __future__ import annotations

import csv
import hashlib
import json
import zipfile
from collections import defaultdict
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from click.testing import CliRunner, Result

from ledger.cli import export as export_cli
from ledger.cli.main import funds
from tests.helpers import HEADER

MONTH = "2012-10"
WORKBOOK = f"全市专项资金月报-{MONTH}.xlsx"


def fund(code: str, name: str, opening: str, income: str, expense: str,
         year_expense: str) -> dict[str, Any]:
    closing = Decimal(opening) + Decimal(income) - Decimal(expense)
    return {"code": code, "name": name, "currency": "CNY", "opening": opening,
            "income": income, "expense": expense, "closing": f"{closing:.2f}",
            "year_income": income, "year_expense": year_expense}


def budget(code: str, amount: str, year_spent: str) -> dict[str, Any]:
    return {"fund": code, "account": "Expenses:5101-业务活动成本", "period": "2012",
            "budget": amount, "month_spent": "0.00", "year_spent": year_spent,
            "remaining": None, "rate": None, "committed": None, "available": None}


def finding(rule: str, label: str, code: str, account: str, amount: str,
            severity: str = "error") -> dict[str, Any]:
    return {"rule": rule, "label": label, "severity": severity, "date": "2012-10-15",
            "fund": code, "account": account, "amount": amount, "currency": "CNY",
            "voucher": "记-10-003", "message": f"{label}：{account}"}


CENTRES: dict[str, dict[str, Any]] = {
    "榕城区社工服务中心": {
        "funds": [fund("construction", "示范点建设经费", "100000.10", "20000.05", "15000.33",
                       "60000.00"),
                  fund("operating", "日常运营经费", "5000.00", "0.00", "1200.50", "9000.00")],
        "budget": [budget("construction", "120000.00", "60000.00")],
        "reconciliations": [{"account": "Assets:1002-银行存款", "reconciled": True,
                             "status": "相符"}],
        "findings": [finding("allocation-late", "拨款未到位", "construction",
                             "Income:4401-政府补助收入:限定性收入:区财政:建设经费", "30000.00"),
                     finding("over-budget", "超预算", "operating",
                             "Expenses:5101-业务活动成本", "200.00", "warning")]},
    "普宁市社工服务中心": {
        "funds": [fund("construction", "示范点建设经费", "80000.00", "0.00", "2000.01",
                       "30000.00")],
        "budget": [budget("construction", "100000.00", "30000.00")],
        "reconciliations": [{"account": "Assets:1002-银行存款", "reconciled": False,
                             "status": "不符"}],
        "findings": [finding("withheld", "截留", "construction",
                             "Income:4401-政府补助收入:限定性收入:市财政:建设经费", "999.99")]},
    "揭东区社工服务中心": {  # tampered after it was sent
        "funds": [fund("construction", "示范点建设经费", "7.00", "7.00", "7.00", "7.00")],
        "budget": [], "reconciliations": [], "findings": []},
    "惠来县社工服务中心": {  # not in the registry
        "funds": [fund("construction", "示范点建设（惠来）", "10.00", "3.30", "1.10", "1.10")],
        "budget": [], "reconciliations": [], "findings": []},
}
REGISTRY = {"榕城区社工服务中心": "榕城区", "普宁市社工服务中心": "普宁市",
            "揭东区社工服务中心": "揭东区", "揭西县社工服务中心": "揭西县"}  # 揭西 sends nothing


def write_month(folder: Path, unit: str, figures: dict[str, Any]) -> str:
    """A centre's month folder as the export writes it; its manifest's digest."""
    folder.mkdir(parents=True)
    document = {"format": 1, "unit": unit, "month": MONTH, "made": "2012-11-02", **figures}
    (folder / "export.json").write_text(json.dumps(document, ensure_ascii=False), "utf-8")
    (folder / "1-资金收支月报.csv").write_text("专项代码\n", "utf-8-sig")
    lines = "".join(f"{hashlib.sha256(path.read_bytes()).hexdigest()}  {path.name}\n"
                    for path in sorted(folder.iterdir()))
    (folder / "MANIFEST.sha256").write_text(lines, "utf-8")
    return "sha256:" + hashlib.sha256(lines.encode()).hexdigest()


def received(tmp_path: Path) -> dict[str, str]:
    """Every centre's folder under ``received/``, 揭东 tampered; the digests."""
    digests = {unit: write_month(tmp_path / "received" / f"centre-{index}" / MONTH, unit, figures)
               for index, (unit, figures) in enumerate(CENTRES.items())}
    tampered = tmp_path / "received" / "centre-2" / MONTH / "1-资金收支月报.csv"
    tampered.write_text("专项代码\nconstruction\n", "utf-8-sig")
    return digests


def write_registry(path: Path, digests: dict[str, str] | None = None) -> Path:
    digests = digests or {}
    rows = ["单位名称,区,2012-10", *(f"{name},{district},{digests.get(name, '')}"
                                      for name, district in REGISTRY.items())]
    path.write_text("\n".join(rows) + "\n", encoding="gbk")  # as Excel saves it in China
    return path


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(funds, ["city", MONTH, *map(str, args)], catch_exceptions=False)


def sheet_rows(out: Path, index: int, title: str) -> list[dict[str, str]]:
    with (out / f"全市专项资金月报-{MONTH}-{index}-{title}.csv").open(
            encoding="utf-8-sig", newline="") as file:
        rows = list(csv.reader(file))
    start = next(number for number, row in enumerate(rows)
                 if row and row[0] in {"区", "专项代码", "出资方"})
    return [dict(zip(rows[start], row, strict=False)) for row in rows[start + 1:] if row]


def expected_totals(tmp_path: Path, units: set[str]) -> dict[str, Decimal]:
    """The city's sums, straight from the verified centres' own export.json files."""
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for path in (tmp_path / "received").rglob("export.json"):
        document = json.loads(path.read_text("utf-8"))
        if document["unit"] in units:
            for row in document["funds"]:
                for key in ("opening", "income", "expense", "closing", "year_expense"):
                    totals[key] += Decimal(row[key])
    return totals


COLUMNS = {"opening": "期初余额", "income": "本月收入", "expense": "本月支出",
           "closing": "期末余额", "year_expense": "本年累计支出"}


def test_the_city_total_is_the_sum_of_the_verified_centres(tmp_path: Path) -> None:
    received(tmp_path)
    registry = write_registry(tmp_path / "centres.csv")
    result = run(tmp_path / "received", "--registry", registry, "--out", tmp_path / "out")
    assert result.exit_code == 1, result.output
    summary = sheet_rows(tmp_path / "out", 1, "汇总")
    city = [row for row in summary if row["区"] == "全市合计"]
    assert len(city) == 1
    counted = {"榕城区社工服务中心", "普宁市社工服务中心", "惠来县社工服务中心"}
    expected = expected_totals(tmp_path, counted)
    assert {key: Decimal(city[0][column]) for key, column in COLUMNS.items()} == expected
    centre_rows = [row for row in summary if row["单位"] and row["单位"] != "小计"]
    assert {row["单位"] for row in centre_rows} == counted  # 揭东 failed: never summed
    for key, column in COLUMNS.items():  # 全市合计 = the centres' rows, not the 小计 again
        assert sum(Decimal(row[column]) for row in centre_rows) == expected[key]
    rongcheng = [row for row in summary if row["区"] == "榕城区" and row["单位"] == "小计"]
    assert {row["专项代码"]: Decimal(row["本月支出"]) for row in rongcheng} == {
        "construction": Decimal("15000.33"), "operating": Decimal("1200.50")}
    assert city[0]["年度预算"] == "220000.00" and city[0]["执行率"] == "40.91%"


def test_reporting_names_missing_failed_and_unregistered_centres(tmp_path: Path) -> None:
    received(tmp_path)
    registry = write_registry(tmp_path / "centres.csv")
    result = run(tmp_path / "received", "--registry", registry, "--out", tmp_path / "out")
    states = {row["单位"]: (row["区"], row["状态"])
              for row in sheet_rows(tmp_path / "out", 5, "报送情况")}
    assert states == {"榕城区社工服务中心": ("榕城区", "已报送"),
                      "普宁市社工服务中心": ("普宁市", "已报送"),
                      "揭东区社工服务中心": ("揭东区", "校验失败"),
                      "揭西县社工服务中心": ("揭西县", "未报送"),
                      "惠来县社工服务中心": ("未登记", "已报送")}
    assert "揭西县社工服务中心" in result.output and "校验失败" in result.output
    book = openpyxl.load_workbook(tmp_path / "out" / WORKBOOK)
    cover = {row[0]: row[1] for row in book["汇总"].iter_rows(max_row=5, values_only=True)}
    assert cover["未报送"] == "揭西县社工服务中心"
    assert cover["校验失败"] == "揭东区社工服务中心"


def test_the_workbook_holds_native_bar_charts(tmp_path: Path) -> None:
    received(tmp_path)
    registry = write_registry(tmp_path / "centres.csv")
    run(tmp_path / "received", "--registry", registry, "--out", tmp_path / "out")
    book = openpyxl.load_workbook(tmp_path / "out" / WORKBOOK)
    assert book.sheetnames[:5] == ["汇总", "按专项汇总", "未到位拨款", "异常事项", "报送情况"]
    charts = book["图表"]._charts  # type: ignore[attr-defined]
    assert len(charts) == 2
    assert all(type(chart).__name__ == "BarChart" for chart in charts)
    assert [len(chart.series) for chart in charts] == [1, 3]  # a series per district counted
    rates = {row[0]: row[1] for row in book["图表"].iter_rows(min_row=2, max_row=4,
                                                              values_only=True)}
    assert rates == {"榕城区社工服务中心": 50, "普宁市社工服务中心": 30, "惠来县社工服务中心": 0}


def test_every_expected_centre_in_and_verified_exits_0(tmp_path: Path) -> None:
    digests = received(tmp_path)
    registry = tmp_path / "centres.csv"
    registry.write_text("单位名称,区,2012-10\n"
                        f"榕城区社工服务中心,榕城区,{digests['榕城区社工服务中心']}\n"
                        f"普宁市社工服务中心,普宁市,{digests['普宁市社工服务中心']}\n",
                        encoding="utf-8")
    folders = [tmp_path / "received" / "centre-0", tmp_path / "received" / "centre-1"]
    result = run(*folders, "--registry", registry, "--out", tmp_path / "out")
    assert result.exit_code == 0, result.output


def test_a_digest_other_than_the_registered_one_fails(tmp_path: Path) -> None:
    digests = received(tmp_path)
    registry = write_registry(tmp_path / "centres.csv",
                              {"榕城区社工服务中心": digests["普宁市社工服务中心"],
                               "普宁市社工服务中心": digests["普宁市社工服务中心"]})
    result = run(tmp_path / "received", "--registry", registry, "--out", tmp_path / "out")
    assert result.exit_code == 1
    states = {row["单位"]: row["状态"] for row in sheet_rows(tmp_path / "out", 5, "报送情况")}
    assert states["榕城区社工服务中心"] == "校验失败"
    assert states["普宁市社工服务中心"] == "已报送"  # decoy: its registered digest matches
    units = {row["单位"] for row in sheet_rows(tmp_path / "out", 1, "汇总")}
    assert "榕城区社工服务中心" not in units


def test_late_allocations_by_funder_and_district(tmp_path: Path) -> None:
    received(tmp_path)
    registry = write_registry(tmp_path / "centres.csv")
    run(tmp_path / "received", "--registry", registry, "--out", tmp_path / "out")
    late = [(row["出资方"], row["区"], row["规则代码"], row["金额"])
            for row in sheet_rows(tmp_path / "out", 3, "未到位拨款")]
    assert late == [("区财政", "榕城区", "allocation-late", "30000.00"),
                    ("市财政", "普宁市", "withheld", "999.99")]
    findings = {(row["单位"], row["规则代码"])
                for row in sheet_rows(tmp_path / "out", 4, "异常事项")}
    assert ("榕城区社工服务中心", "over-budget") in findings  # decoy: not a late allocation


def test_exports_inside_a_zip_are_found(tmp_path: Path) -> None:
    received(tmp_path)
    archive = tmp_path / "exports.zip"
    with zipfile.ZipFile(archive, "w") as bundle:
        for path in (tmp_path / "received" / "centre-0").rglob("*"):
            bundle.write(path, path.relative_to(tmp_path / "received").as_posix())
    result = run(archive, "--out", tmp_path / "out")
    assert result.exit_code == 0, result.output
    units = {row["单位"] for row in sheet_rows(tmp_path / "out", 5, "报送情况")}
    assert units == {"榕城区社工服务中心"}


def test_nothing_to_consolidate_writes_nothing(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    result = CliRunner().invoke(funds, ["city", MONTH, str(tmp_path / "empty"), "--out",
                                        str(tmp_path / "out")])
    assert result.exit_code == 2
    assert "未写入任何文件" in result.output and not (tmp_path / "out").exists()


@pytest.mark.parametrize(("line", "column"), [("普宁市社工服务中心,普宁市,abc", "C"),
                                              (",普宁市,", "A")])
def test_a_bad_registry_row_is_named(tmp_path: Path, line: str, column: str) -> None:
    received(tmp_path)
    registry = tmp_path / "centres.csv"
    registry.write_text(f"单位名称,区,2012-10\n榕城区社工服务中心,榕城区,\n{line}\n", "utf-8")
    result = CliRunner().invoke(funds, ["city", MONTH, str(tmp_path / "received"),
                                        "--registry", str(registry), "--out",
                                        str(tmp_path / "out")])
    assert result.exit_code == 2
    assert "第 3 行" in result.output and f"列 {column}" in result.output
    assert not (tmp_path / "out").exists()


def centre_books(folder: Path, title: str, income: str, spent: str, cross: bool) -> Path:
    """A small centre's books: its title, the test header, a grant and a payment in October;
    ``cross`` plants an operating expense paid from the construction account (挪用)."""
    folder.mkdir(parents=True)
    paying = "Assets:Bank:Construction" if cross else "Assets:Bank:Operating"
    (folder / "main.beancount").write_text(
        f'option "title" "{title}"\n' + HEADER + f"""
2012-10-08 * "区财政局" "十月运营经费"
  Assets:Bank:Operating            {income} CNY
  Income:Operating:District       -{income} CNY

2012-10-20 * "印刷店" "宣传册"
  {paying}   -{spent} CNY
  Expenses:Operating:Publicity      {spent} CNY
""", "utf-8")
    return folder / "main.beancount"


def test_centres_exported_by_funds_export_monthly_consolidate(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(export_cli, "SEAL_EXPORTS", True, raising=False)
    centres = {"揭阳市榕城区社工服务中心": ("15000.00", "1234.56", False),
               "揭阳市普宁市社工服务中心": ("8000.10", "99.99", True),   # tampered after
               "揭阳市惠来县社工服务中心": ("3000.00", "0.01", True)}    # not registered
    for index, (title, (income, spent, cross)) in enumerate(centres.items()):
        books = centre_books(tmp_path / "books" / str(index), title, income, spent, cross)
        result = CliRunner().invoke(funds, ["export", "monthly", MONTH, "--ledger", str(books),
                                            "--out", str(tmp_path / "received" / str(index))])
        assert result.exit_code in (0, 1), result.output  # 1: no bank statement given
        assert "已写入" in result.output
    sheet = next((tmp_path / "received" / "1" / MONTH).glob("1-*.csv"))
    sheet.write_bytes(sheet.read_bytes().replace(b"99.99", b"9.99"))
    registry = tmp_path / "centres.csv"
    registry.write_text("单位名称,区\n揭阳市榕城区社工服务中心,榕城区\n"
                        "揭阳市普宁市社工服务中心,普宁市\n", "utf-8")
    result = run(tmp_path / "received", "--registry", registry, "--out", tmp_path / "out")
    assert result.exit_code == 1, result.output
    counted = {"揭阳市榕城区社工服务中心", "揭阳市惠来县社工服务中心"}
    city = next(row for row in sheet_rows(tmp_path / "out", 1, "汇总") if row["区"] == "全市合计")
    expected = expected_totals(tmp_path, counted)
    assert expected["income"] == Decimal("18000.00")
    assert {key: Decimal(city[column]) for key, column in COLUMNS.items()} == expected
    states = {row["单位"]: (row["区"], row["状态"])
              for row in sheet_rows(tmp_path / "out", 5, "报送情况")}
    assert states == {"揭阳市榕城区社工服务中心": ("榕城区", "已报送"),
                      "揭阳市普宁市社工服务中心": ("普宁市", "校验失败"),
                      "揭阳市惠来县社工服务中心": ("未登记", "已报送")}
    findings = {(row["单位"], row["规则代码"])
                for row in sheet_rows(tmp_path / "out", 4, "异常事项")}
    assert ("揭阳市惠来县社工服务中心", "cross-fund") in findings
    assert not any(unit == "揭阳市普宁市社工服务中心" for unit, _ in findings)  # failed: left out
    assert ("揭阳市榕城区社工服务中心", "cross-fund") not in findings  # decoy: paid rightly
    book = openpyxl.load_workbook(tmp_path / "out" / WORKBOOK)
    assert len(book["图表"]._charts) == 2  # type: ignore[attr-defined]
