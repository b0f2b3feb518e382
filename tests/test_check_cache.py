"""The check cache: a second ``check-funds`` on unchanged books answers without loading them,
and editing any included file, changing the policy or upgrading the rule code gives fresh
findings."""

from __future__ import annotations

import json
import os
import pickle
import shutil
import time
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import ledger
from ledger import cache
from ledger.cli import check
from ledger.cli.check import check_funds
from ledger.model.books import Books
from ledger.model.findings import Finding, finding_at
from ledger.rules.split import SplitPayments
from tests.helpers import HEADER

CASH = """\
2012-01-01 custom "fund-policy" "cash-limit" 1000.00 CNY
"""
DRAW = """\
2012-03-01 * "备用金" "提取备用金"
  Assets:Cash:Operating   3000.00 CNY
  Assets:Bank:Operating  -3000.00 CNY
"""
HOSPITALITY = """\
2012-04-01 * "酒店" "宴请"
  invoice: "F-0401"
  Assets:Bank:Construction       -800.00 CNY
  Expenses:District:Hospitality   800.00 CNY
"""


def books_at(tmp_path: Path) -> Path:
    """Books in three files: the main one, the policy, and the journal."""
    folder = tmp_path / "books"
    folder.mkdir()
    (folder / "policy.beancount").write_text(CASH, "utf-8")
    (folder / "journal.beancount").write_text(DRAW, "utf-8")
    main = folder / "main.beancount"
    main.write_text('plugin "ledger.plugin"\ninclude "policy.beancount"\n'
                    'include "journal.beancount"\n' + HEADER, "utf-8")
    return main


def rules(books: Path, *args: str) -> list[str]:
    result = CliRunner().invoke(check_funds, [str(books), "--format", "json", *args])
    assert result.exit_code in (0, 1), result.output
    document: dict[str, Any] = json.loads(result.stdout)
    return [finding["rule"] for finding in document["findings"]]


