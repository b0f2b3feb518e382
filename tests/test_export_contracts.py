"""The monthly export's commitments: sheet 2 gains 已承诺 and 可用余额, and sheet 6 is the 合同台账
at the month's end (the workbook and ``6-合同台账.csv``)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from beancount import loader
from click.testing import CliRunner

from ledger.cli.main import funds
from tests.test_commitments import BOOKS, _expected
from tests.test_export_monthly import SHEETS, read_csv, table
from tests.test_export_readers import xlsx_table

OVERRUN = """\
2012-10-01 * "专家" "追加咨询费"
  contract: "HT-002"
  invoice: "F-1"
  Expenses:Construction:Expert   500.00 CNY
  Assets:Bank:Construction      -500.00 CNY
"""
MONTH_ENDS = {"2012-02": datetime.date(2012, 2, 29), "2012-06": datetime.date(2012, 6, 30),
              "2012-10": datetime.date(2012, 10, 31)}


def exported(tmp_path: Path, month: str) -> Path:
    books = tmp_path / "main.beancount"
    books.write_text(BOOKS + OVERRUN, "utf-8")
    result = CliRunner().invoke(funds, ["export", "monthly", month, "--ledger", str(books),
                                        "--out", str(tmp_path / "out")])
    assert result.exit_code in (0, 1), result.output  # 1: the bank accounts do not reconcile
    return tmp_path / "out" / month


@pytest.mark.parametrize("month", sorted(MONTH_ENDS))
def test_sheet_2_shows_each_lines_commitment_and_what_is_available(tmp_path: Path,
                                                                   month: str) -> None:
    folder = exported(tmp_path, month)
    entries, errors, _ = loader.load_string(BOOKS + OVERRUN)
    assert errors == []
    caps, spent, committed, _ = _expected(entries, MONTH_ENDS[month])
    for rows in (table(read_csv(folder, 2), "专项"), xlsx_table(folder, month, SHEETS[1], "专项")):
        assert {row["预算科目"] for row in rows} == set(caps)
        for row in rows:
            line = row["预算科目"]
            assert Decimal(row["已承诺"]) == committed[line], line
            assert Decimal(row["可用余额"]) == caps[line] - spent[line] - committed[line], line
            shown = {key: Decimal(row[key]) for key in ("年度预算", "本年累计支出", "已承诺")}
            assert Decimal(row["可用余额"]) == (shown["年度预算"] - shown["本年累计支出"]
                                              - shown["已承诺"])
        assert list(rows[0])[-3:] == ["已承诺", "可用余额", "专项代码"]


def test_sheet_6_is_the_contract_register_at_the_months_end(tmp_path: Path) -> None:
    folder = exported(tmp_path, "2012-10")
    csv_rows = table(read_csv(folder, 6), "合同号")
    xlsx_rows = xlsx_table(folder, "2012-10", SHEETS[5], "合同号")
    assert [row["合同号"] for row in csv_rows] == ["HT-001", "HT-002", "HT-003"]
    first = csv_rows[0]
    assert tuple(first[key] for key in (
        "专项", "合同金额", "已列支", "已付款", "未履行（已承诺）", "质保金比例", "质保金到期日",
        "尚留质保金", "状态", "专项代码")) == (
        "示范点建设经费", "320000.00", "150000.00", "100000.00", "170000.00", "5%",
        "2013-06-30", "16000.00", "执行中", "construction")
    assert csv_rows[1]["状态"] == "超合同"
    assert "contract-overrun" in csv_rows[1]["问题"]
    assert csv_rows[2]["问题"] == ""  # decoy: no finding on the printing contract
    for csv_row, xlsx_row in zip(csv_rows, xlsx_rows, strict=True):
        assert csv_row["合同号"] == xlsx_row["合同号"]
        assert Decimal(csv_row["未履行（已承诺）"]) == Decimal(xlsx_row["未履行（已承诺）"])
    sheet = openpyxl.load_workbook(folder / "专项资金月报-2012-10.xlsx")[SHEETS[5]]
    status = next(row for row in sheet.iter_rows() if row[0].value == "HT-002")[11]
    assert status.value == "超合同" and status.font.color.rgb.endswith("C00000")


def test_a_month_before_any_contract_says_so(tmp_path: Path) -> None:
    folder = exported(tmp_path, "2012-02")
    rows = read_csv(folder, 6)
    assert any("截至本月末没有已签订的合同" in row for row in rows)
    # June: the change of HT-001 (July) is not yet in force, HT-003 not yet signed
    june = table(read_csv(exported(tmp_path, "2012-06"), 6), "合同号")
    assert [(row["合同号"], row["合同金额"]) for row in june] == [
        ("HT-001", "300000.00"), ("HT-002", "20000.00")]


def test_sheet_6_shows_the_retention_share_as_a_percentage_excel_can_reckon_with(
        tmp_path: Path) -> None:
    folder = exported(tmp_path, "2012-10")
    sheet = openpyxl.load_workbook(folder / "专项资金月报-2012-10.xlsx")[SHEETS[5]]
    header = next(row for row in sheet.iter_rows() if row[0].value == "合同号")
    column = [cell.value for cell in header].index("质保金比例")
    first = next(row for row in sheet.iter_rows() if row[0].value == "HT-001")
    share, amount = first[column], first[[cell.value for cell in header].index("合同金额")]
    assert (Decimal(str(share.value)), share.number_format) == (Decimal("0.05"), "0%")
    assert amount.number_format == "#,##0.00"  # decoy: amounts keep the money format
    printing = next(row for row in sheet.iter_rows() if row[0].value == "HT-003")
    assert printing[column].value is None  # no retention: an empty cell, not 0%
