"""日期晚于今日 (future-date): an entry dated after the day of the check; the check cache keeps
a result from another day only when the day makes no difference. The day of the check is
injected: no test depends on the real date."""

from __future__ import annotations

import datetime
import json
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from ledger.cli.check import check_funds
from ledger.rules import dates
from tests.helpers import HEADER, findings_of, rules_of

TODAY = datetime.date(2013, 1, 15)


@pytest.fixture(autouse=True)
def today(monkeypatch: pytest.MonkeyPatch) -> list[datetime.date]:
    """The day of the check, as a list a test may change."""
    day = [TODAY]
    monkeypatch.setattr(dates, "today", lambda: day[0])
    return day


def paid(date: str) -> str:
    return f"""
        {date} * "文具店" "办公用品"
          invoice: "F-{date}"
          Assets:Bank:Construction         -300.00 CNY
          Expenses:Construction:Equipment   300.00 CNY
    """


def test_a_transaction_dated_after_today_is_a_future_date_warning() -> None:
    findings = findings_of(paid("2031-01-10"))
    assert [(f.rule, f.label, f.severity.value, f.date, f.fund) for f in findings] == [
        ("future-date", "日期晚于今日", "warning", datetime.date(2031, 1, 10), "construction")]
    assert "2031-01-10" in findings[0].message and "2013-01-15" in findings[0].message


def test_an_allocation_announced_after_today_is_a_future_date_warning() -> None:
    findings = findings_of("""
        2031-01-10 custom "allocation" "construction" 100.00 CNY
          due: 2031-02-10
    """)
    assert [(f.rule, f.date, f.fund) for f in findings] == [
        ("future-date", datetime.date(2031, 1, 10), "construction")]


def test_decoy_today_and_plans_for_the_future_are_quiet() -> None:
    assert rules_of(paid("2013-01-15"), """
        2013-01-10 custom "allocation" "construction" 100.00 CNY
          due: 2013-03-10
        2014-01-01 custom "budget" Expenses:Construction "yearly" 1000.00 CNY
        2014-01-01 custom "fund-policy" "cash-limit" 2000.00 CNY
        2013-01-16 balance Assets:Bank:Construction  499700.00 CNY
    """) == []


def test_the_day_of_the_check_decides(today: list[datetime.date]) -> None:
    today[0] = datetime.date(2031, 1, 10)
    assert rules_of(paid("2031-01-10")) == []


def books(tmp_path: Path, *parts: str) -> Path:
    path = tmp_path / "main.beancount"
    path.write_text(HEADER + "".join(textwrap.dedent(part) for part in parts), "utf-8")
    return path


def rules_checked(path: Path) -> list[str]:
    result = CliRunner().invoke(check_funds, [str(path), "--format", "json"])
    assert result.exit_code in (0, 1), result.output
    return [finding["rule"] for finding in json.loads(result.stdout)["findings"]]


def test_a_cached_check_is_not_served_once_a_future_entry_is_due(
        tmp_path: Path, today: list[datetime.date]) -> None:
    path = books(tmp_path, paid("2013-01-20"))
    assert rules_checked(path) == ["future-date"]
    today[0] = datetime.date(2013, 1, 19)
    assert rules_checked(path) == ["future-date"]
    today[0] = datetime.date(2013, 1, 20)
    assert rules_checked(path) == []


def test_a_cached_check_of_books_without_future_entries_is_served_the_next_day(
        tmp_path: Path, today: list[datetime.date], monkeypatch: pytest.MonkeyPatch) -> None:
    path = books(tmp_path, paid("2013-01-10"))
    assert rules_checked(path) == []
    today[0] = datetime.date(2013, 1, 16)
    monkeypatch.setattr("ledger.cli.check.load_or_exit", None)  # a load would fail
    assert rules_checked(path) == []


def test_a_cached_check_from_a_later_day_is_not_served(
        tmp_path: Path, today: list[datetime.date]) -> None:
    path = books(tmp_path, paid("2013-01-10"))
    today[0] = datetime.date(2013, 1, 12)
    assert rules_checked(path) == []
    today[0] = datetime.date(2013, 1, 9)  # the clock set back: 01-10 is after it
    assert rules_checked(path) == ["future-date"]


ALLOCATED = """
    2013-01-10 custom "allocation" "construction" 100.00 CNY
      due: 2013-01-20
"""


def test_a_due_date_still_to_come_is_not_judged(today: list[datetime.date]) -> None:
    # a year typo carries the books past the due date; the due date has not come yet
    assert rules_of(ALLOCATED, paid("2031-03-05")) == ["future-date"]
    today[0] = datetime.date(2013, 1, 21)
    assert rules_of(ALLOCATED, paid("2031-03-05")) == ["allocation-late", "future-date"]


def test_a_cached_check_is_not_served_once_a_due_date_has_come(
        tmp_path: Path, today: list[datetime.date]) -> None:
    # a balance the day after a statement may lie ahead, and is no future-date finding
    path = books(tmp_path, ALLOCATED,
                 "2013-03-01 balance Assets:Bank:Construction  500000.00 CNY\n")
    assert rules_checked(path) == []
    today[0] = datetime.date(2013, 1, 19)
    assert rules_checked(path) == []
    today[0] = datetime.date(2013, 1, 21)
    assert rules_checked(path) == ["allocation-late"]


def test_a_future_date_names_the_day_of_the_check_even_the_day_after(
        tmp_path: Path, today: list[datetime.date]) -> None:
    path = books(tmp_path, paid("2031-01-10"))
    rules_checked(path)
    today[0] = datetime.date(2013, 1, 16)
    result = CliRunner().invoke(check_funds, [str(path), "--format", "json"])
    [finding] = json.loads(result.stdout)["findings"]
    assert "2013-01-16" in finding["message"] and "2013-01-15" not in finding["message"]
