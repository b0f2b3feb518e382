"""The Beancount plugin: findings as errors for bean-check and Fava, and no double run."""

import os
from pathlib import Path

import pytest
from beancount import loader
from fava.core import FavaLedger

import ledger.check
from ledger.check import check_books
from ledger.model.books import Books
from ledger.model.findings import RULES, EarmarkError, Finding, Severity
from ledger.rules import run_checks
from tests.helpers import HEADER

VIOLATION = """
2012-03-01 * "揭阳宾馆" "接待费"
  invoice: "P-001"
  Assets:Bank:Construction        -600.00 CNY
  Expenses:District:Hospitality    600.00 CNY
2012-03-02 * "经批准调剂"
  approval: "揭社工委〔2012〕18号"
  Assets:Bank:Construction  -5000.00 CNY
  Assets:Bank:Operating      5000.00 CNY
"""


def test_plugin_reports_error_findings_as_errors_starting_with_code() -> None:
    _, errors, _ = loader.load_string('plugin "ledger.plugin"\n' + HEADER + VIOLATION)
    assert [type(error) for error in errors] == [EarmarkError]
    assert errors[0].message.startswith("[diverted] 挤占：")
    assert errors[0].source["lineno"] == HEADER.count("\n") + 3


def test_check_books_runs_the_rules_once_with_or_without_the_plugin(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []

    def counting(books: Books) -> list[Finding]:
        calls.append("run")
        return run_checks(books)

    monkeypatch.setattr(ledger.check, "run_checks", counting)
    with_plugin = tmp_path / "with.beancount"
    with_plugin.write_text('plugin "ledger.plugin"\n' + HEADER + VIOLATION, "utf-8")
    without = tmp_path / "without.beancount"
    without.write_text(HEADER + VIOLATION, "utf-8")
    checked_with, checked_without = check_books(with_plugin), check_books(without)
    assert calls == ["run"]  # only for the books that do not declare the plugin
    for checked in (checked_with, checked_without):
        assert checked.load_errors == []
        assert [f.rule for f in checked.findings] == ["diverted", "approved-transfer"]


def test_fava_shows_each_error_finding() -> None:
    planted = (Path(__file__).parent / "ledgers" / "planted.beancount").resolve()
    messages = [error.message for error in FavaLedger(str(planted)).errors]
    codes = {message[1:message.index("]")] for message in messages if message.startswith("[")}
    assert codes == {code for code, rule in RULES.items() if rule.severity is Severity.ERROR}
    assert "unbudgeted" in codes and "split-payment" in codes


def test_checks_load_afresh_beside_beancounts_pickle_cache(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Beancount's pickle cache (written by bean-check, say) skips plugins when read; a check
    never reads it, so the plugin runs and the rules run once."""
    books = tmp_path / "books.beancount"
    books.write_text('plugin "ledger.plugin"\n' + HEADER + VIOLATION, "utf-8")
    cache = tmp_path / ".cache"
    calls: list[str] = []

    def counting(books: Books) -> list[Finding]:
        calls.append("run")
        return run_checks(books)

    monkeypatch.setattr(loader, "PICKLE_CACHE_THRESHOLD", -1.0)  # cache even a fast load
    try:
        loader.initialize(use_cache=True, cache_filename=str(cache))
        loader.load_file(str(books))
        assert cache.exists()
        monkeypatch.setattr(ledger.check, "run_checks", counting)
        checked = check_books(books)
    finally:
        monkeypatch.undo()  # the threshold first, then the loader as Beancount sets it up
        loader.initialize(os.getenv("BEANCOUNT_DISABLE_LOAD_CACHE") is None)
    assert calls == []  # the plugin ran during the load and handed its findings over
    assert checked.load_errors == []
    assert [f.rule for f in checked.findings] == ["diverted", "approved-transfer"]
