"""The rules stay linear: one pass over the transactions, no re-load, and work that grows 4x,
not 16x, with 4x the books. Counted in visits and executed lines, never in seconds."""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterator
from pathlib import Path
from types import FrameType, ModuleType
from typing import Any

import pytest
from beancount import loader
from beancount.core import data
from beancount.parser import parser

import ledger
from ledger.check import load_books
from ledger.model.books import Books, read_books
from ledger.model.findings import EarmarkError
from ledger.rules import run_checks
from tests.helpers import HEADER

SCRIPTS = Path(__file__).parent.parent / "scripts"
CODE = str(Path(ledger.__file__).parent)


def city_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_city_books",
                                                  SCRIPTS / "make_city_books.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def city_books(tmp_path: Path, transactions: int) -> Books:
    city = city_module()
    built, caps = city.build(transactions, 2, 2, 7, 100)
    folder = tmp_path / f"city-{transactions}"
    city.write(folder, built, caps)
    entries, errors, options_map = load_books(folder / "main.beancount")
    assert all(isinstance(error, EarmarkError) for error in errors), errors[:3]
    return read_books(entries, options_map)


def dense_books(days: int) -> Books:
    """One payee paid ten times a day out of one fund (a split-payment window full of small
    payments), refunds now and then, and an allocation due every third day."""
    lines = [HEADER]
    for day in range(days):
        date = f"{2012 + day // 360}-{day // 30 % 12 + 1:02d}-{day % 30 % 28 + 1:02d}"
        lines.append(f'{date} custom "allocation" "operating" 10.00 CNY\n' if day % 3 == 0
                     else "")
        for number in range(10):
            amount = "-5.00" if number == 9 and day % 7 == 0 else "10.00"
            lines.append(f'{date} * "文具店" "办公用品"\n  invoice: "I{day}-{number}"\n'
                         f"  Expenses:Operating:Publicity   {amount} CNY\n"
                         "  Assets:Bank:Operating\n")
    entries, errors, options_map = loader.load_string("".join(lines))
    assert not errors, errors[:3]
    return read_books(entries, options_map)


class CountingList(list[data.Transaction]):
    """The transactions, counting every one handed out, by iteration or by index."""

    handed_out = 0

    def __iter__(self) -> Iterator[data.Transaction]:
        for transaction in super().__iter__():
            self.handed_out += 1
            yield transaction

    def __getitem__(self, index: Any) -> Any:
        found = super().__getitem__(index)
        self.handed_out += len(found) if isinstance(index, slice) else 1
        return found


def executed_lines(books: Books) -> int:
    """The lines of the project's code executed by one run of the rules. (Work done inside C,
    a ``x in some_list`` say, is not counted: a scan hidden there would escape this guard.)"""
    count = 0

    def trace(frame: FrameType, event: str, arg: Any) -> Any:
        nonlocal count
        if not frame.f_code.co_filename.startswith(CODE):
            return None
        if event == "line":
            count += 1
        return trace

    sys.settrace(trace)
    try:
        run_checks(books)
    finally:
        sys.settrace(None)
    return count


def test_the_rules_hand_each_transaction_out_once(tmp_path: Path) -> None:
    books = city_books(tmp_path, 2000)
    counted = CountingList(books.transactions)
    findings = run_checks(Books(counted, books.model, books.account_types,
                                books.last_transaction_date, books.horizon, books.kinds,
                                books.cash))
    assert counted.handed_out == len(books.transactions)
    assert len(findings) > 20


def test_the_rules_load_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    books = city_books(tmp_path, 2000)

    def refuse(*_: object, **__: object) -> None:
        raise AssertionError("the rules loaded or parsed books")

    for module, name in ((loader, "load_file"), (loader, "load_string"), (loader, "_load"),
                         (parser, "parse_file"), (parser, "parse_string")):
        monkeypatch.setattr(module, name, refuse)
    assert run_checks(books)


@pytest.mark.parametrize("make", ["city", "dense"])
def test_four_times_the_books_is_four_times_the_work(make: str, tmp_path: Path) -> None:
    if make == "city":
        small, large = city_books(tmp_path, 1000), city_books(tmp_path, 4000)
    else:
        small, large = dense_books(40), dense_books(160)
    growth = len(large.transactions) / len(small.transactions)
    work = executed_lines(large) / executed_lines(small)
    assert 3.5 < growth < 4.5
    assert work < growth * 1.15, f"{work:.2f}x the work for {growth:.2f}x the transactions"