@pytest.fixture
def loads(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The books each check loaded (a check answered from the cache loads none)."""
    loaded: list[Path] = []
    load = check.load_or_exit

    def counted(path: Path) -> Any:
        loaded.append(path)
        return load(path)

    monkeypatch.setattr(check, "load_or_exit", counted)
    return loaded


def test_a_second_check_of_unchanged_books_loads_nothing(tmp_path: Path,
                                                         loads: list[Path]) -> None:
    books = books_at(tmp_path)
    assert rules(books) == ["cash-withdrawal"]
    assert cache.cache_path(books).exists()
    assert rules(books) == ["cash-withdrawal"]
    assert rules(books, "--rule", "diverted") == []
    assert loads == [books]


def test_editing_an_included_file_gives_fresh_findings(tmp_path: Path,
                                                       loads: list[Path]) -> None:
    books = books_at(tmp_path)
    assert rules(books) == ["cash-withdrawal"]
    with (books.parent / "journal.beancount").open("a", encoding="utf-8") as journal:
        journal.write(HOSPITALITY)
    assert rules(books) == ["cash-withdrawal", "diverted"]
    assert len(loads) == 2


def test_changing_the_policy_gives_fresh_findings(tmp_path: Path, loads: list[Path]) -> None:
    books = books_at(tmp_path)
    assert rules(books) == ["cash-withdrawal"]
    (books.parent / "policy.beancount").write_text(CASH.replace("1000.00", "5000.00"), "utf-8")
    assert rules(books) == []
    assert len(loads) == 2


def test_upgrading_the_rule_code_gives_fresh_findings(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, loads: list[Path]) -> None:
    code = tmp_path / "code"
    shutil.copytree(Path(ledger.__file__).parent, code,
                    ignore=shutil.ignore_patterns("__pycache__", "books"))
    monkeypatch.setattr(cache, "CODE_ROOT", code)
    books = books_at(tmp_path)
    assert rules(books) == ["cash-withdrawal"]

    def stricter(self: SplitPayments) -> list[Finding]:  # the "new release" of a rule
        entry = self.books.transactions[0]
        return [finding_at("split-payment", entry, "new rule", fund="operating")]

    monkeypatch.setattr(SplitPayments, "findings", stricter)
    assert rules(books) == ["cash-withdrawal"]  # the installed code has not changed yet
    with (code / "rules" / "split.py").open("a", encoding="utf-8") as source:
        source.write("\n# a new release\n")
    assert sorted(rules(books)) == ["cash-withdrawal", "split-payment"]
    assert len(loads) == 2


def test_a_new_file_beside_the_books_is_a_change(tmp_path: Path, loads: list[Path]) -> None:
    folder = tmp_path / "books"
    folder.mkdir()
    (folder / "2012-03.beancount").write_text(CASH + DRAW, "utf-8")
    books = folder / "main.beancount"
    books.write_text('plugin "ledger.plugin"\ninclude "2012-*.beancount"\n' + HEADER, "utf-8")
    assert rules(books) == ["cash-withdrawal"]
    (folder / "2012-04.beancount").write_text(HOSPITALITY, "utf-8")
    assert rules(books) == ["cash-withdrawal", "diverted"]
    assert len(loads) == 2


def test_no_cache_neither_reads_nor_writes(tmp_path: Path, loads: list[Path]) -> None:
    books = books_at(tmp_path)
    assert rules(books, "--no-cache") == ["cash-withdrawal"]
    assert not cache.cache_path(books).exists()
    rules(books)
    rules(books, "--no-cache")
    assert len(loads) == 3


def test_a_damaged_cache_is_ignored_and_replaced(tmp_path: Path, loads: list[Path]) -> None:
    books = books_at(tmp_path)
    rules(books)
    cache.cache_path(books).write_bytes(b"not a pickle")
    assert rules(books) == ["cash-withdrawal"]
    assert rules(books) == ["cash-withdrawal"]
    assert len(loads) == 2


def test_figures_as_of_another_day_are_checked_then_kept(tmp_path: Path,
                                                          loads: list[Path]) -> None:
    books = books_at(tmp_path)
    rules(books)
    assert rules(books, "--until", "2012-02-01") == []
    assert rules(books, "--until", "2012-02-01") == []
    assert rules(books) == ["cash-withdrawal"]
    assert len(loads) == 2


def test_books_that_do_not_load_are_not_cached(tmp_path: Path) -> None:
    books = books_at(tmp_path)
    (books.parent / "journal.beancount").write_text(DRAW.replace("-3000.00", "-2000.00"),
                                                    "utf-8")
    result = CliRunner().invoke(check_funds, [str(books)])
    assert result.exit_code == 2
    assert not cache.cache_path(books).exists()


def test_rules_run_on_books_not_yet_cached(monkeypatch: pytest.MonkeyPatch,
                                           tmp_path: Path) -> None:
    seen: list[int] = []
    original = SplitPayments.__init__

    def counted(self: SplitPayments, books: Books) -> None:
        seen.append(len(books.transactions))
        original(self, books)

    monkeypatch.setattr(SplitPayments, "__init__", counted)
    books = books_at(tmp_path)
    rules(books)
    rules(books)
    assert seen == [2]  # the opening entry and the drawing; once


def test_a_new_file_in_a_new_sub_folder_is_a_change(tmp_path: Path, loads: list[Path]) -> None:
    folder = tmp_path / "books"
    (folder / "journal").mkdir(parents=True)
    (folder / "journal" / "a.beancount").write_text(CASH + DRAW, "utf-8")
    books = folder / "main.beancount"
    books.write_text('plugin "ledger.plugin"\ninclude "journal/**/*.beancount"\n' + HEADER,
                     "utf-8")
    assert rules(books) == ["cash-withdrawal"]
    (folder / "journal" / "2013").mkdir()
    assert rules(books) == ["cash-withdrawal"]
    (folder / "journal" / "2013" / "b.beancount").write_text(HOSPITALITY, "utf-8")
    assert rules(books) == ["cash-withdrawal", "diverted"]


def test_the_same_main_file_reached_through_a_link_is_other_books(tmp_path: Path) -> None:
    real = books_at(tmp_path)
    other = tmp_path / "other"
    other.mkdir()
    (other / "policy.beancount").write_text(CASH, "utf-8")
    (other / "journal.beancount").write_text(DRAW + HOSPITALITY, "utf-8")
    (other / "main.beancount").symlink_to(real)
    assert rules(real) == ["cash-withdrawal"]
    assert rules(other / "main.beancount") == ["cash-withdrawal", "diverted"]
    assert rules(real) == ["cash-withdrawal"]


def test_a_file_replaced_by_an_older_one_during_the_load_is_not_cached(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    books = books_at(tmp_path)
    journal = books.parent / "journal.beancount"
    older = tmp_path / "older.beancount"
    older.write_text(DRAW + HOSPITALITY, "utf-8")
    os.utime(older, (1_000_000_000, 1_000_000_000))  # a copy that keeps its old times
    load = check.load_or_exit

    def load_then_replace(path: Path) -> Any:
        checked = load(path)
        time.sleep(0.05)  # later than the file system's clock tick, as in a real, long load
        older.replace(journal)  # lands while the check is still under way
        return checked

    monkeypatch.setattr(check, "load_or_exit", load_then_replace)
    assert rules(books) == ["cash-withdrawal"]
    monkeypatch.setattr(check, "load_or_exit", load)
    assert rules(books) == ["cash-withdrawal", "diverted"]


def test_editing_a_plugin_of_the_books_gives_fresh_findings(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, loads: list[Path]) -> None:
    books = books_at(tmp_path)
    plugin = tmp_path / "localplugin.py"
    plugin.write_text("__plugins__ = ('keep',)\n\n\ndef keep(entries, options_map):\n"
                      "    return entries, []\n", "utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    text = books.read_text("utf-8")
    books.write_text('plugin "localplugin"\n' + text, "utf-8")
    assert rules(books) == ["cash-withdrawal"]
    assert rules(books) == ["cash-withdrawal"]
    with plugin.open("a", encoding="utf-8") as source:
        source.write("# a new release\n")
    assert rules(books) == ["cash-withdrawal"]
    assert len(loads) == 2


def test_a_cache_that_cannot_be_written_leaves_no_temporary_file(tmp_path: Path) -> None:
    books = books_at(tmp_path)
    cache.cache_path(books).mkdir(parents=True)  # a folder where the cache file would go
    assert rules(books) == ["cash-withdrawal"]
    assert [path.name for path in cache.cache_dir().iterdir()] == [
        cache.cache_path(books).name]


def test_a_cache_of_an_older_release_is_ignored(tmp_path: Path, loads: list[Path]) -> None:
    books = books_at(tmp_path)
    rules(books)
    path = cache.cache_path(books)
    with path.open("rb") as file:
        cached = pickle.load(file)
    del cached.plugins  # as written before plugins were part of the key
    with path.open("wb") as file:
        pickle.dump(cached, file)
    assert rules(books) == ["cash-withdrawal"]
    assert rules(books) == ["cash-withdrawal"]
    assert len(loads) == 2
