"""A new centre's opening entry (期初建账): the balances carried from the old books, dated on
the last day of the year before the books' first year, load on the books ``funds init`` writes,
check clean, and give the annual statements their 年初数; the year's journal shows the entry,
commented, to fill in."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal
from pathlib import Path

from beancount import loader
from beancount.core import data
from click.testing import CliRunner, Result
from fava.beans import create
from fava.core import FavaLedger

from ledger.check import check_books
from ledger.cli.check import check_funds
from ledger.cli.main import funds
from ledger.model.chart import DEFAULT_FUNDS
from tests.test_export_annual import lines, read_csv
from tests.test_funds_init import new_transaction
from tests.test_funds_plan import plan_xlsx

UNIT = "揭阳市榕城区社区社工综合服务中心"
CONSTRUCTION, SALARY, OPERATING = DEFAULT_FUNDS
OPENING_DAY = datetime.date(2012, 12, 31)

# The opening entry as the README tells a new centre to write it, by hand.
HAND_WRITTEN = """
2012-12-31 * "期初建账：上年结转余额"
  Assets:1002-银行存款:建设经费专户  50000.00 CNY
  Equity:3102-限定性净资产  -50000.00 CNY
"""


def init(folder: Path, *args: str, year: str = "2013") -> Result:
    return CliRunner().invoke(funds, ["init", str(folder), "--unit", UNIT, "--year", year,
                                      *args])


def add_to_journal(folder: Path, text: str, year: int = 2013) -> None:
    journal = folder / f"{year}.beancount"
    journal.write_text(journal.read_text(encoding="utf-8") + text, encoding="utf-8")


def checked_clean(main: Path) -> str:
    """check-funds' output on books that must check clean: 未发现问题 for each fund."""
    result = CliRunner().invoke(check_funds, [str(main)])
    assert result.exit_code == 0, result.output
    assert result.output.count("未发现问题 / no findings") == len(DEFAULT_FUNDS), result.output
    return result.output


def annual_2013(main: Path, out: Path) -> dict[int, list[Decimal | None]]:
    """The 2013 balance sheet's lines (年初数, 期末数), from the export's CSV."""
    result = CliRunner().invoke(funds, ["export", "annual", "2013", "--ledger", str(main),
                                        "--out", str(out), "--preparer", "王会计"])
    assert result.exit_code == 0, result.output
    return lines(read_csv(out / "2013", 1))


def example_filled_in(folder: Path, amounts: dict[str, str]) -> str:
    """The journal's commented opening entry made real, as its bookkeeper does: each line
    uncommented and each asset's 0.00 replaced by its balance (``amounts``, by account)."""
    journal = folder / "2013.beancount"
    text = journal.read_text(encoding="utf-8")
    example = re.compile(r"^; (?=2012-12-31 \*|  (?:Assets|Liabilities|Equity):)", re.MULTILINE)
    text = example.sub("", text)
    for account, amount in amounts.items():
        text, count = re.subn(rf"^(  {re.escape(account)}\s+)0\.00 CNY$", rf"\g<1>{amount} CNY",
                              text, flags=re.MULTILINE)
        assert count == 1, account
    journal.write_text(text, encoding="utf-8")
    return text


def test_a_hand_written_opening_entry_loads_and_checks_clean(tmp_path: Path) -> None:
    folder = tmp_path / "centre"
    assert init(folder).exit_code == 0
    add_to_journal(folder, HAND_WRITTEN)
    checked = check_books(folder / "main.beancount")
    assert checked.load_errors == [] and checked.findings == []
    output = checked_clean(folder / "main.beancount")
    assert "资金余额    50,000.00" in output


def test_the_annual_export_takes_the_opening_entry_as_the_years_start(tmp_path: Path) -> None:
    folder = tmp_path / "centre"
    assert init(folder).exit_code == 0
    add_to_journal(folder, HAND_WRITTEN)
    balance = annual_2013(folder / "main.beancount", tmp_path / "out")
    assert balance[1] == [Decimal("50000.00"), Decimal("50000.00")]  # 货币资金
    assert balance[105] == [Decimal("50000.00"), Decimal("50000.00")]  # 限定性净资产
    assert balance[120] == [Decimal("50000.00"), Decimal("50000.00")]


def test_accounts_open_on_the_last_day_of_the_year_before_the_rest_on_new_years_day(
        tmp_path: Path) -> None:
    folder = tmp_path / "centre"
    assert init(folder, year="2015").exit_code == 0
    entries, errors, _ = loader.load_file(str(folder / "main.beancount"))
    assert errors == []
    opens = {entry.date for entry in entries if isinstance(entry, data.Open)}
    assert opens == {datetime.date(2014, 12, 31)}
    others = {entry.date for entry in entries if isinstance(entry, data.Custom)}
    assert others == {datetime.date(2015, 1, 1)}  # funds, policy, import rules, Fava options


