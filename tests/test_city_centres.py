"""The city's consolidation test data (``make_city_books.py --separate``): each centre's books
load, are checked to exactly the violations planted in them, and the registry names every
centre with its district."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from beancount import loader
from beancount.core import data

from ledger.model.chart import code_of
from tests.helpers import check_funds_json

SCRIPT = Path(__file__).parent.parent / "scripts" / "make_city_books.py"
CENTRES = 7
DISTRICTS = {"榕城区", "揭东区", "揭西县", "惠来县", "普宁市", "空港区"}


@pytest.fixture(scope="module")
def city(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("city") / "centres"
    subprocess.run([sys.executable, str(SCRIPT), "--separate", str(out), "--centres",
                    str(CENTRES), "--months", "3"], check=True, capture_output=True)
    return out


def folders(city: Path) -> list[Path]:
    return sorted(path for path in city.iterdir() if path.is_dir())


def test_each_centre_is_checked_to_exactly_its_planted_violations(city: Path) -> None:
    rules: Counter[str] = Counter()
    for folder in folders(city):
        planted = Counter((item["rule"], item["date"], item["fund"]) for item in json.loads(
            (folder / "planted.json").read_text("utf-8")))
        found = Counter((item["rule"], item["date"], item["fund"]) for item in
                        check_funds_json(str(folder / "main.beancount"))["findings"])
        assert found == planted, folder.name
        rules.update(rule for rule, _, _ in planted)
    assert rules == {"cross-fund": 2, "missing-evidence": 1, "over-budget": 1,
                     "allocation-late": 1}  # one centre late with an allocation
    clean = [folder for folder in folders(city)
             if json.loads((folder / "planted.json").read_text("utf-8")) == []]
    assert clean  # the decoys: centres without violations check clean


def test_the_registry_names_each_centre_by_its_books_title_and_district(city: Path) -> None:
    with (city / "centres.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == len(folders(city)) == CENTRES
    titles = set()
    sizes = set()
    for row, folder in zip(rows, folders(city), strict=True):
        entries, errors, options = loader.load_file(str(folder / "main.beancount"))
        assert all(str(error.message).startswith("[") for error in errors)  # findings only
        assert options["title"] == row["单位名称"] and row["区"] in row["单位名称"]
        assert row["区"] in DISTRICTS
        titles.add(options["title"])
        accounts = {posting.account for entry in entries
                    if isinstance(entry, data.Transaction) for posting in entry.postings}
        assert all(code_of(account) for account in accounts)  # the coded chart only
        sizes.add(sum(isinstance(entry, data.Transaction) for entry in entries))
    assert len(titles) == CENTRES and len({row["区"] for row in rows}) == 6
    assert len(sizes) >= 3  # centres of different sizes


def test_the_same_arguments_write_the_same_books(city: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    subprocess.run([sys.executable, str(SCRIPT), "--separate", str(again), "--centres",
                    str(CENTRES), "--months", "3"], check=True, capture_output=True)
    made = sorted(path.relative_to(city) for path in city.rglob("*") if path.is_file())
    assert made == sorted(path.relative_to(again) for path in again.rglob("*")
                          if path.is_file())
    assert all((city / name).read_bytes() == (again / name).read_bytes() for name in made)
