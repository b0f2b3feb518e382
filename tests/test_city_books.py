"""The city-scale benchmark books: every planted violation is found, and nothing else, and the
same arguments write the same bytes."""

from __future__ import annotations

import datetime
import json
import subprocess
import sys
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest
from beancount import loader
from beancount.core import data

from ledger.model.findings import RULES
from ledger.rules import dates
from tests.helpers import check_funds_json

SCRIPT = Path(__file__).parent.parent / "scripts" / "make_city_books.py"


def write(out: Path, *args: str) -> None:
    subprocess.run([sys.executable, str(SCRIPT), str(out), "--transactions", "4000",
                    "--centres", "2", "--years", "2", "--violations-every", "100", *args],
                   check=True, capture_output=True)


def test_check_funds_finds_exactly_the_planted_violations(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(dates, "today", lambda: datetime.date(2015, 1, 1))  # the books' end
    write(tmp_path / "city")
    planted = Counter((item["rule"], item["date"], item["fund"])
                      for item in json.loads(
                          (tmp_path / "city" / "planted.json").read_text("utf-8")))
    found = Counter((item["rule"], item["date"], item["fund"])
                    for item in check_funds_json(str(tmp_path / "city" / "main.beancount"))
                    ["findings"])
    assert found == planted
    rules = {rule for rule, _, _ in planted}
    assert rules == set(RULES)  # every rule of the catalogue, approved transfers included


def test_the_same_arguments_write_the_same_books(tmp_path: Path) -> None:
    write(tmp_path / "one")
    write(tmp_path / "two")
    names = sorted(path.name for path in (tmp_path / "one").iterdir())
    assert "bare.beancount" in names and len(names) >= 5
    for name in names:
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes()
    write(tmp_path / "three", "--seed", "8")
    assert ((tmp_path / "three" / "2013.beancount").read_bytes()
            != (tmp_path / "one" / "2013.beancount").read_bytes())


def test_the_centres_contracts_are_registered_and_the_retention_paid_on_its_date(
        tmp_path: Path) -> None:
    write(tmp_path / "city")
    entries, _, _ = loader.load_file(str(tmp_path / "city" / "main.beancount"))
    planted = Counter(item["rule"] for item in json.loads(
        (tmp_path / "city" / "planted.json").read_text("utf-8")))
    contracts = {entry.values[0].value: entry for entry in entries
                 if isinstance(entry, data.Custom) and entry.type == "contract"}
    payments: dict[str, list[data.Transaction]] = {}
    for entry in entries:
        if isinstance(entry, data.Transaction) and "contract" in entry.meta:
            payments.setdefault(entry.meta["contract"], []).append(entry)
    assert len(set(payments) - set(contracts)) == planted["unregistered-contract"] > 0
    renovations = [entry for number, entry in contracts.items()
                   if number.endswith("-Renovation")]
    assert len(renovations) == 2  # one per centre
    on_its_date = 0
    for renovation in renovations:
        assert renovation.meta["retention"] == Decimal("0.05")
        dates = [t.date for t in payments[renovation.values[0].value]]
        assert len(dates) == 4 and max(dates) <= renovation.meta["retention-until"]
        on_its_date += renovation.meta["retention-until"] in dates
    assert on_its_date == len(renovations) - planted["retention-paid-early"] >= 1
