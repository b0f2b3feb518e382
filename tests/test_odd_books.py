"""Books at the edges of what Beancount loads give findings or a message, never a traceback:
dates on the calendar's first and last days, ``custom`` directives without any argument,
amounts no budget could hold."""

from __future__ import annotations

import textwrap
from decimal import Decimal
from pathlib import Path

from beancount import loader
from beancount.core import data
from click.testing import CliRunner, Result

from ledger.check import check_books
from ledger.cli.check import check_funds
from ledger.cli.main import funds
from ledger.model.findings import Severity
from ledger.model.summary import execution_rate, fund_figures
from ledger.plugin import check_earmarks
from tests.helpers import HEADER, rules_of

# A fund living from the calendar's first day, with one budget line of each period.
EDGES = """\
0001-01-01 custom "fund" "ops" "日常运营经费"
0001-01-01 open Assets:Bank:Ops CNY
  fund: "ops"
0001-01-01 open Income:Ops:District CNY
  fund: "ops"
0001-01-01 open Expenses:Ops:Monthly CNY
  fund: "ops"
0001-01-01 open Expenses:Ops:Weekly CNY
  fund: "ops"
0001-01-01 open Expenses:Ops:Daily CNY
  fund: "ops"
0001-01-01 open Expenses:Ops:Quarterly CNY
  fund: "ops"
0001-01-01 custom "budget" Expenses:Ops "yearly" 1000.00 CNY
0001-01-01 custom "budget" Expenses:Ops:Monthly "monthly" 100.00 CNY
0001-01-01 custom "budget" Expenses:Ops:Weekly "weekly" 100.00 CNY
0001-01-01 custom "budget" Expenses:Ops:Daily "daily" 100.00 CNY
0001-01-01 custom "budget" Expenses:Ops:Quarterly "quarterly" 100.00 CNY
0001-01-01 * "东山区财政局" "拨款"
  Assets:Bank:Ops        1000.00 CNY
  Income:Ops:District   -1000.00 CNY
"""


def spending(date: str, amount: str = "60.00") -> str:
    """One payment spread over the four lines, to the same payee (a split-payment group)."""
    return textwrap.dedent(f"""\
        {date} * "惠民超市" "活动物资"
          invoice: "F-{date}"
          Assets:Bank:Ops           -{Decimal(amount) * 4} CNY
          Expenses:Ops:Monthly       {amount} CNY
          Expenses:Ops:Weekly        {amount} CNY
          Expenses:Ops:Daily         {amount} CNY
          Expenses:Ops:Quarterly     {amount} CNY
    """)


PLUGIN = 'plugin "ledger.plugin"\n'


def books_at(tmp_path: Path, *parts: str, plugin: bool = True) -> Path:
    main = tmp_path / "main.beancount"
    head = PLUGIN if plugin else ""
    main.write_text(head + "".join(parts), encoding="utf-8")
    return main


def check(main: Path, *args: str) -> Result:
    return CliRunner().invoke(check_funds, [str(main), "--no-cache", *args])


def assert_message_not_traceback(result: Result, exit_code: int) -> None:
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code == exit_code, result.output
    assert "Traceback" not in result.output


def test_spending_on_the_calendars_first_day_is_judged(tmp_path: Path) -> None:
    main = books_at(tmp_path, EDGES, spending("0001-01-01"), spending("0001-01-02"))
    for output_format in ("table", "json", "csv"):
        result = check(main, "--format", output_format)
        assert_message_not_traceback(result, 1)
    checked = check_books(main)
    assert checked.load_errors == []
    assert sorted({(f.rule, f.account) for f in checked.findings
                   if f.severity is Severity.ERROR}) == [
        ("over-budget", "Expenses:Ops:Monthly"), ("over-budget", "Expenses:Ops:Quarterly"),
        ("over-budget", "Expenses:Ops:Weekly")]


def test_spending_on_the_calendars_last_day_is_judged(tmp_path: Path) -> None:
    main = books_at(tmp_path, EDGES, spending("9999-12-30"), spending("9999-12-31"))
    for output_format in ("table", "json", "csv"):
        result = check(main, "--format", output_format)
        assert_message_not_traceback(result, 1)
    checked = check_books(main)
    assert checked.load_errors == []
    assert sorted({(f.rule, f.account) for f in checked.findings
                   if f.severity is Severity.ERROR}) == [
        ("over-budget", "Expenses:Ops:Monthly"), ("over-budget", "Expenses:Ops:Quarterly"),
        ("over-budget", "Expenses:Ops:Weekly")]
    [summary] = fund_figures(checked.books, None)
    assert (summary.budget, summary.spent) == (Decimal("1000.00"), Decimal("480.00"))
    assert [(line.account, line.budget) for line in summary.lines] == [
        ("Expenses:Ops", Decimal("1000.00")), ("Expenses:Ops:Daily", Decimal("36500.00")),
        ("Expenses:Ops:Monthly", Decimal("1200.00")), ("Expenses:Ops:Quarterly", Decimal("400.00")),
        ("Expenses:Ops:Weekly", Decimal("5200.00"))]