def test_the_journal_shows_the_opening_entry_commented_on_the_right_day(tmp_path: Path) -> None:
    folder = tmp_path / "centre"
    assert init(folder, year="2015").exit_code == 0
    text = (folder / "2015.beancount").read_text(encoding="utf-8")
    assert '; 2014-12-31 * "期初建账' in text
    assert "上年最后一天" in text and "last day of the year before" in text
    for fund in DEFAULT_FUNDS:
        assert re.search(rf"^;   {re.escape(fund.bank)}\s+0\.00 CNY$", text, re.MULTILINE)
    assert re.search(r"^;   Equity:3102-限定性净资产$", text, re.MULTILINE)
    assert "Equity:3101-非限定性净资产" in text  # where money of no fund goes
    assert text.rstrip().endswith('custom "fava-option" "insert-entry" ".*"')  # still last
    entries, errors, _ = loader.load_file(str(folder / "main.beancount"))
    assert errors == [] and not any(isinstance(entry, data.Transaction) for entry in entries)


def test_the_example_filled_in_loads_checks_clean_and_gives_the_years_start(
        tmp_path: Path) -> None:
    folder = tmp_path / "centre"
    assert init(folder).exit_code == 0
    example_filled_in(folder, {CONSTRUCTION.bank: "120000.00", SALARY.bank: "35000.00",
                               OPERATING.bank: "8000.00", OPERATING.cash: "1500.00"})
    main = folder / "main.beancount"
    entries, errors, _ = loader.load_file(str(main))
    assert errors == []
    opening = [entry for entry in entries if isinstance(entry, data.Transaction)]
    assert [entry.date for entry in opening] == [OPENING_DAY]
    output = checked_clean(main)
    assert "资金余额   120,000.00" in output and "资金余额     9,500.00" in output
    balance = annual_2013(main, tmp_path / "out")
    total = Decimal("164500.00")
    assert balance[1] == [total, total]  # 货币资金: banks and petty cash
    assert balance[105] == [total, total] and balance[101] == [Decimal("0.00")] * 2


def test_the_opening_entry_and_the_plan_check_clean_together(tmp_path: Path) -> None:
    folder = tmp_path / "centre"
    result = init(folder, "--plan", str(plan_xlsx(tmp_path / "资金使用计划.xlsx")))
    assert result.exit_code == 0, result.output
    example_filled_in(folder, {CONSTRUCTION.bank: "120000.00"})
    output = checked_clean(folder / "main.beancount")
    assert "专项数字：2013 年" in output


def test_a_plan_written_after_the_opening_entry_is_for_the_books_year(tmp_path: Path) -> None:
    folder = tmp_path / "centre"
    assert init(folder).exit_code == 0
    example_filled_in(folder, {SALARY.bank: "35000.00"})
    main = folder / "main.beancount"
    written = CliRunner().invoke(funds, ["plan", str(plan_xlsx(tmp_path / "plan.xlsx")),
                                         "--ledger", str(main)])
    assert written.exit_code == 0, written.output
    assert (folder / "plan" / "2013.beancount").is_file()
    checked_clean(main)


def test_fava_takes_the_opening_entry_into_the_journal(tmp_path: Path) -> None:
    folder = tmp_path / "centre"
    assert init(folder).exit_code == 0
    main = folder / "main.beancount"
    ledger = FavaLedger(str(main))
    assert ledger.errors == []
    ledger.file.insert_entries([create.transaction(
        {}, OPENING_DAY, "*", "", "期初建账：上年结转余额",
        postings=[create.posting(CONSTRUCTION.bank, "50000.00 CNY"),
                  create.posting("Equity:3102-限定性净资产", "-50000.00 CNY")])])
    ledger = FavaLedger(str(main))
    ledger.file.insert_entries([new_transaction(datetime.date(2013, 3, 5))])
    text = (folder / "2013.beancount").read_text(encoding="utf-8")
    assert "期初建账：上年结转余额" in text
    assert text.index("办公用品 2013-03-05") < text.index('"insert-entry"')  # later vouchers too
    checked = check_books(main)
    assert checked.load_errors == []
    # the voucher's (no plan, no invoice yet); the opening entry draws none
    assert {finding.date for finding in checked.findings} == {datetime.date(2013, 3, 5)}


def test_payables_and_unrestricted_net_assets_added_as_the_example_says(tmp_path: Path) -> None:
    folder = tmp_path / "centre"
    assert init(folder).exit_code == 0
    text = example_filled_in(folder, {SALARY.bank: "35000.00", OPERATING.bank: "8000.00"})
    added = ("  Liabilities:2204-应付工资  -3000.00 CNY\n"
             "  Equity:3101-非限定性净资产  -2000.00 CNY\n"
             "  Equity:3102-限定性净资产\n")
    (folder / "2013.beancount").write_text(
        text.replace("  Equity:3102-限定性净资产\n", added, 1), encoding="utf-8")
    main = folder / "main.beancount"
    checked_clean(main)
    balance = annual_2013(main, tmp_path / "out")
    assert balance[1][0] == Decimal("43000.00") and balance[63][0] == Decimal("3000.00")
    assert balance[101][0] == Decimal("2000.00") and balance[105][0] == Decimal("38000.00")