def test_a_balance_on_the_calendars_first_day_is_read(tmp_path: Path) -> None:
    main = books_at(tmp_path, EDGES.replace(
        '0001-01-01 * "东山区财政局"', '0001-01-01 balance Assets:Bank:Ops 0.00 CNY\n'
        '0001-01-01 * "东山区财政局"'))
    assert_message_not_traceback(check(main), 0)


def test_a_split_payment_window_reaching_before_the_calendar() -> None:
    assert rules_of("""
        0001-01-01 * "装修公司" "装修款"
          invoice: "A-1"
          Assets:Bank:Construction          -30000.00 CNY
          Expenses:Construction:Equipment    30000.00 CNY
        0001-01-20 * "装修公司" "装修款"
          invoice: "A-2"
          Assets:Bank:Construction          -30000.00 CNY
          Expenses:Construction:Equipment    30000.00 CNY
    """, header=HEADER.replace("2012-01-01 ", "0001-01-01 ")) == ["split-payment"]


def test_budget_and_policy_without_arguments_are_findings_naming_the_line(
        tmp_path: Path) -> None:
    main = books_at(tmp_path, HEADER, '2012-02-01 custom "budget"\n'
                                      '2012-02-02 custom "fund-policy"\n'
                                      '2012-02-03 custom "fund-seal"\n')
    checked = check_books(main)
    assert checked.load_errors == []
    first = HEADER.count("\n") + 2
    assert [(f.rule, f.lineno) for f in checked.findings] == [
        ("bad-directive", first), ("bad-policy", first + 1), ("bad-directive", first + 2)]
    assert '实为 custom "budget" / expected' in checked.findings[0].message


def test_budget_and_policy_without_arguments_through_check_funds(tmp_path: Path) -> None:
    main = books_at(tmp_path, HEADER, '2012-02-01 custom "budget"\n'
                                      '2012-02-02 custom "fund-policy"\n')
    result = check(main)
    assert_message_not_traceback(result, 1)
    assert "[bad-directive]" in result.output and "[bad-policy]" in result.output
    assert "main.beancount:" in result.output


def test_the_plugin_gives_a_custom_of_no_argument_an_empty_list_of_values() -> None:
    entries, errors, options_map = loader.load_string(
        'plugin "ledger.plugin"\n' + HEADER + '2012-02-01 custom "fava-option"\n')
    assert errors == []
    [bare] = [entry for entry in entries
              if isinstance(entry, data.Custom) and entry.type == "fava-option"]
    assert bare.values == []
    kept, _ = check_earmarks(entries, options_map)
    assert kept is entries  # nothing to give: the same list


def test_any_custom_of_no_argument_without_the_plugin_is_named(tmp_path: Path) -> None:
    main = books_at(tmp_path, HEADER, '2012-02-01 custom "fava-option"\n', plugin=False)
    result = check(main)
    assert_message_not_traceback(result, 2)
    line = HEADER.count("\n") + 1
    assert f'main.beancount:{line}: custom "fava-option" 指令没有任何参数' in result.output
    assert "beancount.ops.pad" in result.output


def test_any_custom_of_no_argument_with_the_plugin_loads(tmp_path: Path) -> None:
    main = books_at(tmp_path, HEADER, '2012-02-01 custom "fava-option"\n')
    assert_message_not_traceback(check(main), 0)


def test_commands_that_read_the_books_survive_a_custom_of_no_argument(tmp_path: Path) -> None:
    main = books_at(tmp_path, HEADER, '2012-02-01 custom "budget"\n')
    exported = CliRunner().invoke(funds, ["export", "monthly", "2012-01", "--ledger", str(main),
                                          "--out", str(tmp_path / "out")])
    assert_message_not_traceback(exported, exported.exit_code)
    assert exported.exit_code in (0, 1)
    sealed = CliRunner().invoke(funds, ["seal", "2012-02", "--ledger", str(main)])
    assert_message_not_traceback(sealed, 1)  # refused: the month has an error finding
    assert "bad-directive" in sealed.output


def test_a_rate_of_absurd_books_has_every_digit() -> None:
    huge = Decimal("99999999999999999999999999.99")
    assert execution_rate(huge, Decimal("0.01")) == Decimal("999999999999999999999999999900.00")
    assert execution_rate(Decimal("50"), Decimal("200")) == Decimal("25.00")


def test_a_sealed_text_that_is_no_utf8_reads_as_altered(tmp_path: Path) -> None:
    october = ('2012-10-09 * "广告公司" "宣传海报"\n  invoice: "1002"\n'
               "  Assets:Bank:Operating         -1200.00 CNY\n"
               "  Expenses:Operating:Publicity   1200.00 CNY\n")
    main = books_at(tmp_path, HEADER, october)
    assert CliRunner().invoke(funds, ["seal", "2012-10", "--ledger", str(main)]).exit_code == 0
    (tmp_path / "seals" / "2012-10.jsonl").write_bytes(b"\xff\xfe{}\n")
    main.write_text(main.read_text(encoding="utf-8").replace('"1002"', '"1008"'),
                    encoding="utf-8")
    result = check(main)
    assert_message_not_traceback(result, 1)
    assert "[sealed-period-changed]" in result.output
    assert "封账文本 seals/2012-10.jsonl 与封账摘要不符（已被改动）" in result.output
